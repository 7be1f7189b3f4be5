//! Liveness and readiness, without a login: `/readyz` follows the registry
//! down and back up, and names the part that failed; `berth healthcheck`
//! exits 0 or 1 for the container's HEALTHCHECK.

use std::time::{Duration, Instant};

use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::TestBerth;

async fn readyz(berth: &TestBerth) -> (u16, serde_json::Value) {
    let resp = reqwest::get(format!("{}/readyz", berth.url)).await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("JSON"))
}

/// Polls until `/readyz` answers `want` (Berth's first answer may race its
/// start-up).
async fn readyz_becomes(berth: &TestBerth, want: u16) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = readyz(berth).await;
        if status == want {
            return body;
        }
        assert!(Instant::now() < deadline, "/readyz stayed {status}: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_registry_down_and_up() {
    let mut registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let berth = TestBerth::start(&["--registry-url", &registry.url, "--auth", "registry"]).await;
    let up = readyz_becomes(&berth, 200).await;
    assert_eq!(up["status"], "ready");
    assert_eq!(up["registry"], "ok");
    assert_eq!(up["database"], "ok");

    registry.stop();
    let down = readyz_becomes(&berth, 503).await;
    assert_eq!(down["status"], "unavailable");
    assert_eq!(down["registry"], "unreachable");
    assert_eq!(down["database"], "ok");
    // It names the part, not the registry's address.
    assert!(!down.to_string().contains("127.0.0.1"), "{down}");
    // Liveness does not depend on the registry.
    let live = reqwest::get(format!("{}/healthz", berth.url))
        .await
        .unwrap();
    assert_eq!(live.status(), 200);

    registry.restart().await;
    readyz_becomes(&berth, 200).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_healthcheck_command_exits_0_for_a_live_berth_and_1_otherwise() {
    let registry = TestRegistry::start(RegistryOpts::default()).await;
    let berth = TestBerth::start(&["--registry-url", &registry.url]).await;
    readyz_becomes(&berth, 200).await;
    let listen = berth.url.trim_start_matches("http://").to_string();
    let run = |listen: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_berth"))
            .arg("healthcheck")
            .env_clear()
            .env("BERTH_LISTEN", listen)
            .output()
            .expect("berth healthcheck")
    };
    let ok = run(&listen);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // Nothing listens on a port just freed.
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let down = run(&free.to_string());
    assert_eq!(down.status.code(), Some(1));
    let err = String::from_utf8_lossy(&down.stderr);
    assert!(
        err.contains("/healthz") && !err.contains("panicked"),
        "{err}"
    );
}
