//! Response headers that make a browser refuse what Berth never sends:
//! scripts without the page's nonce, framing, sniffing, caching of pages
//! that show a user's data, and plain-HTTP visits once HTTPS is in use.

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy for a page. With the page's nonce, the hydration script may
/// run, load the bundle (`'strict-dynamic'` trusts what it imports) and
/// compile the WASM; without one (form answers, plain error pages) no
/// script runs at all. Inline `style=""` attributes (layer bars) are
/// allowed; nothing may frame Berth.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'strict-dynamic' 'wasm-unsafe-eval'"),
        None => "'none'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// During server rendering: the page's policy, with the nonce Leptos put on
/// its hydration scripts, as a response header.
pub fn set_page_policy() {
    let nonce = leptos::nonce::use_nonce();
    if nonce.is_none() {
        tracing::warn!("no nonce while rendering a page; it gets the script-less policy");
    }
    if let (Some(resp), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&content_security_policy(nonce.as_deref())),
    ) {
        resp.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

fn always<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    name: HeaderName,
    value: &'static str,
) -> Router<S> {
    router.layer(SetResponseHeaderLayer::overriding(
        name,
        HeaderValue::from_static(value),
    ))
}

fn unless_set<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    name: HeaderName,
    value: HeaderValue,
) -> Router<S> {
    router.layer(SetResponseHeaderLayer::if_not_present(name, value))
}

/// Adds the headers to every answer. `Cache-Control: no-store` goes on
/// everything but the bundle (pages and `/api` carry a user's view);
/// `ServeDir` sets the bundle's own validators, and `/pkg` answers carry a
/// `Cache-Control` of their own first.
pub fn apply<S: Clone + Send + Sync + 'static>(router: Router<S>, hsts: bool) -> Router<S> {
    let mut r = always(router, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    r = always(r, header::X_FRAME_OPTIONS, "DENY");
    r = always(r, header::REFERRER_POLICY, "same-origin");
    r = unless_set(
        r,
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&content_security_policy(None))
            .unwrap_or(HeaderValue::from_static("default-src 'self'")),
    );
    r = unless_set(
        r,
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    if hsts {
        r = always(r, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_need_the_nonce_and_framing_is_refused() {
        let with = content_security_policy(Some("abc"));
        assert!(with.contains("script-src 'self' 'nonce-abc' 'strict-dynamic' 'wasm-unsafe-eval'"));
        assert!(with.contains("frame-ancestors 'none'"));
        assert!(!with.contains("unsafe-eval'") || with.contains("wasm-unsafe-eval"));
        let without = content_security_policy(None);
        assert!(without.contains("script-src 'none'"));
    }
}
