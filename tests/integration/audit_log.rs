//! The audit log: a row for every login (ok and failed), logout and delete,
//! written in the request itself; a delete refused when its row cannot be
//! written; the admin page and its CSV and JSON-lines exports; retention.

use sqlx::Connection;

use crate::pages::text;
use crate::support::{Browser, Env, ADMIN, VIEWER};

/// The whole log as JSON lines, read through the admin export.
async fn exported(admin: &Browser, filter: &str) -> Vec<serde_json::Value> {
    let page = admin
        .get(&format!("/admin/audit/export?format=jsonl{filter}"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn database_flag(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}/berth.db", dir.path().display())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_logouts_and_deletes_are_recorded_with_who_where_and_what() {
    let env = Env::start(true, &[]).await;
    let stranger = env.berth.client();
    assert_eq!(stranger.login(ADMIN.0, "wrong").await.status, 303);
    let admin = env.admin().await;
    let csrf = admin.csrf().await;
    let digest = env.content.alpine_320.digest.clone();
    // The tag list is cached by opening it, as a user would before deleting.
    assert_eq!(admin.get("/r/library/alpine").await.status, 200);
    let r = admin
        .delete_via("/actions/delete", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let viewer = env.viewer().await;
    let viewer_csrf = viewer.csrf().await;
    assert_eq!(
        viewer
            .post_form("/auth/logout", &[("csrf", &viewer_csrf)])
            .await
            .status,
        303
    );

    let rows = exported(&admin, "").await;
    let actions: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_string(),
                r["user"].as_str().unwrap().to_string(),
                r["result"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Newest first.
    let expect = |a: &str, u: &str, res: &str| (a.to_string(), u.to_string(), res.to_string());
    assert_eq!(
        actions,
        [
            expect("logout", VIEWER.0, "ok"),
            expect("login", VIEWER.0, "ok"),
            expect("delete", ADMIN.0, "ok"),
            expect("login", ADMIN.0, "ok"),
            expect("login", ADMIN.0, "failed"),
        ]
    );
    let delete = &rows[2];
    assert_eq!(delete["repository"], "library/alpine");
    assert_eq!(delete["digest"], digest.as_str());
    assert_eq!(delete["tags"], serde_json::json!(["3.20", "latest"]));
    for row in &rows {
        assert_eq!(row["client_ip"], "127.0.0.1");
        let id = row["request_id"].as_str().unwrap();
        assert_eq!(id.len(), 16, "a request id: {id}");
    }
    // Each request has its own id.
    assert_ne!(rows[0]["request_id"], rows[1]["request_id"]);

    // Filters: by action, by user; the page shows the same rows.
    let logins = exported(&admin, "&action=login").await;
    assert_eq!(logins.len(), 3);
    let admin_deletes = exported(&admin, &format!("&action=delete&user={}", ADMIN.0)).await;
    assert_eq!(admin_deletes.len(), 1);
    let page = admin.get("/admin/audit?action=delete").await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    assert!(t.contains("1 entry"), "{t}");
    assert!(
        t.contains("library/alpine") && t.contains("3.20, latest"),
        "{t}"
    );
    assert!(page.body.contains("data-action=\"delete\""));
    assert!(!page.body.contains("data-action=\"login\""));

    // CSV: a header and one line per row.
    let csv = admin.get("/admin/audit/export?format=csv").await;
    assert_eq!(csv.status, 200);
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some("id,time,user,client_ip,request_id,action,repository,tags,digest,result,detail")
    );
    assert_eq!(lines.count(), 5);

    // Compressed, as browsers ask for it: the stream ends cleanly (the
    // compression layer polls it past its end).
    let cookie = crate::support::session_cookie(&env.berth.url, ADMIN).await;
    let gz = reqwest::Client::new()
        .get(format!("{}/admin/audit/export?format=jsonl", env.berth.url))
        .header("cookie", cookie)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.status(), 200);
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert!(!gz.bytes().await.expect("the whole body").is_empty());

    // Bad filters are the caller's mistake.
    assert_eq!(
        admin.get("/admin/audit/export?format=xml").await.status,
        400
    );
    assert_eq!(
        admin
            .get("/admin/audit/export?since=yesterday")
            .await
            .status,
        400
    );
    assert_eq!(admin.get("/admin/audit?since=yesterday").await.status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_read_the_audit_log() {
    let env = Env::start(false, &[]).await;
    let viewer = env.viewer().await;
    let refused = viewer.get("/admin/audit").await;
    assert_eq!(refused.status, 403);
    // Nothing to fill in on a page that shows nothing; an admin has the form.
    assert!(!refused.body.contains("data-testid=\"audit-filter\""));
    let admin = env.admin().await.get("/admin/audit").await;
    assert!(admin.body.contains("data-testid=\"audit-filter\""));
    assert_eq!(
        viewer.get("/admin/audit/export?format=csv").await.status,
        403
    );
    assert_eq!(viewer.post_api("/api/get_audit_log", &[]).await.status, 403);
    // Logged out: the page sends you to log in, the export answers 401 or
    // redirects, never data.
    let nobody = env.berth.client();
    let page = nobody.get("/admin/audit").await;
    assert_eq!(page.status, 303);
    let export = nobody.get("/admin/audit/export?format=csv").await;
    assert!(matches!(export.status, 303 | 401), "{}", export.status);
    assert!(!export.body.contains("login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_is_refused_when_its_audit_row_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_flag(&dir);
    let env = Env::start(true, &["--database-url", &url]).await;
    let admin = env.admin().await;
    let csrf = admin.csrf().await;

    // Break the audit table behind Berth's back.
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("ALTER TABLE audit_log RENAME TO audit_log_gone")
        .execute(&mut conn)
        .await
        .unwrap();

    let digest = env.content.alpine_320.digest.clone();
    let form = admin
        .delete_via("/actions/delete", "library/alpine", &digest, &csrf)
        .await;
    assert_eq!(form.status, 303);
    assert_eq!(
        form.location.as_deref(),
        Some("/r/library/alpine?deleted=0&delete_error=unavailable")
    );
    let api = admin
        .post_api(
            "/api/delete_manifest",
            &[
                ("repository", "library/alpine"),
                ("digest", &digest),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(api.status, 503, "{}", api.body);
    assert!(api.body.contains("audit log"), "{}", api.body);

    // The image is still there: nothing was deleted without a record.
    let page = admin.get("/r/library/alpine").await;
    assert!(page.body.contains(&digest[7..19]), "{}", page.body);
    let shown = admin
        .get("/r/library/alpine?deleted=0&delete_error=unavailable")
        .await;
    assert!(
        text(&shown.body).contains("audit log"),
        "{}",
        text(&shown.body)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_past_the_retention_are_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_flag(&dir);
    // A first start makes the tables; a row from two days ago is added.
    let env = Env::start(false, &["--database-url", &url]).await;
    let first = env.admin().await;
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let two_days_ago = chrono_ms() - 2 * 86_400_000;
    sqlx::query("INSERT INTO audit_log (at_ms, username, client_ip, request_id, action, result) VALUES ($1, 'old', '1.2.3.4', 'x', 'login', 'ok')")
        .bind(two_days_ago)
        .execute(&mut conn)
        .await
        .unwrap();
    // The row is in the export while the default keeps it.
    let rows = exported(&first, "").await;
    assert!(rows.iter().any(|r| r["user"] == "old"), "{rows:?}");
    drop(env);

    // Kept for a day: the old row goes at start, today's stay.
    let env = Env::start(false, &["--database-url", &url, "--audit-days", "1"]).await;
    let admin = env.admin().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let rows = exported(&admin, "").await;
        if rows.iter().all(|r| r["user"] != "old") {
            assert!(rows.iter().any(|r| r["user"] == ADMIN.0));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the old row is still there"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

fn chrono_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}
