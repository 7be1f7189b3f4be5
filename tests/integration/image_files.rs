//! The files pages and the compare page against a real registry:2, with
//! layers built here: the merged view (whiteouts honoured, deleted paths
//! answering 404), one layer's entries with what later layers did to them,
//! the filter and sort, a file as text or hex, symlinks and hardlinks
//! followed, the download's bytes and headers; two hand-built tags
//! compared (layers, config, files, a line diff); and a tar bomb (10 GiB of
//! zeros, a nesting too deep to keep whole) listed without trouble.

use std::io::Write;

use crate::layers::{gzip, header, noise, push, REPO};
use crate::pages::text;
use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::{Browser, TestBerth, ADMIN, VIEWER};

/// The part of `html` from `marker` to the end of its table.
fn table<'a>(html: &'a str, marker: &str) -> &'a str {
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let end = html[start..]
        .find("</table>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// The paths of a files table's rows, in order.
fn row_paths(html: &str) -> Vec<String> {
    let t = table(html, "data-testid=\"files-table\"");
    t.split("<tr")
        .skip(2)
        .filter_map(|row| {
            let start = row.find("<code>")? + 6;
            let end = row[start..].find("</code>")? + start;
            Some(row[start..end].to_string())
        })
        .collect()
}

pub(crate) async fn berth_on(registry: &TestRegistry, cache: &std::path::Path) -> TestBerth {
    let mut flags = registry.registry_mode_flags();
    let cache = cache.to_str().unwrap().to_string();
    flags.extend(["--layer-cache-dir", &cache]);
    TestBerth::start(&flags).await
}

async fn logged_in(berth: &TestBerth, who: (&str, &str)) -> Browser {
    let b = berth.client();
    assert_eq!(b.login(who.0, who.1).await.status, 303);
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_pages_browse_open_and_download_an_image() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let big = noise(300 << 10);
    push(&registry, &big).await;
    let cache = tempfile::tempdir().unwrap();
    let berth = berth_on(&registry, cache.path()).await;
    let files = format!("/r/{REPO}/-/files/v1");

    // Nobody gets in without a session.
    let anon = berth.client();
    let page = anon.get(&files).await;
    assert_ne!(page.status, 200);
    let dl = anon
        .get(&format!("/download/{REPO}/-/v1?path=/etc/hostname"))
        .await;
    assert_ne!(dl.status, 200);

    let b = logged_in(&berth, VIEWER).await;

    // The merged view: the top layers' whiteouts took /etc/os-release and
    // everything under /data but data/new.txt; the last layer's tool won.
    let page = b.get(&files).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let paths = row_paths(&page.body);
    for p in [
        "/big/random.bin",
        "/big/tail.txt",
        "/data/new.txt",
        "/escape",
        "/etc/hostname",
        "/usr/bin/t",
        "/usr/bin/tool",
        "/usr/bin/tool2",
    ] {
        assert!(paths.iter().any(|x| x == p), "{p} in {paths:?}");
    }
    for p in ["/etc/os-release", "/data/old.txt", "/data/caf\\xe9.txt"] {
        assert!(!paths.iter().any(|x| x == p), "{p} is gone: {paths:?}");
    }
    let sorted = {
        let mut s = paths.clone();
        s.sort();
        s
    };
    assert_eq!(paths, sorted, "by path by default");
    // Where each came from, and the removed paths with who removed them.
    let tool_row = table(&page.body, "data-testid=\"files-table\"")
        .split("<tr")
        .find(|r| r.contains("<code>/usr/bin/tool</code>"))
        .unwrap()
        .to_string();
    assert!(
        tool_row.contains("layer 3 · replaces layer 1"),
        "{tool_row}"
    );
    let gone = table(&page.body, "data-testid=\"files-gone\"");
    assert!(
        gone.contains("<code>/etc/os-release</code></td><td>1</td><td>2</td>"),
        "{gone}"
    );
    assert!(page.body.contains("data-testid=\"size-bars\""));
    assert!(page.body.contains("/big: "), "the size bars name /big");

    // A deleted path and a path never there answer 404, saying which.
    let deleted = b.get(&format!("{files}?path=/etc/os-release")).await;
    assert_eq!(deleted.status, 404);
    assert!(
        deleted.body.contains("deleted by layer 2"),
        "{}",
        deleted.body
    );
    let never = b.get(&format!("{files}?path=/nope/never")).await;
    assert_eq!(never.status, 404);
    assert!(never.body.contains("The image has no /nope/never"));

    // Filter and sort work as plain GETs.
    let filtered = b.get(&format!("{files}?q=TAIL")).await;
    assert_eq!(row_paths(&filtered.body), ["/big/tail.txt"]);
    let by_size = b.get(&format!("{files}?sort=size")).await;
    assert_eq!(row_paths(&by_size.body)[0], "/big/random.bin");

    // One layer: its own entries, whiteouts marked as deletions, and what
    // later layers did to each entry.
    let top = b.get(&format!("{files}?layer=1")).await;
    assert_eq!(top.status, 200, "{}", top.body);
    let t = table(&top.body, "data-testid=\"files-table\"");
    assert!(t.contains("<del><code>/etc/os-release</code></del>"), "{t}");
    assert!(t.contains("whiteout (deletes this path below)"));
    assert!(t.contains("opaque whiteout (empties this directory below)"));
    let base = b.get(&format!("{files}?layer=0")).await;
    let t = table(&base.body, "data-testid=\"files-table\"");
    let row = |p: &str| {
        t.split("<tr")
            .find(|r| r.contains(&format!("<code>{p}</code>")))
            .unwrap_or_else(|| panic!("{p} in {t}"))
            .to_string()
    };
    assert!(row("/etc/os-release").contains("deleted by layer 2"));
    assert!(row("/usr/bin/tool").contains("overwritten by layer 3"));
    assert!(row("/usr/bin/t").contains("symlink → tool"));
    assert!(row("/usr/bin/tool2").contains("hardlink → usr/bin/tool"));
    // A name that is not UTF-8, and `..`, shown as written.
    assert!(row("/data/caf\\xe9.txt").contains("deleted by layer 2"));
    assert!(row("/data/x/../../escape").contains("-rw-r--r--"));
    assert_eq!(b.get(&format!("{files}?layer=9")).await.status, 404);
    let bad = b.get(&format!("{files}?layer=abc")).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("is not a layer number"));

    // A text file with line numbers; through a symlink; a hardlink's
    // content is its target's as the link was made.
    let text = b.get(&format!("{files}?path=/usr/bin/t")).await;
    assert_eq!(text.status, 200, "{}", text.body);
    assert!(text
        .body
        .contains("data-testid=\"resolved\">/usr/bin/tool<"));
    assert!(
        text.body.contains("class=\"ln\">1</span>tool v2.0<"),
        "{}",
        text.body
    );
    let hard = b.get(&format!("{files}?path=/usr/bin/tool2")).await;
    assert!(
        hard.body.contains("class=\"ln\">1</span>tool<"),
        "{}",
        hard.body
    );
    // In its own layer, the whiteout's victim still opens.
    let old = b
        .get(&format!("{files}?layer=0&path=/etc/os-release"))
        .await;
    assert_eq!(old.status, 200);
    assert!(old.body.contains("ID=berth"));
    // Binary: a hex dump of the first 64 KiB.
    let bin = b.get(&format!("{files}?path=/big/random.bin")).await;
    assert!(bin.body.contains("data-testid=\"file-hex\""));
    let first = format!(
        "00000000  {}",
        big[..8]
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(bin.body.contains(&first), "{first}");
    assert!(bin.body.contains("the first 64 KiB are shown as hex"));

    // The download: the exact bytes, as an attachment nothing renders.
    let resp = b
        .http
        .get(format!(
            "{}/download/{REPO}/-/v1?path=/big/random.bin",
            b.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let h = resp.headers().clone();
    assert_eq!(h["content-type"], "application/octet-stream");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["content-security-policy"], "sandbox");
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"random.bin\""));
    assert!(resp.bytes().await.unwrap() == big);
    let through_link = b
        .http
        .get(format!("{}/download/{REPO}/-/v1?path=/usr/bin/t", b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(through_link.bytes().await.unwrap(), &b"tool v2.0"[..]);
    let dir = b.get(&format!("/download/{REPO}/-/v1?path=/usr/bin")).await;
    assert_eq!(dir.status, 404, "a directory has nothing to download");

    // The tag page links the files, per image and per layer.
    let tag = b.get(&format!("/r/{REPO}/-/tag/v1")).await;
    assert!(tag.body.contains(&format!("href=\"{files}\"")));
    assert!(tag.body.contains(&format!("href=\"{files}?layer=2\"")));
}

/// An image of gzip layers under `reference` (a tag, or its own digest
/// when `None`), whose config is `config` with `rootfs` filled in.
/// Returns the manifest's digest and size.
pub(crate) async fn push_image(
    registry: &TestRegistry,
    repo: &str,
    reference: Option<&str>,
    layers: &[Vec<u8>],
    mut config: serde_json::Value,
    annotations: serde_json::Value,
) -> (String, usize) {
    let p = registry.pusher();
    let mut descriptors = Vec::new();
    let mut diff_ids = Vec::new();
    for tar in layers {
        let blob = gzip(tar);
        let digest = p.push_blob(repo, &blob).await.unwrap();
        diff_ids.push(berth::registry::digest::sha256_of(tar));
        descriptors.push(serde_json::json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": digest, "size": blob.len()
        }));
    }
    config["rootfs"] = serde_json::json!({"type": "layers", "diff_ids": diff_ids});
    for (k, v) in [("architecture", "amd64"), ("os", "linux")] {
        if config.get(k).is_none() {
            config[k] = v.into();
        }
    }
    let config = config.to_string();
    let config_digest = p.push_blob(repo, config.as_bytes()).await.unwrap();
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": descriptors,
        "annotations": annotations,
    })
    .to_string();
    let digest = berth::registry::digest::sha256_of(manifest.as_bytes());
    p.put_manifest(
        repo,
        reference.unwrap_or(&digest),
        "application/vnd.oci.image.manifest.v1+json",
        manifest.as_bytes(),
    )
    .await
    .unwrap();
    (digest, manifest.len())
}

/// The config of an image made on 2026-01-01 with this `config` section.
pub(crate) fn made_with(config: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"created": "2026-01-01T00:00:00Z", "config": config})
}

fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in files {
        b.append_data(
            &mut header(tar::EntryType::Regular, 0o644, data.len() as u64),
            path,
            *data,
        )
        .unwrap();
    }
    b.into_inner().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tags_compare_by_layers_config_and_files() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let repo = "compare/app";
    let base = tar_of(&[("etc/os-release", b"ID=berth\n")]);
    let a_top = tar_of(&[
        ("app/config.txt", b"port=80\nmode=dev\nlog=info\n"),
        ("app/old.txt", b"old"),
        ("app/same.txt", b"same"),
        // The same size and time on both sides: only the bytes differ.
        ("app/version", b"1.0"),
    ]);
    let b_top = tar_of(&[
        ("app/config.txt", b"port=8080\nmode=dev\nlog=info\n"),
        ("app/new.txt", b"new"),
        ("app/same.txt", b"same"),
        ("app/version", b"2.0"),
    ]);
    push_image(
        &registry,
        repo,
        Some("1.0"),
        &[base.clone(), a_top],
        made_with(
            serde_json::json!({"Env": ["PATH=/bin", "FOO=1"], "Cmd": ["run"],
            "ExposedPorts": {"80/tcp": {}}, "Labels": {"version": "1"}}),
        ),
        serde_json::json!({"org.opencontainers.image.base.name": "debian:12"}),
    )
    .await;
    push_image(
        &registry,
        repo,
        Some("2.0"),
        &[base.clone(), b_top],
        made_with(
            serde_json::json!({"Env": ["PATH=/bin", "BAR=2"], "Cmd": ["run", "--fast"],
            "ExposedPorts": {"80/tcp": {}, "443/tcp": {}}, "Labels": {"version": "2"}}),
        ),
        serde_json::json!({"org.opencontainers.image.base.name": "debian:13"}),
    )
    .await;
    let cache = tempfile::tempdir().unwrap();
    let berth = berth_on(&registry, cache.path()).await;
    let b = logged_in(&berth, VIEWER).await;

    // The pickers alone, then the comparison.
    let empty = b.get(&format!("/r/{repo}/-/compare")).await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("<option value=\"1.0\">"));
    let page = b.get(&format!("/r/{repo}/-/compare?a=1.0&b=2.0")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;

    let layers = table(body, "data-testid=\"compare-layers\"");
    assert_eq!(layers.matches("data-change=\"shared\"").count(), 1);
    assert_eq!(layers.matches("data-change=\"removed\"").count(), 1);
    assert_eq!(layers.matches("data-change=\"added\"").count(), 1);

    let config = table(body, "data-testid=\"compare-config\"");
    for (field, before, after) in [
        ("Cmd", "[\"run\"]", "[\"run\",\"--fast\"]"),
        ("Env BAR", "—", "2"),
        ("Env FOO", "1", "—"),
        ("ExposedPorts", "80/tcp", "443/tcp 80/tcp"),
        ("Labels version", "1", "2"),
        (
            "annotations org.opencontainers.image.base.name",
            "debian:12",
            "debian:13",
        ),
    ] {
        let row = format!(
            "<td><code>{field}</code></td><td><code>{before}</code></td><td><code>{after}</code></td>"
        );
        assert!(config.contains(&row), "{row} in {config}");
    }
    assert!(
        !config.contains("Env PATH"),
        "an unchanged variable is not listed"
    );

    // Files: exactly these changes.
    let files = table(body, "data-testid=\"compare-files\"");
    let mut changes: Vec<(String, String)> = files
        .split("<tr data-change=\"")
        .skip(1)
        .map(|r| {
            let change = r[..r.find('"').unwrap()].to_string();
            let p = r.find("data-path=\"").unwrap() + 11;
            let path = r[p..p + r[p..].find('"').unwrap()].to_string();
            (change, path)
        })
        .collect();
    changes.sort();
    assert_eq!(
        changes,
        [
            ("added".to_string(), "/app/new.txt".to_string()),
            ("changed".into(), "/app/config.txt".into()),
            ("changed".into(), "/app/version".into()),
            ("removed".into(), "/app/old.txt".into()),
        ]
    );
    assert!(body.contains("1 added, 1 removed, 2 changed"));
    // The line diff of the changed text file.
    let start = body
        .find("data-path=\"/app/config.txt\"")
        .expect("a diff of config.txt");
    let diff = &body[start..start + body[start..].find("</pre>").unwrap()];
    assert!(diff.contains(">-port=80<"), "{diff}");
    assert!(diff.contains(">+port=8080<"), "{diff}");
    assert!(diff.contains("> mode=dev<"), "{diff}");

    // Two ticked boxes on the tag list ask for the same page.
    let ticked = b.get(&format!("/r/{repo}/-/compare?tag=1.0&tag=2.0")).await;
    assert!(ticked.body.contains("1 added, 1 removed, 2 changed"));
    // Ticked in the other order (a table sorted newest first), before is
    // still the lower version.
    let reversed = b.get(&format!("/r/{repo}/-/compare?tag=2.0&tag=1.0")).await;
    assert!(
        reversed.body.contains("1 added, 1 removed, 2 changed"),
        "{}",
        text(&reversed.body)
    );
    assert!(
        reversed.body.contains("data-testid=\"compare-a\"")
            && reversed
                .body
                .contains("value=\"1.0\" data-testid=\"compare-a\"")
    );
    assert!(!reversed.body.contains("data-testid=\"compare-count\""));
    // One or three ticked: the page says so instead of guessing.
    for q in ["tag=1.0", "tag=1.0&tag=2.0&tag=1.0"] {
        let page = b.get(&format!("/r/{repo}/-/compare?{q}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("data-testid=\"compare-count\""), "{q}");
        assert!(!page.body.contains("1 added, 1 removed, 2 changed"), "{q}");
    }
    // And "compare with…" on a tag page offers the other tags.
    let tag = b.get(&format!("/r/{repo}/-/tag/1.0")).await;
    assert!(tag.body.contains("data-testid=\"compare-with\""));
    assert!(tag.body.contains("<option value=\"2.0\">"));

    // b from another repository.
    push_image(
        &registry,
        "compare/fork",
        Some("x"),
        &[base],
        made_with(serde_json::json!({})),
        serde_json::json!({}),
    )
    .await;
    let fork = b
        .get(&format!(
            "/r/{repo}/-/compare?a=1.0&b=x&b_repo=compare/fork"
        ))
        .await;
    assert_eq!(fork.status, 200, "{}", fork.body);
    assert!(
        fork.body.contains("0 added, 4 removed, 0 changed"),
        "{}",
        fork.body
    );
    // A tag that is not there is a 404, not a blank comparison.
    let missing = b.get(&format!("/r/{repo}/-/compare?a=1.0&b=nope")).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indexes_compare_platform_by_platform_and_files_pick_a_platform() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let repo = "compare/multi";
    let index = async |tag: &str, platforms: &[(&str, &str)]| {
        let mut manifests = Vec::new();
        for (arch, content) in platforms {
            let layer = tar_of(&[("etc/arch", content.as_bytes())]);
            let (digest, size) = push_image(
                &registry,
                repo,
                None,
                &[layer],
                serde_json::json!({"architecture": arch, "os": "linux", "config": {}}),
                serde_json::json!({}),
            )
            .await;
            manifests.push(serde_json::json!({
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": digest, "size": size,
                "platform": {"architecture": arch, "os": "linux"}
            }));
        }
        let body = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": manifests,
        })
        .to_string();
        registry
            .pusher()
            .put_manifest(
                repo,
                tag,
                "application/vnd.oci.image.index.v1+json",
                body.as_bytes(),
            )
            .await
            .unwrap();
    };
    index("a", &[("amd64", "amd64 v1\n"), ("arm64", "arm64 v1\n")]).await;
    index("b", &[("amd64", "amd64 v2\n"), ("s390x", "s390x v2\n")]).await;
    let cache = tempfile::tempdir().unwrap();
    let berth = berth_on(&registry, cache.path()).await;
    let b = logged_in(&berth, VIEWER).await;

    let page = b.get(&format!("/r/{repo}/-/compare?a=a&b=b")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("data-testid=\"platforms-removed\">linux/arm64<"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("data-testid=\"platforms-added\">linux/s390x<"));
    // The platform both have is the one compared, file by file.
    assert!(page.body.contains("<dd>linux/amd64</dd>"));
    assert!(page.body.contains("0 added, 0 removed, 1 changed"));
    let start = page.body.find("data-path=\"/etc/arch\"").expect("a diff");
    let diff = &page.body[start..start + page.body[start..].find("</pre>").unwrap()];
    assert!(
        diff.contains(">-amd64 v1<") && diff.contains(">+amd64 v2<"),
        "{diff}"
    );
    // A platform only one side has cannot be compared, and says so.
    let arm = b
        .get(&format!("/r/{repo}/-/compare?a=a&b=b&platform=linux/arm64"))
        .await;
    assert_eq!(arm.status, 404);
    assert!(
        arm.body.contains("b has no image for linux/arm64"),
        "{}",
        arm.body
    );

    // The files page picks a platform of an index.
    let files = b
        .get(&format!(
            "/r/{repo}/-/files/a?platform=linux/arm64&path=/etc/arch"
        ))
        .await;
    assert_eq!(files.status, 200, "{}", files.body);
    assert!(files.body.contains("class=\"ln\">1</span>arm64 v1<"));
    assert!(files
        .body
        .contains("<option value=\"linux/arm64\" selected"));
    let none = b
        .get(&format!("/r/{repo}/-/files/a?platform=linux/riscv64"))
        .await;
    assert_eq!(none.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_reads_as_the_dockerfile_of_classic_and_buildkit_builds() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let repo = "history/app";
    let two = [
        tar_of(&[("bin/sh", b"sh")]),
        tar_of(&[("usr/bin/curl", b"curl binary")]),
    ];
    let classic = serde_json::json!({
        "config": {},
        "history": [
            {"created_by": "/bin/sh -c #(nop) ADD file:3b1e0d5 in / "},
            {"created_by": "/bin/sh -c #(nop)  CMD [\"sh\"]", "empty_layer": true},
            {"created_by": "/bin/sh -c apk add --no-cache curl"}
        ]
    });
    let buildkit = serde_json::json!({
        "config": {},
        "history": [
            {"created_by": "COPY app/server /app/server # buildkit"},
            {"created_by": "ENV PATH=/usr/local/bin:/usr/bin", "empty_layer": true},
            {"created_by": "RUN |2 VERSION=1.2 TARGET=prod /bin/sh -c make release # buildkit"},
            {"created_by": "EXPOSE map[80/tcp:{} 53/udp:{}]", "empty_layer": true}
        ]
    });
    let (classic_digest, _) = push_image(
        &registry,
        repo,
        Some("classic"),
        &two,
        classic,
        serde_json::json!({}),
    )
    .await;
    push_image(
        &registry,
        repo,
        Some("buildkit"),
        &two,
        buildkit,
        serde_json::json!({}),
    )
    .await;
    let cache = tempfile::tempdir().unwrap();
    let berth = berth_on(&registry, cache.path()).await;
    let b = logged_in(&berth, VIEWER).await;

    let steps = |html: &str| -> Vec<String> {
        let start = html
            .find("<ol class=\"history dockerfile\"")
            .expect("the history");
        let list = &html[start..start + html[start..].find("</ol>").unwrap()];
        list.split("<li")
            .skip(1)
            .map(|li| {
                let code = li.find("<code").unwrap();
                let text = li[code..].find('>').unwrap() + code + 1;
                let end = li[text..].find("</code>").unwrap() + text;
                let mut step = li[text..end].replace("&quot;", "\"");
                if li.contains("empty layer") {
                    step.push_str(" [empty]");
                }
                if let Some(at) = li.find("class=\"layer-ref\"") {
                    let n = li[at..].find(">layer ").unwrap() + at + 7;
                    step.push_str(&format!(" [layer {}]", &li[n..n + 1]));
                }
                step
            })
            .collect()
    };
    let page = b.get(&format!("/r/{repo}/-/tag/classic")).await;
    assert_eq!(
        steps(&page.body),
        [
            "ADD file:3b1e0d5 in / [layer 1]",
            "CMD [\"sh\"] [empty]",
            "RUN apk add --no-cache curl [layer 2]",
        ]
    );
    // Each step links to its row of the layer table.
    let short = &classic_digest["sha256:".len().."sha256:".len() + 12];
    assert!(page.body.contains(&format!("href=\"#layer-{short}-2\"")));
    assert!(page.body.contains(&format!("id=\"layer-{short}-2\"")));
    let page = b.get(&format!("/r/{repo}/-/tag/buildkit")).await;
    assert_eq!(
        steps(&page.body),
        [
            "COPY app/server /app/server [layer 1]",
            "ENV PATH=/usr/local/bin:/usr/bin [empty]",
            "RUN make release [layer 2]",
            "EXPOSE 80/tcp 53/udp [empty]",
        ]
    );
    assert!(page.body.contains("with VERSION=1.2 TARGET=prod"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layer_over_the_limit_is_refused_with_a_clear_message() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    push(&registry, &noise(2 << 20)).await;
    let cache = tempfile::tempdir().unwrap();
    let mut flags = registry.registry_mode_flags();
    let dir = cache.path().to_str().unwrap().to_string();
    flags.extend(["--layer-cache-dir", &dir, "--layer-max-mb", "1"]);
    let berth = TestBerth::start(&flags).await;
    let b = logged_in(&berth, VIEWER).await;
    let page = b.get(&format!("/r/{REPO}/-/files/v1")).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("Berth will not read this layer"));
    assert!(
        page.body
            .contains("more than the 1 MB Berth reads (BERTH_LAYER_MAX_MB)"),
        "{}",
        page.body
    );
    // The tag page still shows, with its layers.
    assert_eq!(b.get(&format!("/r/{REPO}/-/tag/v1")).await.status, 200);
}

/// A field of `/proc/<pid>/status` in bytes (`VmHWM`, `RssAnon`, …).
pub(crate) fn status_bytes(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_mb_layer_is_listed_and_read_in_under_100_mb_of_memory() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    // 200 MiB of incompressible data in the gzip layer, a small file after.
    push(&registry, &noise(200 << 20)).await;
    let berth = crate::process::Process::start(
        &[
            ("BERTH_REGISTRY_URL", registry.url.as_str()),
            ("BERTH_AUTH", "registry"),
            ("BERTH_ADMINS", ADMIN.0),
        ],
        "/healthz",
    )
    .await;
    let b = Browser {
        base: berth.url.clone(),
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(120))
            .build()
            .unwrap(),
    };
    assert_eq!(b.login(VIEWER.0, VIEWER.1).await.status, 303);
    // The process's own memory (heap and stacks), sampled while it reads:
    // a debug binary's mapped code would swamp `VmHWM`, and says nothing
    // of what reading a layer costs.
    let pid = berth.child.id();
    let reading = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let reading = reading.clone();
        tokio::spawn(async move {
            let mut peak = 0;
            while reading.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(status_bytes(pid, "RssAnon"));
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            peak
        })
    };
    let page = b
        .get(&format!("/r/{REPO}/-/files/v1?layer=0&path=/big/tail.txt"))
        .await;
    reading.store(false, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.await.unwrap();
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("the end of the layer"));
    let hwm = status_bytes(pid, "VmHWM");
    println!(
        "peak anonymous RSS {} MB (VmHWM with the debug binary's code: {} MB)",
        peak >> 20,
        hwm >> 20
    );
    assert!(
        peak > 0 && peak < 100 << 20,
        "peak anonymous RSS {} MB",
        peak >> 20
    );
}

/// A layer whose one file is 10 GiB of zeros (eleven gzip members of
/// ~10 MB in all: a tar header, ten 1 GiB runs of zeros, the archive's
/// end), followed by a nesting deeper than Berth keeps a path of.
fn bomb() -> Vec<u8> {
    const GIB: u64 = 1 << 30;
    let mut head = tar::Header::new_gnu();
    head.set_entry_type(tar::EntryType::Regular);
    head.set_mode(0o644);
    head.set_size(10 * GIB);
    head.set_path("zeros").unwrap();
    head.set_cksum();
    let mut out = gzip(head.as_bytes());
    let member = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            e.write_all(&chunk).unwrap();
        }
        e.finish().unwrap()
    };
    for _ in 0..10 {
        out.extend_from_slice(&member);
    }
    // Then the nesting, and the archive's end.
    let mut b = tar::Builder::new(Vec::new());
    let deep = "d/".repeat(3000);
    b.append_data(
        &mut header(tar::EntryType::Regular, 0o644, 4),
        format!("{deep}bottom"),
        &b"deep"[..],
    )
    .unwrap();
    b.append_data(
        &mut header(tar::EntryType::Regular, 0o644, 5),
        "after.txt",
        &b"after"[..],
    )
    .unwrap();
    out.extend_from_slice(&gzip(&b.into_inner().unwrap()));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tar_bomb_is_listed_and_read_past_without_unpacking_it() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        ..Default::default()
    })
    .await;
    let repo = "bomb/app";
    let blob = bomb();
    assert!(blob.len() < 64 << 20, "{}", blob.len());
    let p = registry.pusher();
    let digest = p.push_blob(repo, &blob).await.unwrap();
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": []}, "config": {}
    })
    .to_string();
    let config_digest = p.push_blob(repo, config.as_bytes()).await.unwrap();
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": blob.len()}],
    })
    .to_string();
    p.put_manifest(
        repo,
        "v1",
        "application/vnd.oci.image.manifest.v1+json",
        manifest.as_bytes(),
    )
    .await
    .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let berth = berth_on(&registry, cache.path()).await;
    let b = logged_in(&berth, ADMIN).await;

    let page = b.get(&format!("/r/{repo}/-/files/v1?sort=size")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let paths = row_paths(&page.body);
    assert_eq!(paths[0], "/zeros");
    assert!(page.body.contains("10.7 GB"), "the bomb's size is shown");
    // The deep path is cut and says so; the file after it is listed.
    assert!(paths.iter().any(|p| p == "/after.txt"), "{paths:?}");
    assert!(page.body.contains("name cut"));
    // The file after 10 GiB of zeros opens from a checkpoint, and the
    // index of checkpoints stays small.
    let after = b
        .get(&format!("/r/{repo}/-/files/v1?path=/after.txt"))
        .await;
    assert_eq!(after.status, 200, "{}", after.body);
    assert!(after.body.contains("</span>after<"), "{}", after.body);
    let index: u64 = std::fs::read_dir(cache.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "idx"))
        .map(|e| e.metadata().unwrap().len())
        .sum();
    assert!(index < 4 << 20, "checkpoint index of {index} bytes");
}
