//! Berth's benchmark: seeds a real registry:2 through the Registry API,
//! starts the release build of Berth as a child process (fresh, so caches
//! are empty when a figure needs them empty), measures each figure and
//! prints it next to its goal. It is not a test: nothing fails on a slow
//! machine. `bench/run.sh` is the one command that runs it.

use std::process::Command;
use std::time::{Duration, Instant};

mod common;
mod index_figures;
mod layer_figures;
use common::{median, parse_wrk_time, Berth, BROWSER_ACCEPT_ENCODING};

use berth::registry::Credentials;
use berth::seed::Pusher;
use clap::Parser;
use futures::stream::{self, StreamExt};

#[derive(Parser)]
#[command(
    name = "berth-bench",
    about = "Measure Berth against a real registry:2"
)]
struct Args {
    /// The registry to seed and read (htpasswd auth, delete enabled)
    #[arg(long)]
    registry_url: String,
    #[arg(long, default_value = "admin")]
    username: String,
    #[arg(long, default_value = "admin")]
    password: String,
    /// Push the content first (skip when the registry is already seeded)
    #[arg(long)]
    seed: bool,
    /// Repositories across 10 namespaces
    #[arg(long, default_value_t = 10_000)]
    repos: usize,
    /// Tags in the big repository
    #[arg(long, default_value_t = 2_000)]
    tags: usize,
    /// Samples for the warm medians
    #[arg(long, default_value_t = 50)]
    samples: usize,
    /// Cold rounds (each with a fresh Berth)
    #[arg(long, default_value_t = 3)]
    cold_rounds: usize,
    /// wrk duration in seconds for the load figure
    #[arg(long, default_value_t = 20)]
    wrk_seconds: u64,
    /// The Berth binary to start
    #[arg(long, default_value = "target/release/berth")]
    berth_bin: String,
    #[arg(long, default_value = "127.0.0.1:3090")]
    listen: String,
    /// Also time a full load of the big page in Chromium with this script
    #[arg(long)]
    browser_script: Option<String>,
    /// Only the search figure, on a registry seeded before (for trying
    /// changes to search without the whole run).
    #[arg(long)]
    only_search: bool,
    /// With `--only-search`: keep the search database in this directory,
    /// and reuse it when it is already there (fills take a minute and a half).
    #[arg(long)]
    search_db: Option<std::path::PathBuf>,
    /// Only the layer figures (a 200 MiB layer pushed, listed and read).
    #[arg(long)]
    only_layers: bool,
    /// The layer figures' child process: DIGEST@SIZE to list and read.
    #[arg(long, hide = true)]
    layer_child: Option<String>,
}

const BIG: &str = "bench/big";
const SMALL: &str = "bench/app";

struct Row {
    figure: String,
    measured: String,
    goal: String,
    verdict: &'static str,
}

fn row(figure: &str, measured: String, goal: &str, ok: Option<bool>) -> Row {
    Row {
        figure: figure.into(),
        measured,
        goal: goal.into(),
        verdict: match ok {
            Some(true) => "meets",
            Some(false) => "MISSES",
            None => "info",
        },
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Some(layer) = &args.layer_child {
        let (digest, size) = layer.split_once('@').expect("DIGEST@SIZE");
        layer_figures::child(&args, digest, size.parse().expect("size")).await;
        return;
    }
    if args.only_layers {
        let mut rows = Vec::new();
        layer_figures::layers_only(&args, &mut rows).await;
        print_table(&rows);
        return;
    }
    if args.only_search {
        let mut rows = Vec::new();
        index_figures::search_only(&args, &mut rows).await;
        print_table(&rows);
        return;
    }
    let creds = Credentials::Basic {
        username: args.username.clone(),
        password: args.password.clone(),
    };
    let base: url::Url = args.registry_url.parse().expect("registry URL");
    if args.seed {
        let started = Instant::now();
        seed(
            &Pusher::new(base.clone(), creds.clone()),
            args.repos,
            args.tags,
        )
        .await;
        eprintln!(
            "seeded {} repositories and {} tags in {:.0} s",
            args.repos,
            args.tags,
            started.elapsed().as_secs_f64()
        );
    }
    let mut rows = Vec::new();

    // P1: cold tag page against the ideal client, alternating, medians.
    let (mut ideal, mut cold) = (Vec::new(), Vec::new());
    for _ in 0..args.cold_rounds {
        ideal.push(ideal_client(&base, &args.username, &args.password, BIG).await);
        let _berth = Berth::start(&args.berth_bin, &args.registry_url, &args.listen, &[]).await;
        let client = Berth::login(&args.listen, &args.username, &args.password).await;
        let started = Instant::now();
        let html = client.page(&format!("/r/{BIG}")).await;
        cold.push(started.elapsed());
        let rows_seen = html.matches("<tr data-tag=").count();
        assert_eq!(rows_seen, args.tags, "the cold page must hold every row");
        assert!(html.contains("linux/amd64"), "rows carry platforms");
    }
    let (ideal, cold) = (median(ideal), median(cold));
    let ratio = cold.as_secs_f64() / ideal.as_secs_f64();
    rows.push(row(
        "P1 ideal client (manifest + config per tag, 16 at a time)",
        format!("{:.0} ms", ms(ideal)),
        "reference",
        None,
    ));
    rows.push(row(
        &format!("P1 cold tag page, {} tags, complete HTML", args.tags),
        format!("{:.0} ms = {ratio:.2} × ideal", ms(cold)),
        "≤ 1.5 × ideal",
        Some(ratio <= 1.5),
    ));

    // One Berth for the warm figures.
    let berth = Berth::start(&args.berth_bin, &args.registry_url, &args.listen, &[]).await;
    let client = Berth::login(&args.listen, &args.username, &args.password).await;
    let idle = berth.rss_kib();
    let html = client.page(&format!("/r/{BIG}")).await;
    let warm = client.median_of(&format!("/r/{BIG}"), args.samples).await;
    rows.push(row(
        "P1w same page, warm (median of samples)",
        format!("{:.1} ms", ms(warm)),
        "≤ 15 ms",
        Some(ms(warm) <= 15.0),
    ));
    let rows_alone = row_bytes(&html);
    let weight = html.len() as f64 / rows_alone.max(1) as f64;
    rows.push(row(
        "P1w page HTML against its rows alone (uncompressed)",
        format!(
            "{weight:.3} × ({:.0} KB page, {:.0} KB rows)",
            html.len() as f64 / 1000.0,
            rows_alone as f64 / 1000.0
        ),
        "≤ 1.2 ×",
        Some(weight <= 1.2),
    ));

    client.page("/").await;
    let catalog = client.median_of("/", args.samples).await;
    let filtered = client.median_of("/?q=ns03", args.samples).await;
    rows.push(row(
        &format!("P2 catalog, {} repositories, warm", args.repos),
        format!("{:.1} ms", ms(catalog)),
        "≤ 20 ms",
        Some(ms(catalog) <= 20.0),
    ));
    rows.push(row(
        "P2 catalog with a filter, warm",
        format!("{:.1} ms", ms(filtered)),
        "≤ 20 ms",
        Some(ms(filtered) <= 20.0),
    ));

    client.page(&format!("/r/{SMALL}")).await;
    match wrk(
        &args,
        &client.cookie,
        &format!("http://{}/r/{SMALL}", args.listen),
    ) {
        Some((rps, p99)) => {
            rows.push(row(
                "P3 warm repository page, wrk -t2 -c50",
                format!("{rps:.0} req/s"),
                "≥ 6,000 req/s",
                Some(rps >= 6000.0),
            ));
            rows.push(row(
                "P3 p99 latency under that load",
                format!("{p99:.1} ms"),
                "≤ 30 ms",
                Some(p99 <= 30.0),
            ));
        }
        None => rows.push(row(
            "P3 warm repository page under load",
            "wrk not found or failed".into(),
            "≥ 6,000 req/s, p99 ≤ 30 ms",
            None,
        )),
    }
    let after = berth.rss_kib();
    rows.push(row(
        "P4 RSS idle (after start and login)",
        format!("{:.1} MB", idle as f64 / 1024.0),
        "≤ 60 MB",
        Some(idle <= 60 * 1024),
    ));
    rows.push(row(
        "P4 RSS after P1–P3",
        format!("{:.1} MB", after as f64 / 1024.0),
        "≤ 150 MB",
        Some(after <= 150 * 1024),
    ));

    let weight = client.first_load_weight(&format!("/r/{SMALL}")).await;
    rows.push(row(
        "P5 first load: HTML + CSS + JS + WASM, compressed",
        format!("{:.1} KB ({})", weight.0 as f64 / 1000.0, weight.1),
        "≤ 150 KB",
        Some(weight.0 <= 150_000),
    ));

    if let Some(script) = &args.browser_script {
        rows.push(browser_load(&args, script, &client.cookie));
    }
    drop(berth);
    rows.push(login_burst(&args).await);
    print_table(&rows);
    // The registry index (search, pages after a restart): a table of its own.
    let mut index_rows = Vec::new();
    index_figures::figures(&args, &mut index_rows).await;
    println!();
    print_table(&index_rows);
}

/// The bytes of the page's table rows (`<tr data-tag=…>…</tr>`): with
/// islands a row crosses the wire once, as HTML, and the page around the
/// rows is small.
fn row_bytes(html: &str) -> usize {
    let mut total = 0;
    let mut rest = html;
    while let Some(start) = rest.find("<tr data-tag=") {
        let Some(len) = rest[start..].find("</tr>") else {
            break;
        };
        total += len + "</tr>".len();
        rest = &rest[start + len..];
    }
    total
}

/// Wrong-password logins in htpasswd mode (bcrypt cost 12, about 250 ms of
/// CPU each) from many addresses at once, as a password-guessing attack
/// spread over a botnet would send them, while a browser fetches the app's
/// static files: the bcrypt semaphore must keep `/pkg` answering fast.
async fn login_burst(args: &Args) -> Row {
    const GUESSES: usize = 120;
    let dir = std::path::Path::new("target/bench/login-burst");
    std::fs::create_dir_all(dir).expect("work dir");
    let file = dir.join("htpasswd");
    let hash = bcrypt::hash("right-password", 12).expect("bcrypt");
    std::fs::write(&file, format!("ops:{hash}\n")).expect("htpasswd");
    let listen = "127.0.0.1:3093";
    let _berth = Berth::start(
        &args.berth_bin,
        &args.registry_url,
        listen,
        &[
            ("BERTH_AUTH", "htpasswd"),
            ("BERTH_HTPASSWD", file.to_str().expect("path")),
            ("BERTH_ADMINS", "ops"),
            // Each guess names another client address, so the per-address
            // limit never stops them: only the bcrypt bound stands.
            ("BERTH_TRUSTED_PROXIES", "127.0.0.1"),
        ],
    )
    .await;
    let base = format!("http://{listen}");
    // Not following redirects: a wrong password is a 303 back to the form.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let guesses = {
        let (http, base) = (http.clone(), base.clone());
        tokio::spawn(async move {
            stream::iter(0..GUESSES)
                .map(|i| {
                    let (http, base) = (http.clone(), base.clone());
                    async move {
                        http.post(format!("{base}/auth/login"))
                            .header("origin", &base)
                            .header("sec-fetch-site", "same-origin")
                            .header("x-forwarded-for", format!("10.{}.{}.7", i / 250, i % 250))
                            .form(&[
                                ("username", format!("user{i}")),
                                ("password", "wrong".into()),
                            ])
                            .send()
                            .await
                            .map(|r| r.status().as_u16())
                            .unwrap_or(0)
                    }
                })
                .buffer_unordered(16)
                .collect::<Vec<u16>>()
                .await
        })
    };
    let started = Instant::now();
    let mut pkg = Vec::new();
    while !guesses.is_finished() {
        let t = Instant::now();
        let ok = http
            .get(format!("{base}/pkg/berth.css"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        assert!(ok, "/pkg answers during the burst");
        pkg.push(t.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let burst = started.elapsed();
    let statuses = guesses.await.expect("guesses");
    let refused = statuses.iter().filter(|s| **s == 303).count();
    pkg.sort();
    let p99 = pkg[(pkg.len() * 99 / 100).min(pkg.len() - 1)];
    row(
        &format!(
            "Login burst: {GUESSES} wrong passwords (bcrypt cost 12) from {GUESSES} addresses, 16 at a time; /pkg p99 meanwhile"
        ),
        format!(
            "{:.1} ms over {} fetches; burst took {:.1} s, {refused} refused as wrong",
            ms(p99),
            pkg.len(),
            burst.as_secs_f64()
        ),
        "≤ 50 ms",
        Some(ms(p99) <= 50.0),
    )
}

/// The big page in headless Chromium, JavaScript on (warm server caches).
fn browser_load(args: &Args, script: &str, cookie: &str) -> Row {
    let out = Command::new("node")
        .arg(script)
        .arg(format!("http://{}", args.listen))
        .arg(format!("/r/{BIG}"))
        .arg(args.tags.to_string())
        .arg(cookie)
        .output();
    let figure = format!(
        "Browser: {}-tag page in Chromium, JS on (median of 3)",
        args.tags
    );
    match out {
        Ok(o) if o.status.success() => {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
            row(
                &figure,
                format!(
                    "last row visible {} ms, hydrated {} ms",
                    v["visible_ms"], v["hydrated_ms"]
                ),
                "recorded",
                None,
            )
        }
        Ok(o) => row(
            &figure,
            format!(
                "failed: {}",
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
            ),
            "recorded",
            None,
        ),
        Err(e) => row(&figure, format!("node not found: {e}"), "recorded", None),
    }
}

fn print_table(rows: &[Row]) {
    println!("| figure | measured | goal | |");
    println!("|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} |",
            r.figure, r.measured, r.goal, r.verdict
        );
    }
}

async fn seed(p: &Pusher, repos: usize, tags: usize) {
    let namespaces = 10;
    for ns in 0..namespaces {
        let count = repos / namespaces + usize::from(ns < repos % namespaces);
        if count > 0 {
            p.push_many_repos(&format!("ns{ns:02}"), count, 16)
                .await
                .expect("push repositories");
        }
    }
    p.push_many_tags(BIG, tags, 16).await.expect("push tags");
    p.push_many_tags(SMALL, 12, 4)
        .await
        .expect("push small repository");
}

/// The ideal client: list tags, then each tag's manifest and config, 16 at a
/// time over one keep-alive pool, and nothing else.
async fn ideal_client(base: &url::Url, user: &str, password: &str, repo: &str) -> Duration {
    let http = reqwest::Client::new();
    let started = Instant::now();
    let tags: serde_json::Value = http
        .get(base.join(&format!("/v2/{repo}/tags/list")).unwrap())
        .basic_auth(user, Some(password))
        .send()
        .await
        .expect("tags")
        .json()
        .await
        .expect("tags json");
    let tags: Vec<String> = serde_json::from_value(tags["tags"].clone()).expect("tag names");
    let accept = berth::registry::media_types::MANIFEST_ACCEPT;
    let fetched: usize = stream::iter(tags)
        .map(|tag| {
            let http = http.clone();
            async move {
                let m: serde_json::Value = http
                    .get(base.join(&format!("/v2/{repo}/manifests/{tag}")).unwrap())
                    .basic_auth(user, Some(password))
                    .header("accept", accept)
                    .send()
                    .await
                    .expect("manifest")
                    .json()
                    .await
                    .expect("manifest json");
                let config = m["config"]["digest"].as_str().expect("config digest");
                let body = http
                    .get(base.join(&format!("/v2/{repo}/blobs/{config}")).unwrap())
                    .basic_auth(user, Some(password))
                    .send()
                    .await
                    .expect("config")
                    .bytes()
                    .await
                    .expect("config body");
                body.len()
            }
        })
        .buffer_unordered(16)
        .collect::<Vec<_>>()
        .await
        .len();
    assert!(fetched > 0);
    started.elapsed()
}

/// Runs wrk and reads requests/s and the 99th percentile.
fn wrk(args: &Args, cookie: &str, url: &str) -> Option<(f64, f64)> {
    let out = Command::new("wrk")
        .args([
            "-t2",
            "-c50",
            &format!("-d{}s", args.wrk_seconds),
            "--latency",
            "-H",
        ])
        .arg(format!("Cookie: {cookie}"))
        .arg("-H")
        .arg(format!("Accept-Encoding: {BROWSER_ACCEPT_ENCODING}"))
        .arg(url)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    eprintln!("{text}");
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))?
        .trim()
        .parse()
        .ok()?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| parse_wrk_time(v.trim()))??;
    let non2xx = text.contains("Non-2xx");
    if non2xx {
        eprintln!("wrk saw non-2xx answers");
    }
    Some((rps, p99))
}
