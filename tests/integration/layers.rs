//! Layers read out of a real registry:2, built in the test: a gzip layer
//! (directories, a symlink, a hardlink, a name that is not UTF-8, a path
//! with `..`, 24 MiB of incompressible data and a small file after it), a
//! zstd layer with whiteouts and an opaque directory, and a plain tar
//! layer that replaces a file. The listings, the merged filesystem, one
//! file read from the end of the gzip layer with a `Range` from a
//! checkpoint (and how few bytes that moves, from the registry's access
//! log), a layer over the size limit, and a blob longer than its manifest
//! says.

use std::io::Write;

use berth::layers::cache::LayerCache;
use berth::layers::listing::{Kind, Whiteout};
use berth::layers::merged::merge;
use berth::layers::read::{LayerError, LayerRef, Layers};
use berth::registry::{Credentials, Digest, RegistryClient, RepositoryName};

use crate::support::registry::{RegistryOpts, TestRegistry, ADMIN};

pub(crate) const REPO: &str = "layers/app";
const BIG: usize = 24 << 20;

pub(crate) fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

pub(crate) fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_mtime(1_700_000_000);
    h
}

/// Appends an entry whose name is written as raw bytes (names `tar`'s
/// builder refuses: not UTF-8, or with `..`).
fn raw_name(b: &mut tar::Builder<Vec<u8>>, name: &[u8], data: &[u8]) {
    let mut h = header(tar::EntryType::Regular, 0o644, data.len() as u64);
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    h.set_cksum();
    b.append(&h, data).unwrap();
}

fn base_tar(big: &[u8]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for dir in ["etc/", "usr/", "usr/bin/", "data/", "big/"] {
        b.append_data(
            &mut header(tar::EntryType::Directory, 0o755, 0),
            dir,
            &[][..],
        )
        .unwrap();
    }
    b.append_data(
        &mut header(tar::EntryType::Regular, 0o644, 12),
        "etc/os-release",
        &b"ID=berth\nV=1"[..],
    )
    .unwrap();
    let mut tool = header(tar::EntryType::Regular, 0o755, 4);
    tool.set_uid(1000);
    tool.set_gid(1000);
    b.append_data(&mut tool, "usr/bin/tool", &b"tool"[..])
        .unwrap();
    b.append_link(
        &mut header(tar::EntryType::Symlink, 0o777, 0),
        "usr/bin/t",
        "tool",
    )
    .unwrap();
    b.append_link(
        &mut header(tar::EntryType::Link, 0o755, 0),
        "usr/bin/tool2",
        "usr/bin/tool",
    )
    .unwrap();
    raw_name(&mut b, b"data/caf\xe9.txt", b"latin-1");
    raw_name(&mut b, b"data/x/../../escape", b"dots");
    b.append_data(
        &mut header(tar::EntryType::Regular, 0o644, 0),
        "data/old.txt",
        &[][..],
    )
    .unwrap();
    b.append_data(
        &mut header(tar::EntryType::Regular, 0o600, big.len() as u64),
        "big/random.bin",
        big,
    )
    .unwrap();
    b.append_data(
        &mut header(tar::EntryType::Regular, 0o644, 21),
        "big/tail.txt",
        &b"the end of the layer\n"[..],
    )
    .unwrap();
    b.into_inner().unwrap()
}

fn top_tar() -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in [
        ("etc/.wh.os-release", &b""[..]),
        ("data/.wh..wh..opq", b""),
        ("data/new.txt", b"new"),
        ("etc/hostname", b"berth\n"),
    ] {
        b.append_data(
            &mut header(tar::EntryType::Regular, 0o644, data.len() as u64),
            path,
            data,
        )
        .unwrap();
    }
    b.into_inner().unwrap()
}

fn last_tar() -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    b.append_data(
        &mut header(tar::EntryType::Regular, 0o755, 9),
        "usr/bin/tool",
        &b"tool v2.0"[..],
    )
    .unwrap();
    b.into_inner().unwrap()
}

pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub(crate) struct Pushed {
    pub(crate) layers: Vec<LayerRef>,
}

pub(crate) async fn push(registry: &TestRegistry, big: &[u8]) -> Pushed {
    let p = registry.pusher();
    let tars = [base_tar(big), top_tar(), last_tar()];
    let diff_ids: Vec<String> = tars
        .iter()
        .map(|t| berth::registry::digest::sha256_of(t))
        .collect();
    let blobs = [
        (
            gzip(&tars[0]),
            "application/vnd.oci.image.layer.v1.tar+gzip",
        ),
        (
            zstd::encode_all(&tars[1][..], 3).unwrap(),
            "application/vnd.oci.image.layer.v1.tar+zstd",
        ),
        (tars[2].clone(), "application/vnd.oci.image.layer.v1.tar"),
    ];
    let mut layers = Vec::new();
    let mut descriptors = Vec::new();
    for (blob, media_type) in &blobs {
        let digest = p.push_blob(REPO, blob).await.unwrap();
        descriptors.push(
            serde_json::json!({"mediaType": media_type, "digest": digest, "size": blob.len()}),
        );
        layers.push(LayerRef {
            repo: RepositoryName::parse(REPO).unwrap(),
            digest: Digest::parse(&digest).unwrap(),
            size: blob.len() as u64,
            media_type: media_type.to_string(),
        });
    }
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "config": {}
    })
    .to_string();
    let config_digest = p.push_blob(REPO, config.as_bytes()).await.unwrap();
    let put = async |tag: &str, layers: &[serde_json::Value]| {
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
            "layers": layers,
        })
        .to_string();
        p.put_manifest(
            REPO,
            tag,
            "application/vnd.oci.image.manifest.v1+json",
            manifest.as_bytes(),
        )
        .await
        .unwrap();
    };
    put("v1", &descriptors).await;
    // The same image with its zstd layer in gzip, for umoci 0.4, which
    // reads no zstd.
    let top = gzip(&tars[1]);
    let top_digest = p.push_blob(REPO, &top).await.unwrap();
    descriptors[1] = serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": top_digest, "size": top.len()});
    put("v1-gzip", &descriptors).await;
    Pushed { layers }
}

pub(crate) fn admin() -> Credentials {
    Credentials::Basic {
        username: ADMIN.0.into(),
        password: ADMIN.1.into(),
    }
}

/// Bytes the registry sent for `digest`'s blob since `from` in its log.
fn blob_bytes_sent(log: &str, digest: &str) -> u64 {
    log.lines()
        .filter(|l| l.contains(&format!("/blobs/{digest}")) && l.contains("\"GET "))
        .filter_map(|l| {
            // `"GET /v2/… HTTP/1.1" 206 1234 …`
            let after = l.split("HTTP/1.1\" ").nth(1)?;
            after.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layers_list_merge_and_give_one_file_from_a_checkpoint() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        access_log: true,
        ..Default::default()
    })
    .await;
    let big = noise(BIG);
    let pushed = push(&registry, &big).await;
    let reg = RegistryClient::new(crate::support::http_client(), registry.url.parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let layers = Layers::new(
        LayerCache::new(dir.path().into(), 1 << 30).unwrap(),
        256 << 20,
    );
    let creds = admin();

    // Two first looks at once share one read of the blob.
    registry.settle_log().await;
    let mark = registry.log().len();
    let gz = &pushed.layers[0];
    let (a, b) = tokio::join!(
        layers.entries(&reg, &creds, gz),
        layers.entries(&reg, &creds, gz)
    );
    let (info, base) = a.unwrap();
    assert_eq!(b.unwrap().1, base);
    registry.settle_log().await;
    let sent = blob_bytes_sent(&registry.log()[mark..], gz.digest.as_ref());
    assert_eq!(sent, gz.size, "the blob was read once");
    assert_eq!(info.compression, "gzip");
    assert_eq!(info.entries, base.len() as u64);

    let find = |path: &str| {
        base.iter()
            .find(|e| e.path == path)
            .unwrap_or_else(|| panic!("{path} in {base:?}"))
    };
    assert_eq!(find("etc").kind, Kind::Dir);
    let tool = find("usr/bin/tool");
    assert_eq!(
        (tool.mode, tool.uid, tool.gid, tool.size),
        (0o755, 1000, 1000, 4)
    );
    assert_eq!(find("usr/bin/t").link.as_deref(), Some("tool"));
    assert_eq!(find("usr/bin/tool2").kind, Kind::Hardlink);
    assert_eq!(find("data/caf\\xe9.txt").size, 7);
    // Listed as written; in the merged view where a runtime puts it.
    assert_eq!(find("data/x/../../escape").size, 4);
    assert_eq!(find("big/random.bin").size, BIG as u64);

    // The zstd layer's whiteouts, and the plain tar layer.
    let (zinfo, top) = layers
        .entries(&reg, &creds, &pushed.layers[1])
        .await
        .unwrap();
    assert_eq!(zinfo.compression, "zstd");
    let wh: Vec<(&str, &Whiteout)> = top
        .iter()
        .filter_map(|e| e.whiteout.as_ref().map(|w| (e.path.as_str(), w)))
        .collect();
    assert_eq!(
        wh,
        [
            ("etc/os-release", &Whiteout::Delete),
            ("data", &Whiteout::Opaque)
        ]
    );
    let (_, last) = layers
        .entries(&reg, &creds, &pushed.layers[2])
        .await
        .unwrap();
    let merged = merge([&base[..], &top[..], &last[..]]);
    let paths: Vec<&str> = merged.nodes.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "big",
            "big/random.bin",
            "big/tail.txt",
            "data",
            "data/new.txt",
            "escape",
            "etc",
            "etc/hostname",
            "usr",
            "usr/bin",
            "usr/bin/t",
            "usr/bin/tool",
            "usr/bin/tool2"
        ]
    );
    assert_eq!(merged.nodes["usr/bin/tool"].layer, 2);
    assert_eq!(merged.nodes["usr/bin/tool"].replaced, [0]);
    assert!(merged
        .gone
        .iter()
        .any(|g| g.path == "etc/os-release" && g.by == 1));
    assert!(merged
        .gone
        .iter()
        .any(|g| g.path == "data/old.txt" && g.by == 1));
    assert_eq!(merged.resolve("usr/bin/t").unwrap().entry.size, 9);
    assert_same_as_umoci(&registry, &merged);

    // One file from the end of the gzip layer: a Range from the last
    // checkpoint, not the whole blob.
    registry.settle_log().await;
    let mark = registry.log().len();
    let tail = find("big/tail.txt").clone();
    let (bytes, whole) = layers
        .read_file(&reg, &creds, gz, &tail, 1 << 20)
        .await
        .unwrap();
    assert_eq!(bytes, b"the end of the layer\n");
    assert!(whole);
    registry.settle_log().await;
    let log = &registry.log()[mark..];
    let sent = blob_bytes_sent(log, gz.digest.as_ref());
    assert!(log.contains("\" 206 "), "a ranged answer: {log}");
    assert!(
        sent < 8 << 20,
        "{sent} bytes for a file at the end of a {} byte layer",
        gz.size
    );
    // The middle of the big file, from its checkpoint, byte for byte.
    let random = find("big/random.bin").clone();
    let (head, whole) = layers
        .read_file(&reg, &creds, gz, &random, 1000)
        .await
        .unwrap();
    assert!(!whole);
    assert_eq!(head, big[..1000]);
    // A file of the zstd and of the plain layer.
    let hostname = top.iter().find(|e| e.path == "etc/hostname").unwrap();
    assert_eq!(
        layers
            .read_file(&reg, &creds, &pushed.layers[1], hostname, 100)
            .await
            .unwrap()
            .0,
        b"berth\n"
    );
    let tool = last.iter().find(|e| e.path == "usr/bin/tool").unwrap();
    assert_eq!(
        layers
            .read_file(&reg, &creds, &pushed.layers[2], tool, 100)
            .await
            .unwrap()
            .0,
        b"tool v2.0"
    );

    // Over the size limit: refused before a byte is read.
    let small = Layers::new(
        LayerCache::new(dir.path().join("small"), 1 << 30).unwrap(),
        1 << 20,
    );
    assert!(matches!(
        small.info(&reg, &creds, gz).await,
        Err(LayerError::TooLarge { .. })
    ));
    // A blob longer than its manifest says is not listed.
    let mut lying = pushed.layers[2].clone();
    lying.size -= 1;
    let err = small.info(&reg, &creds, &lying).await.unwrap_err();
    assert!(matches!(err, LayerError::Read(_)), "{err}");
}

/// What `umoci unpack` makes of the same image (`v1-gzip`, copied out of
/// the registry by `skopeo`): every path with its type, size (files) and permission
/// bits, against the merged view. Hardlinks are files on disk.
fn assert_same_as_umoci(registry: &TestRegistry, merged: &berth::layers::merged::Merged) {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("layout");
    let host = registry.url.trim_start_matches("http://");
    let out = Command::new("skopeo")
        .args(["copy", "--src-tls-verify=false", "--src-creds"])
        .arg(format!("{}:{}", ADMIN.0, ADMIN.1))
        .arg(format!("docker://{host}/{REPO}:v1-gzip"))
        .arg(format!("oci:{}:v1", layout.display()))
        .output()
        .expect("skopeo");
    assert!(
        out.status.success(),
        "skopeo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bundle = dir.path().join("bundle");
    let out = Command::new("umoci")
        .args(["unpack", "--rootless", "--image"])
        .arg(format!("{}:v1", layout.display()))
        .arg(&bundle)
        .output()
        .expect("umoci");
    assert!(
        out.status.success(),
        "umoci: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = bundle.join("rootfs");
    let mut on_disk = std::collections::BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            let rel = e
                .path()
                .strip_prefix(&root)
                .unwrap()
                .as_os_str()
                .as_bytes()
                .to_vec();
            let path = berth::layers::listing::text(&rel);
            let ft = meta.file_type();
            let kind = if ft.is_dir() {
                stack.push(e.path());
                "dir"
            } else if ft.is_symlink() {
                "symlink"
            } else {
                "file"
            };
            let size = if kind == "file" { meta.len() } else { 0 };
            on_disk.insert(path, (kind, size, meta.permissions().mode() & 0o777));
        }
    }
    let ours: std::collections::BTreeMap<String, (&str, u64, u32)> = merged
        .nodes
        .iter()
        .map(|(path, node)| {
            let e = node.entry.clone();
            let kind = match e.kind {
                Kind::Dir => "dir",
                Kind::Symlink => "symlink",
                _ => "file",
            };
            let size = if kind == "file" { e.size } else { 0 };
            (path.clone(), (kind, size, e.mode & 0o777))
        })
        .collect();
    // Rootless umoci gives directories u+rwx so it can write into them.
    let on_disk: std::collections::BTreeMap<String, (&str, u64, u32)> = on_disk
        .into_iter()
        .map(|(p, (k, s, m))| {
            let m = if k == "symlink" { 0o777 } else { m };
            (p, (k, s, m))
        })
        .collect();
    let ours: std::collections::BTreeMap<String, (&str, u64, u32)> = ours
        .into_iter()
        .map(|(p, (k, s, m))| {
            let m = match k {
                "symlink" => 0o777,
                "dir" => m | 0o700,
                _ => m,
            };
            (p, (k, s, m))
        })
        .collect();
    assert_eq!(ours, on_disk);
}
