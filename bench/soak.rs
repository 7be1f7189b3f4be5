//! The soak: Berth's release build under a mixed load for a fixed time,
//! against a real registry:2. wrk (with `bench/soak.lua`) reads the
//! repository list, repository pages and tag pages and logs in now and
//! then; meanwhile an admin pushes and deletes an image every few seconds
//! through Berth's delete form, and Berth's resident memory is sampled.
//! Prints one table. `bench/soak.sh` is the one command that runs it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use berth::registry::{
    Credentials, Digest, Reference, RegistryClient, RegistryError, RepositoryName,
};
use berth::seed::{ImageFormat, ImageSpec, Pusher};
use clap::Parser;

// The benchmark's timing helpers are not all used here.
#[allow(dead_code)]
mod common;
use common::{parse_wrk_time, Berth};

#[derive(Parser)]
#[command(name = "berth-soak", about = "Soak Berth under mixed load")]
struct Args {
    /// The registry (htpasswd auth, delete enabled)
    #[arg(long)]
    registry_url: String,
    #[arg(long, default_value = "admin")]
    username: String,
    #[arg(long, default_value = "admin")]
    password: String,
    /// Push the demo content first
    #[arg(long)]
    seed: bool,
    /// Length of the load, in seconds
    #[arg(long, default_value_t = 600)]
    seconds: u64,
    /// Seconds between two push-and-delete rounds
    #[arg(long, default_value_t = 10)]
    delete_every: u64,
    /// wrk connections
    #[arg(long, default_value_t = 16)]
    connections: u32,
    /// Memory is compared from this many seconds in (after warm-up)
    #[arg(long, default_value_t = 60)]
    warm_up: u64,
    #[arg(long, default_value = "target/release/berth")]
    berth_bin: String,
    #[arg(long, default_value = "127.0.0.1:3091")]
    listen: String,
}

const DELETABLE: &str = "soak/deletable";

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let creds = Credentials::Basic {
        username: args.username.clone(),
        password: args.password.clone(),
    };
    let base: url::Url = args.registry_url.parse().expect("registry URL");
    let pusher = Pusher::new(base.clone(), creds.clone());
    if args.seed {
        berth::seed::demo::seed_demo(&pusher).await.expect("seed");
    }
    let registry = RegistryClient::new(reqwest::Client::new(), base);
    let paths = page_paths(&registry, &creds).await;

    let berth = Berth::start(
        &args.berth_bin,
        &args.registry_url,
        &args.listen,
        &[("BERTH_ADMINS", args.username.as_str())],
    )
    .await;
    let admin = Berth::login(&args.listen, &args.username, &args.password).await;
    let csrf = csrf_of(&admin.page("/").await);
    let login = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("username", args.username.as_str()),
            ("password", args.password.as_str()),
            ("next", "/"),
        ])
        .finish();

    let started = Instant::now();
    let wrk = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{}", args.connections),
            &format!("-d{}s", args.seconds),
            "--latency",
            "--timeout",
            "10s",
            "-s",
            "bench/soak.lua",
            &admin.base,
        ])
        .env("SOAK_COOKIE", &admin.cookie)
        .env("SOAK_PATHS", paths.join(","))
        .env("SOAK_LOGIN", login)
        .env("SOAK_ORIGIN", &admin.base)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("wrk (apt install wrk)");

    let (mut samples, mut rounds, mut deletes_ok, mut deletes_failed) =
        (Vec::new(), 0u32, 0u32, Vec::new());
    let mut next_delete = Duration::from_secs(args.delete_every);
    while started.elapsed() < Duration::from_secs(args.seconds) {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let t = started.elapsed();
        if t.as_secs().is_multiple_of(5) {
            samples.push((t.as_secs(), berth.rss_kib()));
        }
        if t >= next_delete {
            next_delete += Duration::from_secs(args.delete_every);
            rounds += 1;
            match push_and_delete(&pusher, &registry, &creds, &admin, &csrf, rounds).await {
                Ok(()) => deletes_ok += 1,
                Err(e) => deletes_failed.push(e),
            }
        }
    }
    let out = wrk.wait_with_output().expect("wrk output");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    eprintln!("{text}");
    let alive = admin
        .http
        .get(format!("{}/healthz", admin.base))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success());
    report(&args, &text, &samples, deletes_ok, &deletes_failed, alive);
}

/// The pages the load reads: the list, a filter, every repository and up
/// to three tags of each.
async fn page_paths(registry: &RegistryClient, creds: &Credentials) -> Vec<String> {
    let mut paths = vec!["/".to_string(), "/?q=team".to_string()];
    for repo in registry.catalog(creds).await.expect("catalog") {
        if repo.as_str() == DELETABLE {
            continue;
        }
        paths.push(format!("/r/{repo}"));
        for tag in registry
            .tags(creds, &repo)
            .await
            .unwrap_or_default()
            .into_iter()
            .take(3)
        {
            paths.push(format!("/r/{repo}/-/tag/{tag}"));
        }
    }
    paths
}

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a csrf field on the page") + marker.len();
    html[start..start + 64].to_string()
}

/// Pushes a fresh image, deletes it through Berth's form as a confirmed
/// delete, and checks the registry no longer has it.
async fn push_and_delete(
    pusher: &Pusher,
    registry: &RegistryClient,
    creds: &Credentials,
    admin: &common::Client,
    csrf: &str,
    round: u32,
) -> Result<(), String> {
    let tag = format!("r{round}");
    let spec = ImageSpec::new(
        ImageFormat::Oci,
        "2026-01-01T00:00:00Z",
        &[("round", &format!("{round}\n"))],
    );
    let pushed = pusher.push_image(DELETABLE, &tag, &spec).await?;
    let resp = admin
        .http
        .post(format!("{}/actions/delete", admin.base))
        .header("cookie", &admin.cookie)
        .header("origin", &admin.base)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("repository", DELETABLE),
            ("digest", pushed.digest.as_str()),
            ("csrf", csrf),
        ])
        .send()
        .await
        .map_err(|e| format!("round {round}: {e}"))?;
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if resp.status().as_u16() != 303 || !location.ends_with("deleted=1") {
        return Err(format!("round {round}: {} {location}", resp.status()));
    }
    let repo = RepositoryName::parse(DELETABLE).map_err(|e| e.to_string())?;
    let digest = Digest::parse(&pushed.digest).map_err(|e| e.to_string())?;
    match registry
        .head_manifest(creds, &repo, &Reference::Digest(digest))
        .await
    {
        Err(RegistryError::NotFound(_)) => Ok(()),
        other => Err(format!("round {round}: still in the registry ({other:?})")),
    }
}

fn wrk_line<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(prefix))
        .map(str::trim)
}

fn report(
    args: &Args,
    wrk: &str,
    samples: &[(u64, u64)],
    deletes_ok: u32,
    deletes_failed: &[String],
    alive: bool,
) {
    let requests = wrk
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("?");
    let non_2xx_3xx = wrk_line(wrk, "Non-2xx or 3xx responses:").unwrap_or("0");
    let socket = wrk_line(wrk, "Socket errors:").unwrap_or("none");
    let rps = wrk_line(wrk, "Requests/sec:").unwrap_or("?");
    let p50 = wrk_line(wrk, "50%").and_then(parse_wrk_time);
    let p99 = wrk_line(wrk, "99%").and_then(parse_wrk_time);
    let soak = wrk_line(wrk, "soak:").unwrap_or("?");
    let warm = samples
        .iter()
        .find(|(t, _)| *t >= args.warm_up)
        .map(|(_, r)| *r)
        .unwrap_or(0);
    let end = samples.last().map(|(_, r)| *r).unwrap_or(0);
    let max = samples.iter().map(|(_, r)| *r).max().unwrap_or(0);
    let growth = if warm > 0 {
        (end as f64 - warm as f64) / warm as f64 * 100.0
    } else {
        f64::NAN
    };
    println!(
        "berth-soak on {} cores: {} s, wrk -t2 -c{}, a push-and-delete every {} s",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        args.seconds,
        args.connections,
        args.delete_every
    );
    println!();
    println!("| figure | measured | goal |");
    println!("|---|---|---|");
    println!("| requests | {requests} ({rps} req/s) | |");
    println!(
        "| latency p50 / p99 | {:.1} ms / {:.1} ms | |",
        p50.unwrap_or(f64::NAN),
        p99.unwrap_or(f64::NAN)
    );
    println!("| wrk errors: non-2xx/3xx answers | {non_2xx_3xx} | 0 |");
    println!("| wrk errors: socket (connect, read, write, timeout) | {socket} | none |");
    println!("| {soak} | | 0 lost, 0 failed |");
    println!("| deletes through Berth (pushed, deleted, gone from the registry) | {deletes_ok} ok, {} failed | 0 failed |", deletes_failed.len());
    println!(
        "| RSS after {} s warm-up → end (max) | {:.1} MiB → {:.1} MiB ({:.1} MiB) | |",
        args.warm_up,
        warm as f64 / 1024.0,
        end as f64 / 1024.0,
        max as f64 / 1024.0
    );
    println!("| RSS growth after warm-up | {growth:+.1} % | under 10 % |");
    println!(
        "| Berth answers /healthz at the end | {} | yes |",
        if alive { "yes" } else { "no" }
    );
    for e in deletes_failed {
        println!("delete failed: {e}");
    }
    println!();
    println!(
        "RSS samples (s → MiB): {}",
        samples
            .iter()
            .step_by(12)
            .map(|(t, r)| format!("{t}→{:.1}", *r as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(" ")
    );
}
