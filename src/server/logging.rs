//! Log output: text or JSON lines (`BERTH_LOG_FORMAT`), and one line per
//! request carrying its id, method, path, status and time. Colour codes
//! only when stdout is a terminal, so `docker logs` and files stay clean.

use std::io::IsTerminal;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use tracing::Span;
use tracing_subscriber::EnvFilter;

use super::config::LogFormat;
use super::request_id;

/// Installs the process's log subscriber (`RUST_LOG` filters, default info).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = tracing_subscriber::fmt().with_env_filter(filter);
    let installed = match format {
        LogFormat::Text => fmt.with_ansi(std::io::stdout().is_terminal()).try_init(),
        // Commands print their results on stdout: their logs go to stderr.
        LogFormat::Stderr => fmt
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => fmt
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    if installed.is_err() {
        eprintln!("berth: a log subscriber was already installed");
    }
}

/// The span every request's log lines sit in.
pub fn request_span<B>(req: &Request<B>) -> Span {
    let id = req
        .headers()
        .get(request_id::HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let peer = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %req.uri().path(),
        peer = %peer,
    )
}

/// The request's one line, when its answer's head is ready.
pub fn answered<B>(resp: &Response<B>, latency: Duration, _span: &Span) {
    let status = resp.status().as_u16();
    let ms = latency.as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(status, ms, "answered");
    } else {
        tracing::info!(status, ms, "answered");
    }
}
