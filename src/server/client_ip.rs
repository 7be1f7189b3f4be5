//! Who is calling: the peer address of the connection, or, when that peer is
//! a proxy the operator trusts (`BERTH_TRUSTED_PROXIES`), the address it
//! names in `X-Forwarded-For`. Without trusted proxies the header is ignored,
//! so a client cannot pick its own address to dodge login throttling.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;

use super::state::AppState;

/// Parses `BERTH_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges.
pub fn parse_proxies(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{s:?} is not an IP address or CIDR range"))
        })
        .collect()
}

/// The client's address. `X-Forwarded-For` is read right to left, each hop
/// appended by the proxy before it; the first address that is not a trusted
/// proxy is the client.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        // A malformed chain cannot be trusted at all.
        .unwrap_or_default();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !is_trusted(&hop) {
            break;
        }
    }
    client
}

/// Extractor: the client address of this request.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(of_request(parts, state)))
    }
}

/// The client's address for a request's head.
pub fn of_request(parts: &Parts, state: &AppState) -> IpAddr {
    // Served by `serve.rs` there is always a peer; in-process callers
    // without one count as a single unspecified client.
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    resolve(peer, &parts.headers, &state.settings().trusted_proxies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn header_is_ignored_without_trusted_proxies() {
        assert_eq!(
            resolve(ip("203.0.113.9"), &xff("10.0.0.1"), &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_first_untrusted_hop_from_the_right_is_the_client() {
        let trusted = parse_proxies("10.0.0.0/8, 192.168.1.1").unwrap();
        let peer = ip("10.1.2.3");
        // A client that forges a first hop does not get to choose.
        assert_eq!(
            resolve(peer, &xff("1.1.1.1, 198.51.100.7, 192.168.1.1"), &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            resolve(peer, &xff("198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        // Every hop trusted: the leftmost is as close as we get.
        assert_eq!(resolve(peer, &xff("10.9.9.9"), &trusted), ip("10.9.9.9"));
        // No header, or a malformed one: the proxy itself.
        assert_eq!(resolve(peer, &HeaderMap::new(), &trusted), peer);
        assert_eq!(resolve(peer, &xff("nonsense, 1.2.3.4"), &trusted), peer);
        // An untrusted peer's header is never read.
        assert_eq!(
            resolve(ip("8.8.8.8"), &xff("1.2.3.4"), &trusted),
            ip("8.8.8.8")
        );
    }

    #[test]
    fn proxies_parse() {
        assert_eq!(parse_proxies("").unwrap().len(), 0);
        assert_eq!(parse_proxies("127.0.0.1,::1,10.0.0.0/8").unwrap().len(), 3);
        assert!(parse_proxies("10.0.0.0/33").is_err());
        assert!(parse_proxies("proxy.local").is_err());
    }
}
