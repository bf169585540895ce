//! A real `valuebond serve` process sends invitations and is killed with SIGKILL in the
//! middle of an SMTP transaction (the sink stops answering at a RCPT, then the process is
//! killed); two processes then started on the same database send at once and take the
//! killed sender's claimed messages after their lease. Every message arrives exactly once.

use crate::common;
use crate::invitations::{assert_each_once, queue_invitations, BASE_URL};
use crate::smtp_sink::SmtpSink;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use valuebond::db::{Backend, Store};

fn serve_with_mail(port: u16, dir: &std::path::Path, db: Option<&str>, smtp: &str) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_valuebond"));
    cmd.args(["serve", "--demo"])
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", dir)
        .env("DEMO_RESPONSES", "0")
        .env("RUST_LOG", "error")
        .env("SMTP_URL", smtp)
        .env("MAIL_FROM", "Terra surveys <surveys@terra.example>")
        .env("PUBLIC_BASE_URL", BASE_URL)
        .env("MAIL_LEASE", "3")
        .env("MAIL_RETRY", "1")
        .env("MAIL_RATE", "1000")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match db {
        Some(url) => cmd.env("DATABASE_URL", url),
        None => cmd.env_remove("DATABASE_URL"),
    };
    cmd.spawn().expect("start valuebond")
}

/// A fresh database for the processes: a PostgreSQL database (dropped by the caller), or
/// the SQLite file under `dir`.
async fn database(backend: Backend, dir: &std::path::Path) -> (String, Option<String>) {
    match backend {
        Backend::Sqlite => (format!("sqlite://{}/valuebond.db", dir.display()), None),
        Backend::Postgres => {
            let admin = std::env::var("TEST_POSTGRES_URL").unwrap();
            let name = format!("vb_mailcrash_{}", std::process::id());
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            (url, Some(name))
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_killed_mid_message_leaves_it_to_two_instances_and_each_arrives_once() {
    for backend in common::backends() {
        let sink = SmtpSink::start().await;
        sink.hang_at_rcpt(5);
        let dir = tempfile::tempdir().unwrap();
        let (url, pg_name) = database(backend, dir.path()).await;
        let db = (backend == Backend::Postgres).then_some(url.as_str());
        let first_port = common::free_port();
        let mut first = serve_with_mail(first_port, dir.path(), db, &sink.url());
        crate::crash::wait_ready(&format!("http://127.0.0.1:{first_port}")).await;

        let store = Store::connect(&url).await.unwrap();
        queue_invitations(&store, 12).await;
        for _ in 0..400 {
            if sink.hung() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(sink.hung(), "the sender reached the 5th message");
        first.kill().expect("SIGKILL");
        let _ = first.wait();
        assert_eq!(sink.received().len(), 4, "four went out before the kill");

        let mut survivors = Vec::new();
        for _ in 0..2 {
            let port = common::free_port();
            survivors.push(serve_with_mail(port, dir.path(), db, &sink.url()));
            crate::crash::wait_ready(&format!("http://127.0.0.1:{port}")).await;
        }
        sink.wait_for(12, 30).await;
        // Past another lease: nothing is sent twice later either.
        tokio::time::sleep(Duration::from_millis(3500)).await;
        assert_each_once(&sink.received(), 12);
        for mut p in survivors {
            p.kill().expect("SIGKILL");
            let _ = p.wait();
        }

        let survey = store.survey_by_slug("terra-bond").await.unwrap().unwrap();
        let counts = store.queue_counts(survey.id).await.unwrap();
        assert_eq!((counts.sent, counts.sending, counts.queued), (12, 0, 0));
        store.close().await;
        if let Some(name) = pg_name {
            let admin = std::env::var("TEST_POSTGRES_URL").unwrap();
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&pool)
                .await;
            pool.close().await;
        }
    }
}
