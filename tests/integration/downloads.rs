//! Downloads against a real registry:2: one user's stalled downloads
//! (clients that ask for a large file and read nothing) take at most 4
//! slots and end once their client has accepted nothing for 30 s, while
//! another user's download streams whole.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::image_files::berth_on;
use crate::layers::{noise, push, REPO};
use crate::support::registry::{RegistryOpts, TestRegistry, ADMIN, VIEWER};
use crate::support::{get_with_cookie, session_cookie};

const FILE: &str = "/download/layers/app/-/v1?path=/big/random.bin";

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
    let berth = berth_on(&registry, cache.path()).await;
    let viewer = session_cookie(&berth.url, VIEWER).await;
    let admin = session_cookie(&berth.url, ADMIN).await;
    let warm = get_with_cookie(&berth.url, &format!("/r/{REPO}/-/files/v1"), &viewer).await;
    assert_eq!(warm.status(), 200);

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
