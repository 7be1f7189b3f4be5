//! `Authorization: Bearer <token>` checks for the machine endpoints
//! (`/events`, `/metrics`), in constant time so the answer's timing does not
//! leak how much of a guess was right.

use axum::http::{header, HeaderMap};

pub fn matches(headers: &HeaderMap, token: &str) -> bool {
    use subtle::ConstantTimeEq;
    let Some(sent) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    bool::from(sent.trim().as_bytes().ct_eq(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_bearer_token_passes() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, v.parse().unwrap());
            h
        };
        let token = "0123456789abcdef";
        assert!(matches(&with("Bearer 0123456789abcdef"), token));
        assert!(!matches(&with("Bearer 0123456789abcdeX"), token));
        assert!(!matches(&with("Bearer 0123456789abcdef0"), token));
        assert!(!matches(&with("Basic 0123456789abcdef"), token));
        assert!(!matches(&HeaderMap::new(), token));
    }
}
