//! Application state shared by every handler and server function.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::config::{AuthMode, Settings};
use super::list_cache::ListCache;
use super::login_throttle::LoginThrottle;
use crate::model::Role;
use crate::registry::{build_http, Credentials, RegistryClient};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub shared: Arc<Shared>,
}

pub struct Shared {
    pub settings: Settings,
    /// Sessions and records: SQLite or PostgreSQL.
    pub database: crate::store::Database,
    pub registry: RegistryClient,
    pub lists: ListCache,
    /// Failed-login buckets and the password-check semaphore.
    pub logins: LoginThrottle,
    /// One lock per (repository, digest) being deleted; entries go idle away.
    pub deleting: moka::future::Cache<String, Arc<tokio::sync::Mutex<()>>>,
    /// Whether the registry can remove a tag alone, once known.
    pub tag_delete: tokio::sync::OnceCell<bool>,
    /// Notification envelopes being handled after their answer; when all
    /// are taken, `/events` answers 503 and the registry retries later.
    pub event_slots: Arc<tokio::sync::Semaphore>,
    /// The registry index and its sync.
    pub indexer: Arc<crate::index::Indexer>,
    /// Which repositories each user may read through the index.
    pub pull_checks: crate::index::visibility::PullChecks,
    /// Layer listings and files (the disk cache and first reads).
    pub layers: crate::layers::read::Layers,
}

impl AppState {
    pub fn new(
        settings: Settings,
        leptos_options: LeptosOptions,
        database: crate::store::Database,
    ) -> Result<Self, String> {
        // One pooled client with keep-alive for every registry call.
        let http = build_http(&settings.transport)?;
        if settings.transport.insecure {
            tracing::warn!(
                "BERTH_REGISTRY_INSECURE=true: the registry's TLS certificate is NOT verified; \
                 anyone on the network path can read the credentials Berth sends"
            );
        }
        // Two thirds of the cache budget for immutable content by digest,
        // one third for short-lived per-user lists.
        let content_bytes = settings.cache_bytes / 3 * 2;
        let registry =
            RegistryClient::with_cache(http, settings.registry_url.clone(), content_bytes)
                .with_token_realms(&settings.token_realms)
                .with_concurrency(settings.registry_concurrency);
        let lists = ListCache::new(settings.list_ttl, settings.cache_bytes - content_bytes);
        let indexer = Arc::new(
            crate::index::Indexer::new(
                registry.clone(),
                database.clone(),
                index_credentials(&settings),
                settings.index_interval,
            )
            .observing(settings.index_opened),
        );
        let pull_checks = crate::index::visibility::pull_checks(settings.list_ttl);
        let layer_cache = crate::layers::cache::LayerCache::new(
            settings.layer_cache_dir.clone(),
            settings.layer_cache_bytes,
        )
        .map_err(|e| {
            format!(
                "BERTH_LAYER_CACHE_DIR (--layer-cache-dir) {}: {e}",
                settings.layer_cache_dir.display()
            )
        })?;
        let layers = crate::layers::read::Layers::new(layer_cache, settings.layer_max_bytes)
            .with_list_bytes(settings.layer_list_bytes)
            .with_read_time(super::limits::REQUEST_DEADLINE);
        Ok(Self {
            leptos_options,
            shared: Arc::new(Shared {
                settings,
                database,
                registry,
                lists,
                logins: LoginThrottle::new(),
                deleting: moka::future::Cache::builder()
                    .max_capacity(10_000)
                    .time_to_idle(std::time::Duration::from_secs(300))
                    .build(),
                tag_delete: tokio::sync::OnceCell::new(),
                event_slots: Arc::new(tokio::sync::Semaphore::new(
                    super::events::MAX_ENVELOPES_IN_FLIGHT,
                )),
                indexer,
                pull_checks,
                layers,
            }),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    pub fn registry(&self) -> &RegistryClient {
        &self.shared.registry
    }

    pub fn database(&self) -> &crate::store::Database {
        &self.shared.database
    }

    pub fn lists(&self) -> &ListCache {
        &self.shared.lists
    }

    pub fn indexer(&self) -> &Arc<crate::index::Indexer> {
        &self.shared.indexer
    }

    pub fn layers(&self) -> &crate::layers::read::Layers {
        &self.shared.layers
    }

    pub fn pull_checks(&self) -> &crate::index::visibility::PullChecks {
        &self.shared.pull_checks
    }

    /// After Berth changed `repo`: drops this process's lists of it and tells
    /// the other replicas to drop theirs (PostgreSQL `NOTIFY`). A notice that
    /// cannot be sent is logged; their lists then age out on their TTL.
    pub async fn repository_changed(&self, repo: &str) {
        self.lists().invalidate_repo(repo);
        if let Err(e) = self.database().announce_change(repo).await {
            tracing::warn!(error = %e, %repo, "could not tell other replicas about a change");
        }
    }

    /// The service account, for htpasswd and none modes.
    /// (The index's account: `index_credentials`.)
    pub fn service_credentials(&self) -> Credentials {
        match &self.shared.settings.service_account {
            Some((username, password)) => Credentials::Basic {
                username: username.clone(),
                password: password.clone(),
            },
            None => Credentials::Anonymous,
        }
    }

    pub fn role_of(&self, username: &str) -> Role {
        let s = &self.shared.settings;
        if s.auth == AuthMode::None {
            return Role::Viewer;
        }
        // Fail closed: with BERTH_ADMINS unset nobody is an admin.
        match &s.admins {
            Some(admins) if admins.iter().any(|a| a == username) => Role::Admin,
            _ => Role::Viewer,
        }
    }
}

/// The account the registry index reads everything with: in `registry`
/// mode only `BERTH_INDEX_USERNAME`, since users there log in with their
/// own registry accounts and none of them speaks for all; in the other
/// modes the service account (anonymous when none is set, as every page
/// then reads).
fn index_credentials(settings: &Settings) -> Option<Credentials> {
    let basic = |(username, password): &(String, String)| Credentials::Basic {
        username: username.clone(),
        password: password.clone(),
    };
    if let Some(account) = &settings.index_account {
        return Some(basic(account));
    }
    match settings.auth {
        AuthMode::Registry => None,
        _ => Some(
            settings
                .service_account
                .as_ref()
                .map(basic)
                .unwrap_or(Credentials::Anonymous),
        ),
    }
}
