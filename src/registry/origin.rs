//! Which servers may receive a caller's credentials. The registry names
//! URLs in `Link` headers and token realms in `WWW-Authenticate`; both are
//! untrusted input, so a credential goes only to the registry's own origin
//! (scheme, host and port) or to a token realm on the registry's host or one
//! the operator named in `BERTH_TOKEN_REALMS`.

use url::{Origin, Url};

use super::error::RegistryError;

#[derive(Debug, Clone)]
pub struct TrustedOrigins {
    registry: Url,
    /// Extra token-realm origins the operator allowed.
    realms: Vec<Origin>,
}

impl TrustedOrigins {
    pub fn new(registry: &Url, extra_realms: &[Url]) -> Self {
        Self {
            registry: registry.clone(),
            realms: extra_realms.iter().map(Url::origin).collect(),
        }
    }

    /// True when `url` has the registry's scheme, host and port.
    pub fn is_registry(&self, url: &Url) -> bool {
        url.origin() == self.registry.origin()
    }

    /// A `Link` target may only stay on the registry's own origin.
    pub fn check_link(&self, url: &Url) -> Result<(), RegistryError> {
        if self.is_registry(url) {
            Ok(())
        } else {
            Err(RegistryError::ForeignOrigin {
                purpose: "the next page of a list",
                origin: url.origin().ascii_serialization(),
            })
        }
    }

    /// A token realm must be on the registry's host (any port) or an origin
    /// the operator listed, and never plain http for an https registry.
    pub fn check_realm(&self, realm: &Url) -> Result<(), RegistryError> {
        let refuse = |purpose| RegistryError::ForeignOrigin {
            purpose,
            origin: realm.origin().ascii_serialization(),
        };
        if !matches!(realm.scheme(), "http" | "https") {
            return Err(refuse("tokens (not an http(s) URL)"));
        }
        if self.registry.scheme() == "https" && realm.scheme() == "http" {
            return Err(refuse("tokens over plain http (the registry uses https)"));
        }
        let same_host = realm.host_str().is_some() && realm.host_str() == self.registry.host_str();
        if same_host || self.realms.contains(&realm.origin()) {
            Ok(())
        } else {
            Err(refuse("tokens"))
        }
    }
}

/// Parses `BERTH_TOKEN_REALMS`: comma-separated `http(s)://host[:port]`.
pub fn parse_realm_list(raw: &str) -> Result<Vec<Url>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            Url::parse(s)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                .ok_or_else(|| format!("{s:?} is not an http(s) origin"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn links_stay_on_the_registry_origin() {
        let t = TrustedOrigins::new(&url("http://reg:5000"), &[]);
        assert!(t
            .check_link(&url("http://reg:5000/v2/_catalog?last=a"))
            .is_ok());
        for foreign in [
            "http://evil:5000/v2/_catalog",
            "http://reg:5001/v2/_catalog",
            "https://reg:5000/v2/_catalog",
            "http://169.254.169.254/latest/meta-data",
        ] {
            assert!(t.check_link(&url(foreign)).is_err(), "{foreign}");
        }
    }

    #[test]
    fn realms_on_the_registry_host_or_listed() {
        let t = TrustedOrigins::new(&url("https://reg.example"), &[url("https://auth.example")]);
        assert!(t.check_realm(&url("https://reg.example/token")).is_ok());
        assert!(t.check_realm(&url("https://reg.example:5001/auth")).is_ok());
        assert!(t.check_realm(&url("https://auth.example/token")).is_ok());
        // Another port of a listed origin is another origin.
        assert!(t
            .check_realm(&url("https://auth.example:8443/token"))
            .is_err());
        assert!(t.check_realm(&url("https://evil.example/token")).is_err());
        assert!(t.check_realm(&url("http://10.0.0.1/token")).is_err());
        // Never downgrade to plain http, not even on the same host.
        assert!(t.check_realm(&url("http://reg.example/token")).is_err());
        assert!(t.check_realm(&url("file:///etc/passwd")).is_err());
    }

    #[test]
    fn http_registry_may_use_an_http_realm_on_its_host() {
        let t = TrustedOrigins::new(&url("http://127.0.0.1:5000"), &[]);
        assert!(t.check_realm(&url("http://127.0.0.1:5999/token")).is_ok());
        assert!(t.check_realm(&url("http://localhost:5999/token")).is_err());
    }

    #[test]
    fn realm_list_parses_origins() {
        let v = parse_realm_list(" https://auth.example , http://10.0.0.5:5001,").unwrap();
        assert_eq!(v.len(), 2);
        assert!(parse_realm_list("auth.example").is_err());
        assert!(parse_realm_list("").unwrap().is_empty());
    }
}
