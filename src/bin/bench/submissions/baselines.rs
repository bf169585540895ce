//! The baselines each level is compared with: a bare handler of the same server under
//! the same concurrency, and bare durable inserts of the rows a page post writes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use valuebond::db::Store;

/// GET /healthz from `concurrency` clients for `duration`: requests per second.
pub async fn bare_handler(base: &str, concurrency: usize, duration: Duration) -> f64 {
    let deadline = Instant::now() + duration;
    let count = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (base, count) = (base.to_string(), count.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                while Instant::now() < deadline {
                    if client
                        .get(format!("{base}/healthz"))
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success())
                    {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    count.load(Ordering::Relaxed) as f64 / duration.as_secs_f64()
}

/// The rows one page post writes (answers, the respondent update, the idempotency
/// key), inserted in a loop of durable transactions: transactions per second.
pub async fn bare_inserts(database_url: &str, duration: Duration) -> f64 {
    let store = Store::connect(database_url).await.expect("connect");
    store.migrate().await.expect("migrate");
    valuebond::demo::seed_demo(&store).await.expect("demo");
    let survey = store
        .survey_by_slug("terra-bond")
        .await
        .expect("survey")
        .expect("survey");
    let version = survey.live_version_id.expect("live");
    let mut n = 0u64;
    let started = Instant::now();
    while started.elapsed() < duration {
        let token = valuebond::tokens::hash_token(&valuebond::tokens::new_token());
        let r = store
            .start_respondent(survey.id, version, &token, "vi", 0, None)
            .await
            .expect("start");
        let decision = valuebond::domain::flow::PageDecision {
            upserts: (0..6)
                .map(|i| (format!("vc_{i}"), "6".to_string()))
                .collect(),
            deletes: vec![],
            current_page: 1,
            completion: None,
            next: valuebond::domain::flow::Destination::Page(1),
            timed_questions: 6,
        };
        let context = valuebond::db::PostContext {
            slug: "terra-bond".into(),
            locale: valuebond::domain::Locale::Vi,
            zone: Default::default(),
            honeypot: false,
            time_pages: true,
        };
        let outcome: valuebond::db::PageOutcome<()> = store
            .record_page(r.id, "idem", None, context, move |_| Ok(decision.clone()))
            .await
            .expect("write");
        let _ = outcome;
        n += 1;
    }
    store.close().await;
    n as f64 / started.elapsed().as_secs_f64()
}
