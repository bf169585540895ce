//! Strings of the admin's authoring tool (brands, survey builder, question editor,
//! distribution, responses, audit log, import) in Vietnamese and English, including the
//! explanations of the domain's typed refusals (`EditError`, `BrandProblem`). Names of
//! question kinds, constructs and statuses are in `names`.

mod en;
mod vi;

use crate::domain::authoring::{BrandProblem, EditError};
use crate::domain::Locale;

pub struct AuthoringUi {
    // Shared by the forms
    pub not_saved_title: &'static str,

    // Brands and surveys overview
    pub no_surveys: &'static str,
    /// Before a draft's version number in the survey tables ("draft v2").
    pub draft_short: &'static str,
    pub survey: &'static str,
    pub slug: &'static str,
    pub status: &'static str,
    pub version: &'static str,
    pub completed: &'static str,
    pub no_brands: &'static str,
    pub edit_brand_link: &'static str,
    pub brands_and_surveys: &'static str,
    pub new_brand: &'static str,
    pub import_link: &'static str,
    pub audit_log: &'static str,

    // Brand form
    pub brand: &'static str,
    pub brand_slug_label: &'static str,
    pub brand_slug_hint: &'static str,
    pub value: &'static str,
    pub value_key: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
    pub description_vi: &'static str,
    pub description_en: &'static str,
    pub weight: &'static str,
    /// Before a stated value's share of 100%.
    pub share: &'static str,
    pub placebo_value: &'static str,
    pub remove_value: &'static str,
    pub brand_name: &'static str,
    pub mission_vi: &'static str,
    pub mission_en: &'static str,
    pub stated_values_title: &'static str,
    pub stated_values_hint: &'static str,
    pub another_value_hint: &'static str,
    pub save_brand: &'static str,

    // New survey form (on the brand page)
    pub brand_surveys: &'static str,
    pub new_survey: &'static str,
    pub survey_slug_label: &'static str,
    pub title_vi: &'static str,
    pub title_en: &'static str,
    pub start_from: &'static str,
    pub start_from_bond_check: &'static str,
    pub start_blank: &'static str,
    pub create_survey: &'static str,

    // Survey builder: the check
    pub check_passed: &'static str,
    /// Heading of the errors that block publishing, with their number.
    pub check_errors: fn(usize) -> String,
    /// Heading of the warnings, with their number.
    pub check_warnings: fn(usize) -> String,

    // Survey builder: one question
    pub no_text_yet: &'static str,
    pub measures_nothing: &'static str,
    pub only_if: &'static str,
    pub required_tag: &'static str,
    pub reverse_tag: &'static str,
    pub edit: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub delete: &'static str,

    // Survey builder: the page
    /// Which draft version is being edited, and the live version if there is one.
    pub editing_draft: fn(i64, Option<i64>) -> String,
    /// The live version, when there is no draft: editing makes one.
    pub editing_live: fn(i64) -> String,
    pub publish_blocked: &'static str,
    pub publish: &'static str,
    pub close_survey: &'static str,
    pub reopen: &'static str,
    pub archive: &'static str,
    pub page: &'static str,
    pub page_title_vi: &'static str,
    pub page_title_en: &'static str,
    pub save_title: &'static str,
    pub question_type: &'static str,
    pub question_key: &'static str,
    pub add_question: &'static str,
    pub move_page_up: &'static str,
    pub move_page_down: &'static str,
    pub delete_page: &'static str,
    pub state_live: &'static str,
    /// A version published at a time (already formatted).
    pub state_published: fn(&str) -> String,
    pub state_draft: &'static str,
    pub back_to_dashboard: &'static str,
    pub survey_check: &'static str,
    pub preview_vi: &'static str,
    pub preview_en: &'static str,
    pub settings_title: &'static str,
    pub intro_vi: &'static str,
    pub intro_en: &'static str,
    pub bond_threshold: &'static str,
    pub time_zone: &'static str,
    pub time_zone_hint: &'static str,
    pub save: &'static str,
    pub pages_title: &'static str,
    pub reorder_hint: &'static str,
    pub add_page: &'static str,
    pub add_bond_check: &'static str,
    pub distribution: &'static str,
    /// Before the public link.
    pub public_link: &'static str,
    pub qr_alt: &'static str,
    pub qr_download: &'static str,
    pub invite_only: &'static str,
    pub one_per_browser: &'static str,
    pub save_distribution: &'static str,
    /// Invite links created and used.
    pub invite_counts: fn(i64, i64) -> String,
    pub invite_count_label: &'static str,
    pub create_invites: &'static str,
    pub versions: &'static str,
    pub version_state: &'static str,
    pub complete_responses: &'static str,
    pub view_responses: &'static str,
    pub report: &'static str,
    pub export_json: &'static str,
    pub duplicate_label: &'static str,
    pub duplicate: &'static str,
    pub change_history: &'static str,

    // End of a preview
    pub preview_done_body: &'static str,
    pub builder_link: &'static str,

    // Question editor
    pub option: &'static str,
    pub option_key: &'static str,
    pub option_vi: &'static str,
    pub option_en: &'static str,
    pub remove_option: &'static str,
    pub options_title: &'static str,
    pub options_hint: &'static str,
    pub back_to_builder: &'static str,
    pub question: &'static str,
    pub question_vi: &'static str,
    pub question_en: &'static str,
    pub help_vi: &'static str,
    pub help_en: &'static str,
    pub answer_required: &'static str,
    pub construct_label: &'static str,
    pub construct_hint: &'static str,
    pub no_construct: &'static str,
    pub reverse: &'static str,
    pub reverse_hint: &'static str,
    pub stated_value: &'static str,
    pub show_if_title: &'static str,
    pub show_if_question: &'static str,
    pub always_shown: &'static str,
    pub show_if_answers: &'static str,
    pub max_length: &'static str,
    pub save_question: &'static str,

    // Responses
    pub no_responses: &'static str,
    pub response: &'static str,
    pub completed_at: &'static str,
    pub responses_title: &'static str,
    pub back_to_responses: &'static str,
    /// Speeder, straight-liner, bot (`domain::quality`).
    pub quality_flags: &'static str,
    pub response_hint: &'static str,
    pub answer: &'static str,

    // Audit log
    pub no_changes: &'static str,
    pub command_line: &'static str,
    pub audit_when: &'static str,
    pub audit_who: &'static str,
    pub audit_what: &'static str,
    pub audit_detail: &'static str,

    // JSON import
    pub import_title: &'static str,
    pub import_label: &'static str,
    pub import: &'static str,

    // Page titles, notices and refusals of the handlers
    pub brand_saved: &'static str,
    pub survey_slug_invalid: &'static str,
    pub survey_slug_taken: &'static str,
    pub builder_title: &'static str,
    pub done_saved: &'static str,
    pub done_published: &'static str,
    pub done_live: &'static str,
    pub done_changed: &'static str,
    pub done_status: &'static str,
    pub done_distribution: &'static str,
    pub publish_refused: &'static str,
    pub invite_count_invalid: &'static str,
    pub responses: &'static str,
    pub import_page_title: &'static str,

    // The domain's refusals
    /// Why the builder refused an edit.
    pub edit_error: fn(&EditError) -> String,
    /// What is wrong with the brand form.
    pub brand_problem: fn(&BrandProblem) -> String,
}

/// The authoring strings of a language.
pub fn authoring_ui(locale: Locale) -> &'static AuthoringUi {
    match locale {
        Locale::Vi => &vi::UI,
        Locale::En => &en::UI,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_differently_in_each_language() {
        let edits = [
            EditError::NoSuchPage,
            EditError::NoSuchQuestion,
            EditError::BadKey,
            EditError::KeyTaken,
            EditError::PageNotEmpty,
            EditError::UsedByRule { by: "vc_1".into() },
            EditError::Threshold,
            EditError::TimeZone,
            EditError::BadOptions,
            EditError::AtEdge,
            EditError::BlockKeyTaken { key: "cb_1".into() },
        ];
        let (vi, en) = (authoring_ui(Locale::Vi), authoring_ui(Locale::En));
        for e in &edits {
            assert_ne!((vi.edit_error)(e), (en.edit_error)(e));
        }
        let problems = [
            BrandProblem::Slug,
            BrandProblem::SlugTaken,
            BrandProblem::Name,
            BrandProblem::ValueCount,
            BrandProblem::OnlyPlacebo,
            BrandProblem::ValueKey { row: 0 },
            BrandProblem::DuplicateValueKey { row: 3 },
            BrandProblem::Weight { row: 3 },
            BrandProblem::Label {
                row: 1,
                locale: Locale::En,
            },
        ];
        for p in &problems {
            assert_ne!((vi.brand_problem)(p), (en.brand_problem)(p));
        }
    }

    #[test]
    fn refusals_name_what_they_are_about() {
        let rule = EditError::UsedByRule { by: "vc_1".into() };
        assert!((authoring_ui(Locale::En).edit_error)(&rule).contains("\"vc_1\""));
        let label = BrandProblem::Label {
            row: 1,
            locale: Locale::En,
        };
        assert_eq!(
            (authoring_ui(Locale::Vi).brand_problem)(&label),
            "Giá trị 2: thiếu tên bằng tiếng Anh."
        );
        assert_eq!(
            (authoring_ui(Locale::En).brand_problem)(&label),
            "Value 2: the English label is missing."
        );
    }
}
