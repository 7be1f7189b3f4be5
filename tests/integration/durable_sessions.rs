//! Sessions live in the database: a login survives a restart of Berth, a
//! logout ends it for good, and the database never holds a password in
//! clear (in `registry` mode a session keeps the user's registry password,
//! sealed with the secret key) nor a session id a browser could present.

use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::{get_with_cookie, session_cookie, TestBerth, ADMIN};

async fn status_with(base: &str, cookie: &str, path: &str) -> u16 {
    get_with_cookie(base, path, cookie).await.status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_survives_a_restart_and_the_database_holds_no_password() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("berth.db");
    let url = format!("sqlite://{}", db.display());
    let mut flags = registry.registry_mode_flags();
    flags.extend(["--database-url", url.as_str()]);

    let first = TestBerth::start(&flags).await;
    let cookie = session_cookie(&first.url, ADMIN).await;
    assert_eq!(status_with(&first.url, &cookie, "/").await, 200);
    drop(first);

    // A new process on the same database: the same cookie still works, and
    // the registry password it needs was opened from the sealed copy.
    let second = TestBerth::start(&flags).await;
    assert_eq!(status_with(&second.url, &cookie, "/").await, 200);
    assert_eq!(
        status_with(&second.url, &cookie, "/r/library/alpine").await,
        404
    );

    // Everything the database holds, byte by byte (the file and its
    // write-ahead log): the password never appears, the username does.
    let mut bytes = Vec::new();
    for name in ["berth.db", "berth.db-wal"] {
        if let Ok(b) = std::fs::read(dir.path().join(name)) {
            bytes.extend(b);
        }
    }
    let holds = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        !holds(ADMIN.1),
        "the registry password is in the database in clear"
    );
    // Nor a live session id: the cookie's value is nowhere in the file.
    let session_id = cookie
        .split(';')
        .next()
        .and_then(|c| c.split_once('='))
        .map(|(_, v)| v.trim())
        .expect("cookie value");
    assert!(session_id.len() >= 16, "{cookie}");
    assert!(!holds(session_id), "a live session id is in the database");
    assert!(
        holds(ADMIN.0) || holds("xc1:"),
        "sessions are stored in this file"
    );
    // The key was made beside the database, for its owner only.
    let key = dir.path().join("secret.key");
    assert!(key.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    drop(second);

    // A process with another key refuses to start on this database, with
    // one line that names the setting, instead of logging everyone out.
    let mut other_key: Vec<&str> = vec![
        "berth",
        "--listen",
        "127.0.0.1:0",
        "--cookie-secure",
        "false",
    ];
    other_key.extend_from_slice(&flags);
    other_key.extend([
        "--secret-key",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    ]);
    let settings = <berth::server::config::Config as clap::Parser>::try_parse_from(other_key)
        .unwrap()
        .validate()
        .unwrap();
    let options = berth::server::router::leptos_options(&settings);
    let refused = match berth::server::router::build(settings, options).await {
        Ok(_) => panic!("a second key was accepted"),
        Err(e) => e,
    };
    assert!(refused.contains("BERTH_SECRET_KEY"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logout_ends_the_session_in_the_database() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/berth.db", dir.path().display());
    let flags = [
        "--registry-url",
        registry.url.as_str(),
        "--auth",
        "registry",
        "--database-url",
        url.as_str(),
    ];
    let berth = TestBerth::start(&flags).await;
    let b = berth.client();
    assert_eq!(b.login(ADMIN.0, ADMIN.1).await.status, 303);
    let csrf = b.csrf().await;
    assert_eq!(
        b.post_form("/auth/logout", &[("csrf", &csrf)]).await.status,
        303
    );

    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "the logged-out session was deleted");
}

#[test]
fn migrate_creates_the_schema_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/data/berth.db", dir.path().display());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(["migrate", "--database-url", &url])
        .env_clear()
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let tables: Vec<String> = rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&pool)
            .await
            .unwrap()
    });
    for t in ["berth_meta", "tower_sessions", "_sqlx_migrations"] {
        assert!(tables.iter().any(|n| n == t), "{t} missing from {tables:?}");
    }
    // A database URL of another kind is refused with one clear line.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_berth"))
        .args([
            "--registry-url",
            "http://r:5000",
            "--database-url",
            "mysql://x/y",
        ])
        .env_clear()
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("BERTH_DATABASE_URL"));
}
