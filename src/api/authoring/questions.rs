//! The question editor: one question's text, options, measure, show-if rule and limits.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{current, page};
use crate::api::auth::Admin;
use crate::api::web::{field, Fields, Req};
use crate::api::AppState;
use crate::db::Actor;
use crate::domain::account::Staff;
use crate::domain::authoring::{self, Edit};
use crate::domain::survey::ChoiceOption;
use crate::domain::{
    Construct, Locale, LocalizedText, Question, QuestionKind, ShowIf, SurveyDefinition,
};
use crate::error::Problem;
use crate::i18n::authoring_ui;
use crate::pages::authoring::{question_form_view, QuestionForm};
use crate::pages::Reply;

/// Option rows of the question editor read back (room for removed rows).
const MAX_OPTION_ROWS: usize = 64;

pub async fn question_show(
    State(app): State<AppState>,
    Path((slug, key)): Path<(String, String)>,
    Admin(staff): Admin,
    req: Req,
) -> Result<Reply, Problem> {
    let draft = current(&app, &slug).await?;
    let question = draft
        .definition
        .question(&key)
        .cloned()
        .ok_or(Problem::PageNotFound)?;
    let form = question_form(&draft.definition, &slug, question, req.locale, Vec::new());
    Ok(question_page(&app, &req, &staff, form, StatusCode::OK))
}

pub async fn question_save(
    State(app): State<AppState>,
    Path((slug, key)): Path<(String, String)>,
    Admin(staff): Admin,
    req: Req,
    Fields(fields): Fields,
) -> Result<Reply, Problem> {
    let draft = current(&app, &slug).await?;
    let before = draft
        .definition
        .question(&key)
        .ok_or(Problem::PageNotFound)?;
    let question = parse_question(&fields, &key, before.kind);
    let saved = app
        .store
        .edit_draft(&slug, &Actor::of(&staff), |def| {
            authoring::apply(def, Edit::UpdateQuestion(question.clone()))
        })
        .await?
        .ok_or(Problem::PageNotFound)?;
    match saved {
        Ok(_) => Ok(Reply::redirect(format!(
            "/admin/surveys/{slug}?done=saved#q-{key}"
        ))),
        Err(refusal) => {
            let form = question_form(
                &draft.definition,
                &slug,
                question,
                req.locale,
                vec![(authoring_ui(req.locale).edit_error)(&refusal)],
            );
            Ok(question_page(
                &app,
                &req,
                &staff,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

/// The question editor page showing `form`.
fn question_page(
    app: &AppState,
    req: &Req,
    staff: &Staff,
    form: QuestionForm,
    status: StatusCode,
) -> Reply {
    let key = form.question.key.clone();
    let here = format!("/admin/surveys/{}/q/{key}", form.slug);
    let title = format!("{} {key}", authoring_ui(req.locale).question);
    page(
        app,
        req,
        staff,
        &here,
        title,
        status,
        question_form_view(req.locale, form),
    )
}

/// The editor of `question` of `def`: the brand's values to pick from, and the questions of
/// earlier pages its show-if rule may use.
fn question_form(
    def: &SurveyDefinition,
    slug: &str,
    question: Question,
    locale: Locale,
    problems: Vec<String>,
) -> QuestionForm {
    let page = def.position_of(&question.key).map(|p| p.page).unwrap_or(0);
    let branchable = def.pages[..page.min(def.pages.len())]
        .iter()
        .flat_map(|p| p.questions.iter())
        .filter(|q| q.kind.is_branchable())
        .map(|q| {
            let answers = if q.kind == QuestionKind::YesNoDk {
                vec!["yes".into(), "no".into(), "dk".into()]
            } else {
                q.options.iter().map(|o| o.key.clone()).collect()
            };
            (q.key.clone(), q.text.get(locale).to_string(), answers)
        })
        .collect();
    QuestionForm {
        slug: slug.to_string(),
        values: def
            .brand
            .values
            .iter()
            .map(|v| (v.key.clone(), v.label.get(locale).to_string()))
            .collect(),
        branchable,
        question,
        problems,
    }
}

/// Reads the question editor's form into a question with key `key`.
fn parse_question(fields: &[(String, String)], key: &str, kind_before: QuestionKind) -> Question {
    let get = |name: &str| field(fields, name).unwrap_or("").trim().to_string();
    let kind = QuestionKind::from_name(&get("kind")).unwrap_or(kind_before);
    let options = if kind.has_options() {
        parse_options(fields)
    } else {
        Vec::new()
    };
    let help = LocalizedText::new(get("help_vi"), get("help_en"));
    let construct = Construct::from_name(&get("construct"));
    let rule_question = get("show_if_question");
    let show_if = (!rule_question.is_empty()).then(|| ShowIf {
        question: rule_question,
        any_of: get("show_if_any")
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    });
    Question {
        key: key.to_string(),
        kind,
        text: LocalizedText::new(get("text_vi"), get("text_en")),
        help: (!help.is_empty()).then_some(help),
        required: get("required") == "1",
        construct,
        // Only importance/perception questions name a value.
        value: construct
            .filter(|c| c.needs_value())
            .and(Some(get("value")).filter(|v| !v.is_empty())),
        options,
        show_if,
        max_length: if kind.is_text() {
            get("max_length").parse().ok()
        } else {
            None
        },
        // Only bond items can be reverse-keyed; the box is ignored on anything else.
        reverse: get("reverse") == "1"
            && kind == QuestionKind::Agree7
            && matches!(
                construct,
                Some(Construct::ValueCongruence | Construct::ContactBond)
            ),
    }
}

/// Reads the option rows of the question editor; rows left entirely empty or marked
/// "remove" are dropped.
fn parse_options(fields: &[(String, String)]) -> Vec<ChoiceOption> {
    let get = |name: &str| field(fields, name).unwrap_or("").trim().to_string();
    let mut options = Vec::new();
    for i in 0..MAX_OPTION_ROWS {
        let f = |part: &str| get(&format!("o{i}_{part}"));
        let (key, vi, en) = (f("key"), f("vi"), f("en"));
        if f("remove") == "1" || (key.is_empty() && vi.is_empty() && en.is_empty()) {
            continue;
        }
        options.push(ChoiceOption {
            key,
            text: LocalizedText::new(vi, en),
        });
    }
    options
}
