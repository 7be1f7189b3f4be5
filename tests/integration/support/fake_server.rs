//! A scripted HTTP server for registries that misbehave on purpose: each
//! test decides every answer, and every request is recorded, so a test can
//! prove that a server was never contacted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use axum::Router;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub authorization: Option<String>,
    pub request_id: Option<String>,
}

/// Response header (stripped before sending) that delays the answer by
/// this many milliseconds.
pub const DELAY_HEADER: &str = "x-fake-delay-ms";

type Respond = dyn Fn(&Seen, &str) -> Response + Send + Sync;

/// A server on a free loopback port, stopped on drop.
pub struct FakeServer {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// The most requests that were in flight at once.
    max_in_flight: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    /// `respond` gets each request and the server's own base URL.
    pub async fn start(
        respond: impl Fn(&Seen, &str) -> Response + Send + Sync + 'static,
    ) -> FakeServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake server");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let respond: Arc<Respond> = Arc::new(respond);
        let (log, base) = (seen.clone(), url.clone());
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let (now, max) = (in_flight.clone(), max_in_flight.clone());
        let app = Router::new().fallback(move |req: Request| {
            let (log, base, respond) = (log.clone(), base.clone(), respond.clone());
            let (now, max) = (now.clone(), max.clone());
            async move {
                let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(current, Ordering::SeqCst);
                let s = Seen {
                    method: req.method().to_string(),
                    target: req
                        .uri()
                        .path_and_query()
                        .map(|p| p.as_str().to_string())
                        .unwrap_or_default(),
                    authorization: req
                        .headers()
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string),
                    request_id: req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string),
                };
                log.lock().unwrap().push(s.clone());
                let mut resp = respond(&s, &base);
                // A test asks for a slow answer with this header.
                if let Some(ms) = resp
                    .headers_mut()
                    .remove(DELAY_HEADER)
                    .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
                {
                    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                }
                now.fetch_sub(1, Ordering::SeqCst);
                resp
            }
        });
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake server");
        });
        FakeServer {
            url,
            seen,
            max_in_flight,
            task,
        }
    }

    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A response with a status, headers and a body.
pub fn answer(status: u16, headers: &[(&str, &str)], body: impl Into<Body>) -> Response {
    let mut b = Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.into()).expect("response")
}
