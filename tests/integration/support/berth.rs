//! Berth itself, served in-process on a free loopback port, and an HTTP
//! client that keeps cookies like a browser.

use clap::Parser;
use reqwest::redirect::Policy;
use reqwest::{Client, Response};

use berth::server::config::Config;

fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    })
}

pub struct TestBerth {
    pub url: String,
    handle: tokio::task::JoinHandle<()>,
}

impl TestBerth {
    /// Starts Berth with these flags (on top of a free `--listen`).
    pub async fn start(flags: &[&str]) -> Self {
        // Bind first (port 0): no window for another test to take the port.
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        Self::start_on(std_listener, flags).await
    }

    /// Starts Berth on a listener bound beforehand, for a registry that
    /// must know Berth's address (notifications) before Berth starts.
    pub async fn start_on(std_listener: std::net::TcpListener, flags: &[&str]) -> Self {
        std_listener.set_nonblocking(true).expect("nonblocking");
        let listen = std_listener.local_addr().expect("addr").to_string();
        let mut args = vec!["berth", "--listen", &listen];
        // Plain-HTTP test clients drop Secure cookies, unless a test asks.
        if !flags.contains(&"--cookie-secure") {
            args.extend(["--cookie-secure", "false"]);
        }
        // The registry index syncs only in tests about it (they name an
        // index account or an interval): elsewhere a sync at start-up would
        // add registry requests the test did not make, and race the page
        // it looks at between the index and the registry.
        if !flags
            .iter()
            .any(|f| matches!(*f, "--index-interval" | "--index-username"))
        {
            args.extend(["--index-interval", "0"]);
        }
        // Likewise indexing what a user opens, which walks the repository
        // again in the background.
        if !flags
            .iter()
            .any(|f| matches!(*f, "--index-opened" | "--index-username"))
        {
            args.extend(["--index-opened", "false"]);
        }
        // The delete tests delete images `latest` points to; the tests of
        // protected tags give `--protected-tags` themselves.
        if !flags.contains(&"--protected-tags") {
            args.extend(["--protected-tags", ""]);
        }
        // A database of its own, unless the test shares one on purpose.
        let db_url;
        if !flags.contains(&"--database-url") {
            let dir = tempfile::tempdir().expect("tempdir").keep();
            db_url = format!("sqlite://{}/berth.db", dir.display());
            args.extend(["--database-url", db_url.as_str()]);
        }
        args.extend_from_slice(flags);
        let settings = Config::try_parse_from(args)
            .expect("flags")
            .validate()
            .expect("settings");
        let options = berth::server::router::leptos_options(&settings);
        // Every Berth runs on one long-lived runtime, as in production: a
        // server on a test's own runtime would die with that test while
        // process-wide Leptos state outlives it.
        let handle = server_runtime().spawn(async move {
            let app = berth::server::router::build(settings, options)
                .await
                .expect("router");
            let listener = tokio::net::TcpListener::from_std(std_listener).expect("listener");
            berth::server::serve::serve(listener, app, std::future::pending())
                .await
                .expect("serve");
        });
        TestBerth {
            url: format!("http://{listen}"),
            handle,
        }
    }

    /// Berth in `htpasswd` mode with one admin, `ops`, from a file of its
    /// own: an admin who can log in whatever state the registry is in.
    /// Returns Berth and that admin's logged-in browser.
    pub async fn with_local_admin(registry_url: &str) -> (TestBerth, Browser) {
        Self::with_local_admin_flags(registry_url, &[]).await
    }

    /// [`TestBerth::with_local_admin`] with more flags.
    pub async fn with_local_admin_flags(
        registry_url: &str,
        extra: &[&str],
    ) -> (TestBerth, Browser) {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let file = dir.join("htpasswd");
        let line = format!("ops:{}\n", bcrypt::hash("ops-pass", 4).expect("bcrypt"));
        std::fs::write(&file, line).expect("htpasswd");
        let mut flags = vec![
            "--registry-url",
            registry_url,
            "--auth",
            "htpasswd",
            "--htpasswd",
            file.to_str().expect("path"),
            "--admins",
            "ops",
        ];
        flags.extend_from_slice(extra);
        let berth = TestBerth::start(&flags).await;
        let browser = berth.client();
        assert_eq!(browser.login("ops", "ops-pass").await.status, 303);
        (berth, browser)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (so
    /// tests can see them).
    pub fn client(&self) -> Browser {
        Browser {
            base: self.url.clone(),
            http: Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .expect("client"),
        }
    }
}

impl Drop for TestBerth {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

pub struct Browser {
    pub base: String,
    pub http: Client,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    async fn page(resp: Response) -> Page {
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let body = resp.text().await.unwrap_or_default();
        Page {
            status,
            location,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(
            self.http
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    /// A same-origin form post, as a browser sends it.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_accepting(path, fields, "text/html", "en").await
    }

    /// A same-origin call of a server function, as the hydrated app makes
    /// it: the answer is JSON (a form post would be redirected).
    pub async fn post_api(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_accepting(path, fields, "application/json", "en")
            .await
    }

    /// `post_api` from a browser that asks for `language`.
    pub async fn post_api_in(&self, path: &str, fields: &[(&str, &str)], language: &str) -> Page {
        self.post_accepting(path, fields, "application/json", language)
            .await
    }

    async fn post_accepting(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        accept: &str,
        language: &str,
    ) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin")
            .header("accept", accept)
            .header("accept-language", language)
            .body(body)
            .send()
            .await
            .expect("POST");
        Self::page(resp).await
    }

    /// Posts a delete of `digest` in `repo` to a form endpoint or server fn.
    pub async fn delete_via(&self, endpoint: &str, repo: &str, digest: &str, csrf: &str) -> Page {
        self.post_form(
            endpoint,
            &[("repository", repo), ("digest", digest), ("csrf", csrf)],
        )
        .await
    }

    /// Posts a tag-only removal of `tag` in `repo`.
    pub async fn remove_tag(&self, repo: &str, tag: &str, csrf: &str) -> Page {
        self.post_form(
            "/actions/remove-tags",
            &[("repository", repo), ("tag", tag), ("csrf", csrf)],
        )
        .await
    }

    pub async fn login(&self, user: &str, password: &str) -> Page {
        self.post_form(
            "/auth/login",
            &[("username", user), ("password", password), ("next", "/")],
        )
        .await
    }

    /// The anti-CSRF token that Berth put in the page's forms.
    pub async fn csrf(&self) -> String {
        let page = self.get("/").await;
        let marker = "name=\"csrf\" value=\"";
        let start = page.body.find(marker).expect("csrf field in page") + marker.len();
        page.body[start..start + 64].to_string()
    }
}

/// The cookie a login sets, for replaying it by hand later.
pub async fn session_cookie(base: &str, user: (&str, &str)) -> String {
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{base}/auth/login"))
        .header("origin", base)
        .form(&[("username", user.0), ("password", user.1), ("next", "/")])
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), 303);
    let cookie = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie");
    cookie.split(';').next().unwrap().to_string()
}

pub async fn get_with_cookie(base: &str, path: &str, cookie: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{base}{path}"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("GET")
}
