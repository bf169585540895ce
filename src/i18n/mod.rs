//! UI strings in Vietnamese and English.
//!
//! One struct per language instead of key/value files: the compiler guarantees that every
//! string exists in both languages, and messages with arguments are plain functions.
//! Survey text itself is data (`LocalizedText`), not here.

pub mod authoring;
pub mod checker;
mod en;
pub mod listening;
// The send screen and e-mails are server-rendered only (their upload problems are too).
#[cfg(feature = "ssr")]
pub mod invitations;
pub mod names;
pub mod staff;
mod vi;
pub mod waves;
pub mod weighting;

pub use authoring::{authoring_ui, AuthoringUi};
#[cfg(feature = "ssr")]
pub use invitations::{invitations_ui, InvitationsUi};
pub use listening::{listening_ui, ListeningUi};
pub use names::names;
pub use staff::{staff_ui, StaffUi};
pub use waves::{waves_ui, WavesUi};
pub use weighting::{weighting_ui, WeightingUi};

use crate::domain::flow::MalformedPost;
use crate::domain::Locale;

/// Every UI string, in one language.
pub struct Ui {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub language: &'static str,
    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub home_open_surveys: &'static str,
    pub home_no_surveys: &'static str,
    pub start: &'static str,
    pub next: &'static str,
    pub back: &'static str,
    pub submit: &'static str,
    pub continue_later: &'static str,
    /// The label of the honeypot field, which people never see (only bots fill it in).
    pub honeypot: &'static str,
    pub progress: fn(usize, usize) -> String,
    pub required: &'static str,
    pub optional: &'static str,
    pub error_summary_title: &'static str,
    pub error_required: &'static str,
    pub errors_count: fn(usize) -> String,
    pub agree_low: &'static str,
    pub agree_high: &'static str,
    pub importance_low: &'static str,
    pub importance_high: &'static str,
    pub perception_low: &'static str,
    pub perception_high: &'static str,
    pub recommend_low: &'static str,
    pub recommend_high: &'static str,
    pub dont_know: &'static str,
    /// The `voice_heard` choice for someone who never gave the brand feedback.
    pub never_gave_feedback: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub frequency_levels: [&'static str; 7],
    pub text_limit: fn(u32) -> String,
    pub choose_all_that_apply: &'static str,
    pub thanks_title: &'static str,
    pub thanks_body: &'static str,
    pub thanks_already: &'static str,
    pub delete_intro: &'static str,
    pub delete_link: &'static str,
    pub resume_choice_title: &'static str,
    pub resume_choice_body: &'static str,
    pub resume_choice_keep: &'static str,
    pub resume_choice_switch: &'static str,
    pub delete_title: &'static str,
    pub delete_body: &'static str,
    pub delete_confirm: &'static str,
    pub delete_cancel: &'static str,
    pub deleted_title: &'static str,
    pub deleted_body: &'static str,
    pub later_title: &'static str,
    pub later_body: &'static str,
    pub later_link_label: &'static str,
    pub later_warning: &'static str,
    pub later_continue_now: &'static str,
    pub resumed_notice: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub closed_title: &'static str,
    pub closed_body: &'static str,
    pub session_missing_title: &'static str,
    pub session_missing_body: &'static str,
    pub link_invalid_title: &'static str,
    pub link_invalid_body: &'static str,
    pub bad_request_title: &'static str,
    pub bad_request_body: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_body: &'static str,
    pub unavailable_title: &'static str,
    pub unavailable_body: &'static str,
    pub start_again: &'static str,
    pub go_home: &'static str,
    pub malformed: fn(&MalformedPost) -> String,
    pub minutes_hint: &'static str,
    pub too_many_title: &'static str,
    pub too_many_body: &'static str,
    pub retry_in: fn(u64) -> String,
    pub try_again: &'static str,
    pub invalid_body: &'static str,
    pub rate_limited_title: &'static str,
    pub rate_limited_body: &'static str,
    pub retry_in_seconds: fn(u64) -> String,
    pub busy_title: &'static str,
    pub busy_body: &'static str,
    pub invite_required_title: &'static str,
    pub invite_required_body: &'static str,
    pub invite_used_title: &'static str,
    pub invite_used_body: &'static str,
    pub already_answered_title: &'static str,
    pub already_answered_body: &'static str,
}

/// The UI strings of a language.
pub fn ui(locale: Locale) -> &'static Ui {
    match locale {
        Locale::Vi => &vi::UI,
        Locale::En => &en::UI,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::answer::AnswerProblem;

    #[test]
    fn malformed_posts_are_explained_in_both_languages() {
        let post = MalformedPost::BadAnswer {
            key: "nps".into(),
            problem: AnswerProblem::OutOfRange("11".into()),
        };
        let vi = (ui(Locale::Vi).malformed)(&post);
        let en = (ui(Locale::En).malformed)(&post);
        assert!(
            vi.contains("nps") && vi.contains("11") && vi.contains("ngoài thang đo"),
            "{vi}"
        );
        assert!(
            en.contains("nps") && en.contains("11") && en.contains("outside the scale"),
            "{en}"
        );
    }

    #[test]
    fn progress_reads_naturally() {
        assert_eq!((ui(Locale::Vi).progress)(2, 5), "Trang 2/5");
        assert_eq!((ui(Locale::En).progress)(2, 5), "Page 2 of 5");
    }
}
