//! The registry index's figures: a full sync of the seeded registry against
//! an ideal client making the same requests, a resync of the unchanged
//! registry, the database's size per 10,000 tags, and search, storage and
//! the landing page over 100,000 tags in 10,000 repositories.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};

use berth::store::index::{EdgeRole, IndexEdge, IndexKind, IndexedManifest, SyncRecord};
use berth::store::Database;

use crate::common::{Berth, Client};
use crate::{ms, row, Args, Row};

/// Tags per repository in the search database: 10,000 repositories make
/// the 100,000 tags the goal names.
const SEARCH_TAGS_PER_REPO: usize = 10;

pub async fn figures(args: &Args, rows: &mut Vec<Row>) {
    let dir = std::env::temp_dir().join(format!("berth-bench-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("index bench dir");
    let db_url = format!("sqlite://{}/berth.db", dir.display());
    let env = [
        ("BERTH_ADMINS", args.username.as_str()),
        ("BERTH_DATABASE_URL", db_url.as_str()),
        ("BERTH_INDEX_USERNAME", args.username.as_str()),
        ("BERTH_INDEX_PASSWORD", args.password.as_str()),
        // Syncs only when asked, so each one is measured alone.
        ("BERTH_INDEX_INTERVAL", "0"),
    ];
    let berth = Berth::start(&args.berth_bin, &args.registry_url, &args.listen, &env).await;
    let client = Berth::login(&args.listen, &args.username, &args.password).await;
    let db = Database::connect(&db_url)
        .await
        .expect("the index database");

    // The ideal client first, so both start from a registry equally warm.
    let base: url::Url = args.registry_url.parse().expect("registry URL");
    let (ideal, ideal_requests) = ideal_sync(&base, &args.username, &args.password).await;
    let first = sync_now(&client, &db, 1).await;
    let took = Duration::from_millis((first.finished_ms - first.started_ms) as u64);
    rows.push(row(
        "I0 ideal client: catalog, tag lists, HEAD per tag, each new manifest + config",
        format!("{:.1} s ({ideal_requests} requests)", ideal.as_secs_f64()),
        "reference",
        None,
    ));
    let ratio = took.as_secs_f64() / ideal.as_secs_f64();
    rows.push(row(
        &format!(
            "I1 full index sync, {} repositories, {} tags",
            first.repositories, first.tags
        ),
        format!(
            "{:.1} s = {ratio:.2} × ideal ({} requests, {} manifests described)",
            took.as_secs_f64(),
            first.requests,
            first.fetched
        ),
        "≤ 1.5 × ideal",
        Some(ratio <= 1.5 && first.error.is_empty()),
    ));
    let second = sync_now(&client, &db, 2).await;
    let floor = 1 + second.repositories + second.tags;
    rows.push(row(
        "I2 resync of the unchanged registry",
        format!(
            "{:.1} s, {} requests (catalog pages + tag lists + HEADs = {floor}), {} fetched",
            (second.finished_ms - second.started_ms) as f64 / 1000.0,
            second.requests,
            second.fetched
        ),
        "fetches nothing",
        Some(second.fetched == 0 && second.error.is_empty()),
    ));
    let bytes = database_bytes(&dir);
    rows.push(row(
        "I3 database size per 10,000 tags (after I1)",
        format!(
            "{:.2} MB ({:.1} MB for {} tags)",
            bytes as f64 / first.tags.max(1) as f64 * 10_000.0 / 1e6,
            bytes as f64 / 1e6,
            first.tags
        ),
        "reported",
        None,
    ));
    drop(berth);

    // After a restart: the big repository's page straight from the index.
    let berth = Berth::start(&args.berth_bin, &args.registry_url, &args.listen, &env).await;
    let client = Berth::login(&args.listen, &args.username, &args.password).await;
    let first = client.timed(&format!("/r/{}", crate::BIG)).await;
    let html = client.page(&format!("/r/{}", crate::BIG)).await;
    let shown = html.matches("<tr data-tag=").count();
    rows.push(row(
        &format!(
            "I5 {}-tag page, first view after a restart, from the index",
            shown
        ),
        format!("{:.1} ms", ms(first)),
        "≤ 100 ms",
        Some(ms(first) <= 100.0 && shown == args.tags),
    ));
    drop(berth);

    let repos = db.index_repositories().await.expect("repositories");
    search_figures(args, rows, &repos, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Search over ten tags for each of `repos` (the registry's own names, so
/// each searcher's catalog holds them), written straight into a database
/// of its own: the search reads only the index.
async fn search_figures(args: &Args, rows: &mut Vec<Row>, repos: &[String], dir: &std::path::Path) {
    // Search: the same repository names, ten tags each, written straight
    // into a database of its own (the search reads only the index).
    let search_dir = dir.join("search");
    std::fs::create_dir_all(&search_dir).expect("search dir");
    let search_url = format!("sqlite://{}/berth.db", search_dir.display());
    let started = Instant::now();
    let reused = search_dir.join("berth.db").exists() && args.search_db.is_some();
    let tags = if reused {
        let db = Database::connect(&search_url)
            .await
            .expect("search database");
        db.migrate().await.expect("migrate");
        repos.len() * SEARCH_TAGS_PER_REPO
    } else {
        fill_search_database(&search_url, repos).await
    };
    eprintln!(
        "search database: {tags} tags in {} repositories, written in {:.0} s",
        repos.len(),
        started.elapsed().as_secs_f64()
    );
    let env = [
        ("BERTH_ADMINS", args.username.as_str()),
        ("BERTH_DATABASE_URL", search_url.as_str()),
        ("BERTH_INDEX_USERNAME", args.username.as_str()),
        ("BERTH_INDEX_PASSWORD", args.password.as_str()),
        ("BERTH_INDEX_INTERVAL", "0"),
    ];
    let _berth = Berth::start(&args.berth_bin, &args.registry_url, &args.listen, &env).await;
    let client = Berth::login(&args.listen, &args.username, &args.password).await;
    let layer = layer_digest(4_242);
    let queries = [
        ("a repository name", "repo-00421"),
        ("a tag", "v3.2.7"),
        ("a layer digest", &layer[7..19]),
        ("a label", "label:team=ns03"),
        ("a platform and a kind", "platform:linux/arm64 kind:index"),
        ("nothing", "no-such-thing"),
    ];
    let mut worst = Duration::ZERO;
    let mut parts = Vec::new();
    for (what, q) in queries {
        let path = format!("/search?q={}", berth::routes::encode(q));
        // Warm: the caller's catalog and pull checks are cached once.
        let page = client.page(&path).await;
        let hits = page.matches("data-hit=").count();
        let p50 = client.median_of(&path, args.samples).await;
        worst = worst.max(p50);
        parts.push(format!("{what} {:.1} ms ({hits} hits)", ms(p50)));
    }
    rows.push(row(
        &format!(
            "I4 search p50, {tags} tags in {} repositories, warm (worst query)",
            repos.len()
        ),
        format!("{:.1} ms: {}", ms(worst), parts.join("; ")),
        "≤ 20 ms",
        Some(ms(worst) <= 20.0),
    ));

    // Storage over the same index: the first view reads the whole graph;
    // later views reuse it while the index is unchanged.
    let first = client.timed("/storage").await;
    let page = client.page("/storage").await;
    let shown = page.matches("<tr data-repository=").count();
    let warm = client.median_of("/storage", args.samples).await;
    rows.push(row(
        &format!(
            "I6 storage page, {tags} tags in {} repositories",
            repos.len()
        ),
        format!(
            "warm {:.1} ms (first view {:.0} ms, {shown} repositories listed)",
            ms(warm),
            ms(first)
        ),
        "warm ≤ 50 ms",
        Some(ms(warm) <= 50.0 && shown > 0),
    ));
    let home = client.median_of("/", args.samples).await;
    rows.push(row(
        "I7 landing page with the overview, same index, warm",
        format!("{:.1} ms", ms(home)),
        "≤ 20 ms (P2's goal)",
        Some(ms(home) <= 20.0),
    ));
}

/// `--only-search`: the registry's names from its catalog, then the search figure.
pub async fn search_only(args: &Args, rows: &mut Vec<Row>) {
    let base: url::Url = args.registry_url.parse().expect("registry URL");
    let http = reqwest::Client::new();
    let (repos, _) = catalog(&http, &base, &args.username, &args.password).await;
    let temp = std::env::temp_dir().join(format!("berth-bench-search-{}", std::process::id()));
    let dir = args.search_db.clone().unwrap_or(temp);
    if args.search_db.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    std::fs::create_dir_all(&dir).expect("search bench dir");
    search_figures(args, rows, &repos, &dir).await;
    if args.search_db.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Asks for a sync through the registry page's form and waits for sync
/// number `n` to be recorded.
async fn sync_now(client: &Client, db: &Database, n: usize) -> SyncRecord {
    let page = client.page("/admin/registry").await;
    let marker = "name=\"csrf\" value=\"";
    let at = page.find(marker).expect("the sync form's token") + marker.len();
    let csrf = &page[at..at + 64];
    let resp = client
        .http
        .post(format!("{}/admin/registry/sync", client.base))
        .header("cookie", &client.cookie)
        .header("origin", &client.base)
        .header("sec-fetch-site", "same-origin")
        .form(&[("csrf", csrf)])
        .send()
        .await
        .expect("sync now");
    assert_eq!(resp.status(), 303, "sync now");
    loop {
        let runs = db.index_recent_syncs(10).await.expect("syncs");
        if runs.len() >= n {
            return runs.into_iter().next().expect("a sync");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What Berth's sync asks, with nothing else: the catalog (following
/// `Link`), 4 repositories at a time a tag list and a `HEAD` per tag (16
/// at a time), then each distinct digest's manifest and config once.
async fn ideal_sync(base: &url::Url, user: &str, password: &str) -> (Duration, usize) {
    let http = reqwest::Client::new();
    let accept = berth::registry::media_types::MANIFEST_ACCEPT;
    let started = Instant::now();
    let (repos, pages) = catalog(&http, base, user, password).await;
    let mut requests = pages;
    let per_repo: Vec<(usize, Vec<String>)> = stream::iter(repos)
        .map(|repo| {
            let http = http.clone();
            async move {
                let list: serde_json::Value = http
                    .get(base.join(&format!("/v2/{repo}/tags/list")).unwrap())
                    .basic_auth(user, Some(password))
                    .send()
                    .await
                    .expect("tags")
                    .json()
                    .await
                    .expect("tags json");
                let tags: Vec<String> =
                    serde_json::from_value(list["tags"].clone()).unwrap_or_default();
                let n = tags.len();
                let digests: Vec<String> = stream::iter(tags)
                    .map(|tag| {
                        let http = http.clone();
                        let repo = repo.clone();
                        async move {
                            http.head(base.join(&format!("/v2/{repo}/manifests/{tag}")).unwrap())
                                .basic_auth(user, Some(password))
                                .header("accept", accept)
                                .send()
                                .await
                                .expect("head")
                                .headers()
                                .get("docker-content-digest")
                                .and_then(|d| d.to_str().ok())
                                .map(|d| format!("{repo}@{d}"))
                                .unwrap_or_default()
                        }
                    })
                    .buffer_unordered(16)
                    .collect()
                    .await;
                (1 + n, digests)
            }
        })
        .buffer_unordered(4)
        .collect()
        .await;
    let mut seen = BTreeSet::new();
    let mut fetch = Vec::new();
    for (n, digests) in per_repo {
        requests += n;
        for d in digests {
            let (repo, digest) = d.split_once('@').unwrap_or_default();
            if seen.insert(digest.to_string()) {
                fetch.push((repo.to_string(), digest.to_string()));
            }
        }
    }
    let fetched: Vec<usize> = stream::iter(fetch)
        .map(|(repo, digest)| {
            let http = http.clone();
            async move {
                let m: serde_json::Value = http
                    .get(
                        base.join(&format!("/v2/{repo}/manifests/{digest}"))
                            .unwrap(),
                    )
                    .basic_auth(user, Some(password))
                    .header("accept", accept)
                    .send()
                    .await
                    .expect("manifest")
                    .json()
                    .await
                    .expect("manifest json");
                let Some(config) = m["config"]["digest"].as_str() else {
                    return 1;
                };
                http.get(base.join(&format!("/v2/{repo}/blobs/{config}")).unwrap())
                    .basic_auth(user, Some(password))
                    .send()
                    .await
                    .expect("config")
                    .bytes()
                    .await
                    .expect("config body");
                2
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    requests += fetched.iter().sum::<usize>();
    (started.elapsed(), requests)
}

/// Every repository the catalog lists, following `Link`; and the pages read.
async fn catalog(
    http: &reqwest::Client,
    base: &url::Url,
    user: &str,
    password: &str,
) -> (Vec<String>, usize) {
    let (mut repos, mut pages) = (Vec::new(), 0);
    let mut next = Some(base.join("/v2/_catalog?n=1000").unwrap());
    while let Some(url) = next.take() {
        let resp = http
            .get(url)
            .basic_auth(user, Some(password))
            .send()
            .await
            .expect("catalog");
        pages += 1;
        next = resp
            .headers()
            .get("link")
            .and_then(|l| l.to_str().ok())
            .and_then(|l| l.split(['<', '>']).nth(1))
            .map(|p| base.join(p).unwrap());
        let page: serde_json::Value = resp.json().await.expect("catalog json");
        for r in page["repositories"].as_array().cloned().unwrap_or_default() {
            repos.push(r.as_str().unwrap_or_default().to_string());
        }
    }
    (repos, pages)
}

fn database_bytes(dir: &std::path::Path) -> u64 {
    ["berth.db", "berth.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum()
}

/// A made-up digest, distinct for each (salt, n) from its first digits.
fn hex_of(n: usize, salt: char) -> String {
    berth::registry::Digest::of(format!("{salt}{n}").as_bytes()).to_string()
}

fn layer_digest(n: usize) -> String {
    hex_of(n, 'a')
}

/// Ten tags per repository: a distinct image each (config, two layers,
/// one shared base layer), every tenth an index of two platforms, with
/// a `team` label naming the namespace.
async fn fill_search_database(url: &str, repos: &[String]) -> usize {
    let db = Database::connect(url).await.expect("search database");
    db.migrate().await.expect("migrate");
    let base_layer = hex_of(0, 'b');
    let mut n = 0;
    let mut tags = 0;
    for repo in repos {
        let namespace = repo.split('/').next().unwrap_or_default().to_string();
        let mut pairs = Vec::new();
        for t in 0..SEARCH_TAGS_PER_REPO {
            n += 1;
            let image = |n: usize, platform: &str| IndexedManifest {
                digest: hex_of(n, 'c'),
                media_type: "application/vnd.oci.image.manifest.v1+json".into(),
                kind: IndexKind::Image,
                bytes: 500,
                size: Some(3_000_000),
                created: Some(1_700_000_000 + n as i64),
                platform: platform.into(),
                artifact: String::new(),
                artifact_type: String::new(),
                subject: String::new(),
                edges: vec![
                    edge(hex_of(n, 'd'), EdgeRole::Config, 1_000, ""),
                    edge(base_layer.clone(), EdgeRole::Layer, 2_000_000, ""),
                    edge(layer_digest(n), EdgeRole::Layer, 999_000, ""),
                ],
                labels: vec![("team".into(), namespace.clone())],
            };
            let amd = image(n, "linux/amd64");
            db.index_put_manifest(&amd).await.expect("manifest");
            let digest = if t == 9 {
                n += 1;
                let arm = image(n, "linux/arm64/v8");
                db.index_put_manifest(&arm).await.expect("manifest");
                let index = IndexedManifest {
                    digest: hex_of(n, 'e'),
                    media_type: "application/vnd.oci.image.index.v1+json".into(),
                    kind: IndexKind::Index,
                    bytes: 700,
                    size: None,
                    created: None,
                    platform: String::new(),
                    artifact: String::new(),
                    artifact_type: String::new(),
                    subject: String::new(),
                    edges: vec![
                        edge(amd.digest.clone(), EdgeRole::Manifest, 500, "linux/amd64"),
                        edge(
                            arm.digest.clone(),
                            EdgeRole::Manifest,
                            500,
                            "linux/arm64/v8",
                        ),
                    ],
                    labels: Vec::new(),
                };
                db.index_put_manifest(&index).await.expect("index");
                index.digest
            } else {
                amd.digest
            };
            pairs.push((format!("v{}.{}.{t}", n % 7, n % 5), digest));
        }
        tags += pairs.len();
        db.index_set_tags(repo, &pairs, 0, 1_700_000_000_000)
            .await
            .expect("tags");
    }
    tags
}

fn edge(child: String, role: EdgeRole, size: u64, platform: &str) -> IndexEdge {
    IndexEdge {
        child,
        role,
        size,
        platform: platform.into(),
        about: String::new(),
    }
}
