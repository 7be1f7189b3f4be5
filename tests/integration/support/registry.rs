//! A real registry:2 (Debian's `docker-registry`, CNCF distribution) on a
//! free loopback port, in a temp dir, killed on drop. Optionally with
//! htpasswd or bearer-token auth, and over HTTPS.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use berth::registry::Credentials;
use berth::seed::Pusher;

use super::tls::TlsFiles;
use super::token_server::Minter;

pub const ADMIN: (&str, &str) = ("admin", "admin-pass");
pub const VIEWER: (&str, &str) = ("viewer", "viewer-pass");

#[derive(Clone, Default)]
pub struct RegistryOpts {
    pub htpasswd: bool,
    pub delete_enabled: bool,
    /// `auth: token` (exclusive with `htpasswd`).
    pub token: Option<TokenAuthConfig>,
    /// Serve HTTPS with these files; the URL becomes `https://…`.
    pub tls: Option<TlsFiles>,
    /// Log every request to `registry.log`, to count what Berth asks for.
    pub access_log: bool,
    /// Send notifications to this URL with `Authorization: Bearer <token>`.
    pub notify: Option<(String, String)>,
}

/// The registry's `auth: token` settings; see `TokenServer::auth_config`.
#[derive(Clone)]
pub struct TokenAuthConfig {
    pub realm: String,
    pub service: String,
    pub issuer: String,
    /// PEM certificates whose keys may sign tokens.
    pub rootcertbundle: PathBuf,
    /// Signs the push tokens of [`TestRegistry::pusher_for`].
    pub minter: Option<Minter>,
}

pub struct TestRegistry {
    child: Child,
    pub url: String,
    pub dir: tempfile::TempDir,
    pub opts: RegistryOpts,
}

/// A port for a registry child process. Ports come from 20000–29999, below
/// the kernel's ephemeral range (where Berth's own port-0 listeners land),
/// and are never handed out twice in one run, so two servers cannot race
/// for the same port between "found free" and "bound".
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let _ = NEXT.compare_exchange(
        0,
        20_000 + (std::process::id() % 500) as u16 * 20,
        Ordering::SeqCst,
        Ordering::SeqCst,
    );
    loop {
        let port = NEXT.fetch_add(1, Ordering::SeqCst);
        let port = 20_000 + (port - 20_000) % 10_000;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

fn binary() -> String {
    std::env::var("BERTH_TEST_REGISTRY_BIN").unwrap_or_else(|_| "/usr/bin/docker-registry".into())
}

impl TestRegistry {
    pub async fn start(opts: RegistryOpts) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let root = dir.path().join("data");
        // Token auth logs why it rejects a token at info level only.
        let level = if opts.token.is_some() {
            "info"
        } else {
            "error"
        };
        let mut config = format!(
            "version: 0.1\nlog:\n  level: {level}\n  accesslog:\n    disabled: {}\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: {}\nhttp:\n  addr: 127.0.0.1:{port}\n  secret: berth-test-secret\n  headers:\n    X-Content-Type-Options: [nosniff]\n",
            !opts.access_log,
            root.display(),
            opts.delete_enabled
        );
        if let Some(tls) = &opts.tls {
            config.push_str(&format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                tls.cert.display(),
                tls.key.display()
            ));
        }
        assert!(
            !(opts.htpasswd && opts.token.is_some()),
            "registry:2 takes one auth method"
        );
        if let Some(t) = &opts.token {
            config.push_str(&format!(
                "auth:\n  token:\n    realm: {}\n    service: {}\n    issuer: {}\n    rootcertbundle: {}\n",
                t.realm,
                t.service,
                t.issuer,
                t.rootcertbundle.display()
            ));
        }
        if opts.htpasswd {
            let file = dir.path().join("htpasswd");
            let lines: String = [ADMIN, VIEWER]
                .iter()
                .map(|(u, p)| format!("{u}:{}\n", bcrypt::hash(p, 5).expect("bcrypt")))
                .collect();
            std::fs::write(&file, lines).expect("htpasswd");
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: Registry Realm\n    path: {}\n",
                file.display()
            ));
        }
        if let Some((url, token)) = &opts.notify {
            config.push_str(&format!(
                "notifications:\n  endpoints:\n    - name: berth\n      url: {url}\n      headers:\n        Authorization: [Bearer {token}]\n      timeout: 2s\n      threshold: 3\n      backoff: 500ms\n"
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).expect("config");
        let child = spawn(dir.path());
        let scheme = if opts.tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://127.0.0.1:{port}");
        let reg = TestRegistry {
            child,
            url,
            dir,
            opts,
        };
        reg.wait_ready().await;
        reg
    }

    /// Stops the registry process (its storage stays), as an outage.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same port and storage.
    pub async fn restart(&mut self) {
        self.stop();
        self.child = spawn(self.dir.path());
        self.wait_ready().await;
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        // No redirects: only a registry answers /v2/ with 200 or 401. Any
        // certificate will do here; the tests check TLS themselves.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .danger_accept_invalid_certs(true)
            .build()
            .unwrap();
        while Instant::now() < deadline {
            if let Ok(r) = client.get(format!("{}/v2/", self.url)).send().await {
                if r.status().as_u16() == 200 || r.status().as_u16() == 401 {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("registry at {} did not start:\n{}", self.url, self.log());
    }

    /// What the registry printed so far (stdout and stderr).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }

    /// Waits until every request answered so far is in the access log: it
    /// sends a marker request of its own and polls until that is logged.
    pub async fn settle_log(&self) {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let marker = format!(
            "/v2/berth-log-marker-{}",
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let _ = self
            .client()
            .get(format!("{}{marker}", self.url))
            .send()
            .await;
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !self.log().contains(&marker) {
            assert!(
                std::time::Instant::now() < deadline,
                "the access log never showed {marker}; is access_log on?"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Runs `docker-registry garbage-collect` on this registry's storage,
    /// as an operator would; returns what it printed.
    pub fn garbage_collect(&self) -> String {
        let out = Command::new(binary())
            .arg("garbage-collect")
            .arg(self.dir.path().join("config.yml"))
            .output()
            .expect("docker-registry garbage-collect");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "garbage-collect failed:\n{printed}");
        printed
    }

    /// Bytes of blob content on disk (every blob's `data` file).
    pub fn blob_bytes_on_disk(&self) -> u64 {
        fn walk(dir: &std::path::Path) -> u64 {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return 0;
            };
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        walk(&path)
                    } else if e.file_name() == "data" {
                        e.metadata().map_or(0, |m| m.len())
                    } else {
                        0
                    }
                })
                .sum()
        }
        walk(&self.dir.path().join("data/docker/registry/v2/blobs"))
    }

    pub fn htpasswd_path(&self) -> std::path::PathBuf {
        self.dir.path().join("htpasswd")
    }

    pub fn admin_credentials(&self) -> Credentials {
        if self.opts.htpasswd {
            Credentials::Basic {
                username: ADMIN.0.into(),
                password: ADMIN.1.into(),
            }
        } else {
            Credentials::Anonymous
        }
    }

    /// A client for this registry: trusts the test CA when it serves HTTPS.
    pub fn client(&self) -> reqwest::Client {
        self.client_builder().build().expect("client")
    }

    pub fn client_builder(&self) -> reqwest::ClientBuilder {
        match &self.opts.tls {
            Some(tls) => tls.client_builder(),
            None => reqwest::Client::builder().timeout(Duration::from_secs(20)),
        }
    }

    /// Flags for a Berth in `registry` auth mode on this registry, with
    /// [`ADMIN`] as its only admin; a test adds its own after them.
    pub fn registry_mode_flags(&self) -> Vec<&str> {
        vec![
            "--registry-url",
            self.url.as_str(),
            "--auth",
            "registry",
            "--admins",
            ADMIN.0,
        ]
    }

    /// A pusher with admin rights. Token registries grant per repository, so
    /// they need [`TestRegistry::pusher_for`] instead.
    pub fn pusher(&self) -> Pusher {
        assert!(
            self.opts.token.is_none(),
            "a token registry needs pusher_for(repos)"
        );
        Pusher::with_client(
            self.client(),
            self.url.parse().expect("url"),
            self.admin_credentials(),
        )
    }

    /// A pusher allowed to push to (and pull, delete in) `repos`. With token
    /// auth it sends a minted bearer token on every call; otherwise it is
    /// [`TestRegistry::pusher`].
    pub fn pusher_for(&self, repos: &[&str]) -> Pusher {
        let Some(token) = &self.opts.token else {
            return self.pusher();
        };
        let minter = token
            .minter
            .as_ref()
            .expect("token config without a minter");
        let mut headers = reqwest::header::HeaderMap::new();
        let bearer = format!("Bearer {}", minter.push_token(repos));
        headers.insert(
            reqwest::header::AUTHORIZATION,
            bearer.parse().expect("header value"),
        );
        let http = self
            .client_builder()
            .default_headers(headers)
            .build()
            .expect("client");
        Pusher::with_client(http, self.url.parse().expect("url"), Credentials::Anonymous)
    }
}

/// Runs `docker-registry serve` on the config in `dir`, logging to
/// `registry.log` there (appended, so a restart keeps the earlier lines).
fn spawn(dir: &std::path::Path) -> Child {
    // Kept for failing tests to read; see `TestRegistry::log`.
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("registry.log"))
        .expect("log file");
    Command::new(binary())
        .arg("serve")
        .arg(dir.join("config.yml"))
        .stdout(Stdio::from(log.try_clone().expect("log file")))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start docker-registry (apt-get install docker-registry)")
}

impl Drop for TestRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
