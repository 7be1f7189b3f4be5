//! Settings: every one is a flag and an environment variable (clap `env`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{ArgAction, Parser, ValueEnum};
use url::Url;

use crate::registry::TransportOptions;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthMode {
    /// Users log in with their registry (docker login) credentials.
    Registry,
    /// Users come from a bcrypt htpasswd file; Berth uses the service account.
    Htpasswd,
    /// No login; everyone is a viewer and deleting is off.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CookieSecure {
    Auto,
    True,
    False,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event (colour only on a terminal).
    Text,
    /// One JSON object per line, for log shippers.
    Json,
    /// Text on stderr, for commands whose output is on stdout.
    #[value(skip)]
    Stderr,
}

/// What to do instead of serving.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Create or update the database schema, then exit
    Migrate,
    /// Ask the running Berth's /healthz (on BERTH_LISTEN) and exit 0 if it
    /// answers, 1 if not: the container HEALTHCHECK (the image has no curl)
    Healthcheck,
    /// Retention policies (BERTH_RETENTION_FILE) from the command line
    #[command(subcommand)]
    Retention(RetentionCommand),
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum RetentionCommand {
    /// Plan (and with --apply, carry out) the policies' deletions; a dry
    /// run by default. Exit 0 done, 1 a failure, 2 bad settings, 3 the
    /// registry changed since the plan
    Run {
        /// Only this policy's deletions (the others still protect what
        /// they keep)
        #[arg(long)]
        policy: Option<String>,
        /// Delete what the plan lists
        #[arg(long)]
        apply: bool,
        /// With --apply: the plan_hash of the plan reviewed earlier; a plan
        /// that no longer matches is refused
        #[arg(long, requires = "apply")]
        plan_hash: Option<String>,
        /// Print the plan (and with --apply, the outcome) as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Parser)]
#[command(
    name = "berth",
    version,
    about = "A web UI for a registry:2 (Registry HTTP API v2)"
)]
pub struct Config {
    /// Base URL of the backing registry, e.g. http://registry:5000
    #[arg(long, env = "BERTH_REGISTRY_URL", value_name = "BERTH_REGISTRY_URL")]
    pub registry_url: Option<String>,

    /// Address to serve on
    #[arg(
        long,
        env = "BERTH_LISTEN",
        value_name = "BERTH_LISTEN",
        default_value = "127.0.0.1:3000"
    )]
    pub listen: SocketAddr,

    /// How users log in: registry, htpasswd or none
    #[arg(
        long,
        env = "BERTH_AUTH",
        value_name = "BERTH_AUTH",
        value_enum,
        default_value = "registry"
    )]
    pub auth: AuthMode,

    /// bcrypt htpasswd file for htpasswd mode (may be the registry's own)
    #[arg(long, env = "BERTH_HTPASSWD", value_name = "BERTH_HTPASSWD")]
    pub htpasswd: Option<PathBuf>,

    /// Service account username Berth uses in htpasswd and none modes
    #[arg(
        long,
        env = "BERTH_REGISTRY_USERNAME",
        value_name = "BERTH_REGISTRY_USERNAME"
    )]
    pub registry_username: Option<String>,

    /// Service account password (never logged or shown)
    #[arg(
        long,
        env = "BERTH_REGISTRY_PASSWORD",
        value_name = "BERTH_REGISTRY_PASSWORD",
        hide_env_values = true
    )]
    pub registry_password: Option<String>,

    /// Comma-separated users who may delete and see the registry page;
    /// unset means nobody may delete
    #[arg(
        long,
        env = "BERTH_ADMINS",
        value_name = "BERTH_ADMINS",
        value_delimiter = ','
    )]
    pub admins: Option<Vec<String>>,

    /// Hide and refuse every delete
    #[arg(long, env = "BERTH_READ_ONLY", value_name = "BERTH_READ_ONLY", default_value = "false", action = ArgAction::Set)]
    pub read_only: bool,

    /// Registry host shown in docker pull commands (default: host:port of the registry URL)
    #[arg(long, env = "BERTH_PUBLIC_HOST", value_name = "BERTH_PUBLIC_HOST")]
    pub public_host: Option<String>,

    /// Mark the session cookie Secure: auto, true or false
    #[arg(
        long,
        env = "BERTH_COOKIE_SECURE",
        value_name = "BERTH_COOKIE_SECURE",
        value_enum,
        default_value = "auto"
    )]
    pub cookie_secure: CookieSecure,

    /// PEM file of CA certificates to trust for an https:// registry
    #[arg(long, env = "BERTH_REGISTRY_CA", value_name = "BERTH_REGISTRY_CA")]
    pub registry_ca: Option<PathBuf>,

    /// Memory for caches, in MiB: two thirds for manifests and blobs by
    /// digest (shared), one third for per-user catalogs and tag lists
    #[arg(
        long,
        env = "BERTH_CACHE_MB",
        value_name = "BERTH_CACHE_MB",
        default_value_t = 96
    )]
    pub cache_mb: u64,

    /// Seconds a catalog or tag list is reused before the registry is asked
    /// again (Berth's own deletes refresh at once); 0 turns list caching off
    #[arg(
        long,
        env = "BERTH_LIST_TTL",
        value_name = "BERTH_LIST_TTL",
        default_value_t = 30
    )]
    pub list_ttl: u64,

    /// Comma-separated origins (https://auth.example) that may issue bearer
    /// tokens besides the registry's own host; credentials go nowhere else
    #[arg(long, env = "BERTH_TOKEN_REALMS", value_name = "BERTH_TOKEN_REALMS")]
    pub token_realms: Option<String>,

    /// Comma-separated addresses or CIDR ranges of reverse proxies whose
    /// X-Forwarded-For names the client (for login throttling and logs)
    #[arg(
        long,
        env = "BERTH_TRUSTED_PROXIES",
        value_name = "BERTH_TRUSTED_PROXIES"
    )]
    pub trusted_proxies: Option<String>,

    /// Seconds of inactivity after which a login session ends
    #[arg(
        long,
        env = "BERTH_SESSION_IDLE",
        value_name = "BERTH_SESSION_IDLE",
        default_value_t = 43_200
    )]
    pub session_idle: u64,

    /// Seconds one registry request may take, connect to last byte
    #[arg(
        long,
        env = "BERTH_REGISTRY_TIMEOUT",
        value_name = "BERTH_REGISTRY_TIMEOUT",
        default_value_t = 30
    )]
    pub registry_timeout: u64,

    /// Requests in flight to the registry at once, for the whole process
    #[arg(
        long,
        env = "BERTH_REGISTRY_CONCURRENCY",
        value_name = "BERTH_REGISTRY_CONCURRENCY",
        default_value_t = 32
    )]
    pub registry_concurrency: usize,

    /// Rows a table shows at once; longer lists are paged on the server
    #[arg(
        long,
        env = "BERTH_MAX_ROWS",
        value_name = "BERTH_MAX_ROWS",
        default_value_t = 5_000
    )]
    pub max_rows: usize,

    /// Days the audit log keeps a row (logins, logouts, deletes)
    #[arg(
        long,
        env = "BERTH_AUDIT_DAYS",
        value_name = "BERTH_AUDIT_DAYS",
        default_value_t = 365,
        value_parser = clap::value_parser!(u32).range(1..=36_500)
    )]
    pub audit_days: u32,

    /// Seconds between full syncs of the registry index (catalog, tag
    /// lists, a HEAD per tag; only new digests are fetched); 0 syncs only
    /// when an admin asks
    #[arg(
        long,
        env = "BERTH_INDEX_INTERVAL",
        value_name = "BERTH_INDEX_INTERVAL",
        default_value_t = 600,
        value_parser = clap::value_parser!(u64).range(0..=604_800)
    )]
    pub index_interval: u64,

    /// Account the registry index reads the whole registry with in
    /// registry mode (htpasswd and none modes use the service account)
    #[arg(
        long,
        env = "BERTH_INDEX_USERNAME",
        value_name = "BERTH_INDEX_USERNAME"
    )]
    pub index_username: Option<String>,

    /// Password of BERTH_INDEX_USERNAME (never logged or shown)
    #[arg(
        long,
        env = "BERTH_INDEX_PASSWORD",
        value_name = "BERTH_INDEX_PASSWORD",
        hide_env_values = true
    )]
    pub index_password: Option<String>,

    /// Without an index account (registry mode), index each repository a
    /// user opens, checked with that user's credentials; false keeps the
    /// index empty then
    #[arg(
        long,
        env = "BERTH_INDEX_OPENED",
        value_name = "BERTH_INDEX_OPENED",
        default_value_t = true,
        action = clap::ArgAction::Set
    )]
    pub index_opened: bool,

    /// A TOML file of retention policies ([[policy]] tables); they show
    /// read-only in the UI
    #[arg(
        long,
        env = "BERTH_RETENTION_FILE",
        value_name = "BERTH_RETENTION_FILE"
    )]
    pub retention_file: Option<std::path::PathBuf>,

    /// Comma-separated globs of tags that are never deleted, by a policy or
    /// from the UI
    #[arg(
        long,
        env = "BERTH_PROTECTED_TAGS",
        value_name = "BERTH_PROTECTED_TAGS",
        default_value = "latest"
    )]
    pub protected_tags: String,

    /// Megabytes of disk for layer listings and checkpoint indexes (the
    /// files view), least recently used first out
    #[arg(
        long,
        env = "BERTH_LAYER_CACHE_MB",
        value_name = "BERTH_LAYER_CACHE_MB",
        default_value_t = 1024
    )]
    pub layer_cache_mb: u64,

    /// The largest layer (compressed, in megabytes) Berth lists or reads
    /// files from
    #[arg(
        long,
        env = "BERTH_LAYER_MAX_MB",
        value_name = "BERTH_LAYER_MAX_MB",
        default_value_t = 2048
    )]
    pub layer_max_mb: u64,

    /// The most disk (in megabytes) one layer's listing may take, and one
    /// image's listings together; a layer whose listing passes it is
    /// refused with the reason
    #[arg(
        long,
        env = "BERTH_LAYER_LIST_MB",
        value_name = "BERTH_LAYER_LIST_MB",
        default_value_t = 64
    )]
    pub layer_list_mb: u64,

    /// Where the layer cache lives; by default a `layers` folder beside the
    /// SQLite database, or in the temporary folder with PostgreSQL
    #[arg(
        long,
        env = "BERTH_LAYER_CACHE_DIR",
        value_name = "BERTH_LAYER_CACHE_DIR"
    )]
    pub layer_cache_dir: Option<std::path::PathBuf>,

    /// Turns on POST /events for the registry's notifications; the registry
    /// must send `Authorization: Bearer <this token>`
    #[arg(
        long,
        env = "BERTH_EVENTS_TOKEN",
        value_name = "BERTH_EVENTS_TOKEN",
        hide_env_values = true
    )]
    pub events_token: Option<String>,

    /// Days registry events (pushes, pulls, deletes) stay on /activity
    #[arg(
        long,
        env = "BERTH_ACTIVITY_DAYS",
        value_name = "BERTH_ACTIVITY_DAYS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(1..=3_650)
    )]
    pub activity_days: u32,

    /// Where Berth keeps sessions and its records: sqlite://FILE (created on
    /// first start) or postgres://… (for several replicas)
    #[arg(
        long,
        env = "BERTH_DATABASE_URL",
        value_name = "BERTH_DATABASE_URL",
        default_value = "sqlite://berth-data/berth.db",
        global = true,
        // A postgres:// URL may hold a password: never print it in --help.
        hide_env_values = true
    )]
    pub database_url: String,

    /// 32 bytes (base64 or hex) that seal stored registry passwords; unset
    /// with SQLite, a key file is made beside the database. Replicas must
    /// share one
    #[arg(
        long,
        env = "BERTH_SECRET_KEY",
        value_name = "BERTH_SECRET_KEY",
        hide_env_values = true
    )]
    pub secret_key: Option<String>,

    /// The bearer token GET /metrics wants; unset, /metrics is off unless BERTH_METRICS_OPEN
    #[arg(
        long,
        env = "BERTH_METRICS_TOKEN",
        value_name = "BERTH_METRICS_TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,

    /// Serve GET /metrics to anyone, without BERTH_METRICS_TOKEN
    #[arg(long, env = "BERTH_METRICS_OPEN", value_name = "BERTH_METRICS_OPEN", default_value = "false", action = ArgAction::Set)]
    pub metrics_open: bool,

    /// Log lines as text or json
    #[arg(
        long,
        env = "BERTH_LOG_FORMAT",
        value_name = "BERTH_LOG_FORMAT",
        default_value = "text"
    )]
    pub log_format: LogFormat,

    /// Serve everything under this path, e.g. /ui behind a reverse proxy
    /// that forwards /ui/… unchanged
    #[arg(
        long,
        env = "BERTH_BASE_PATH",
        value_name = "BERTH_BASE_PATH",
        default_value = ""
    )]
    pub base_path: String,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Skip TLS certificate verification of the registry (logs a warning)
    #[arg(long, env = "BERTH_REGISTRY_INSECURE", value_name = "BERTH_REGISTRY_INSECURE", default_value = "false", action = ArgAction::Set)]
    pub registry_insecure: bool,
}

/// Checked settings, ready to use.
#[derive(Clone)]
pub struct Settings {
    pub registry_url: Url,
    pub listen: SocketAddr,
    pub auth: AuthMode,
    pub htpasswd: Option<PathBuf>,
    pub service_account: Option<(String, String)>,
    pub admins: Option<Vec<String>>,
    pub read_only: bool,
    pub public_host: String,
    pub cookie_secure: bool,
    pub transport: TransportOptions,
    pub cache_bytes: u64,
    pub list_ttl: std::time::Duration,
    /// Token realm origins allowed besides the registry's host.
    pub token_realms: Vec<Url>,
    /// Proxies whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub session_idle: std::time::Duration,
    pub registry_concurrency: usize,
    /// Rows per page of a tag table or repository list.
    pub max_rows: usize,
    /// Days an audit row is kept.
    pub audit_days: u32,
    /// The bearer token the registry's notifications must carry; unset,
    /// `/events` is off.
    pub events_token: Option<String>,
    /// Days a registry event stays on `/activity`.
    pub activity_days: u32,
    pub index_interval: std::time::Duration,
    /// `BERTH_INDEX_USERNAME` / `_PASSWORD`, for registry mode.
    pub index_account: Option<(String, String)>,
    /// Without an index account, index what users open.
    pub index_opened: bool,
    /// The policy file, if any.
    pub retention_file: Option<std::path::PathBuf>,
    /// Tags never deleted.
    pub protected_tags: crate::retention::policy::Protected,
    /// The bearer token `/metrics` wants; unset, `/metrics` is off unless
    /// `metrics_open`.
    pub metrics_token: Option<String>,
    pub metrics_open: bool,
    pub log_format: LogFormat,
    /// The layer cache's folder and bytes, and the largest layer read.
    pub layer_cache_dir: std::path::PathBuf,
    pub layer_cache_bytes: u64,
    pub layer_max_bytes: u64,
    /// The most bytes one layer's (and one image's) listing may take.
    pub layer_list_bytes: u64,
    /// `""` or a path like `/ui` (no trailing slash) everything is served under.
    pub base_path: String,
    pub database_url: String,
    /// Seals stored registry passwords.
    pub secret_key: crate::store::SecretKey,
}

impl Config {
    /// Validates the settings; the error is one line that names the setting.
    pub fn validate(self) -> Result<Settings, String> {
        let raw = self
            .registry_url
            .filter(|s| !s.trim().is_empty())
            .ok_or("BERTH_REGISTRY_URL (--registry-url) is required: the base URL of the registry, e.g. http://registry:5000")?;
        let registry_url = Url::parse(raw.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| {
                format!("BERTH_REGISTRY_URL (--registry-url) is not an http(s) URL: {raw:?}")
            })?;
        if !registry_url.username().is_empty() || registry_url.password().is_some() {
            return Err("BERTH_REGISTRY_URL (--registry-url) must not contain credentials; use BERTH_REGISTRY_USERNAME and BERTH_REGISTRY_PASSWORD".into());
        }
        let htpasswd = match (self.auth, self.htpasswd) {
            (AuthMode::Htpasswd, None) => {
                return Err(
                    "BERTH_HTPASSWD (--htpasswd) is required when BERTH_AUTH=htpasswd".into(),
                )
            }
            (AuthMode::Htpasswd, Some(p)) => {
                std::fs::metadata(&p).map_err(|e| {
                    format!(
                        "BERTH_HTPASSWD (--htpasswd) cannot be read: {}: {e}",
                        p.display()
                    )
                })?;
                Some(p)
            }
            (_, p) => p,
        };
        let service_account = match (self.registry_username, self.registry_password) {
            (Some(u), Some(p)) => Some((u, p)),
            (None, None) => None,
            (Some(_), None) => return Err("BERTH_REGISTRY_PASSWORD (--registry-password) is required with BERTH_REGISTRY_USERNAME".into()),
            (None, Some(_)) => return Err("BERTH_REGISTRY_USERNAME (--registry-username) is required with BERTH_REGISTRY_PASSWORD".into()),
        };
        let public_host = self
            .public_host
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| {
                let host = registry_url.host_str().unwrap_or("registry");
                match registry_url.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host.to_string(),
                }
            });
        // "auto": Secure unless Berth serves plain HTTP on a non-loopback
        // address, where browsers would drop a Secure cookie and log-in would
        // silently fail. Behind an HTTPS proxy, set it to true.
        let cookie_secure = match self.cookie_secure {
            CookieSecure::True => true,
            CookieSecure::False => false,
            CookieSecure::Auto => self.listen.ip().is_loopback(),
        };
        let admins = self
            .admins
            .map(|v| {
                v.into_iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|v| !v.is_empty());
        let ca_bundle = match self.registry_ca {
            Some(path) => {
                let pem = std::fs::read(&path).map_err(|e| {
                    format!(
                        "BERTH_REGISTRY_CA (--registry-ca) cannot be read: {}: {e}",
                        path.display()
                    )
                })?;
                match reqwest::Certificate::from_pem_bundle(&pem) {
                    Ok(certs) if !certs.is_empty() => Some(pem),
                    _ => {
                        return Err(format!(
                            "BERTH_REGISTRY_CA (--registry-ca) holds no PEM certificate: {}",
                            path.display()
                        ))
                    }
                }
            }
            None => None,
        };
        // Below the 45 s request deadline, so a slow registry is reported
        // as such rather than as a page that ran out of time.
        if !(1..=40).contains(&self.registry_timeout) {
            return Err(format!(
                "BERTH_REGISTRY_TIMEOUT (--registry-timeout) must be between 1 and 40 seconds, not {}",
                self.registry_timeout
            ));
        }
        let mut transport = TransportOptions {
            ca_bundle,
            insecure: self.registry_insecure,
            timeout: Some(std::time::Duration::from_secs(self.registry_timeout)),
            user_agent: None,
        };
        if self.cache_mb == 0 || self.cache_mb > 64 * 1024 {
            return Err(format!(
                "BERTH_CACHE_MB (--cache-mb) must be between 1 and 65536, not {}",
                self.cache_mb
            ));
        }
        let token_realms =
            crate::registry::origin::parse_realm_list(self.token_realms.as_deref().unwrap_or(""))
                .map_err(|e| format!("BERTH_TOKEN_REALMS (--token-realms): {e}"))?;
        let trusted_proxies =
            super::client_ip::parse_proxies(self.trusted_proxies.as_deref().unwrap_or(""))
                .map_err(|e| format!("BERTH_TRUSTED_PROXIES (--trusted-proxies): {e}"))?;
        if self.session_idle == 0 {
            return Err("BERTH_SESSION_IDLE (--session-idle) must be at least 1 second".into());
        }
        if !(1..=1024).contains(&self.registry_concurrency) {
            return Err(format!(
                "BERTH_REGISTRY_CONCURRENCY (--registry-concurrency) must be between 1 and 1024, not {}",
                self.registry_concurrency
            ));
        }
        if !(1..=1_000_000).contains(&self.max_rows) {
            return Err(format!(
                "BERTH_MAX_ROWS (--max-rows) must be between 1 and 1000000, not {}",
                self.max_rows
            ));
        }
        let dialect = crate::store::database::Dialect::of(&self.database_url)
            .map_err(|e| format!("BERTH_DATABASE_URL (--database-url) {e}"))?;
        if dialect == crate::store::database::Dialect::Sqlite
            && crate::store::database::sqlite_file(&self.database_url).is_none()
        {
            return Err("BERTH_DATABASE_URL (--database-url) must name a file: an in-memory SQLite database loses its sessions when its last connection closes".into());
        }
        let secret_key = match (&self.secret_key, dialect) {
            (Some(raw), _) => crate::store::SecretKey::parse(raw)
                .map_err(|e| format!("BERTH_SECRET_KEY (--secret-key) {e}"))?,
            (None, crate::store::database::Dialect::Postgres) => {
                return Err("BERTH_SECRET_KEY (--secret-key) is required with a postgres:// database: every replica must seal and open sessions with the same key".into())
            }
            (None, crate::store::database::Dialect::Sqlite) => {
                crate::store::database::prepare_sqlite_file(&self.database_url)
                    .map_err(|e| format!("BERTH_DATABASE_URL (--database-url): {e}"))?;
                let db = crate::store::database::sqlite_file(&self.database_url).unwrap_or_default();
                let dir = db
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(std::path::Path::new("."));
                crate::store::SecretKey::load_or_create(&dir.join("secret.key"))
                    .map_err(|e| format!("BERTH_SECRET_KEY (--secret-key) unset and {e}"))?
            }
        };
        transport.user_agent = Some(own_user_agent(&secret_key));
        let protected_tags = crate::retention::policy::Protected::parse(&self.protected_tags)?;
        // A policy file that does not read stops the start, as any setting.
        crate::retention::load::file_policies(self.retention_file.as_deref())?;
        // Empty is unset: compose passes `${VAR:-}` through as "".
        let index_account =
            match (
                self.index_username.filter(|u| !u.is_empty()),
                self.index_password.filter(|p| !p.is_empty()),
            ) {
                (Some(u), Some(p)) => Some((u, p)),
                (None, None) => None,
                (Some(_), None) => return Err(
                    "BERTH_INDEX_PASSWORD (--index-password) is required with BERTH_INDEX_USERNAME"
                        .into(),
                ),
                (None, Some(_)) => return Err(
                    "BERTH_INDEX_USERNAME (--index-username) is required with BERTH_INDEX_PASSWORD"
                        .into(),
                ),
            };
        if !(1..=1_048_576).contains(&self.layer_max_mb) {
            return Err(format!(
                "BERTH_LAYER_MAX_MB (--layer-max-mb) must be between 1 and 1048576, not {}",
                self.layer_max_mb
            ));
        }
        if !(1..=65_536).contains(&self.layer_list_mb) {
            return Err(format!(
                "BERTH_LAYER_LIST_MB (--layer-list-mb) must be between 1 and 65536, not {}",
                self.layer_list_mb
            ));
        }
        let layer_cache_dir = match &self.layer_cache_dir {
            Some(dir) => dir.clone(),
            None => match crate::store::database::sqlite_file(&self.database_url) {
                Some(db) => db
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(std::path::Path::new("."))
                    .join("layers"),
                None => default_layer_cache_dir(),
            },
        };
        // The cache deletes files to stay in its size: never beside the
        // database or the key.
        if let Some(why) = shares_with_data(&layer_cache_dir, &self.database_url) {
            return Err(format!(
                "BERTH_LAYER_CACHE_DIR (--layer-cache-dir) {} {why}: give the layer cache a folder of its own",
                layer_cache_dir.display()
            ));
        }
        Ok(Settings {
            layer_cache_dir,
            layer_cache_bytes: self.layer_cache_mb.saturating_mul(1 << 20),
            layer_max_bytes: self.layer_max_mb.saturating_mul(1 << 20),
            layer_list_bytes: self.layer_list_mb.saturating_mul(1 << 20),
            index_interval: std::time::Duration::from_secs(self.index_interval),
            index_account,
            index_opened: self.index_opened,
            retention_file: self.retention_file,
            protected_tags,
            database_url: self.database_url,
            secret_key,
            max_rows: self.max_rows,
            audit_days: self.audit_days,
            events_token: match self.events_token {
                Some(t) if t.trim().len() >= 16 => Some(t.trim().to_string()),
                Some(_) => return Err("BERTH_EVENTS_TOKEN (--events-token) must be at least 16 characters: anyone who knows it can feed Berth events".into()),
                None => None,
            },
            activity_days: self.activity_days,
            metrics_token: match self.metrics_token {
                Some(t) if t.trim().len() >= 16 => Some(t.trim().to_string()),
                Some(_) => return Err("BERTH_METRICS_TOKEN (--metrics-token) must be at least 16 characters".into()),
                None => None,
            },
            metrics_open: self.metrics_open,
            log_format: self.log_format,
            base_path: base_path(&self.base_path)?,
            registry_concurrency: self.registry_concurrency,
            trusted_proxies,
            session_idle: std::time::Duration::from_secs(self.session_idle),
            token_realms,
            cache_bytes: self.cache_mb * 1024 * 1024,
            list_ttl: std::time::Duration::from_secs(self.list_ttl),
            transport,
            registry_url,
            listen: self.listen,
            auth: self.auth,
            htpasswd,
            service_account,
            admins,
            read_only: self.read_only,
            public_host,
            cookie_secure,
        })
    }
}

/// The `User-Agent` of Berth's registry requests: its version and a mark
/// derived from the secret key, so replicas sharing the key send the same
/// one and nobody who can only push or pull can send it.
fn own_user_agent(key: &crate::store::SecretKey) -> String {
    let mark = hex::encode(&key.derive("registry user-agent")[..12]);
    format!("berth/{} (+{mark})", env!("CARGO_PKG_VERSION"))
}

impl Settings {
    /// The `User-Agent` Berth's own registry requests carry.
    pub fn own_user_agent(&self) -> &str {
        self.transport.user_agent.as_deref().unwrap_or_default()
    }
}

/// With PostgreSQL, a folder of Berth's own in the user's cache folder
/// (`$XDG_CACHE_HOME` or `~/.cache`), else in the temporary folder (which
/// the cache refuses if another user made it first).
fn default_layer_cache_dir() -> std::path::PathBuf {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    };
    match (var("XDG_CACHE_HOME"), var("HOME")) {
        (Some(cache), _) => cache.join("berth").join("layers"),
        (None, Some(home)) => home.join(".cache").join("berth").join("layers"),
        (None, None) => std::env::temp_dir().join("berth-layers"),
    }
}

/// Why `dir` cannot be the layer cache: it holds the SQLite database or
/// the secret key.
fn shares_with_data(dir: &std::path::Path, database_url: &str) -> Option<&'static str> {
    let canonical = |p: &std::path::Path| std::fs::canonicalize(p).ok();
    let dir = canonical(dir)?;
    if dir.join("secret.key").exists() {
        return Some("holds Berth's secret.key");
    }
    let db = crate::store::database::sqlite_file(database_url)?;
    let db_dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    (canonical(db_dir)? == dir).then_some("holds the database")
}

/// `BERTH_BASE_PATH` as a prefix: empty, or `/a/b` with no trailing slash
/// and nothing a URL or an HTML attribute would need to escape.
fn base_path(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    let ok = trimmed.starts_with('/')
        && trimmed[1..].split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        });
    if ok {
        Ok(trimmed.to_string())
    } else {
        Err(format!("BERTH_BASE_PATH (--base-path) must be a path like /ui (letters, digits, - _ . ~ between slashes): {raw:?}"))
    }
}

/// What the command line asks for.
pub enum Run {
    Serve(Box<Settings>),
    /// `berth migrate`: only the database matters.
    Migrate {
        database_url: String,
    },
    /// `berth healthcheck`: the liveness URL of the Berth on BERTH_LISTEN.
    Healthcheck {
        url: String,
    },
    /// `berth retention run`: the full settings, and what to do.
    Retention(Box<Settings>, crate::retention::cli::RunArgs),
}

/// The URL a local health check asks: a wildcard listen address is reached
/// on loopback.
pub fn health_url(listen: SocketAddr, base_path: &str) -> String {
    let host = match listen.ip() {
        ip if ip.is_unspecified() && ip.is_ipv6() => "[::1]".to_string(),
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    format!("http://{host}:{}{base_path}/healthz", listen.port())
}

/// Parses flags and env, printing one clear line and exiting on error.
pub fn load() -> Run {
    let config = match Config::try_parse() {
        Ok(c) => c,
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            e.exit()
        }
        Err(e) => {
            let text = e.to_string();
            let line = text
                .lines()
                .next()
                .unwrap_or("invalid settings")
                .trim_start_matches("error: ");
            eprintln!("berth: {line}");
            std::process::exit(2);
        }
    };
    match config.command {
        Some(Command::Migrate) => {
            return Run::Migrate {
                database_url: config.database_url,
            }
        }
        Some(Command::Healthcheck) => {
            return Run::Healthcheck {
                // An invalid base path fails the real start; here, guess none.
                url: health_url(
                    config.listen,
                    &base_path(&config.base_path).unwrap_or_default(),
                ),
            };
        }
        Some(Command::Retention(_)) | None => {}
    }
    let retention = match &config.command {
        Some(Command::Retention(RetentionCommand::Run {
            policy,
            apply,
            plan_hash,
            json,
        })) => Some(crate::retention::cli::RunArgs {
            policy: policy.clone(),
            apply: *apply,
            plan_hash: plan_hash.clone(),
            json: *json,
        }),
        _ => None,
    };
    match config.validate() {
        Ok(s) if retention.is_some() => Run::Retention(Box::new(s), retention.unwrap_or_default()),
        Ok(s) => Run::Serve(Box::new(s)),
        Err(line) => {
            eprintln!("berth: {line}");
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::base_path;
    use clap::Parser;

    fn settings_with_cache(
        db_dir: &std::path::Path,
        cache: &std::path::Path,
    ) -> Result<super::Settings, String> {
        let db = format!("sqlite://{}/berth.db", db_dir.display());
        super::Config::try_parse_from([
            "berth",
            "--registry-url",
            "http://registry:5000",
            "--database-url",
            &db,
            "--layer-cache-dir",
            cache.to_str().unwrap_or_default(),
        ])
        .map_err(|e| e.to_string())?
        .validate()
    }

    #[test]
    fn a_layer_cache_beside_the_database_or_the_key_is_refused() {
        let data = tempfile::tempdir().unwrap();
        let err = settings_with_cache(data.path(), data.path())
            .err()
            .unwrap_or_default();
        assert!(err.contains("BERTH_LAYER_CACHE_DIR"), "{err}");
        assert!(err.contains("a folder of its own"), "{err}");
        // Its own folder beside them is fine.
        let own = data.path().join("layers");
        assert!(settings_with_cache(data.path(), &own).is_ok());
        // A folder holding a secret.key (another Berth's) is refused too.
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("secret.key"), "k").unwrap();
        let err = settings_with_cache(data.path(), other.path())
            .err()
            .unwrap_or_default();
        assert!(err.contains("secret.key"), "{err}");
    }

    #[test]
    fn a_base_path_is_a_clean_absolute_prefix() {
        assert_eq!(base_path("").unwrap(), "");
        assert_eq!(base_path("/").unwrap(), "");
        assert_eq!(base_path("/ui").unwrap(), "/ui");
        assert_eq!(base_path("/tools/berth/").unwrap(), "/tools/berth");
        for bad in [
            "ui",
            "/a//b",
            "/a/../b",
            "/a b",
            "/a?b",
            "/\"x",
            "//evil.example",
        ] {
            assert!(base_path(bad).is_err(), "{bad} must be refused");
        }
    }
}
