//! A real registry:2 (Debian's `docker-registry`, CNCF distribution) on a
//! free loopback port, in a temp dir, killed on drop.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use berth::registry::Credentials;
use berth::seed::Pusher;

pub const ADMIN: (&str, &str) = ("admin", "admin-pass");
pub const VIEWER: (&str, &str) = ("viewer", "viewer-pass");

#[derive(Clone, Copy)]
pub struct RegistryOpts {
    pub htpasswd: bool,
    pub delete_enabled: bool,
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
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: {}\nhttp:\n  addr: 127.0.0.1:{port}\n  secret: berth-test-secret\n  headers:\n    X-Content-Type-Options: [nosniff]\n",
            root.display(),
            opts.delete_enabled
        );
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
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).expect("config");
        let child = Command::new(binary())
            .arg("serve")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start docker-registry (apt-get install docker-registry)");
        let url = format!("http://127.0.0.1:{port}");
        let reg = TestRegistry {
            child,
            url,
            dir,
            opts,
        };
        reg.wait_ready().await;
        reg
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        // No redirects: only a registry answers /v2/ with 200 or 401.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
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
        panic!("registry at {} did not start", self.url);
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

    pub fn pusher(&self) -> Pusher {
        Pusher::new(self.url.parse().expect("url"), self.admin_credentials())
    }
}

impl Drop for TestRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
