//! What the benchmark and the soak share: Berth's release binary started
//! as a child process, a logged-in client, and its resident memory.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What Chromium (and Firefox) send: pages come back zstd, the bundle
/// brotli (its precompressed copies).
pub const BROWSER_ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

pub struct Berth {
    child: Child,
}

impl Berth {
    /// Starts `bin` in `registry` auth mode on `listen`, with `env` on top.
    pub async fn start(bin: &str, registry_url: &str, listen: &str, env: &[(&str, &str)]) -> Berth {
        // A database of its own per start, so no session or key carries
        // over from an earlier run.
        let data = std::env::temp_dir().join(format!(
            "berth-bench-{}-{}",
            std::process::id(),
            listen.replace([':', '.'], "-")
        ));
        let _ = std::fs::remove_dir_all(&data);
        let child = Command::new(bin)
            .env(
                "BERTH_DATABASE_URL",
                format!("sqlite://{}/berth.db", data.display()),
            )
            .env("BERTH_REGISTRY_URL", registry_url)
            .env("BERTH_LISTEN", listen)
            .env("BERTH_AUTH", "registry")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start berth");
        let berth = Berth { child };
        let http = reqwest::Client::new();
        for _ in 0..200 {
            if http
                .get(format!("http://{listen}/healthz"))
                .send()
                .await
                .is_ok()
            {
                return berth;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("berth did not start");
    }

    pub async fn login(listen: &str, username: &str, password: &str) -> Client {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let base = format!("http://{listen}");
        let resp = http
            .post(format!("{base}/auth/login"))
            .header("origin", &base)
            .header("sec-fetch-site", "same-origin")
            .form(&[
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("login");
        let cookie = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("berth_session="))
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_string();
        Client { http, base, cookie }
    }

    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Berth {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub cookie: String,
}

impl Client {
    /// A page as a browser asks for it (compressed), decoded to text.
    pub async fn page(&self, path: &str) -> String {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept-encoding", "identity")
            .send()
            .await
            .expect("page");
        assert_eq!(resp.status(), 200, "{path}");
        resp.text().await.expect("body")
    }

    /// Time until the whole (compressed) body has arrived.
    pub async fn timed(&self, path: &str) -> Duration {
        let started = Instant::now();
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept-encoding", BROWSER_ACCEPT_ENCODING)
            .send()
            .await
            .expect("page");
        assert_eq!(resp.status(), 200, "{path}");
        resp.bytes().await.expect("body");
        started.elapsed()
    }

    pub async fn median_of(&self, path: &str, n: usize) -> Duration {
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(self.timed(path).await);
        }
        median(v)
    }

    /// Bytes over the wire for a first visit: the page, then its CSS, JS
    /// and WASM, each as a browser asks (`BROWSER_ACCEPT_ENCODING`).
    pub async fn first_load_weight(&self, path: &str) -> (u64, String) {
        let mut parts = Vec::new();
        let mut total = 0;
        // cargo-leptos names the WASM berth.wasm; a plain cargo build, berth_bg.wasm.
        let html = self.page(path).await;
        let wasm = if html.contains("\"berth_bg\"") {
            "/pkg/berth_bg.wasm"
        } else {
            "/pkg/berth.wasm"
        };
        for (label, p) in [
            ("HTML", path.to_string()),
            ("CSS", "/pkg/berth.css".into()),
            ("JS", "/pkg/berth.js".into()),
            ("WASM", wasm.to_string()),
        ] {
            let resp = self
                .http
                .get(format!("{}{p}", self.base))
                .header("cookie", &self.cookie)
                .header("accept-encoding", BROWSER_ACCEPT_ENCODING)
                .send()
                .await
                .expect("asset");
            let enc = resp
                .headers()
                .get("content-encoding")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_string();
            let n = resp.bytes().await.expect("asset body").len() as u64;
            total += n;
            parts.push(format!("{label} {:.1} KB {enc}", n as f64 / 1000.0));
        }
        (total, parts.join(", "))
    }
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A wrk latency figure (`830.12us`, `12.5ms`, `1.2s`) in milliseconds.
pub fn parse_wrk_time(v: &str) -> Option<f64> {
    if let Some(x) = v.strip_suffix("us") {
        x.parse::<f64>().ok().map(|x| x / 1000.0)
    } else if let Some(x) = v.strip_suffix("ms") {
        x.parse().ok()
    } else if let Some(x) = v.strip_suffix('s') {
        x.parse::<f64>().ok().map(|x| x * 1000.0)
    } else {
        None
    }
}
