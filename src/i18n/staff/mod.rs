//! Strings of the staff side (sign-in, reports) in Vietnamese and English. Sentences that
//! state figures are functions of the figures, so nothing a report says is hard-coded.

use crate::domain::flow::BlockOrder;
use crate::domain::report::{FlaggedCounts, Measure};
use crate::domain::scoring::{BondClass, ContactFit};
use crate::domain::Locale;

mod en;
mod vi;

pub struct StaffUi {
    pub login_title: &'static str,
    pub login_lead: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub login_failed: &'static str,
    pub signed_in_as: fn(&str, &str) -> String,
    pub role_admin: &'static str,
    pub role_manager: &'static str,

    pub reports_title: &'static str,
    pub users_title: &'static str,
    pub nav_surveys: &'static str,
    pub preview_banner: &'static str,
    pub preview_done_title: &'static str,
    pub role: &'static str,
    pub brands: &'static str,
    pub status: &'static str,
    pub all_brands: &'static str,
    pub user_active: &'static str,
    pub user_inactive: &'static str,
    pub deactivate: &'static str,
    pub reactivate: &'static str,
    pub new_user: &'static str,
    pub new_user_lead: &'static str,
    pub brands_hint: &'static str,
    pub change_brands: &'static str,
    pub save_brands: &'static str,
    pub create_user: &'static str,
    pub user_created_title: &'static str,
    pub user_created_body: fn(&str) -> String,
    pub user_needs_brand: &'static str,
    pub user_bad_email: &'static str,
    pub user_exists: &'static str,
    pub user_not_self: &'static str,
    pub password_title: &'static str,
    pub password_lead: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub repeat_password: &'static str,
    pub password_change: &'static str,
    pub password_changed: &'static str,
    pub password_wrong_current: &'static str,
    pub password_mismatch: &'static str,
    pub password_too_short: &'static str,
    pub password_too_long: &'static str,
    pub reset_password: &'static str,
    pub password_reset_title: &'static str,
    pub password_reset_body: fn(&str) -> String,
    pub reports_empty: &'static str,
    pub completed_responses: fn(i64) -> String,

    pub report_title: fn(&str) -> String,
    pub filters: &'static str,
    pub version: &'static str,
    pub all_versions: &'static str,
    pub version_label: fn(i64, i64) -> String,
    pub from: &'static str,
    pub to: &'static str,
    pub compare_segment: &'static str,
    pub only_group: &'static str,
    pub none: &'static str,
    pub everyone: &'static str,
    pub period: &'static str,
    pub by_week: &'static str,
    pub by_month: &'static str,
    pub apply: &'static str,
    pub download_json: &'static str,
    pub download_csv: &'static str,
    pub download_excel: &'static str,
    pub print: &'static str,
    pub filter_problem: &'static str,
    pub share_title: &'static str,
    pub share_lead: &'static str,
    pub share_expires: &'static str,
    pub share_create: &'static str,
    pub share_created_title: &'static str,
    pub share_created_body: fn(&str) -> String,
    pub share_back: &'static str,
    pub shared_notice: fn(&str) -> String,
    pub share_bad_date: &'static str,
    pub share_live_title: &'static str,
    pub share_none: &'static str,
    pub share_all_responses: &'static str,
    pub share_col_by: &'static str,
    pub share_col_filters: &'static str,
    pub share_col_created: &'static str,
    pub share_col_expires: &'static str,
    pub share_revoke: &'static str,
    pub share_revoke_label: fn(&str, &str) -> String,
    pub share_revoked: &'static str,

    pub too_few: fn(u64) -> String,
    pub low_base: &'static str,
    pub base: fn(u64) -> String,
    pub missing: fn(u64) -> String,
    pub share: &'static str,
    pub interval: &'static str,
    pub table_n: &'static str,
    pub no_responses: &'static str,

    pub sec_headline: &'static str,
    pub headline_sentence: fn(&Sentence) -> String,
    pub values_bonded: &'static str,
    pub contact_bonded: &'static str,
    pub class_name: fn(BondClass) -> &'static str,
    pub values_led: &'static str,
    pub contact_led: &'static str,
    pub tied: &'static str,
    pub among_bonded: &'static str,
    pub paired_test: fn(f64, f64, f64, f64, bool) -> String,
    pub sensitivity: fn(f64) -> String,
    pub insufficient: fn(u64) -> String,

    pub sec_ceb: &'static str,
    pub ceb_sentence: fn(Option<f64>, Option<f64>, Option<f64>) -> String,
    pub relationship_yes: &'static str,
    pub reason_name: fn(&str) -> &'static str,
    pub benchmark: &'static str,
    pub this_survey: &'static str,
    pub vs_benchmark: fn(f64, f64) -> String,

    pub sec_values: &'static str,
    /// (which values customers perceive most, placebo perception rate).
    pub values_sentence: fn(TopValue<'_>, Option<f64>) -> String,
    pub value: &'static str,
    pub weight: &'static str,
    pub declared_rank: &'static str,
    pub perceived_rank: &'static str,
    pub mean_importance: &'static str,
    pub mean_perception: &'static str,
    pub perceived_rate: &'static str,
    pub net_perception: &'static str,
    pub shared_rate: &'static str,
    pub placebo_tag: &'static str,
    pub say_do_gap: &'static str,

    pub sec_alignment: &'static str,
    pub alignment_sentence: fn(Option<f64>, Option<(f64, f64)>) -> String,
    pub alignment_bin: &'static str,
    pub respondents: &'static str,

    pub sec_contact: &'static str,
    pub contact_sentence: fn(Option<f64>, Option<(f64, f64)>) -> String,
    pub fit_name: fn(ContactFit) -> &'static str,
    pub bond_class: &'static str,
    pub contact_level: &'static str,
    pub trend_test: fn(&str, f64, f64) -> String,
    pub fit_independence: fn(f64, u32, f64) -> String,
    pub yearly_contacts: &'static str,
    pub frequency_levels: [&'static str; 7],

    pub sec_outcomes: &'static str,
    pub outcomes_sentence: fn(Option<f64>, Option<f64>) -> String,
    pub all_respondents: &'static str,
    pub nps: &'static str,
    pub advocacy: &'static str,
    pub voice: &'static str,
    pub story_recall: &'static str,

    pub sec_segments: &'static str,
    pub segments_hint: &'static str,
    pub segments_sentence: fn(usize, usize) -> String,
    pub group: &'static str,
    pub measure_name: fn(Measure) -> &'static str,
    pub difference: &'static str,
    pub p_value: &'static str,
    pub p_holm: &'static str,
    pub fisher_note: &'static str,
    /// A measure nobody in any group has: nothing to test.
    pub no_events: fn(&str) -> String,

    pub sec_trends: &'static str,
    pub trends_sentence: fn(usize) -> String,
    pub period_start: &'static str,

    pub sec_reliability: &'static str,
    pub alpha_line: fn(&str, Option<f64>, usize, u64) -> String,
    pub alpha_weak: &'static str,
    /// The response CSV of fewer than 30 respondents is not exported.
    pub export_too_few: fn(u64) -> String,
    /// Column headers of missing answers.
    pub missing_importance_perception: &'static str,
    pub missing_outcomes: &'static str,
    pub missing_scores: &'static str,
    /// The headline by the order of the bond blocks.
    pub by_block_order: &'static str,
    pub block_order: &'static str,
    pub block_order_name: fn(BlockOrder) -> &'static str,
    pub order_difference: &'static str,
    pub order_effect_flagged: &'static str,
    pub order_effect_none: &'static str,
    /// Complete respondents of versions with other bond items, left out of α.
    pub alpha_other_items: fn(u64) -> String,
    /// (scales reliable, scales weak) of the two bond scales.
    pub reliability_sentence: fn(usize, usize) -> String,

    pub sec_responses: &'static str,
    pub responses_sentence: fn(u64, u64) -> String,
    pub stopped_on_page: fn(usize) -> String,
    /// (flagged responses, speeders, straight-liners, bots, whether they are counted).
    pub quality_sentence: fn(&FlaggedCounts, bool) -> String,
    pub include_flagged: &'static str,
    pub exclude_flagged: &'static str,
}

/// Which values customers perceive most.
pub enum TopValue<'a> {
    /// One value is perceived significantly more often than every other: its label and
    /// its net perception (or perceived rate) in points.
    One(&'a str, f64),
    /// This many values share the first perceived rank: the data do not tell them apart.
    Tied(usize),
    /// Too few answers to rank.
    Unknown,
}

/// What the headline sentence says, as numbers (percentages 0–100).
pub struct Sentence {
    pub values: f64,
    pub values_ci: (f64, f64),
    pub contact: f64,
    pub contact_ci: (f64, f64),
    pub significant: bool,
}

pub fn staff_ui(locale: Locale) -> &'static StaffUi {
    match locale {
        Locale::Vi => &vi::VI,
        Locale::En => &en::EN,
    }
}

pub(super) fn pct(x: f64) -> String {
    format!("{x:.0}%")
}

pub(super) fn range((lo, hi): (f64, f64)) -> String {
    format!("[{lo:.0}–{hi:.0}%]")
}

/// p values as people read them: "< 0.001" rather than 1.2e-15.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}
