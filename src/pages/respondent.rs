//! The respondent's pages: intro, one page of questions at a time, continue-later,
//! thank-you, and deleting one's answers.

use crate::domain::quality::HONEYPOT_FIELD;
use leptos::prelude::*;

use crate::components::questions::{question_anchor, question_view, QuestionState};
use crate::domain::flow::Progress;
use crate::domain::{AnswerSet, Locale, Question, SurveyDefinition};
use crate::i18n::ui;

pub fn intro_view(
    def: &SurveyDefinition,
    locale: Locale,
    action: String,
    start_token: String,
    invite: Option<String>,
) -> impl IntoView {
    let t = ui(locale);
    let intro = def.intro.get(locale).to_string();
    view! {
        <section class="card intro" aria-labelledby="survey-title">
            <h1 id="survey-title" tabindex="-1">{def.title.get(locale).to_string()}</h1>
            <p class="lead">{intro}</p>
            <p class="hint">{t.minutes_hint}</p>
            <form method="post" action=action class="start-form">
                <input type="hidden" name="token" value=start_token/>
                {invite.map(|i| view! { <input type="hidden" name="invite" value=i/> })}
                <input type="hidden" name="_lang" value=locale.code()/>
                <button type="submit" class="button primary">{t.start}</button>
            </form>
        </section>
    }
}

/// Everything needed to render one page of questions.
pub struct PageModel<'a> {
    pub def: &'a SurveyDefinition,
    pub locale: Locale,
    pub page: usize,
    pub progress: Progress,
    pub questions: Vec<&'a Question>,
    pub answers: &'a AnswerSet,
    /// Keys of questions to flag as unanswered.
    pub errors: Vec<String>,
    pub action: String,
    pub idem_key: String,
    pub is_last: bool,
    pub has_previous: bool,
    pub notice: Option<&'static str>,
    /// Admin preview: the answers so far travel in the form (nothing is stored) and
    /// "continue later" is not offered.
    pub preview_answers: Option<String>,
}

pub fn page_view(m: PageModel<'_>) -> impl IntoView {
    let t = ui(m.locale);
    let locale = m.locale;
    let page_title = m.def.pages[m.page].title.get(locale).to_string();
    let survey_title = m.def.title.get(locale).to_string();
    let progress_text = (t.progress)(m.progress.position, m.progress.total);
    let first_error = m
        .questions
        .iter()
        .find(|q| m.errors.contains(&q.key))
        .map(|q| q.key.clone());

    let summary = (!m.errors.is_empty()).then(|| {
        let links = m
            .questions
            .iter()
            .filter(|q| m.errors.contains(&q.key))
            .map(|q| {
                let href = format!("#{}", question_anchor(&q.key));
                view! { <li><a href=href>{q.text.get(locale).to_string()}</a></li> }
            })
            .collect_view();
        view! {
            <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{t.error_summary_title}</h2>
                <p>{(t.errors_count)(m.errors.len())}</p>
                <ul>{links}</ul>
            </div>
        }
    });
    let notice = m
        .notice
        .map(|n| view! { <p class="notice" role="status">{n}</p> });
    let questions = m
        .questions
        .iter()
        .map(|q| {
            let error = m.errors.contains(&q.key);
            let state = QuestionState {
                answer: m.answers.get(&q.key),
                error,
                autofocus: first_error.as_deref() == Some(q.key.as_str()),
            };
            question_view(q, locale, state)
        })
        .collect_view();
    let next_label = if m.is_last { t.submit } else { t.next };
    let back = m.has_previous.then(|| view! { <button type="submit" name="_nav" value="back" class="button secondary">{t.back}</button> });

    view! {
        <div class="survey-page">
            <p class="survey-title">{survey_title}</p>
            <div class="progress">
                <p id="progress-label">{progress_text.clone()}</p>
                <progress max=m.progress.total.to_string() value=m.progress.position.to_string() aria-labelledby="progress-label"></progress>
            </div>
            <h1 class="page-title" tabindex="-1">{page_title}</h1>
            {notice}
            {summary}
            <form method="post" action=m.action data-enhance="" novalidate=true class="page-form">
                <input type="hidden" name="_idem" value=m.idem_key/>
                <input type="hidden" name="_lang" value=locale.code()/>
                {m.preview_answers.clone().map(|a| view! { <input type="hidden" name="_answers" value=a/> })}
                <div hidden="">
                    <label for="vb-honeypot">{t.honeypot}</label>
                    <input type="text" id="vb-honeypot" name=HONEYPOT_FIELD tabindex="-1" autocomplete="off"/>
                </div>
                {questions}
                // "Next" comes first in the DOM so Enter in a text field means Next, not Back;
                // CSS puts Back on the left.
                <div class="nav-buttons">
                    <button type="submit" name="_nav" value="next" class="button primary">{next_label}</button>
                    {back}
                </div>
                {m.preview_answers.is_none().then(|| view! {
                    <div class="later">
                        <button type="submit" name="_nav" value="later" class="link-button">{t.continue_later}</button>
                    </div>
                })}
            </form>
        </div>
    }
}

pub fn thanks_view(
    locale: Locale,
    def: &SurveyDefinition,
    delete_href: String,
    already: bool,
) -> impl IntoView {
    let t = ui(locale);
    let notice = already.then(|| view! { <p class="notice" role="status">{t.thanks_already}</p> });
    view! {
        <section class="card thanks" aria-labelledby="thanks-title">
            <p class="survey-title">{def.title.get(locale).to_string()}</p>
            <h1 id="thanks-title" tabindex="-1">{t.thanks_title}</h1>
            {notice}
            <p class="lead">{t.thanks_body}</p>
            <p class="hint">{t.delete_intro}" "<a href=delete_href class="delete-link">{t.delete_link}</a></p>
        </section>
    }
}

pub fn later_view(locale: Locale, resume_url: String, continue_href: String) -> impl IntoView {
    let t = ui(locale);
    let (field_value, href) = (resume_url.clone(), resume_url.clone());
    view! {
        <section class="card later-page" aria-labelledby="later-title">
            <h1 id="later-title" tabindex="-1">{t.later_title}</h1>
            <p>{t.later_body}</p>
            <label for="resume-link" class="q-label">{t.later_link_label}</label>
            <input id="resume-link" class="resume-link" type="text" readonly=true value=field_value/>
            <p><a href=href class="resume-anchor">{resume_url}</a></p>
            <p class="hint">{t.later_warning}</p>
            <p><a class="button primary" href=continue_href>{t.later_continue_now}</a></p>
        </section>
    }
}

/// A resume link opened in a browser that has another response in progress: the
/// respondent picks which one continues (nothing is replaced silently).
pub fn resume_choice_view(
    locale: Locale,
    keep_href: String,
    switch_action: String,
) -> impl IntoView {
    let t = ui(locale);
    view! {
        <section class="card" aria-labelledby="resume-choice-title">
            <h1 id="resume-choice-title" tabindex="-1">{t.resume_choice_title}</h1>
            <p>{t.resume_choice_body}</p>
            <form method="post" action=switch_action class="delete-form">
                <a class="button" href=keep_href>{t.resume_choice_keep}</a>
                " "
                <button type="submit" class="button secondary">{t.resume_choice_switch}</button>
            </form>
        </section>
    }
}

pub fn delete_confirm_view(locale: Locale, action: String, cancel_href: String) -> impl IntoView {
    let t = ui(locale);
    view! {
        <section class="card" aria-labelledby="delete-title">
            <h1 id="delete-title" tabindex="-1">{t.delete_title}</h1>
            <p>{t.delete_body}</p>
            <form method="post" action=action class="delete-form">
                <button type="submit" class="button danger">{t.delete_confirm}</button>
                " "
                <a class="button secondary" href=cancel_href>{t.delete_cancel}</a>
            </form>
        </section>
    }
}

pub fn deleted_view(locale: Locale) -> impl IntoView {
    let t = ui(locale);
    view! {
        <section class="card" aria-labelledby="deleted-title">
            <h1 id="deleted-title" tabindex="-1">{t.deleted_title}</h1>
            <p role="status">{t.deleted_body}</p>
            <p><a class="button secondary" href="/">{t.go_home}</a></p>
        </section>
    }
}
