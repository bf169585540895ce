//! Operations: an online SQLite backup taken while respondents submit is a consistent
//! snapshot (every stored score row is in the rollups and the version counts, and vice versa).

mod common;

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
            .report_tallies(survey.id, &ReportFilter::default(), None)
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
        assert_eq!(tallies.all.responses, everyone);
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
