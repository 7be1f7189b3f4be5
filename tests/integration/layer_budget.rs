//! A layer that is small on the wire and huge as a listing: 20,000
//! symlinks whose names and targets are 4 KB of `0xFF` (each written
//! `\xff` in the listing, so 40 KB of listing per entry, 800 MB in all,
//! from about a megabyte of gzip). The listing stops at its budget
//! (`BERTH_LAYER_LIST_MB`, 64 by default): the `berth` process stays small,
//! the cache folder grows by no more than the budget, and the page says why.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::image_files::{made_with, push_image, status_bytes};
use crate::layers::header;
use crate::process::Process;
use crate::support::registry::{RegistryOpts, TestRegistry, ADMIN, VIEWER};
use crate::support::Browser;

const REPO: &str = "bombs/names";
const LINKS: usize = 20_000;

/// A GNU long name (`L`) or long link (`K`) record for the entry after it
/// (written by hand: `tar`'s builder refuses names that are not UTF-8).
fn gnu_long(b: &mut tar::Builder<Vec<u8>>, kind: tar::EntryType, value: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.as_old_mut().name[..13].copy_from_slice(b"././@LongLink");
    h.set_entry_type(kind);
    h.set_mode(0o644);
    h.set_size(value.len() as u64 + 1);
    h.set_cksum();
    let mut data = value.to_vec();
    data.push(0);
    b.append(&h, &data[..]).unwrap();
}

/// The tar of 20,000 symlinks with 4 KB names and targets of `0xFF`.
fn long_names_tar() -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let target = vec![0xFF_u8; 4096];
    for i in 0..LINKS {
        // Unique names: the last bytes count, the rest is `0xFF`.
        let mut name = vec![0xFF_u8; 4096 - 8];
        name.extend_from_slice(format!("{i:08}").as_bytes());
        gnu_long(&mut b, tar::EntryType::GNULongName, &name);
        gnu_long(&mut b, tar::EntryType::GNULongLink, &target);
        let mut h = header(tar::EntryType::Symlink, 0o777, 0);
        h.as_old_mut().name[..1].copy_from_slice(b"x");
        h.as_old_mut().linkname[..1].copy_from_slice(b"y");
        h.set_cksum();
        b.append(&h, &[][..]).unwrap();
    }
    b.into_inner().unwrap()
}

/// Bytes of every file in `dir` now.
fn bytes_in(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

struct Peaks {
    rss: u64,
    disk: u64,
}

/// Opens `path` as the viewer while sampling the process's anonymous
/// memory and the cache folder's bytes.
async fn open_sampled(
    berth: &Process,
    cache: &std::path::Path,
    path: &str,
) -> (u16, String, Peaks) {
    let b = Browser {
        base: berth.url.clone(),
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap(),
    };
    assert_eq!(b.login(VIEWER.0, VIEWER.1).await.status, 303);
    let pid = berth.child.id();
    let reading = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (reading, cache) = (reading.clone(), cache.to_path_buf());
        tokio::spawn(async move {
            let mut peaks = Peaks { rss: 0, disk: 0 };
            while reading.load(Ordering::Relaxed) {
                peaks.rss = peaks.rss.max(status_bytes(pid, "RssAnon"));
                peaks.disk = peaks.disk.max(bytes_in(&cache));
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            peaks
        })
    };
    let page = match b.http.get(format!("{}{path}", b.base)).send().await {
        Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
        Err(e) => panic!("{path}: {e}; berth's log: {}", berth.log_text()),
    };
    reading.store(false, Ordering::Relaxed);
    (page.0, page.1, sampler.await.unwrap())
}

async fn berth_with(
    registry: &TestRegistry,
    cache: &std::path::Path,
    list_mb: Option<&str>,
) -> Process {
    let dir = cache.to_str().unwrap();
    let mut env = vec![
        ("BERTH_REGISTRY_URL", registry.url.as_str()),
        ("BERTH_AUTH", "registry"),
        ("BERTH_ADMINS", ADMIN.0),
        ("BERTH_LAYER_CACHE_DIR", dir),
    ];
    if let Some(mb) = list_mb {
        env.push(("BERTH_LAYER_LIST_MB", mb));
    }
    Process::start(&env, "/healthz").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layer_of_long_names_stops_at_its_listing_budget() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let tar = long_names_tar();
    let blob = crate::layers::gzip(&tar);
    println!("tar {} MB, gzip {} KB", tar.len() >> 20, blob.len() >> 10);
    assert!(blob.len() < 2 << 20, "the layer is small on the wire");
    push_image(
        &registry,
        REPO,
        Some("bomb"),
        &[tar],
        made_with(serde_json::json!({})),
        serde_json::json!({}),
    )
    .await;
    // A plain image beside it, which lists.
    let plain = {
        let mut b = tar::Builder::new(Vec::new());
        b.append_data(
            &mut header(tar::EntryType::Regular, 0o644, 5),
            "etc/hello",
            &b"hello"[..],
        )
        .unwrap();
        b.into_inner().unwrap()
    };
    push_image(
        &registry,
        REPO,
        Some("plain"),
        &[plain],
        made_with(serde_json::json!({})),
        serde_json::json!({}),
    )
    .await;

    for (list_mb, shown) in [(Some("8"), 8u64), (None, 64)] {
        let cache = tempfile::tempdir().unwrap();
        let berth = berth_with(&registry, cache.path(), list_mb).await;
        let (status, body, peaks) =
            open_sampled(&berth, cache.path(), &format!("/r/{REPO}/-/files/bomb")).await;
        println!(
            "BERTH_LAYER_LIST_MB={shown}: {status}, peak anonymous RSS {} MB, peak cache folder {:.1} MB",
            peaks.rss >> 20,
            peaks.disk as f64 / (1 << 20) as f64
        );
        assert_eq!(status, 422, "{body}");
        assert!(
            body.contains(&format!("passes {shown} MB, the most Berth keeps")),
            "the page says why: {body}"
        );
        assert!(body.contains("BERTH_LAYER_LIST_MB"), "{body}");
        assert!(
            peaks.rss > 0 && peaks.rss < 150 << 20,
            "peak RSS {} MB",
            peaks.rss >> 20
        );
        // The budget, one header line and one entry's line at most.
        assert!(
            peaks.disk <= (shown << 20) + (64 << 10),
            "the cache folder grew by {} bytes",
            peaks.disk
        );
        assert!(peaks.disk > 0, "the sampler saw the listing being written");
        // Nothing of the refused listing stays.
        assert_eq!(bytes_in(cache.path()), 0, "no listing is kept");
        // The plain image of the same repository lists, with its file.
        let (status, body, _) =
            open_sampled(&berth, cache.path(), &format!("/r/{REPO}/-/files/plain")).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("/etc/hello"), "{body}");
    }
}
