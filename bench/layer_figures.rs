//! The layer figures: a 200 MiB gzip layer of incompressible data pushed
//! to the registry, then listed and one file read from its end by a child
//! process (so its peak memory is the reading's alone), against
//! `curl … | tar tz` on the same blob.

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use berth::layers::cache::LayerCache;
use berth::layers::read::{LayerRef, Layers};
use berth::registry::{Credentials, Digest, RegistryClient, RepositoryName};
use berth::seed::Pusher;

use super::{row, Args, Row};

const REPO: &str = "bench/layers";
const SIZE: usize = 200 << 20;

fn layer() -> Vec<u8> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut data = Vec::with_capacity(SIZE + 8);
    while data.len() < SIZE {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        data.extend_from_slice(&x.to_le_bytes());
    }
    data.truncate(SIZE);
    let mut tar = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_mode(0o644);
    h.set_size(SIZE as u64);
    tar.append_data(&mut h, "data/random.bin", &data[..])
        .unwrap();
    drop(data);
    let mut h = tar::Header::new_gnu();
    h.set_mode(0o644);
    h.set_size(21);
    tar.append_data(&mut h, "data/tail.txt", &b"the end of the layer\n"[..])
        .unwrap();
    let tar = tar.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    gz.finish().unwrap()
}

/// `VmHWM` (peak resident memory) of this process, in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Bytes this process has read from files and sockets (`rchar`).
fn read_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("rchar:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// The child: lists the layer (cold, then warm) and reads its last file;
/// prints `cold_ms warm_ms read_ms read_bytes peak_kib entries`.
pub async fn child(args: &Args, digest: &str, size: u64) {
    let creds = Credentials::Basic {
        username: args.username.clone(),
        password: args.password.clone(),
    };
    let http = reqwest::Client::builder().build().unwrap();
    let reg = RegistryClient::new(http, args.registry_url.parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let layers = Layers::new(
        LayerCache::new(dir.path().into(), 1 << 30).unwrap(),
        4 << 30,
    );
    let layer = LayerRef {
        repo: RepositoryName::parse(REPO).unwrap(),
        digest: Digest::parse(digest).unwrap(),
        size,
        media_type: "application/vnd.oci.image.layer.v1.tar+gzip".into(),
    };
    let t = Instant::now();
    let (_, entries) = layers.entries(&reg, &creds, &layer).await.unwrap();
    let cold = t.elapsed();
    let t = Instant::now();
    let (_, again) = layers.entries(&reg, &creds, &layer).await.unwrap();
    let warm = t.elapsed();
    assert_eq!(entries, again);
    let tail = entries.iter().find(|e| e.path == "data/tail.txt").unwrap();
    let before = read_bytes();
    let t = Instant::now();
    let (bytes, _) = layers
        .read_file(&reg, &creds, &layer, tail, 1 << 20)
        .await
        .unwrap();
    let read = t.elapsed();
    let moved = read_bytes() - before;
    assert_eq!(bytes, b"the end of the layer\n");
    println!(
        "{} {} {} {} {} {}",
        cold.as_millis(),
        warm.as_micros(),
        read.as_millis(),
        moved,
        peak_kib(),
        entries.len()
    );
}

pub async fn layers_only(args: &Args, rows: &mut Vec<Row>) {
    let creds = Credentials::Basic {
        username: args.username.clone(),
        password: args.password.clone(),
    };
    let blob = layer();
    let size = blob.len() as u64;
    let pusher = Pusher::new(args.registry_url.parse().unwrap(), creds);
    let digest = pusher.push_blob(REPO, &blob).await.unwrap();
    drop(blob);
    eprintln!("pushed a {size} byte layer {digest}");

    // The baseline: the blob through curl and tar, listing only.
    let url = format!("{}/v2/{REPO}/blobs/{digest}", args.registry_url);
    let t = Instant::now();
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "curl -sf -u '{}:{}' '{url}' | tar tz > /dev/null",
            args.username, args.password
        ))
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let baseline = t.elapsed();
    assert!(ok, "curl | tar tz failed");

    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--registry-url", &args.registry_url])
        .args(["--username", &args.username, "--password", &args.password])
        .args(["--layer-child", &format!("{digest}@{size}")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<u64> = text
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let [cold, warm_us, read, moved, peak, entries] = f[..] else {
        panic!("the child said {text}");
    };
    rows.push(row(
        "L1 first listing of a 200 MiB gzip layer (incompressible)",
        format!(
            "{:.2} s; `curl | tar tz` {:.2} s; ratio {:.2}",
            cold as f64 / 1000.0,
            baseline.as_secs_f64(),
            cold as f64 / 1000.0 / baseline.as_secs_f64()
        ),
        "≤ 1.5 × curl | tar",
        Some(cold as f64 / 1000.0 <= 1.5 * baseline.as_secs_f64()),
    ));
    rows.push(row(
        "L2 warm listing (from the disk cache)",
        format!("{:.2} ms, {entries} entries", warm_us as f64 / 1000.0),
        "≤ 50 ms",
        Some(warm_us <= 50_000),
    ));
    rows.push(row(
        "L3 one file from the end of that layer",
        format!(
            "{read} ms, {:.2} MiB read from the registry",
            moved as f64 / (1 << 20) as f64
        ),
        "< 8 MiB",
        Some(moved < 8 << 20),
    ));
    rows.push(row(
        "L4 peak RSS of the process listing and reading it",
        format!("{:.1} MB", peak as f64 / 1024.0),
        "< 100 MB",
        Some(peak < 100 * 1024),
    ));
}
