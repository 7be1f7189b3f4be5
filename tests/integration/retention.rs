//! Retention against a real registry:2, through `berth retention run`:
//! a repository of 61 tags (releases, 46 `main-<n>` builds of which the
//! newest is a multi-platform index with attestations, a release and a
//! build sharing one manifest, cosign signatures), the policy "keep the 10
//! newest `main-*`" (releases are outside its filter, so kept):
//! - the dry run lists exactly the expected tags, keeps the shared
//!   manifest with the reason, and takes signatures along with their image;
//! - a plan that went stale (a push after the dry run) is refused;
//! - apply deletes exactly those manifests, every other tag still resolves
//!   to its old digest, each deletion is in the audit log under the
//!   policy's name, and `garbage-collect` then frees the bytes the plan said.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use berth::seed::{ImageFormat, ImageSpec, Pusher};
use serde_json::Value;

use crate::support::index::{database_url, open};
use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::ADMIN;

pub(crate) const REPO: &str = "team-a/app";

pub(crate) fn image(name: &str, hour: u32) -> ImageSpec {
    let created = format!("2026-01-{:02}T{:02}:00:00Z", 1 + hour / 24, hour % 24);
    ImageSpec::new(
        ImageFormat::Oci,
        &created,
        &[("app/build", name), ("app/filler", &name.repeat(200))],
    )
}

/// `HEAD` of a tag: its digest, or `None` when the registry has no such tag.
pub(crate) async fn resolve(registry: &TestRegistry, tag: &str) -> Option<String> {
    let resp = registry
        .client()
        .head(format!("{}/v2/{REPO}/manifests/{tag}", registry.url))
        .basic_auth(ADMIN.0, Some(ADMIN.1))
        .header(
            "accept",
            "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json",
        )
        .send()
        .await
        .unwrap();
    if resp.status() == 404 {
        return None;
    }
    assert!(resp.status().is_success(), "HEAD {tag}: {}", resp.status());
    Some(
        resp.headers()["docker-content-digest"]
            .to_str()
            .unwrap()
            .to_string(),
    )
}

async fn manifest_bytes(registry: &TestRegistry, digest: &str) -> Vec<u8> {
    registry
        .client()
        .get(format!("{}/v2/{REPO}/manifests/{digest}", registry.url))
        .basic_auth(ADMIN.0, Some(ADMIN.1))
        .header("accept", "application/vnd.oci.image.manifest.v1+json")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

/// Pushes the repository; returns every tag's digest.
pub(crate) async fn push_all(registry: &TestRegistry, p: &Pusher) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::new();
    for (i, v) in [
        "v0.9.0",
        "v1.0.0",
        "v1.1.0",
        "v1.2.0",
        "v1.3.0",
        "v1.4.0",
        "v1.5.0",
        "v1.10.0",
        "v2.0.0",
        "v2.1.0",
        "v2.2.0-rc1",
        "v2.2.0",
    ]
    .iter()
    .enumerate()
    {
        let pushed = p.push_image(REPO, v, &image(v, i as u32)).await.unwrap();
        tags.insert(v.to_string(), pushed.digest);
    }
    for n in 0..45u32 {
        let tag = format!("main-{n:03}");
        let pushed = p
            .push_image(REPO, &tag, &image(&tag, 10 + n))
            .await
            .unwrap();
        tags.insert(tag, pushed.digest);
    }
    // The release v0.9.0 was promoted from the build main-005's manifest.
    let shared = tags["v0.9.0"].clone();
    let body = manifest_bytes(registry, &shared).await;
    p.put_manifest(
        REPO,
        "main-005",
        "application/vnd.oci.image.manifest.v1+json",
        &body,
    )
    .await
    .unwrap();
    tags.insert("main-005".into(), shared);
    // The newest build is a two-platform index with attestations.
    let index = p
        .push_attested_index(
            REPO,
            "main-045",
            &[
                image("main-045 amd64", 60),
                image("main-045 arm64", 60).platform("linux", "arm64", Some("v8")),
            ],
        )
        .await
        .unwrap();
    tags.insert("main-045".into(), index.digest);
    // Signatures of a build that goes and of one that stays.
    for n in ["main-002", "main-044"] {
        let sig = p
            .push_cosign_signature(REPO, &tags[n].clone())
            .await
            .unwrap();
        let digest = resolve(registry, &sig).await.unwrap();
        tags.insert(sig, digest);
    }
    tags
}

fn retention(
    registry: &TestRegistry,
    db_url: &str,
    file: &std::path::Path,
    args: &[&str],
) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_berth"));
    cmd.env_clear()
        .args(registry.registry_mode_flags())
        .args(["--database-url", db_url])
        .args(["--index-username", ADMIN.0, "--index-password", ADMIN.1])
        .args(["--retention-file", file.to_str().unwrap()])
        .args(["retention", "run"])
        .args(args);
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn plan_of(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn tags_in(repo_plan: &Value, list: &str) -> BTreeSet<String> {
    repo_plan[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["tag"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_plans_exactly_applies_only_a_reviewed_plan_and_frees_what_it_said() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    let before = push_all(&registry, &p).await;
    assert_eq!(before.len(), 60, "{before:?}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policies.toml");
    std::fs::write(
        &file,
        "[[policy]]\nname = \"ci-builds\"\nrepositories = \"team-a/**\"\ntags = \"main-*\"\nkeep_last = 10\n",
    )
    .unwrap();
    let db_url = database_url();

    // The dry run.
    let (code, out, err) = retention(&registry, &db_url, &file, &["--json"]);
    assert_eq!(code, 0, "{err}");
    let plan = plan_of(&out);
    let policy = &plan["policies"][0];
    assert_eq!(policy["name"], "ci-builds");
    let repo = &policy["repositories"][0];
    assert_eq!(repo["repository"], REPO);
    let sig_of = |tag: &str| format!("{}.sig", before[tag].replacen(':', "-", 1));
    let mut expected: BTreeSet<String> = (0..36)
        .filter(|n| *n != 5)
        .map(|n| format!("main-{n:03}"))
        .collect();
    expected.insert(sig_of("main-002"));
    assert_eq!(tags_in(repo, "delete"), expected);
    let kept = tags_in(repo, "keep");
    for n in 36..46 {
        assert!(
            kept.contains(&format!("main-{n:03}")),
            "main-{n:03} in {kept:?}"
        );
    }
    assert!(kept.contains(&sig_of("main-044")));
    let shared = repo["keep"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["tag"] == "main-005")
        .expect("main-005 is kept");
    assert_eq!(
        shared["rule"],
        "shares its digest with kept tag v0.9.0: deleting it would delete that too"
    );
    let gone_sig = repo["delete"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tag"] == sig_of("main-002").as_str())
        .unwrap();
    assert_eq!(
        gone_sig["reason"],
        "signs or describes main-002, which is deleted"
    );
    assert_eq!(repo["digests"].as_array().unwrap().len(), 36);
    let hash = plan["plan_hash"].as_str().unwrap().to_string();

    // The text form says the same, and that nothing was deleted.
    let (code, text, _) = retention(&registry, &db_url, &file, &[]);
    assert_eq!(code, 0);
    assert!(text.contains("delete 36 tags (36 manifests)"), "{text}");
    assert!(text.contains("Dry run: nothing was deleted"), "{text}");

    // A push after the dry run: the reviewed plan is stale and refused.
    p.push_image(REPO, "main-046", &image("main-046", 70))
        .await
        .unwrap();
    let (code, _, err) = retention(
        &registry,
        &db_url,
        &file,
        &["--apply", "--plan-hash", &hash],
    );
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("the registry changed since the plan was made"),
        "{err}"
    );
    for (tag, digest) in &before {
        assert_eq!(
            resolve(&registry, tag).await.as_ref(),
            Some(digest),
            "{tag} untouched"
        );
    }

    // The new plan, reviewed, then applied.
    let (code, out, _) = retention(&registry, &db_url, &file, &["--json"]);
    assert_eq!(code, 0);
    let plan = plan_of(&out);
    let repo = &plan["policies"][0]["repositories"][0];
    expected.insert("main-036".into());
    assert_eq!(tags_in(repo, "delete"), expected);
    let frees = repo["frees_bytes"]
        .as_u64()
        .expect("the index gives a figure");
    assert!(frees > 0);
    let hash = plan["plan_hash"].as_str().unwrap().to_string();
    let (code, out, err) = retention(
        &registry,
        &db_url,
        &file,
        &["--apply", "--plan-hash", &hash],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("37 of 37 manifests deleted."), "{out}");
    for (tag, digest) in &before {
        let now = resolve(&registry, tag).await;
        if expected.contains(tag) {
            assert_eq!(now, None, "{tag} should be gone");
        } else {
            assert_eq!(now.as_ref(), Some(digest), "{tag} still at its digest");
        }
    }
    let db = open(&db_url).await;
    let rows = db
        .audit_rows(&Default::default(), None, 0, 100)
        .await
        .unwrap();
    let ours: Vec<_> = rows
        .iter()
        .filter(|r| r.detail == "retention policy \"ci-builds\"" && r.result == "ok")
        .collect();
    assert_eq!(ours.len(), 37, "{rows:?}");

    // garbage-collect frees what the plan said.
    let on_disk = registry.blob_bytes_on_disk();
    registry.garbage_collect();
    assert_eq!(on_disk - registry.blob_bytes_on_disk(), frees);

    // Nothing left to do: a second run plans no deletion.
    let (code, out, _) = retention(&registry, &db_url, &file, &["--json"]);
    assert_eq!(code, 0);
    assert!(plan_of(&out)["policies"][0]["repositories"][0]["delete"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn bad_policy_files_stop_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, "[[policy]]\nname = \"x\"\nrepositories = \"a/[\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_berth"))
        .env_clear()
        .args(["--registry-url", "http://127.0.0.1:9", "--retention-file"])
        .arg(&file)
        .args(["retention", "run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("repositories is not a valid glob"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn read_only_refuses_an_apply_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, "[[policy]]\nname = \"x\"\nrepositories = \"a/**\"\n").unwrap();
    let db = format!("sqlite://{}/berth.db", dir.path().display());
    let out = Command::new(env!("CARGO_BIN_EXE_berth"))
        .env_clear()
        .args([
            "--registry-url",
            "http://127.0.0.1:9",
            "--read-only",
            "true",
        ])
        .args(["--database-url", &db, "--retention-file"])
        .arg(&file)
        .args(["retention", "run", "--apply"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BERTH_READ_ONLY is set"), "{err}");
}

/// `keep_last` ranks tags by when the registry got them, not by when their
/// images were built. Five tags pushed 300 ms apart with notifications on,
/// built in 2026, 2025 (a two-platform index, dated by its newest image),
/// 1970 (a reproducible build), 2019 (an old source rebuilt) and 1970
/// again: `keep_last = 2` keeps the last two pushed, deletes the three
/// before them, and each line says which clock ranked it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_last_keeps_the_last_pushed_whatever_their_build_dates() {
    const TOKEN: &str = "events-token-0123456789";
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let events = format!("http://{}/events", listener.local_addr().unwrap());
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        notify: Some((events, TOKEN.into())),
        ..Default::default()
    })
    .await;
    let db_url = database_url();
    let mut flags = registry.registry_mode_flags();
    flags.extend(["--database-url", db_url.as_str(), "--events-token", TOKEN]);
    let _berth = crate::support::TestBerth::start_on(listener, &flags).await;
    let built = |name: &str, created: &str| {
        ImageSpec::new(ImageFormat::Oci, created, &[("app/build", name)])
    };
    let p = registry.pusher();
    let pause = || tokio::time::sleep(std::time::Duration::from_millis(300));
    p.push_image(
        REPO,
        "new-build",
        &built("new-build", "2026-01-01T00:00:00Z"),
    )
    .await
    .unwrap();
    pause().await;
    let amd64 = built("2.0 amd64", "2025-06-01T00:00:00Z");
    let arm64 = built("2.0 arm64", "2025-06-02T00:00:00Z").platform("linux", "arm64", Some("v8"));
    // The platform images by digest alone: the index is the only tag.
    let by_digest = |spec: &ImageSpec| {
        let image = berth::seed::images::build(spec);
        let digest = berth::registry::digest::sha256_of(&image.manifest);
        let p = p.clone();
        async move { p.push_built(REPO, &digest, &image).await.unwrap() }
    };
    let (a, b) = (by_digest(&amd64).await, by_digest(&arm64).await);
    p.push_index(REPO, "2.0", &[(&amd64, &a), (&arm64, &b)])
        .await
        .unwrap();
    for (tag, created) in [
        ("repro-a", "1970-01-01T00:00:00Z"),
        ("old-rebuild", "2019-01-01T00:00:00Z"),
        ("repro-b", "1970-01-01T00:00:00Z"),
    ] {
        pause().await;
        p.push_image(REPO, tag, &built(tag, created)).await.unwrap();
    }
    // Every tagged push is recorded from its notification.
    let db = open(&db_url).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let tagged = db
            .recent_events(Some("push"), Some(REPO), 100)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| !e.tag.is_empty())
            .count();
        if tagged == 5 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{tagged} of 5 pushes notified"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policies.toml");
    std::fs::write(
        &file,
        format!("[[policy]]\nname = \"last-two\"\nrepositories = \"{REPO}\"\nkeep_last = 2\n"),
    )
    .unwrap();
    let (code, out, err) = retention(&registry, &db_url, &file, &["--json"]);
    assert_eq!(code, 0, "{err}");
    let plan = plan_of(&out);
    let repo = &plan["policies"][0]["repositories"][0];
    assert_eq!(
        tags_in(repo, "delete"),
        BTreeSet::from(["new-build".into(), "2.0".into(), "repro-a".into()])
    );
    assert_eq!(
        tags_in(repo, "keep"),
        BTreeSet::from(["old-rebuild".into(), "repro-b".into()])
    );
    let rule = |tag: &str| {
        repo["keep"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["tag"] == tag)
            .map(|k| k["rule"].as_str().unwrap().to_string())
    };
    assert_eq!(
        rule("repro-b").unwrap(),
        "keep_last 2 (newest #1, by push time, from the registry's notification)"
    );
    let gone = repo["delete"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tag"] == "new-build")
        .unwrap();
    assert_eq!(
        gone["reason"],
        "not among the 2 newest (#5, by push time, from the registry's notification)"
    );
}
