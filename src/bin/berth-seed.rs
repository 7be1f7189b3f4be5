//! Pushes demo images (and optionally many tiny repositories) into a
//! registry through the Registry API. Used by `scripts/demo` and tests.

use berth::registry::Credentials;
use berth::seed::{demo, real_data, Pusher};
use clap::Parser;

#[derive(Parser)]
#[command(
    name = "berth-seed",
    about = "Push Berth's demo images into a registry"
)]
struct Args {
    /// Registry base URL
    #[arg(long, env = "BERTH_REGISTRY_URL")]
    registry_url: url::Url,
    #[arg(long, env = "SEED_USERNAME")]
    username: Option<String>,
    #[arg(long, env = "SEED_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Also create this many tiny repositories under `bulk/`
    #[arg(long, default_value_t = 0)]
    bulk_repos: usize,
    /// Also create a throw-away repository with tags `keep`, `doomed` and
    /// `doomed-alias` (the last two share a digest); repeatable
    #[arg(long)]
    scratch: Vec<String>,
    /// Also push one image under N tags (`build-001`…) of REPO, as CI
    /// registries hold them: `REPO:N`; repeatable
    #[arg(long, value_parser = shared_digest)]
    shared_digest: Vec<(String, usize)>,
    /// Also push what real registries hold: 70-character repository and tag
    /// names, a 12-platform index with its cosign signature and SBOM, and a
    /// Helm chart under a long name (repositories under `e2e/real-data/`)
    #[arg(long)]
    real_data: bool,
}

fn shared_digest(s: &str) -> Result<(String, usize), String> {
    let (repo, n) = s.rsplit_once(':').ok_or("expected REPO:N")?;
    let n = n.parse().map_err(|e| format!("{n}: {e}"))?;
    Ok((repo.to_string(), n))
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let creds = match (args.username, args.password) {
        (Some(username), Some(password)) => Credentials::Basic { username, password },
        _ => Credentials::Anonymous,
    };
    let pusher = Pusher::new(args.registry_url, creds);
    // First: its hundreds of pushes are then older than the demo's, which
    // stay on the first page of recent activity.
    for (repo, n) in &args.shared_digest {
        if let Err(e) = demo::seed_shared_digest(&pusher, repo, *n).await {
            eprintln!("berth-seed: {e}");
            std::process::exit(1);
        }
    }
    if args.real_data {
        if let Err(e) = real_data::seed_real_data(&pusher).await {
            eprintln!("berth-seed: {e}");
            std::process::exit(1);
        }
    }
    if let Err(e) = demo::seed_demo(&pusher).await {
        eprintln!("berth-seed: {e}");
        std::process::exit(1);
    }
    for repo in &args.scratch {
        if let Err(e) = demo::seed_scratch(&pusher, repo).await {
            eprintln!("berth-seed: {e}");
            std::process::exit(1);
        }
    }
    if args.bulk_repos > 0 {
        if let Err(e) = pusher.push_many_repos("bulk", args.bulk_repos, 16).await {
            eprintln!("berth-seed: {e}");
            std::process::exit(1);
        }
    }
    println!("berth-seed: demo images pushed");
}
