//! Response headers that make a browser refuse what Berth never sends:
//! scripts without the page's nonce, framing, sniffing, caching of pages
//! that show a user's data, and plain-HTTP visits once HTTPS is in use.

use std::sync::{Arc, OnceLock};

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
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

/// Where a page being rendered leaves its policy for [`page_policy`]. It
/// rides on the request (Leptos hands the request's parts to the page), so
/// the header does not depend on Leptos' response options, which now and
/// then came back without it when registry notifications arrived during a
/// render (about one page in 30 in the browser tests).
#[derive(Clone, Default)]
pub struct PagePolicy(Arc<OnceLock<HeaderValue>>);

/// Around the routes: puts a [`PagePolicy`] slot on the request and the
/// policy a page left there on its answer.
pub async fn page_policy(mut req: Request, next: Next) -> Response {
    let slot = PagePolicy::default();
    req.extensions_mut().insert(slot.clone());
    let mut resp = next.run(req).await;
    if let Some(policy) = slot.0.get() {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy.clone());
    }
    resp
}

/// During server rendering: the page's policy, with the nonce Leptos put on
/// its hydration scripts.
pub fn set_page_policy() {
    let nonce = leptos::nonce::use_nonce();
    if nonce.is_none() {
        tracing::warn!("no nonce while rendering a page; it gets the script-less policy");
    }
    let Ok(value) = HeaderValue::from_str(&content_security_policy(nonce.as_deref())) else {
        return;
    };
    let slot = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<PagePolicy>().cloned());
    match slot {
        Some(slot) => {
            let _ = slot.0.set(value);
        }
        None => {
            if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                resp.insert_header(header::CONTENT_SECURITY_POLICY, value);
            }
        }
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
        // WASM may compile; script text may never be evaluated or inlined:
        // of the sources naming unsafe-, script-src has 'wasm-unsafe-eval'
        // and nothing else.
        let script: Vec<&str> = with
            .split(';')
            .map(str::trim)
            .find_map(|d| d.strip_prefix("script-src "))
            .expect("a script-src directive")
            .split(' ')
            .collect();
        let unsafe_sources: Vec<&str> = script
            .iter()
            .copied()
            .filter(|s| s.contains("unsafe"))
            .collect();
        assert_eq!(unsafe_sources, ["'wasm-unsafe-eval'"], "{with}");
        let without = content_security_policy(None);
        assert!(without.contains("script-src 'none'"));
    }
}
