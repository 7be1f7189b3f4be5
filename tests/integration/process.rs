//! The `berth` binary as an operator runs it: SIGTERM drains requests in
//! flight and exits 0; log lines are JSON or plain text (no colour codes
//! off a terminal), one per request with its id, and that id reaches the
//! registry; `BERTH_BASE_PATH` serves everything under a prefix.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use reqwest::redirect::Policy;

use crate::support::fake_server::{answer, FakeServer, DELAY_HEADER};
use crate::support::Browser;

/// A registry whose catalog answers after `catalog_delay_ms`.
async fn slow_registry(catalog_delay_ms: u64) -> FakeServer {
    FakeServer::start(move |seen, _| {
        let delay = catalog_delay_ms.to_string();
        if seen.target.starts_with("/v2/_catalog") {
            answer(
                200,
                &[("content-type", "application/json"), (DELAY_HEADER, &delay)],
                r#"{"repositories":["slow/app"]}"#,
            )
        } else if seen.target == "/v2/" {
            answer(
                200,
                &[("docker-distribution-api-version", "registry/2.0")],
                "{}",
            )
        } else {
            answer(
                404,
                &[("content-type", "application/json")],
                r#"{"errors":[]}"#,
            )
        }
    })
    .await
}

pub(crate) struct Process {
    pub(crate) child: Child,
    pub(crate) url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Process {
    /// Starts the binary with a clean environment plus `env`, and waits
    /// until `health` answers 200.
    pub(crate) async fn start(env: &[(&str, &str)], health: &str) -> Process {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let log = dir.path().join("berth.log");
        let out = std::fs::File::create(&log).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("BERTH_LISTEN", format!("127.0.0.1:{port}"))
            .env("BERTH_COOKIE_SECURE", "false")
            .env(
                "BERTH_DATABASE_URL",
                format!("sqlite://{}/berth.db", dir.path().display()),
            )
            .envs(env.iter().copied())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out)
            .spawn()
            .expect("berth binary");
        let url = format!("http://127.0.0.1:{port}");
        let mut p = Process {
            child,
            url,
            log,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = reqwest::get(format!("{}{health}", p.url)).await {
                if r.status() == 200 {
                    break;
                }
            }
            if let Ok(Some(status)) = p.child.try_wait() {
                panic!("berth exited with {status}: {}", p.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "berth did not come up: {}",
                p.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        p
    }

    pub(crate) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill")
            .success();
        assert!(ok, "kill -{name}");
    }

    /// Waits up to `limit` for the process to exit.
    async fn exit_code(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text_of(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_a_request_in_flight_and_exits_0_with_json_logs() {
    let registry = slow_registry(2_000).await;
    let mut berth = Process::start(
        &[
            ("BERTH_REGISTRY_URL", &registry.url),
            ("BERTH_AUTH", "none"),
            ("BERTH_LOG_FORMAT", "json"),
            // The registry's log must show this request's id alone.
            ("BERTH_INDEX_INTERVAL", "0"),
            // The test client plays the reverse proxy whose ids are kept.
            ("BERTH_TRUSTED_PROXIES", "127.0.0.1"),
        ],
        "/healthz",
    )
    .await;

    // A page whose catalog takes 2 s is in flight when SIGTERM arrives.
    let page = tokio::spawn({
        let url = format!("{}/", berth.url);
        async move {
            let resp = reqwest::Client::new()
                .get(url)
                .header("x-request-id", "trace-42.abc")
                .send()
                .await?;
            let status = resp.status().as_u16();
            let id = resp.headers().get("x-request-id").cloned();
            Ok::<_, reqwest::Error>((status, id, resp.text().await?))
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let signalled = Instant::now();
    berth.signal("TERM");
    // No new connection is taken while draining.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        reqwest::get(format!("{}/healthz", berth.url))
            .await
            .is_err(),
        "a new request was served after SIGTERM"
    );

    let (status, id, body) = page.await.expect("task").expect("the page in flight");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("slow/app"), "{body}");
    assert_eq!(
        id.as_ref().and_then(|v| v.to_str().ok()),
        Some("trace-42.abc")
    );
    let code = berth.exit_code(Duration::from_secs(15)).await;
    assert_eq!(code, Some(0), "{}", berth.log_text());
    assert!(signalled.elapsed() < Duration::from_secs(12));

    // The registry saw the same id on the catalog call made for the page.
    let catalog = registry
        .seen()
        .into_iter()
        .find(|s| s.target.starts_with("/v2/_catalog"))
        .expect("catalog call");
    assert_eq!(catalog.request_id.as_deref(), Some("trace-42.abc"));

    // One JSON line for the request, with its id, status and time.
    let log = text_of(&berth.log);
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let answered: Vec<_> = lines
        .iter()
        .filter(|l| l["message"] == "answered" && l["span"]["id"] == "trace-42.abc")
        .collect();
    assert_eq!(answered.len(), 1, "{log}");
    assert_eq!(answered[0]["status"], 200);
    assert_eq!(answered[0]["span"]["path"], "/");
    assert!(answered[0]["ms"].as_f64().unwrap() >= 1_000.0, "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_base_path_prefixes_links_assets_server_functions_and_redirects() {
    let registry = slow_registry(0).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let htpasswd = dir.path().join("htpasswd");
    let line = format!("ops:{}\n", bcrypt::hash("ops-pass", 4).expect("bcrypt"));
    std::fs::write(&htpasswd, line).expect("htpasswd");
    let berth = Process::start(
        &[
            ("BERTH_REGISTRY_URL", &registry.url),
            ("BERTH_AUTH", "htpasswd"),
            ("BERTH_HTPASSWD", htpasswd.to_str().unwrap()),
            ("BERTH_REGISTRY_USERNAME", "svc"),
            ("BERTH_REGISTRY_PASSWORD", "svc-pass"),
            ("BERTH_BASE_PATH", "/ui/"),
        ],
        "/ui/healthz",
    )
    .await;
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let get = |path: &str| http.get(format!("{}{path}", berth.url)).send();
    let location = |r: &reqwest::Response| {
        r.headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };

    // Outside the prefix: the root points in; nothing else is served.
    let root = get("/").await.unwrap();
    assert!(root.status().is_redirection());
    assert_eq!(location(&root), "/ui");
    assert_eq!(location(&get("/ui/").await.unwrap()), "/ui");
    assert_eq!(get("/healthz").await.unwrap().status(), 404);

    // An id from a client that is not a trusted proxy is replaced.
    let health = http
        .get(format!("{}/ui/healthz", berth.url))
        .header("x-request-id", "chosen-by-the-client")
        .send()
        .await
        .unwrap();
    let id = health.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(id, "chosen-by-the-client");
    assert_eq!(id.len(), 16);
    assert_eq!(get("/login").await.unwrap().status(), 404);

    // Logged out, a page sends to the login form under the prefix.
    let page = get("/ui/r/slow/app").await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(location(&page), "/ui/login?next=%2Fr%2Fslow%2Fapp");

    let login = get("/ui/login").await.unwrap();
    assert_eq!(login.status(), 200);
    let html = login.text().await.unwrap();
    for want in [
        r#"<meta name="berth-base" content="/ui""#,
        r#"href="/ui/pkg/berth.css""#,
        "/ui/pkg/berth.js",
        "/ui/pkg/berth_bg.wasm",
        r#"href="/ui/favicon.svg""#,
        r#"action="/ui/auth/login""#,
    ] {
        assert!(
            html.contains(want),
            "{want} missing from the login page:\n{html}"
        );
    }

    // Logging in lands under the prefix, with a cookie scoped to it.
    let browser = Browser {
        base: format!("{}/ui", berth.url),
        http: http.clone(),
    };
    let form = browser
        .post_form(
            "/auth/login",
            &[
                ("username", "ops"),
                ("password", "ops-pass"),
                ("next", "/r/slow/app"),
            ],
        )
        .await;
    assert_eq!(form.status, 303, "{}", form.body);
    assert_eq!(form.location.as_deref(), Some("/ui/r/slow/app"));

    let home = browser.get("").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(
        home.body.contains(r#"href="/ui/r/slow/app""#),
        "{}",
        home.body
    );
    assert!(home.body.contains(r#"action="/ui/auth/logout""#));
    assert!(home.body.contains(r#"href="/ui/activity""#));
    assert!(!home.body.contains(r#"href="/r/"#), "{}", home.body);

    // Server functions answer under the prefix.
    let viewer = browser.post_api("/api/get_viewer", &[]).await;
    assert_eq!(viewer.status, 200, "{}", viewer.body);
    assert!(viewer.body.contains("ops"), "{}", viewer.body);

    // Logging out goes back to the login form under the prefix.
    let marker = "name=\"csrf\" value=\"";
    let at = home.body.find(marker).expect("csrf field") + marker.len();
    let csrf = home.body[at..at + 64].to_string();
    let out = browser.post_form("/auth/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/ui/login?loggedout=1"));

    // Plain text logs, and no colour codes off a terminal.
    let log = berth.log_text();
    assert!(log.contains("answered"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a log file:\n{log}"
    );
}

/// The `berth` binary with its database in `data` and its layer cache in
/// `cache` (and a registry nobody answers at).
fn berth_with_cache(data: &Path, cache: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_berth"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("BERTH_REGISTRY_URL", "http://127.0.0.1:9")
        .env("BERTH_LISTEN", "127.0.0.1:0")
        .env(
            "BERTH_DATABASE_URL",
            format!("sqlite://{}/berth.db", data.display()),
        )
        .env("BERTH_LAYER_CACHE_DIR", cache);
    c
}

/// The layer cache deletes files to stay in its size: Berth refuses to
/// start with it in the folder of its database and key, and starts with a
/// folder of its own.
#[test]
fn a_layer_cache_in_the_database_folder_stops_the_start() {
    let data = tempfile::tempdir().expect("tempdir");
    let mut refused = berth_with_cache(data.path(), data.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("berth binary");
    // A Berth that starts anyway would run for ever: give it 10 s.
    let deadline = Instant::now() + Duration::from_secs(10);
    while refused.try_wait().expect("wait").is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = refused.kill();
    let refused = refused.wait_with_output().expect("output");
    let said = String::from_utf8_lossy(&refused.stderr).to_string()
        + &String::from_utf8_lossy(&refused.stdout);
    assert!(!refused.status.success(), "berth started: {said}");
    assert!(said.contains("BERTH_LAYER_CACHE_DIR"), "{said}");
    assert!(said.contains("a folder of its own"), "{said}");
    assert!(data.path().join("secret.key").exists() && data.path().join("berth.db").exists());
    // With a folder of its own it gets past the settings and runs (it is
    // stopped here).
    let own = data.path().join("layers");
    let mut started = berth_with_cache(data.path(), &own)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("berth binary");
    std::thread::sleep(Duration::from_secs(2));
    let still_running = started.try_wait().expect("wait").is_none();
    let _ = started.kill();
    let _ = started.wait();
    assert!(still_running, "a folder of its own is accepted");
    assert!(own.is_dir());
}
