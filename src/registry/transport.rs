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
        .user_agent(concat!("berth/", env!("CARGO_PKG_VERSION")));
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
