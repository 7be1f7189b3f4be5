//! `WWW-Authenticate` headers: challenge parsing, token endpoints, scopes,
//! and the realm check that decides where credentials may go.
#![no_main]

use berth::registry::auth::parse_challenges;
use berth::registry::origin::TrustedOrigins;
use berth::registry::scope::split_challenge_scope;
use berth::registry::token::TokenEndpoint;
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let header = String::from_utf8_lossy(data);
    let https_base = Url::parse("https://registry.example:5000/").unwrap();
    let http_base = Url::parse("http://127.0.0.1:5000/").unwrap();
    let extra = [Url::parse("https://auth.example").unwrap()];
    let https_only = TrustedOrigins::new(&https_base, &[]);
    let http_with_extra = TrustedOrigins::new(&http_base, &extra);

    for c in parse_challenges(&header) {
        assert_eq!(c.scheme, c.scheme.to_ascii_lowercase());
        for (k, v) in &c.params {
            assert_eq!(*k, k.to_ascii_lowercase());
            assert_eq!(c.param(k), Some(v.as_str()));
        }
        for name in ["realm", "service", "error", "scope"] {
            let _ = c.param(name);
        }
        if let Some(scope) = c.param("scope") {
            for s in split_challenge_scope(scope) {
                assert!(!s.is_empty() && !s.contains(char::is_whitespace), "scope piece {s:?}");
            }
        }
        let Some(endpoint) = TokenEndpoint::from_challenge(&c) else {
            continue;
        };
        assert_eq!(c.scheme, "bearer");
        assert!(matches!(endpoint.realm.scheme(), "http" | "https"));
        if https_only.check_realm(&endpoint.realm).is_ok() {
            assert_eq!(endpoint.realm.scheme(), "https", "realm {}", endpoint.realm);
            assert_eq!(
                endpoint.realm.host_str(),
                Some("registry.example"),
                "realm {}",
                endpoint.realm
            );
        }
        if http_with_extra.check_realm(&endpoint.realm).is_ok() {
            let r = &endpoint.realm;
            assert!(
                r.host_str() == Some("127.0.0.1") || r.origin() == extra[0].origin(),
                "realm {r}"
            );
        }
    }
});
