//! The one pooled HTTP client Berth uses for a registry: timeouts,
//! keep-alive, and the TLS trust the operator chose.

use std::time::Duration;

/// How to reach the registry over TLS.
#[derive(Debug, Clone, Default)]
pub struct TransportOptions {
    /// PEM bundle of extra CAs to trust (a private registry's CA).
    pub ca_bundle: Option<Vec<u8>>,
    /// Skip certificate verification entirely. Only when explicitly asked.
    pub insecure: bool,
    /// The whole of one registry request, connect to last byte; `None`
    /// means the default (30 s).
    pub timeout: Option<Duration>,
    /// The `User-Agent` of every request; `None` means `berth/<version>`.
    /// Berth marks its own with a value a registry user cannot guess, so
    /// the registry's notifications of them can be told apart.
    pub user_agent: Option<String>,
}

/// One registry request's limit unless the operator sets another.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

pub fn build_http(opts: &TransportOptions) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(opts.timeout.unwrap_or(DEFAULT_TIMEOUT))
        .pool_idle_timeout(Duration::from_secs(90))
        // Registries may redirect blob GETs to storage; reqwest drops the
        // Authorization header when a redirect leaves the host.
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(
            opts.user_agent
                .clone()
                .unwrap_or_else(|| concat!("berth/", env!("CARGO_PKG_VERSION")).to_string()),
        );
    if let Some(pem) = &opts.ca_bundle {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| format!("the CA bundle is not PEM: {e}"))?;
        if certs.is_empty() {
            return Err("the CA bundle holds no certificate".into());
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    if opts.insecure {
        b = b.danger_accept_invalid_certs(true);
    }
    b.build()
        .map_err(|e| format!("could not build the HTTP client: {e}"))
}

/// A short, credential-free description of a transport failure.
pub(crate) fn describe_transport_error(e: &reqwest::Error) -> String {
    // The root cause (e.g. rustls' "invalid peer certificate: UnknownIssuer")
    // is what an operator needs; reqwest's top line only says "error sending
    // request". None of these carry the password, sent as a header.
    let mut causes = Vec::new();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        causes.push(s.to_string());
        src = s.source();
    }
    let chain = causes.join(": ");
    let lower = chain.to_ascii_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        format!("the TLS certificate was not accepted ({chain})")
    } else if e.is_timeout() {
        "the request timed out".into()
    } else if e.is_connect() {
        format!(
            "the connection failed ({})",
            causes
                .last()
                .map(String::as_str)
                .unwrap_or("refused or unknown host")
        )
    } else if chain.is_empty() {
        e.to_string()
    } else {
        chain
    }
}
