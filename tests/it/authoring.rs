//! The admin's authoring tool over HTTP, on every backend: brands, the Brand Bond Check
//! block, editing, the checker, publishing and versions, distribution, JSON round trip,
//! the audit log, and who may reach any of it.

use crate::common;

use common::{complete_survey, location, Browser, TestApp};
use reqwest::StatusCode;
use valuebond::accounts::create_staff;
use valuebond::domain::account::Role;
use valuebond::domain::checker::check;
use valuebond::domain::{Construct, SurveyDefinition};

const PASSWORD: &str = "một mật khẩu đủ dài";

async fn admin(app: &TestApp) -> Browser {
    create_staff(&app.store, "admin@example.vn", PASSWORD, Role::Admin)
        .await
        .unwrap();
    let b = app.browser();
    let res = b.login("admin@example.vn", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    b
}

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn brand_form(slug: &str, name: &str, first_weight: &str) -> Vec<(String, String)> {
    form(&[
        ("slug", slug),
        ("name", name),
        ("mission_vi", "Trà sạch cho mọi nhà"),
        ("mission_en", "Clean tea for every home"),
        ("v0_key", "clean"),
        ("v0_label_vi", "Trà sạch"),
        ("v0_label_en", "Clean tea"),
        ("v0_weight", first_weight),
        ("v1_key", "farmers"),
        ("v1_label_vi", "Công bằng cho nông dân"),
        ("v1_label_en", "Fair to farmers"),
        ("v1_weight", "1"),
        ("v2_key", "space"),
        ("v2_label_vi", "Khám phá vũ trụ"),
        ("v2_label_en", "Space exploration"),
        ("v2_weight", "1"),
        ("v2_placebo", "1"),
    ])
}

async fn newest(app: &TestApp, slug: &str) -> SurveyDefinition {
    app.store
        .newest_version(slug)
        .await
        .unwrap()
        .unwrap()
        .definition
}

/// The full form of the question editor for `key`, with new texts.
fn question_form(def: &SurveyDefinition, key: &str, vi: &str, en: &str) -> Vec<(String, String)> {
    let q = def.question(key).unwrap();
    let mut f = form(&[
        ("kind", "agree7"),
        ("text_vi", vi),
        ("text_en", en),
        ("required", "1"),
        ("construct", q.construct.map(|c| c.name()).unwrap_or("")),
    ]);
    if let Some(rule) = &q.show_if {
        f.push(("show_if_question".into(), rule.question.clone()));
        f.push(("show_if_any".into(), rule.any_of.join(",")));
    }
    f
}

#[tokio::test]
async fn an_admin_builds_publishes_and_versions_a_survey() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = admin(&app).await;

        // A brand form with problems is shown again (422) with every reason; nothing saved.
        let brands_before = app.store.count_rows("brands").await.unwrap();
        let res = admin
            .post("/admin/brands", &brand_form("green-tea", "", "0"))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Hãy nhập tên thương hiệu."), "{backend:?}");
        assert!(html.contains("Giá trị 1: trọng số phải là một số lớn hơn 0."));
        assert!(html.contains("Trà sạch"), "what was typed is kept");
        assert_eq!(app.store.count_rows("brands").await.unwrap(), brands_before);

        let res = admin
            .post("/admin/brands", &brand_form("green-tea", "Green Tea", "3"))
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/admin/brands/green-tea?saved=1");
        let page = admin
            .get("/admin/brands/green-tea")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("75%"), "weights shown as shares of 100%");

        // The Brand Bond Check block writes a complete survey that passes the checker.
        let res = admin
            .post(
                "/admin/brands/green-tea/surveys",
                &form(&[
                    ("slug", "tea-check"),
                    ("title_vi", "Trà và bạn"),
                    ("title_en", "Tea and you"),
                    ("start", "bond_check"),
                ]),
            )
            .await;
        assert_eq!(location(&res), "/admin/surveys/tea-check");
        let def = newest(&app, "tea-check").await;
        assert!(check(&def).is_empty(), "{:?}", check(&def));
        let builder = admin
            .get("/admin/surveys/tea-check")
            .await
            .text()
            .await
            .unwrap();
        assert!(builder.contains("không thấy vấn đề nào"));
        // A draft is not public.
        assert_eq!(
            app.browser().get("/s/tea-check").await.status(),
            StatusCode::NOT_FOUND
        );

        // Edit one value-congruence question in both languages, then publish version 1.
        let vc = def
            .questions_with(Construct::ValueCongruence)
            .next()
            .unwrap()
            .key
            .clone();
        let res = admin
            .post(
                &format!("/admin/surveys/tea-check/q/{vc}"),
                &question_form(&def, &vc, "Câu phiên bản một", "Version one item"),
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = admin.post("/admin/surveys/tea-check/publish", &[]).await;
        assert_eq!(location(&res), "/admin/surveys/tea-check?done=published");
        let v1 = newest(&app, "tea-check").await;
        assert_eq!(v1.question(&vc).unwrap().text.vi, "Câu phiên bản một");

        // A respondent answers version 1.
        let first = app.browser();
        assert!(complete_survey(&first, &v1, "yes")
            .await
            .ends_with("/thanks"));

        // Editing the live survey makes a draft version 2; version 1 stays as answered.
        let res = admin
            .post(
                &format!("/admin/surveys/tea-check/q/{vc}"),
                &question_form(&v1, &vc, "Câu phiên bản hai", "Version two item"),
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let draft = app
            .store
            .newest_version("tea-check")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(draft.version, 2);
        // The builder's "reverse-keyed" box marks a bond item; the list shows it.
        let mut reversed = question_form(&v1, &vc, "Câu phiên bản hai", "Version two item");
        reversed.push(("reverse".into(), "1".into()));
        let res = admin
            .post(&format!("/admin/surveys/tea-check/q/{vc}"), &reversed)
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(
            newest(&app, "tea-check")
                .await
                .question(&vc)
                .unwrap()
                .reverse
        );
        assert!(
            !v1.question(&vc).unwrap().reverse,
            "version 1 keeps its items"
        );
        let builder = admin
            .get("/admin/surveys/tea-check")
            .await
            .text()
            .await
            .unwrap();
        assert!(builder.contains("Đang sửa bản nháp phiên bản 2"));
        assert!(
            builder.contains("đảo chiều"),
            "the reverse-keyed tag is shown"
        );
        // The public survey still serves version 1 until version 2 is published.
        let second = app.browser();
        second.start("tea-check").await;
        let page = second.get("/s/tea-check/p/1").await.text().await.unwrap();
        let vc_page = v1.position_of(&vc).unwrap().page;
        if vc_page == 0 {
            assert!(page.contains("Câu phiên bản một"));
        }
        admin.post("/admin/surveys/tea-check/publish", &[]).await;
        let v2 = newest(&app, "tea-check").await;
        let third = app.browser();
        assert!(complete_survey(&third, &v2, "no")
            .await
            .ends_with("/thanks"));

        // Both versions are counted, each response with the questions it answered.
        let survey = app
            .store
            .survey_by_slug("tea-check")
            .await
            .unwrap()
            .unwrap();
        let counts: Vec<(i64, i64)> = app
            .store
            .versions(survey.id)
            .await
            .unwrap()
            .iter()
            .map(|v| (v.version, v.completed))
            .collect();
        assert_eq!(counts, vec![(2, 1), (1, 1)]);
        let responses = app.store.completed_responses(survey.id, 10).await.unwrap();
        let v1_response = responses.iter().find(|r| r.version == 1).unwrap().id;
        let shown = admin
            .get(&format!("/admin/surveys/tea-check/responses/{v1_response}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(shown.contains("Câu phiên bản một") && !shown.contains("Câu phiên bản hai"));

        // Close and reopen.
        admin
            .post(
                "/admin/surveys/tea-check/status",
                &form(&[("status", "closed")]),
            )
            .await;
        assert_eq!(
            app.browser().get("/s/tea-check").await.status(),
            StatusCode::GONE
        );
        admin
            .post(
                "/admin/surveys/tea-check/status",
                &form(&[("status", "open")]),
            )
            .await;
        assert_eq!(
            app.browser().get("/s/tea-check").await.status(),
            StatusCode::OK
        );

        // The audit log names who did what.
        let audit = admin.get("/admin/audit").await.text().await.unwrap();
        for action in [
            "brand_created",
            "survey_created_bond_check",
            "survey_edited",
            "draft_created",
            "published",
            "closed",
            "reopened",
        ] {
            assert!(
                audit.contains(action),
                "{action} in the audit log ({backend:?})"
            );
        }
        assert!(audit.contains("admin@example.vn"));

        // JSON export, then import on another instance: the same survey.
        let exported = admin
            .get("/admin/surveys/tea-check/export")
            .await
            .text()
            .await
            .unwrap();
        let other = TestApp::spawn(backend).await;
        let other_admin = admin_on(&other).await;
        let res = other_admin
            .post("/admin/import", &form(&[("json", &exported)]))
            .await;
        assert_eq!(location(&res), "/admin/surveys/tea-check");
        assert_eq!(
            newest(&other, "tea-check").await,
            SurveyDefinition::parse(&exported).unwrap()
        );
        assert_eq!(newest(&other, "tea-check").await, v2);
        other.finish().await;
        app.finish().await;
    }
}

async fn admin_on(app: &TestApp) -> Browser {
    admin(app).await
}

#[tokio::test]
async fn the_checker_blocks_publishing_and_edits_refuse_what_would_break_the_draft() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = admin(&app).await;
        let res = admin
            .post(
                "/admin/brands/terra-outdoor/surveys",
                &form(&[("slug", "blank-one"), ("start", "blank")]),
            )
            .await;
        assert_eq!(location(&res), "/admin/surveys/blank-one");
        let res = admin
            .post(
                "/admin/surveys/blank-one/edit",
                &form(&[
                    ("op", "add_question"),
                    ("page", "0"),
                    ("kind", "agree7"),
                    ("key", "vc_1"),
                ]),
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        // The same key twice is refused with the reason; the draft is unchanged.
        let res = admin
            .post(
                "/admin/surveys/blank-one/edit",
                &form(&[
                    ("op", "add_question"),
                    ("page", "0"),
                    ("kind", "agree7"),
                    ("key", "vc_1"),
                ]),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("Mã này đã được dùng"));
        assert_eq!(newest(&app, "blank-one").await.questions().count(), 1);

        let res = admin.post("/admin/surveys/blank-one/publish", &[]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Chưa xuất bản"));
        let survey = app
            .store
            .survey_by_slug("blank-one")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(survey.live_version_id, None);
        assert_eq!(
            app.browser().get("/s/blank-one").await.status(),
            StatusCode::NOT_FOUND
        );
        // Move, then delete.
        admin
            .post(
                "/admin/surveys/blank-one/edit",
                &form(&[("op", "add_page")]),
            )
            .await;
        admin
            .post(
                "/admin/surveys/blank-one/edit",
                &form(&[("op", "move_question"), ("key", "vc_1"), ("dir", "down")]),
            )
            .await;
        let def = newest(&app, "blank-one").await;
        assert_eq!(def.pages[1].questions[0].key, "vc_1");
        admin
            .post(
                "/admin/surveys/blank-one/edit",
                &form(&[("op", "delete_question"), ("key", "vc_1")]),
            )
            .await;
        assert_eq!(newest(&app, "blank-one").await.questions().count(), 0);
        // Unknown operations and pages are bad requests, not server errors.
        let res = admin
            .post("/admin/surveys/blank-one/edit", &form(&[("op", "explode")]))
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let res = admin
            .post(
                "/admin/surveys/blank-one/edit",
                &form(&[("op", "delete_page"), ("page", "99")]),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // The Brand Bond Check block added to the blank survey; its two empty pages still
        // block publishing until they are removed; then it publishes.
        let edit = |op: &'static str, page: &'static str| form(&[("op", op), ("page", page)]);
        let res = admin
            .post("/admin/surveys/blank-one/edit", &edit("add_bond_check", ""))
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = admin
            .post("/admin/surveys/blank-one/edit", &edit("add_bond_check", ""))
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "the block's keys are taken now"
        );
        let res = admin.post("/admin/surveys/blank-one/publish", &[]).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty pages remain"
        );
        for _ in 0..2 {
            let res = admin
                .post("/admin/surveys/blank-one/edit", &edit("delete_page", "0"))
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
        }
        // It was created without a title: missing text is an error too.
        let settings = form(&[
            ("op", "settings"),
            ("title_vi", "Khảo sát"),
            ("title_en", "Survey"),
            ("bond_threshold", "5"),
        ]);
        let res = admin.post("/admin/surveys/blank-one/edit", &settings).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let findings = check(&newest(&app, "blank-one").await);
        assert!(findings.is_empty(), "{findings:?}");
        // A draft saved again after it was checked is not published unchecked.
        let checked = app
            .store
            .newest_version("blank-one")
            .await
            .unwrap()
            .unwrap();
        let retitled = form(&[
            ("op", "settings"),
            ("title_vi", "Khảo sát mới"),
            ("title_en", "New survey"),
            ("bond_threshold", "5"),
        ]);
        let res = admin.post("/admin/surveys/blank-one/edit", &retitled).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let who = valuebond::db::Actor {
            user_id: None,
            email: String::new(),
        };
        assert_eq!(
            app.store.publish_draft(&checked, &who).await.unwrap(),
            valuebond::db::Published::ChangedMeanwhile
        );
        let res = admin.post("/admin/surveys/blank-one/publish", &[]).await;
        assert_eq!(location(&res), "/admin/surveys/blank-one?done=published");
        assert_eq!(
            app.browser().get("/s/blank-one").await.status(),
            StatusCode::OK
        );
        let res = admin.post("/admin/surveys/blank-one/publish", &[]).await;
        assert_eq!(
            location(&res),
            "/admin/surveys/blank-one?done=live",
            "nothing left to publish"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn invite_links_are_single_use_and_one_response_per_browser_holds() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = admin(&app).await;
        let res = admin
            .post(
                "/admin/surveys/terra-bond/distribution",
                &form(&[("invite_only", "1"), ("one_per_browser", "1")]),
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            app.browser().get("/s/terra-bond").await.status(),
            StatusCode::FORBIDDEN
        );
        let home = app.browser().get("/").await.text().await.unwrap();
        assert!(
            !home.contains("/s/terra-bond") && home.contains("/s/moto-freedom"),
            "the home page lists public surveys only"
        );

        let res = admin
            .post(
                "/admin/surveys/terra-bond/invites",
                &form(&[("count", "3")]),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        let links: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap())
            .collect();
        assert_eq!(links.len(), 3);
        assert_eq!(app.store.count_rows("invites").await.unwrap(), 3);
        let path = |link: &str| link[link.find("/s/").unwrap()..].to_string();

        // The first browser uses invite 1 and starts; a second browser cannot reuse it.
        let first = app.browser();
        let intro = first.get(&path(links[0])).await;
        assert_eq!(intro.status(), StatusCode::OK);
        let html = intro.text().await.unwrap();
        let start = form(&[
            ("token", &common::hidden_value(&html, "token").unwrap()),
            ("invite", &common::hidden_value(&html, "invite").unwrap()),
        ]);
        let res = first.post("/s/terra-bond/start", &start).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            app.store
                .invite_counts(
                    app.store
                        .survey_by_slug("terra-bond")
                        .await
                        .unwrap()
                        .unwrap()
                        .id
                )
                .await
                .unwrap()
                .used,
            1
        );
        let second = app.browser();
        assert_eq!(second.get(&path(links[0])).await.status(), StatusCode::GONE);
        // A start without an invite is refused on an invite-only survey.
        let res = second
            .post(
                "/s/terra-bond/start",
                &form(&[("token", &valuebond::tokens::new_token())]),
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // Unknown invite tokens are not found.
        assert_eq!(
            second
                .get("/s/terra-bond/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .await
                .status(),
            StatusCode::NOT_FOUND
        );

        // One response per browser: a browser that completed one may not start again.
        admin
            .post(
                "/admin/surveys/terra-bond/distribution",
                &form(&[("one_per_browser", "1")]),
            )
            .await;
        let done = app.browser();
        assert_eq!(
            done.get_with("/s/terra-bond", ("cookie", "vb_done=1"))
                .await
                .status(),
            StatusCode::CONFLICT
        );
        assert_eq!(done.get("/s/terra-bond").await.status(), StatusCode::OK);
        admin
            .post("/admin/surveys/terra-bond/distribution", &form(&[]))
            .await;
        assert_eq!(
            done.get_with("/s/terra-bond", ("cookie", "vb_done=1"))
                .await
                .status(),
            StatusCode::OK
        );

        // The QR code of the public link.
        let qr = admin.get("/admin/surveys/terra-bond/qr.svg").await;
        assert_eq!(qr.status(), StatusCode::OK);
        assert_eq!(qr.headers()["content-type"], "image/svg+xml");
        assert!(qr.text().await.unwrap().contains("<svg"));
        app.finish().await;
    }
}

/// Every authoring endpoint: anonymous → sign-in, manager → not found, nothing changed.
#[tokio::test]
async fn only_admins_reach_the_authoring_tool() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        common::create_manager(&app, "terra@example.vn", PASSWORD, "terra-outdoor").await;
        let manager = app.browser();
        manager.login("terra@example.vn", PASSWORD).await;
        let anonymous = app.browser();
        let gets = [
            "/admin",
            "/admin/audit",
            "/admin/import",
            "/admin/brands/new",
            "/admin/brands/terra-outdoor",
            "/admin/surveys/terra-bond",
            "/admin/surveys/terra-bond/q/vc_1",
            "/admin/surveys/terra-bond/export",
            "/admin/surveys/terra-bond/qr.svg",
            "/admin/surveys/terra-bond/preview",
            "/admin/surveys/terra-bond/responses",
            "/admin/surveys/terra-bond/responses/1",
        ];
        let posts = [
            "/admin/brands",
            "/admin/brands/terra-outdoor",
            "/admin/brands/terra-outdoor/surveys",
            "/admin/surveys/terra-bond/edit",
            "/admin/surveys/terra-bond/q/vc_1",
            "/admin/surveys/terra-bond/publish",
            "/admin/surveys/terra-bond/status",
            "/admin/surveys/terra-bond/duplicate",
            "/admin/surveys/terra-bond/distribution",
            "/admin/surveys/terra-bond/invites",
            "/admin/surveys/terra-bond/preview",
            "/admin/import",
            "/admin/users/1/brands",
        ];
        let before = (
            app.store.count_rows("surveys").await.unwrap(),
            app.store.count_rows("audit_log").await.unwrap(),
        );
        let body = form(&[
            ("status", "closed"),
            ("slug", "stolen"),
            ("count", "5"),
            ("op", "add_page"),
            ("name", "X"),
        ]);
        for path in gets {
            let res = anonymous.get(path).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "anonymous GET {path}");
            assert!(location(&res).starts_with("/login?next="), "GET {path}");
            assert_eq!(
                manager.get(path).await.status(),
                StatusCode::NOT_FOUND,
                "manager GET {path} ({backend:?})"
            );
        }
        for path in posts {
            let res = anonymous.post(path, &body).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "anonymous POST {path}");
            assert!(location(&res).starts_with("/login?next="), "POST {path}");
            assert_eq!(
                manager.post(path, &body).await.status(),
                StatusCode::NOT_FOUND,
                "manager POST {path} ({backend:?})"
            );
        }
        let after = (
            app.store.count_rows("surveys").await.unwrap(),
            app.store.count_rows("audit_log").await.unwrap(),
        );
        assert_eq!(before, after, "nothing changed");
        assert_eq!(
            app.store
                .survey_by_slug("terra-bond")
                .await
                .unwrap()
                .unwrap()
                .status,
            valuebond::db::SurveyStatus::Open
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn an_admin_changes_which_brands_a_manager_reads() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = admin(&app).await;
        let manager_id =
            common::create_manager(&app, "terra@example.vn", PASSWORD, "terra-outdoor").await;
        let moto = app
            .store
            .brand_by_slug("tudo-motor")
            .await
            .unwrap()
            .unwrap();
        let manager = app.browser();
        manager.login("terra@example.vn", PASSWORD).await;
        assert_eq!(
            manager.get("/reports/moto-freedom").await.status(),
            StatusCode::NOT_FOUND
        );

        let path = format!("/admin/users/{manager_id}/brands");
        // At least one brand: an empty choice is refused and changes nothing.
        assert_eq!(
            admin.post(&path, &[]).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            manager.get("/reports/terra-bond").await.status(),
            StatusCode::OK
        );
        let res = admin
            .post(&path, &form(&[("brand", &moto.id.to_string())]))
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        // The manager's session sees the change at once.
        assert_eq!(
            manager.get("/reports/moto-freedom").await.status(),
            StatusCode::OK
        );
        assert_eq!(
            manager.get("/reports/terra-bond").await.status(),
            StatusCode::NOT_FOUND
        );
        // Admins have no brand list to change.
        let admin_id = app
            .store
            .list_users()
            .await
            .unwrap()
            .iter()
            .find(|(u, _)| u.email == "admin@example.vn")
            .unwrap()
            .0
            .id;
        let res = admin
            .post(
                &format!("/admin/users/{admin_id}/brands"),
                &form(&[("brand", &moto.id.to_string())]),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        app.finish().await;
    }
}

/// Admins editing one draft at the same moment: every edit lands (no lost update).
#[tokio::test]
async fn concurrent_edits_of_one_draft_all_land() {
    for backend in common::backends() {
        let app = TestApp::spawn(backend).await;
        let admin = admin(&app).await;
        let res = admin
            .post(
                "/admin/brands/terra-outdoor/surveys",
                &form(&[("slug", "busy-one"), ("start", "blank")]),
            )
            .await;
        assert_eq!(location(&res), "/admin/surveys/busy-one");
        let edits: Vec<_> = (0..10)
            .map(|i| {
                let admin = admin.clone();
                tokio::spawn(async move {
                    let key = format!("q_{i}");
                    let body = form(&[
                        ("op", "add_question"),
                        ("page", "0"),
                        ("kind", "agree7"),
                        ("key", &key),
                    ]);
                    admin
                        .post("/admin/surveys/busy-one/edit", &body)
                        .await
                        .status()
                })
            })
            .collect();
        for edit in edits {
            assert_eq!(edit.await.unwrap(), StatusCode::SEE_OTHER);
        }
        let def = newest(&app, "busy-one").await;
        let mut keys: Vec<&str> = def.questions().map(|q| q.key.as_str()).collect();
        keys.sort();
        assert_eq!(
            keys,
            (0..10).map(|i| format!("q_{i}")).collect::<Vec<_>>(),
            "{backend:?}"
        );
        app.finish().await;
    }
}
