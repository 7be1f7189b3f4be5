//! A proxy between Berth and a real registry:2 that breaks things on
//! purpose. Every case must end in a page with an honest status and a
//! readable message: no panic, no hang past the deadline, no untyped 500.
//! The test prints the case table (RELIABILITY.md carries it).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::response::Response;
use axum::Router;

use crate::support::{fixtures, RegistryOpts, TestBerth, TestRegistry};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    Pass,
    /// Answer after this many seconds.
    Delay(u64),
    /// The real answer, cut off halfway through its declared length.
    Truncate,
    GarbageJson,
    /// A 50 MB answer.
    Huge,
    /// This status, with or without a body.
    Status(u16, bool),
    /// 401 with a bearer challenge for ever, whatever token comes back.
    AuthLoop,
    /// A catalog whose `Link` points at itself.
    LinkLoop,
    /// Everything 404, like a web server that is not a registry.
    NotV2,
    /// The real status and headers, then one byte every 500 ms.
    Trickle,
    /// Tag lists answer this status; everything else passes.
    TagListStatus(u16),
}

struct Proxy {
    url: String,
    fault: Arc<Mutex<Fault>>,
    requests: Arc<Mutex<usize>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let fault = Arc::new(Mutex::new(Fault::Pass));
        let requests = Arc::new(Mutex::new(0));
        let (f, n, base) = (fault.clone(), requests.clone(), url.clone());
        let http = reqwest::Client::new();
        let app = Router::new().fallback(move |req: Request| {
            let (f, n, base, http, upstream) = (
                f.clone(),
                n.clone(),
                base.clone(),
                http.clone(),
                upstream.clone(),
            );
            async move {
                *n.lock().unwrap() += 1;
                let fault = *f.lock().unwrap();
                let asked = Asked {
                    method: req.method().clone(),
                    target: req
                        .uri()
                        .path_and_query()
                        .map(|p| p.as_str().to_string())
                        .unwrap_or_default(),
                    path: req.uri().path().to_string(),
                    headers: req.headers().clone(),
                };
                answer(fault, asked, &http, &upstream, &base).await
            }
        });
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Proxy {
            url,
            fault,
            requests,
            _task: task,
        }
    }

    fn set(&self, fault: Fault) {
        *self.fault.lock().unwrap() = fault;
        *self.requests.lock().unwrap() = 0;
    }

    fn requests(&self) -> usize {
        *self.requests.lock().unwrap()
    }
}

fn respond(status: u16, headers: &[(&str, String)], body: Body) -> Response {
    let mut b = Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, v);
    }
    b.body(body).unwrap()
}

/// What the proxy keeps of a request (a `Request` body is not `Sync`).
struct Asked {
    method: axum::http::Method,
    target: String,
    path: String,
    headers: axum::http::HeaderMap,
}

async fn forward(
    req: &Asked,
    http: &reqwest::Client,
    upstream: &str,
) -> (u16, Vec<(String, String)>, Bytes) {
    let mut rb = http.request(req.method.clone(), format!("{upstream}{}", req.target));
    for name in ["accept", "authorization"] {
        if let Some(v) = req.headers.get(name) {
            rb = rb.header(name, v);
        }
    }
    let resp = rb.send().await.expect("upstream");
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "content-type"
                    | "docker-content-digest"
                    | "link"
                    | "www-authenticate"
                    | "docker-distribution-api-version"
            )
        })
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    (status, headers, resp.bytes().await.unwrap_or_default())
}

async fn answer(
    fault: Fault,
    req: Asked,
    http: &reqwest::Client,
    upstream: &str,
    base: &str,
) -> Response {
    let path = req.path.clone();
    match fault {
        Fault::TagListStatus(code) if path.ends_with("/tags/list") => {
            respond(code, &[], Body::empty())
        }
        Fault::Pass | Fault::TagListStatus(_) => {
            let (s, h, b) = forward(&req, http, upstream).await;
            let h: Vec<(&str, String)> = h.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            respond(s, &h, Body::from(b))
        }
        Fault::Delay(secs) => {
            tokio::time::sleep(Duration::from_secs(secs)).await;
            let (s, _, b) = forward(&req, http, upstream).await;
            respond(
                s,
                &[("content-type", "application/json".into())],
                Body::from(b),
            )
        }
        Fault::Truncate => {
            let (s, h, b) = forward(&req, http, upstream).await;
            let half = b.slice(..b.len() / 2);
            let stream = futures::stream::iter(vec![
                Ok::<_, std::io::Error>(half),
                Err(std::io::Error::other("cut off")),
            ]);
            let mut h: Vec<(&str, String)> =
                h.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            h.push(("content-length", b.len().to_string()));
            respond(s, &h, Body::from_stream(stream))
        }
        Fault::GarbageJson => respond(
            200,
            &[("content-type", "application/json".into())],
            Body::from(r#"{"repositories": ["a", 17, {"#),
        ),
        Fault::Huge => {
            let chunk = Bytes::from(vec![b' '; 1 << 20]);
            let stream =
                futures::stream::iter((0..50).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
            respond(
                200,
                &[
                    (
                        "content-type",
                        "application/vnd.oci.image.manifest.v1+json".into(),
                    ),
                    ("content-length", (50usize << 20).to_string()),
                ],
                Body::from_stream(stream),
            )
        }
        Fault::Status(code, with_body) => respond(
            code,
            &[("content-type", "application/json".into())],
            if with_body {
                Body::from(r#"{"errors":[{"code":"UNKNOWN","message":"storage backend failed"}]}"#)
            } else {
                Body::empty()
            },
        ),
        Fault::AuthLoop if path == "/token" => respond(
            200,
            &[("content-type", "application/json".into())],
            Body::from(r#"{"token":"never-good-enough","expires_in":300}"#),
        ),
        Fault::AuthLoop => respond(
            401,
            &[(
                "www-authenticate",
                format!(r#"Bearer realm="{base}/token",service="proxy""#),
            )],
            Body::from(
                r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            ),
        ),
        Fault::LinkLoop => respond(
            200,
            &[
                ("content-type", "application/json".into()),
                ("link", r#"</v2/_catalog?n=1000>; rel="next""#.into()),
            ],
            Body::from(r#"{"repositories":["library/alpine"]}"#),
        ),
        Fault::NotV2 => respond(
            404,
            &[("content-type", "text/plain".into())],
            Body::from("404 page not found"),
        ),
        Fault::Trickle => {
            let stream = futures::StreamExt::then(futures::stream::iter(0..60), |_| async {
                tokio::time::sleep(Duration::from_millis(500)).await;
                Ok::<_, std::io::Error>(Bytes::from_static(b" "))
            });
            respond(
                200,
                &[("content-type", "application/json".into())],
                Body::from_stream(stream),
            )
        }
    }
}

/// A port with a listener that accepts and resets every connection.
async fn resetting_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            // Linger 0: the close is a reset, and does not block.
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            drop(stream);
        }
    });
    url
}

struct Outcome {
    case: String,
    page: &'static str,
    status: u16,
    elapsed: Duration,
    heading: String,
    /// The heading the page must have.
    expected: &'static str,
}

/// What [`heading`] gives for a page without an error section.
const NO_HEADING: &str = "(no heading)";

/// The heading of the page's error section.
fn heading(body: &str) -> String {
    body.split("class=\"error\"")
        .nth(1)
        .and_then(|r| r.split("<h1>").nth(1))
        .and_then(|r| r.split("</h1>").next())
        .unwrap_or(NO_HEADING)
        .to_string()
}

const TIMEOUT_FLAGS: &[&str] = &["--registry-timeout", "5", "--list-ttl", "0"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_gets_an_honest_page_in_time() {
    let reg = TestRegistry::start(RegistryOpts::default()).await;
    fixtures::push_standard(&reg.pusher()).await;
    let proxy = Proxy::start(reg.url.clone()).await;
    // Each case with the page it opens and the heading its page must have:
    // the kind of trouble, named, not just any error page.
    const UNREACHABLE: &str = "Registry unreachable";
    const UNEXPECTED: &str = "Unexpected registry answer";
    let cases: Vec<(String, Fault, &'static str, &'static str)> = vec![
        ("no fault".into(), Fault::Pass, "/", NO_HEADING),
        (
            "10 s delay, 5 s timeout".into(),
            Fault::Delay(10),
            "/",
            UNREACHABLE,
        ),
        (
            "truncated body".into(),
            Fault::Truncate,
            "/r/library/alpine/-/tag/3.19",
            UNREACHABLE,
        ),
        ("garbage JSON".into(), Fault::GarbageJson, "/", UNEXPECTED),
        (
            "50 MB manifest".into(),
            Fault::Huge,
            "/r/library/alpine/-/tag/3.19",
            UNEXPECTED,
        ),
        (
            "500 with a body".into(),
            Fault::Status(500, true),
            "/",
            UNEXPECTED,
        ),
        (
            "500 without a body".into(),
            Fault::Status(500, false),
            "/",
            UNEXPECTED,
        ),
        (
            "503 with a body".into(),
            Fault::Status(503, true),
            "/r/library/alpine",
            UNEXPECTED,
        ),
        (
            "503 without a body".into(),
            Fault::Status(503, false),
            "/r/library/alpine",
            UNEXPECTED,
        ),
        (
            "401 loop".into(),
            Fault::AuthLoop,
            "/",
            "Registry refused access",
        ),
        ("Link loop".into(), Fault::LinkLoop, "/", UNEXPECTED),
        (
            "/v2/ answers 404".into(),
            Fault::NotV2,
            "/",
            "Not a Registry API v2 server",
        ),
        ("slowloris trickle".into(), Fault::Trickle, "/", UNEXPECTED),
    ];
    let mut outcomes = Vec::new();
    for (case, fault, page, expected) in cases {
        // A fresh Berth per case: nothing one case taught it (a token
        // endpoint, a cached list) carries into the next.
        let (_berth, admin) = TestBerth::with_local_admin_flags(&proxy.url, TIMEOUT_FLAGS).await;
        proxy.set(fault);
        let started = Instant::now();
        let p = admin.get(page).await;
        outcomes.push(Outcome {
            case: format!("{case} ({} requests)", proxy.requests()),
            page,
            status: p.status,
            elapsed: started.elapsed(),
            heading: heading(&p.body),
            expected,
        });
    }
    // Connections that fail outright.
    let refused = format!("http://127.0.0.1:{}", crate::support::registry::free_port());
    let reset = resetting_server().await;
    for (case, url) in [("connection refused", refused), ("connection reset", reset)] {
        let (_b, admin) = TestBerth::with_local_admin_flags(&url, TIMEOUT_FLAGS).await;
        let started = Instant::now();
        let p = admin.get("/").await;
        outcomes.push(Outcome {
            case: case.into(),
            page: "/",
            status: p.status,
            elapsed: started.elapsed(),
            heading: heading(&p.body),
            expected: UNREACHABLE,
        });
    }
    let mut table =
        String::from("| fault | page | status | time | page heading |\n|---|---|---|---|---|\n");
    for o in &outcomes {
        table.push_str(&format!(
            "| {} | `{}` | {} | {:.2} s | {} |\n",
            o.case,
            o.page,
            o.status,
            o.elapsed.as_secs_f64(),
            o.heading
        ));
    }
    eprintln!("fault table:\n{table}");
    let first = &outcomes[0];
    assert_eq!(first.status, 200, "the proxy itself works");
    assert_eq!(
        first.heading, NO_HEADING,
        "no error section without a fault"
    );
    for o in &outcomes[1..] {
        assert!(
            matches!(o.status, 502 | 504),
            "{}: status {} ({})",
            o.case,
            o.status,
            o.heading
        );
        assert_eq!(
            o.heading, o.expected,
            "{}: the page names another trouble",
            o.case
        );
        assert!(
            o.elapsed < Duration::from_secs(45),
            "{}: {:?}",
            o.case,
            o.elapsed
        );
    }
}

/// When the registry cannot say which tags are on a digest, whether a
/// protected one is among them is not known: the delete is refused (503)
/// with a page that says so, and nothing is deleted. With the tag list
/// back, the same delete goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_whose_protected_tags_cannot_be_checked_is_refused() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let content = fixtures::push_standard(&registry.pusher()).await;
    let proxy = Proxy::start(registry.url.clone()).await;
    let berth = TestBerth::start(&[
        "--registry-url",
        &proxy.url,
        "--auth",
        "registry",
        "--admins",
        "admin",
        "--protected-tags",
        "latest",
    ])
    .await;
    let admin = berth.client();
    assert_eq!(admin.login("admin", "admin-pass").await.status, 303);
    let csrf = admin.csrf().await;
    let digest = &content.alpine_319.digest;
    let head = |reg: &TestRegistry| {
        let url = format!("{}/v2/library/alpine/manifests/{digest}", reg.url);
        let client = reg.client();
        async move {
            client
                .head(url)
                .basic_auth("admin", Some("admin-pass"))
                .header(
                    "accept",
                    "application/vnd.docker.distribution.manifest.v2+json",
                )
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };

    proxy.set(Fault::TagListStatus(500));
    let r = admin
        .delete_via("/api/delete_manifest", "library/alpine", digest, &csrf)
        .await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("BERTH_PROTECTED_TAGS"), "{}", r.body);
    let r = admin
        .delete_via("/actions/delete", "library/alpine", digest, &csrf)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let back = r.location.clone().unwrap();
    assert!(back.contains("delete_error=protection-unknown"), "{back}");
    assert!(crate::pages::text(&admin.get(&back).await.body)
        .contains("could not check the image's tags against BERTH_PROTECTED_TAGS"));
    assert_eq!(head(&registry).await, 200, "nothing was deleted");

    proxy.set(Fault::Pass);
    let r = admin
        .delete_via("/api/delete_manifest", "library/alpine", digest, &csrf)
        .await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    assert_eq!(
        head(&registry).await,
        404,
        "deleted once the tags could be read"
    );
}
