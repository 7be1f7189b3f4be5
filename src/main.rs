// Leptos view types nest deeply; monomorphizing the pages here needs the
// same headroom as the library.
#![recursion_limit = "512"]

// Page rendering allocates many small strings; mimalloc handles that
// markedly faster than glibc's malloc (see BENCHMARKS.md).
#[cfg(feature = "ssr")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    use berth::server::{config, logging, router};

    let run = config::load();
    logging::init(match &run {
        config::Run::Serve(settings) => settings.log_format,
        config::Run::Retention(..) => config::LogFormat::Stderr,
        _ => config::LogFormat::Text,
    });
    let settings = match run {
        config::Run::Serve(settings) => *settings,
        config::Run::Healthcheck { url } => {
            let answer = async {
                reqwest::Client::builder()
                    .timeout(std::time::Duration::from_secs(5))
                    .build()?
                    .get(&url)
                    .send()
                    .await
            };
            match answer.await {
                Ok(r) if r.status().is_success() => std::process::exit(0),
                Ok(r) => {
                    eprintln!("berth: {url} answered {}", r.status());
                    std::process::exit(1)
                }
                Err(e) => {
                    eprintln!("berth: {url} did not answer: {e}");
                    std::process::exit(1)
                }
            }
        }
        config::Run::Retention(settings, args) => {
            std::process::exit(berth::retention::cli::run(*settings, args).await);
        }
        config::Run::Migrate { database_url } => {
            let migrated = async {
                berth::store::Database::connect(&database_url)
                    .await?
                    .migrate()
                    .await
            };
            match migrated.await {
                Ok(()) => {
                    println!("berth: the database is up to date");
                    return;
                }
                Err(e) => {
                    eprintln!("berth: {e}");
                    std::process::exit(1);
                }
            }
        }
    };
    let listen = settings.listen;
    let summary = format!(
        "registry {} (auth mode {:?}, read-only {})",
        settings.registry_url, settings.auth, settings.read_only
    );
    if !settings.cookie_secure {
        tracing::warn!(
            "session cookies are not marked Secure; behind HTTPS set BERTH_COOKIE_SECURE=true"
        );
    }
    if settings.admins.is_none() && settings.auth != config::AuthMode::None {
        tracing::warn!(
            "BERTH_ADMINS is not set: nobody is an admin and deleting is off; set BERTH_ADMINS=alice,bob to let those users delete"
        );
    }
    let options = router::leptos_options(&settings);
    let app = match router::build(settings, options).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("berth: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("berth: BERTH_LISTEN (--listen) {listen} cannot be bound: {e}");
            std::process::exit(1);
        }
    };
    tracing::info!("Berth serving http://{listen} for {summary}");
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("signal handler");
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    };
    if let Err(e) = berth::server::serve::serve(listener, app, shutdown).await {
        eprintln!("berth: server error: {e}");
        std::process::exit(1);
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The client entry point is `hydrate()` in lib.rs.
}
