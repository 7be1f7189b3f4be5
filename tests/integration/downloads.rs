//! Downloads against a real registry:2: one user's stalled downloads
//! (clients that ask for a large file and read nothing) take at most 4
//! slots and end once their client has accepted nothing for 30 s, while
//! another user's download streams whole; a download that fails shows a
//! viewer no internal detail.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::image_files::berth_on;
use crate::layers::{noise, push, REPO};
use crate::support::registry::{RegistryOpts, TestRegistry, ADMIN, VIEWER};
use crate::support::{get_with_cookie, session_cookie, TestBerth};

const FILE: &str = "/download/layers/app/-/v1?path=/big/random.bin";

/// Berth with the pushed image's layers listed (by the viewer), and the
/// viewer's and the admin's session cookies.
async fn listed(registry: &TestRegistry, cache: &std::path::Path) -> (TestBerth, String, String) {
    let berth = berth_on(registry, cache).await;
    let viewer = session_cookie(&berth.url, VIEWER).await;
    let admin = session_cookie(&berth.url, ADMIN).await;
    let warm = get_with_cookie(&berth.url, &format!("/r/{REPO}/-/files/v1"), &viewer).await;
    assert_eq!(warm.status(), 200);
    (berth, viewer, admin)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_downloads_of_one_user_leave_room_for_others_and_end() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    // Far more than the socket buffers of both ends hold.
    let big = noise(32 << 20);
    push(&registry, &big).await;
    let cache = tempfile::tempdir().unwrap();
    let (berth, viewer, admin) = listed(&registry, cache.path()).await;

    // 16 downloads by the viewer that read nothing.
    let addr = berth.url.trim_start_matches("http://").to_string();
    let mut stalled = Vec::new();
    for _ in 0..16 {
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        s.write_all(
            format!("GET {FILE} HTTP/1.1\r\nhost: {addr}\r\ncookie: {viewer}\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
        stalled.push(s);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let stalled_at = Instant::now();

    // Another user's download streams, whole.
    let resp = get_with_cookie(&berth.url, FILE, &admin).await;
    assert_eq!(resp.status(), 200, "another user's download runs");
    let body = resp.bytes().await.unwrap();
    assert_eq!(body.len(), big.len());
    assert!(body[..] == big[..], "the file's bytes");

    // The viewer's own next one is refused, and says why.
    let resp = get_with_cookie(&berth.url, FILE, &viewer).await;
    assert_eq!(resp.status(), 503);
    let text = resp.text().await.unwrap();
    assert!(text.contains("You have 4 downloads running"), "{text}");

    // A stalled download ends once its client has accepted nothing for
    // 30 s: after that (and only then reading), each of the 4 that started
    // holds less than the file, its connection cut.
    tokio::time::sleep(Duration::from_secs(35).saturating_sub(stalled_at.elapsed())).await;
    let reading = stalled.into_iter().map(|mut s| async move {
        let mut got = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut got)).await;
        assert!(read.is_ok(), "the connection is closed, not streaming");
        got
    });
    let answers: Vec<Vec<u8>> = futures::future::join_all(reading).await;
    let started: Vec<usize> = answers
        .iter()
        .filter(|a| a.starts_with(b"HTTP/1.1 200"))
        .map(Vec::len)
        .collect();
    println!(
        "stalled downloads that started: {started:?} bytes received of {}",
        big.len()
    );
    assert_eq!(started.len(), 4, "4 downloads per user");
    assert!(started.iter().all(|n| *n < big.len()), "each was cut off");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let resp = get_with_cookie(&berth.url, FILE, &viewer).await;
        if resp.status() == 200 {
            assert_eq!(resp.bytes().await.unwrap().len(), big.len());
            break;
        }
        assert!(Instant::now() < deadline, "the viewer's slots never freed");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
/// The layer's blob file in the registry's storage.
fn blob_file(registry: &TestRegistry, digest: &str) -> std::path::PathBuf {
    let hex = digest.trim_start_matches("sha256:");
    registry
        .dir
        .path()
        .join("data/docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(hex)
        .join("data")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_download_shows_a_viewer_no_internal_detail() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let pushed = push(&registry, &noise(300 << 10)).await;
    let cache = tempfile::tempdir().unwrap();
    let (berth, viewer, admin) = listed(&registry, cache.path()).await;
    // The registry now serves garbage for the (listed) gzip layer.
    let file = blob_file(&registry, pushed.layers[0].digest.as_ref());
    let len = std::fs::metadata(&file).unwrap().len() as usize;
    std::fs::write(&file, vec![0x5a; len]).unwrap();

    let resp = get_with_cookie(&berth.url, FILE, &admin).await;
    assert_eq!(resp.status(), 502);
    let text = resp.text().await.unwrap();
    assert!(
        text.contains("did not expect"),
        "an admin sees the detail: {text}"
    );
    let resp = get_with_cookie(&berth.url, FILE, &viewer).await;
    assert_eq!(resp.status(), 502);
    let text = resp.text().await.unwrap();
    assert!(!text.contains("did not expect"), "{text}");
    assert!(!text.contains("gzip"), "{text}");
    assert!(
        text.contains("request id"),
        "a viewer gets the request id: {text}"
    );
}
