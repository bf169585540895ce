//! Operations: an online SQLite backup taken while respondents submit is a consistent
//! snapshot (every stored score row is in the rollups and the version counts, and vice versa).

use crate::common;

use common::{complete_demo_survey, TestApp};
use valuebond::db::{Backend, ReportFilter, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_backups_are_consistent_snapshots() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let load: Vec<_> = (0..4)
        .map(|_| {
            // One browser per respondent: a finished browser is sent to its thank-you page.
            let browsers: Vec<_> = (0..6).map(|_| app.browser()).collect();
            tokio::spawn(async move {
                for b in browsers {
                    complete_demo_survey(&b, "yes").await;
                }
            })
        })
        .collect();
    let mut copies = Vec::new();
    for i in 0..5 {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let path = dir.path().join(format!("backup-{i}.db"));
        app.store.backup(&path).await.unwrap();
        copies.push(path);
    }
    for task in load {
        task.await.unwrap();
    }
    for path in copies {
        let copy = Store::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        assert!(copy.check_integrity().await.unwrap());
        let survey = copy.survey_by_slug("terra-bond").await.unwrap().unwrap();
        let rows = copy
            .report_rows(survey.id, &ReportFilter::default())
            .await
            .unwrap();
        let (tallies, everyone) = copy
            .report_tallies(survey.id, &ReportFilter::default(), None, |_| true)
            .await
            .unwrap();
        let counted: i64 = copy
            .versions(survey.id)
            .await
            .unwrap()
            .iter()
            .map(|v| v.completed)
            .sum();
        assert_eq!(rows.len() as u64, everyone, "{}", path.display());
        assert_eq!(tallies.all.responses.n, everyone);
        assert_eq!(counted as u64, everyone);
        let (started, completed) = copy.respondent_counts(survey.id).await.unwrap();
        assert_eq!(completed as u64, everyone);
        assert!(started >= completed);
        copy.close().await;
    }
    assert_eq!(
        app.store
            .respondent_counts(
                app.store
                    .survey_by_slug("terra-bond")
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            )
            .await
            .unwrap()
            .1,
        24
    );
    app.finish().await;
}

async fn posts_during_shutdown_are_stored_and_acknowledged_or_not_at_all(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let def = common::demo_definition();
    // 30 respondents on page 1, ready to post.
    let mut ready = Vec::new();
    for _ in 0..30 {
        let b = app.browser();
        let to = b.start(&def.slug).await;
        let html = b.get(&to).await.text().await.unwrap();
        let form = common::page_form(&def, &mut valuebond::domain::AnswerSet::new(), "yes", &html);
        ready.push((b, to, form));
    }
    let before = app.store.count_rows("page_posts").await.unwrap();
    // The shutdown starts as soon as the first post is acknowledged, while the others are
    // still to come (one every 10 ms): the race this test is about then surely happens.
    let (first_ack, acked) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut acked = acked;
    let posts: Vec<_> = ready
        .into_iter()
        .enumerate()
        .map(|(i, (b, to, form))| {
            let first_ack = first_ack.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(10 * i as u64)).await;
                let body = serde_urlencoded::to_string(&form).unwrap().into_bytes();
                let res = b
                    .client
                    .post(format!("{}{to}", b.base()))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .await;
                let ok = matches!(res, Ok(r) if r.status() == reqwest::StatusCode::SEE_OTHER);
                if ok {
                    let _ = first_ack.send(());
                }
                ok
            })
        })
        .collect();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(30), acked.recv()).await;
    app.begin_shutdown();
    let mut acknowledged = 0;
    for p in posts {
        acknowledged += i64::from(p.await.unwrap());
    }
    // Every acknowledged post is stored, and nothing else is (the app's pool is closed by
    // now: look with a new connection).
    let look = Store::connect(&app.config.database_url()).await.unwrap();
    let stored = look.count_rows("page_posts").await.unwrap() - before;
    look.close().await;
    assert_eq!(
        stored, acknowledged,
        "{backend:?}: stored {stored}, acknowledged {acknowledged}"
    );
    assert!(
        (1..30).contains(&acknowledged),
        "{backend:?}: the race happened: some posts acknowledged, some refused ({acknowledged} of 30 acknowledged)"
    );
    eprintln!("{backend:?}: {acknowledged} of 30 posts acknowledged and stored around the shutdown, the rest refused");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_during_shutdown_are_all_or_nothing_on_every_backend() {
    for backend in common::backends() {
        posts_during_shutdown_are_stored_and_acknowledged_or_not_at_all(backend).await;
    }
}
