//! Retention from the admin page, against a real registry:2: a policy
//! written in the form (a bad one comes back with what is wrong), a dry run
//! whose plan is the one the command line prints, a stale apply refused, a
//! reviewed apply carried out and audited under the admin's name, and none
//! of it for a viewer. Then two replicas on one PostgreSQL with a schedule:
//! the scheduled time runs once.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::retention::{image, push_all, resolve, REPO};
use crate::support::index::{database_url, indexed_flags, open, synced};
use crate::support::postgres::TestPostgres;
use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::{Browser, TestBerth, ADMIN, VIEWER};

/// The value of the first `attr="…"` in `html`.
fn attr<'a>(html: &'a str, attr: &str) -> Option<&'a str> {
    let marker = format!("{attr}=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(&html[start..end])
}

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..start + 64].to_string()
}

/// Starts a run with the form and follows its page until it ends; returns
/// the run's path and its last page.
async fn run(b: &Browser, fields: &[(&str, &str)]) -> (String, String) {
    let started = b.post_form("/actions/retention/run", fields).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let path = started.location.expect("the run's page");
    assert!(path.starts_with("/admin/retention/runs/"), "{path}");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let page = b.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let status = attr(&page.body, "data-status")
            .expect("a status")
            .to_string();
        if status != "running" {
            return (path, page.body);
        }
        assert!(
            page.body.contains("http-equiv=\"refresh\""),
            "a running run's page reloads itself"
        );
        assert!(Instant::now() < deadline, "the run did not end");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn plan_json(b: &Browser, run_path: &str) -> Value {
    let page = b.get(&format!("{run_path}/plan.json")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

fn deleted_tags(plan: &Value) -> BTreeSet<String> {
    plan["policies"][0]["repositories"][0]["delete"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["tag"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_writes_a_policy_dry_runs_it_and_applies_only_the_reviewed_plan() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    let before = push_all(&registry, &p).await;
    let db_url = database_url();
    let mut flags = indexed_flags(&registry, &db_url);
    flags.extend(["--protected-tags", "latest,release-*"]);
    let berth = TestBerth::start(&flags).await;
    let db = open(&db_url).await;
    synced(&db, 1).await;
    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    let viewer = berth.client();
    assert_eq!(viewer.login(VIEWER.0, VIEWER.1).await.status, 303);

    // A viewer sees none of it, and cannot write or run anything.
    let page = viewer.get("/admin/retention").await;
    assert_eq!(page.status, 403);
    assert!(!viewer.get("/").await.body.contains("/admin/retention"));
    let viewer_csrf = viewer.csrf().await;
    for action in ["/actions/retention/policy", "/actions/retention/run"] {
        let resp = viewer
            .post_form(
                action,
                &[("csrf", &viewer_csrf), ("name", "x"), ("repositories", "*")],
            )
            .await;
        assert_eq!(resp.status, 403, "{action}");
    }
    assert!(db.retention_policies().await.unwrap().is_empty());

    let page = admin.get("/admin/retention").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-testid=\"retention-empty\""));
    assert!(
        page.body
            .contains("never deleted by a policy or from the UI: latest, release-*"),
        "protected tags are named"
    );
    let csrf = csrf_of(&page.body);

    // A mistake comes back with the form as typed and what is wrong.
    let bad = admin
        .post_form(
            "/actions/retention/policy",
            &[
                ("csrf", &csrf),
                ("name", "ci-builds"),
                ("repositories", "team-a/["),
            ],
        )
        .await;
    assert_eq!(bad.status, 303);
    let again = admin.get(bad.location.as_deref().unwrap()).await;
    assert!(
        again.body.contains("repositories is not a valid glob"),
        "{}",
        again.body
    );
    assert!(again.body.contains("value=\"team-a/[\""));

    // A form without its token changes nothing.
    let forged = admin
        .post_form(
            "/actions/retention/policy",
            &[("csrf", "x"), ("name", "evil"), ("repositories", "**")],
        )
        .await;
    assert_eq!(forged.status, 403);

    let saved = admin
        .post_form(
            "/actions/retention/policy",
            &[
                ("csrf", &csrf),
                ("name", "ci-builds"),
                ("repositories", "team-a/**"),
                ("tags", "main-*"),
                ("tags_kind", "glob"),
                ("keep_last", "10"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = admin.get(saved.location.as_deref().unwrap()).await;
    assert!(page.body.contains("data-policy=\"ci-builds\""));
    assert!(page.body.contains("the 10 most recently pushed"));

    // The dry run: the plan the command line gives.
    let (path, html) = run(&admin, &[("csrf", &csrf), ("policy", "ci-builds")]).await;
    assert_eq!(attr(&html, "data-status"), Some("done"), "{html}");
    let plan = plan_json(&admin, &path).await;
    let sig_of = |tag: &str| format!("{}.sig", before[tag].replacen(':', "-", 1));
    let mut expected: BTreeSet<String> = (0..36)
        .filter(|n| *n != 5)
        .map(|n| format!("main-{n:03}"))
        .collect();
    expected.insert(sig_of("main-002"));
    assert_eq!(deleted_tags(&plan), expected);
    assert!(html.contains("shares its digest with kept tag v0.9.0"));
    assert!(html.contains("data-testid=\"apply-form\""));
    let old_hash = plan["plan_hash"].as_str().unwrap().to_string();
    assert!(html.contains(&old_hash));
    // A viewer cannot read it either.
    assert_eq!(viewer.get(&path).await.status, 403);
    assert_eq!(viewer.get(&format!("{path}/plan.json")).await.status, 403);

    // A push after the review: the apply is refused and shows the new plan.
    p.push_image(REPO, "main-046", &image("main-046", 70))
        .await
        .unwrap();
    let (path, html) = run(
        &admin,
        &[
            ("csrf", &csrf),
            ("policy", "ci-builds"),
            ("plan_hash", &old_hash),
        ],
    )
    .await;
    assert_eq!(attr(&html, "data-status"), Some("stale"), "{html}");
    assert!(html.contains("data-testid=\"run-stale\""));
    for (tag, digest) in &before {
        assert_eq!(
            resolve(&registry, tag).await.as_ref(),
            Some(digest),
            "{tag}"
        );
    }
    let new_plan = plan_json(&admin, &path).await;
    expected.insert("main-036".into());
    assert_eq!(deleted_tags(&new_plan), expected);
    let new_hash = new_plan["plan_hash"].as_str().unwrap().to_string();
    assert_ne!(new_hash, old_hash);

    // The new plan, reviewed and applied.
    let (path, html) = run(
        &admin,
        &[
            ("csrf", &csrf),
            ("policy", "ci-builds"),
            ("plan_hash", &new_hash),
        ],
    )
    .await;
    assert_eq!(attr(&html, "data-status"), Some("done"), "{html}");
    assert!(html.contains("37 of 37 manifests deleted"), "{html}");
    for (tag, digest) in &before {
        let now = resolve(&registry, tag).await;
        if expected.contains(tag) {
            assert_eq!(now, None, "{tag} should be gone");
        } else {
            assert_eq!(now.as_ref(), Some(digest), "{tag} still at its digest");
        }
    }
    let rows = db
        .audit_rows(&Default::default(), None, 0, 200)
        .await
        .unwrap();
    let ours = rows
        .iter()
        .filter(|r| {
            r.username == ADMIN.0
                && r.action == "delete"
                && r.result == "ok"
                && r.detail == "retention policy \"ci-builds\""
        })
        .count();
    assert_eq!(ours, 37);
    // The report stays: the list links to it, and the page reads the same.
    let page = admin.get("/admin/retention").await;
    let link = path.clone();
    assert!(page.body.contains(&format!("href=\"{link}\"")));
    assert!(admin
        .get(&path)
        .await
        .body
        .contains("37 of 37 manifests deleted"));

    // The command line reads the policy written here.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_berth"))
        .env_clear()
        .args(indexed_flags(&registry, &db_url))
        .args(["retention", "run", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli["policies"][0]["name"], "ci-builds");
    assert!(deleted_tags(&cli).is_empty(), "nothing is left to delete");

    // Deleting the policy deletes no image.
    let gone = admin
        .post_form(
            "/actions/retention/delete-policy",
            &[("csrf", &csrf), ("name", "ci-builds"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(gone.status, 303);
    assert!(db.retention_policies().await.unwrap().is_empty());
    assert!(resolve(&registry, "v0.9.0").await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_run_a_scheduled_time_once() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    for n in 0..6u32 {
        let tag = format!("main-{n:03}");
        p.push_image(REPO, &tag, &image(&tag, n)).await.unwrap();
    }
    let pg = TestPostgres::start().await;
    let key = "7f3c1e5a9b2d4f6081a3c5e7092b4d6f8a1c3e5071921b3d5f7a9c1e3f5a7b9d";
    let mut flags = indexed_flags(&registry, &pg.url);
    flags.extend(["--secret-key", key]);
    let a = TestBerth::start(&flags).await;
    let b = TestBerth::start(&flags).await;
    let admin = a.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    let csrf = admin.csrf().await;

    // Once a day, at a second 15 s from now (UTC, seconds first).
    let at = chrono::Utc::now() + chrono::Duration::seconds(15);
    let schedule = at.format("%-S %-M %-H * * *").to_string();
    let saved = admin
        .post_form(
            "/actions/retention/policy",
            &[
                ("csrf", &csrf),
                ("name", "nightly"),
                ("repositories", REPO),
                ("keep_last", "2"),
                ("schedule", &schedule),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(saved.location.unwrap().contains("saved="));

    let db = open(&pg.url).await;
    let deadline = Instant::now() + Duration::from_secs(90);
    let finished = loop {
        let runs = db.retention_runs(10).await.unwrap();
        if let Some(r) = runs
            .iter()
            .find(|r| r.cause == "schedule" && r.status != "running")
        {
            break r.clone();
        }
        assert!(Instant::now() < deadline, "no scheduled run: {runs:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(finished.status, "done", "{finished:?}");
    assert_eq!((finished.total, finished.deleted), (4, 4));
    // Both replicas have looked again since (they look every 5 s).
    tokio::time::sleep(Duration::from_secs(12)).await;
    let scheduled: Vec<_> = db
        .retention_runs(10)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.cause == "schedule")
        .collect();
    assert_eq!(scheduled.len(), 1, "{scheduled:?}");
    let rows = db
        .audit_rows(&Default::default(), None, 0, 100)
        .await
        .unwrap();
    let deletes: Vec<_> = rows.iter().filter(|r| r.action == "delete").collect();
    assert_eq!(deletes.len(), 4, "{deletes:?}");
    assert!(deletes.iter().all(|r| r.result == "ok"
        && r.detail == "retention policy \"nightly\""
        && r.username == "berth retention (schedule)"));
    for n in 0..6 {
        let tag = format!("main-{n:03}");
        assert_eq!(resolve(&registry, &tag).await.is_some(), n >= 4, "{tag}");
    }
    // The report is on either replica's page.
    let other = b.client();
    assert_eq!(other.login(ADMIN.0, ADMIN.1).await.status, 303);
    let page = other
        .get(&format!("/admin/retention/runs/{}", finished.id))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("4 of 4 manifests deleted"),
        "{}",
        page.body
    );
}

/// The id at the end of a run's path.
fn run_id(path: &str) -> &str {
    path.rsplit('/').next().unwrap()
}

/// The audit rows of `action`, newest first, as (result, detail).
async fn audited(db: &berth::store::Database, action: &str) -> Vec<(String, String)> {
    db.audit_rows(&Default::default(), None, 0, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == action && r.username == ADMIN.0)
        .map(|r| (r.result, r.detail))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_changes_and_runs_are_audited_a_delete_is_confirmed_and_an_outdated_plan_is_not_applied(
) {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    for n in 0..4u32 {
        let tag = format!("main-{n:03}");
        p.push_image(REPO, &tag, &image(&tag, n)).await.unwrap();
    }
    let db_url = database_url();
    let berth = TestBerth::start(&indexed_flags(&registry, &db_url)).await;
    let db = open(&db_url).await;
    synced(&db, 1).await;
    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    let csrf = csrf_of(&admin.get("/admin/retention").await.body);
    let policy = |keep: &'static str, original: &'static str| {
        vec![
            ("name", "nightly"),
            ("original", original),
            ("repositories", "team-a/**"),
            ("tags", "main-*"),
            ("tags_kind", "glob"),
            ("keep_last", keep),
        ]
    };
    let save = |fields: Vec<(&'static str, &'static str)>| {
        let admin = &admin;
        let csrf = csrf.clone();
        async move {
            let mut all = vec![("csrf", csrf.as_str())];
            all.extend(fields);
            let resp = admin.post_form("/actions/retention/policy", &all).await;
            assert_eq!(resp.status, 303, "{}", resp.body);
            assert!(resp.location.unwrap().contains("saved="));
        }
    };

    // Created: audited under the admin's name with the policy's name.
    save(policy("3", "")).await;
    assert_eq!(
        audited(&db, "policy-create").await,
        vec![("ok".to_string(), "policy \"nightly\"".to_string())]
    );

    // A dry run is audited with its run; its page offers Apply.
    let (first, html) = run(&admin, &[("csrf", &csrf), ("policy", "nightly")]).await;
    assert_eq!(attr(&html, "data-status"), Some("done"), "{html}");
    assert!(html.contains("data-testid=\"apply-form\""), "{html}");
    assert!(!html.contains("data-testid=\"run-outdated\""));
    assert_eq!(
        audited(&db, "retention-dry-run").await,
        vec![(
            "ok".to_string(),
            format!("policy \"nightly\", run {}", run_id(&first))
        )]
    );
    let hash = plan_json(&admin, &first).await["plan_hash"]
        .as_str()
        .unwrap()
        .to_string();

    // Edited after that dry run: its page no longer offers Apply, says why,
    // and an apply sent from a page left open is refused.
    save(policy("1", "nightly")).await;
    assert_eq!(
        audited(&db, "policy-edit").await,
        vec![("ok".to_string(), "policy \"nightly\"".to_string())]
    );
    let page = admin.get(&first).await;
    assert!(page.body.contains("data-testid=\"run-outdated\""));
    assert!(page.body.contains("was changed after this dry run"));
    assert!(!page.body.contains("data-testid=\"apply-form\""));
    let refused = admin
        .post_form(
            "/actions/retention/run",
            &[
                ("csrf", &csrf),
                ("policy", "nightly"),
                ("plan_hash", &hash),
                ("run", run_id(&first)),
            ],
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    for n in 0..4u32 {
        assert!(resolve(&registry, &format!("main-{n:03}")).await.is_some());
    }
    assert!(audited(&db, "retention-apply").await.is_empty());

    // A fresh dry run of the edited policy is applied, and audited.
    let (second, html) = run(&admin, &[("csrf", &csrf), ("policy", "nightly")]).await;
    assert!(html.contains("data-testid=\"apply-form\""), "{html}");
    let hash = plan_json(&admin, &second).await["plan_hash"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, html) = run(
        &admin,
        &[
            ("csrf", &csrf),
            ("policy", "nightly"),
            ("plan_hash", &hash),
            ("run", run_id(&second)),
        ],
    )
    .await;
    assert!(html.contains("3 of 3 manifests deleted"), "{html}");
    assert!(resolve(&registry, "main-003").await.is_some());
    let applied = audited(&db, "retention-apply").await;
    assert_eq!(applied.len(), 1);
    assert_eq!(applied[0].0, "ok");
    assert!(
        applied[0].1.starts_with("policy \"nightly\", run "),
        "{applied:?}"
    );

    // The page asks before deleting a policy; a request without the
    // confirmation deletes nothing.
    let page = admin.get("/admin/retention").await;
    assert!(page.body.contains("data-testid=\"delete-policy\""));
    assert!(page.body.contains("Delete the policy “nightly”?"));
    let unconfirmed = admin
        .post_form(
            "/actions/retention/delete-policy",
            &[("csrf", &csrf), ("name", "nightly")],
        )
        .await;
    assert_eq!(unconfirmed.status, 400);
    assert_eq!(db.retention_policies().await.unwrap().len(), 1);
    assert!(audited(&db, "policy-delete").await.is_empty());
    let gone = admin
        .post_form(
            "/actions/retention/delete-policy",
            &[("csrf", &csrf), ("name", "nightly"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(gone.status, 303);
    assert!(db.retention_policies().await.unwrap().is_empty());
    assert_eq!(
        audited(&db, "policy-delete").await,
        vec![("ok".to_string(), "policy \"nightly\"".to_string())]
    );
    // The run page of a deleted policy offers no Apply either.
    let page = admin.get(&second).await;
    assert!(page.body.contains("was deleted after this dry run"));
    assert!(!page.body.contains("data-testid=\"apply-form\""));

    // The audit page filters by each of these actions.
    for action in [
        "policy-create",
        "policy-edit",
        "policy-delete",
        "retention-dry-run",
        "retention-apply",
    ] {
        let page = admin.get(&format!("/admin/audit?action={action}")).await;
        assert_eq!(page.status, 200, "{action}");
        assert!(
            page.body
                .contains(&format!("<option value=\"{action}\" selected")),
            "{action} is a filter"
        );
        assert!(page.body.contains(&format!("data-action=\"{action}\"")));
        for other in ["policy-create", "retention-apply", "delete"] {
            if other != action {
                assert!(
                    !page.body.contains(&format!("data-action=\"{other}\"")),
                    "{action} shows only its rows"
                );
            }
        }
    }
}
