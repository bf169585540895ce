//! Demo content: two brands modelled on the seed articles' examples (an outdoor-gear brand
//! protecting the environment, a motorcycle brand selling freedom), each with one published
//! survey covering every construct. Loaded from the same JSON format admins import.

use crate::accounts::{create_staff, first_password, AccountError};
use crate::db::{now_ms, CompleteResponse, Store, StoreError};
use crate::domain::account::Role;
use crate::domain::scoring::{score_respondent, RespondentScores};
use crate::domain::survey::DefinitionErrors;
use crate::domain::{Answer, SurveyDefinition};
use crate::tokens::hash_token;

pub mod population;

use population::Population;

pub const DEMO_SURVEYS: [&str; 2] = [
    include_str!("terra-bond.json"),
    include_str!("moto-freedom.json"),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("demo survey is invalid: {0}")]
    Invalid(#[from] DefinitionErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("demo account: {0}")]
    Account(#[from] AccountError),
    #[error("no survey with slug \"{0}\"")]
    NoSurvey(String),
    #[error("survey \"{0}\" is not published")]
    NotPublished(String),
}

/// The demo brand whose reports the demo manager may read.
pub const DEMO_MANAGER_BRAND: &str = "terra-outdoor";
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo.valuebond.vn";
pub const DEMO_MANAGER_EMAIL: &str = "manager@demo.valuebond.vn";

/// A demo account created just now; its password exists only here (the database keeps
/// a hash), so it is printed once and never again.
pub struct DemoAccount {
    pub email: &'static str,
    pub role: Role,
    pub password: String,
}

/// On a database without any account, creates a demo admin and a demo manager of
/// `terra-outdoor` with random passwords. Returns them (empty if accounts existed).
pub async fn seed_demo_accounts(store: &Store) -> Result<Vec<DemoAccount>, SeedError> {
    if store.user_count().await? > 0 {
        return Ok(Vec::new());
    }
    let mut created = Vec::new();
    for (email, role) in [
        (DEMO_ADMIN_EMAIL, Role::Admin),
        (DEMO_MANAGER_EMAIL, Role::Manager),
    ] {
        let password = first_password();
        let id = create_staff(store, email, &password, role).await?;
        if role == Role::Manager {
            if let Some(brand) = store.brand_by_slug(DEMO_MANAGER_BRAND).await? {
                store.assign_brand(id, brand.id).await?;
            }
        }
        created.push(DemoAccount {
            email,
            role,
            password,
        });
    }
    Ok(created)
}

/// Prints freshly created demo accounts to the console (the only time they are shown).
pub fn announce(accounts: &[DemoAccount]) {
    for a in accounts {
        println!(
            "demo {} account: {}  password: {}  (shown once; sign in at /login)",
            a.role.as_str(),
            a.email,
            a.password
        );
    }
}

/// Imports the demo surveys that are not there yet; returns the slugs imported.
pub async fn seed_demo(store: &Store) -> Result<Vec<String>, SeedError> {
    let mut imported = Vec::new();
    for json in DEMO_SURVEYS {
        let def = SurveyDefinition::parse(json)?;
        if !store.survey_exists(&def.slug).await? {
            store.import_survey(&def, true).await?;
            imported.push(def.slug);
        }
    }
    Ok(imported)
}

/// Responses are stored in transactions of this many (bounded memory, fast commits).
const BATCH: usize = 2_000;

/// What synthetic respondents write in the survey's first long-text question (one in
/// three of them), so that the demo's "What customers said" has answers to read, search
/// and code. Chosen by the respondent's number, not drawn: the population's random answers
/// (and so every demo figure) stay what they were.
const DEMO_COMMENTS: [&str; 8] = [
    "Mình thích thương hiệu này vì họ thật sự bảo vệ môi trường.",
    "Áo khoác bị rách, cửa hàng sửa chữa miễn phí rất nhanh.",
    "Giao hàng hơi chậm, nhưng nhân viên tư vấn nhiệt tình.",
    "Email khuyến mãi gửi quá nhiều, tôi muốn nhận ít hơn.",
    "Đồ đi phượt rất bền, dùng mấy năm vẫn tốt.",
    "The repair service is the reason I keep buying from them.",
    "Giá hơi cao so với các thương hiệu khác.",
    "Tôi tin họ đối xử công bằng với người lao động.",
];

/// Synthetic respondent `i`'s written comment, if they leave one.
fn demo_comment(def: &SurveyDefinition, i: usize) -> Option<(String, Answer)> {
    let question = def
        .questions()
        .find(|q| q.kind == crate::domain::QuestionKind::LongText)?;
    i.is_multiple_of(3).then(|| {
        let text = DEMO_COMMENTS[(i / 3) % DEMO_COMMENTS.len()];
        (question.key.clone(), Answer::Text(text.to_string()))
    })
}

/// Adds `count` synthetic complete responses to a survey's live version, spread over the
/// last 90 days. `seed` makes the population reproducible. Returns how many were added.
pub async fn seed_responses(
    store: &Store,
    slug: &str,
    count: usize,
    seed: u64,
) -> Result<usize, SeedError> {
    seed_responses_with(store, slug, count, seed, true).await
}

/// `seed_responses`, optionally without storing the answers themselves (scores and report
/// rollups only): reports never read answers, and benchmarks load a million respondents.
pub async fn seed_responses_with(
    store: &Store,
    slug: &str,
    count: usize,
    seed: u64,
    with_answers: bool,
) -> Result<usize, SeedError> {
    let Some(survey) = store.survey_by_slug(slug).await? else {
        return Err(SeedError::NoSurvey(slug.to_string()));
    };
    let Some(version_id) = survey.live_version_id else {
        return Err(SeedError::NotPublished(slug.to_string()));
    };
    let def = store
        .version_definition(version_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("version {version_id} is missing")))?;
    let mut population = Population::new(seed);
    let now = now_ms();
    let last_page = def.pages.len() as i64 - 1;
    let mut done = 0;
    while done < count {
        let batch: Vec<CompleteResponse> = (done..count.min(done + BATCH))
            .map(|i| {
                let mut answers = population.respondent(&def);
                // Unscored, so added after the draws: the figures are as before.
                answers.extend(demo_comment(&def, i));
                let scores = RespondentScores {
                    block_order: crate::domain::flow::bond_blocks(&def)
                        .map(|_| population.block_order()),
                    ..score_respondent(&def, &answers)
                };
                CompleteResponse {
                    // Synthetic respondents cannot resume: the hash is of a token nobody holds.
                    token_hash: hash_token(&format!(
                        "synthetic-{seed}-{i}-{}",
                        crate::tokens::new_token()
                    )),
                    locale: if i % 5 == 0 { "en" } else { "vi" }.to_string(),
                    completed_at: population.completed_at(now, 90),
                    last_page,
                    answers: if with_answers {
                        answers
                            .iter()
                            .map(|(k, a)| (k.clone(), a.to_stored()))
                            .collect()
                    } else {
                        Vec::new()
                    },
                    scores,
                }
            })
            .collect();
        store
            .insert_complete_responses(survey.id, version_id, &def.zone(), &batch)
            .await?;
        done += batch.len();
    }
    Ok(done)
}

/// Gives each demo survey `count` synthetic responses if it has none yet, so the demo
/// reports have something to show on first run.
pub async fn seed_demo_responses(store: &Store, count: usize) -> Result<(), SeedError> {
    for (i, json) in DEMO_SURVEYS.iter().enumerate() {
        let def = SurveyDefinition::parse(json)?;
        let Some(survey) = store.survey_by_slug(&def.slug).await? else {
            continue;
        };
        let (_, completed) = store.respondent_counts(survey.id).await?;
        if completed == 0 && count > 0 {
            seed_responses(store, &def.slug, count, 2012 + i as u64).await?;
        }
    }
    Ok(())
}
