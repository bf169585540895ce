//! Several app instances on one database behave as one service: a respondent moves
//! between them mid-survey, a sign-in on one is valid on the other, a survey closed
//! through one is closed on the other, and instances starting at once migrate once.

use crate::common;

use common::{demo_definition, location, page_form, TestApp};
use reqwest::StatusCode;
use valuebond::accounts::create_staff;
use valuebond::db::{Backend, Store, SurveyStatus};
use valuebond::domain::account::Role;
use valuebond::domain::AnswerSet;

async fn two_instances_behave_as_one(app: &TestApp) {
    let other = app.sibling().await;
    let def = demo_definition();
    // Pages 1–2 on the first instance, the rest on the second (same cookies: one browser).
    let a = app.browser();
    let b = a.on(&other);
    let mut to = a.start(&def.slug).await;
    let mut answers = AnswerSet::new();
    for page in 0..def.pages.len() {
        let instance = if page < 2 { &a } else { &b };
        let html = instance.get(&to).await.text().await.unwrap();
        let form = page_form(&def, &mut answers, "yes", &html);
        let res = instance.post(&to, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "page {page}");
        to = location(&res);
    }
    assert_eq!(to, format!("/s/{}/thanks", def.slug));
    let survey = app.store.survey_by_slug(&def.slug).await.unwrap().unwrap();
    assert_eq!(
        app.store.respondent_counts(survey.id).await.unwrap(),
        (1, 1)
    );

    // A sign-in made on one instance is valid on the other; signing out on it ends both.
    create_staff(
        &app.store,
        "admin@example.vn",
        "instances password",
        Role::Admin,
    )
    .await
    .unwrap();
    let staff = app.browser();
    let res = staff.login("admin@example.vn", "instances password").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let staff_b = staff.on(&other);
    assert_eq!(
        staff_b.get("/reports/terra-bond").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        staff_b.post("/logout", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(staff.get("/reports").await.status(), StatusCode::SEE_OTHER);

    // Closing the survey (through the first instance's store) closes it everywhere.
    app.store
        .set_survey_status(&def.slug, SurveyStatus::Closed)
        .await
        .unwrap();
    let visitor = app.browser().on(&other);
    assert_eq!(
        visitor.get(&format!("/s/{}", def.slug)).await.status(),
        StatusCode::GONE
    );
    app.store
        .set_survey_status(&def.slug, SurveyStatus::Open)
        .await
        .unwrap();
    assert_eq!(
        visitor.get(&format!("/s/{}", def.slug)).await.status(),
        StatusCode::OK
    );
}

on_every_backend!(
    two_instances_behave_as_one_on_every_backend,
    two_instances_behave_as_one
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_starting_at_once_migrate_once() {
    if !common::backends().contains(&Backend::Postgres) {
        eprintln!("PostgreSQL not available: skipping the concurrent migration test");
        return;
    }
    let admin_url = std::env::var("TEST_POSTGRES_URL").unwrap();
    let name = format!("vb_migrate_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let store = Store::connect(&url).await.unwrap();
                store.migrate().await.unwrap();
                store
            })
        })
        .collect();
    let mut stores = Vec::new();
    for s in starts {
        stores.push(s.await.unwrap());
    }
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let (applied, distinct): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT version) FROM _sqlx_migrations WHERE success",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(applied, distinct, "each migration applied once");
    assert!(applied >= 3);
    pool.close().await;
    for s in stores {
        s.close().await;
    }
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&admin)
        .await;
}
