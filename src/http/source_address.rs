//! The address a request comes from, as this server sees it (the TCP peer), and the key
//! per-address limits count it under.
//!
//! Forwarded headers are never read: any client can write them. Behind a reverse proxy every
//! client therefore has the proxy's address (README, Configuration).

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use actix_web::HttpRequest;
use actix_web::dev::ServiceRequest;

/// The peer's IP address; `None` only for a connection without one (a Unix socket).
pub fn of(req: &HttpRequest) -> Option<IpAddr> {
    of_peer(req.peer_addr())
}

/// [`of`] for a request a middleware holds.
pub fn of_service(req: &ServiceRequest) -> Option<IpAddr> {
    of_peer(req.peer_addr())
}

/// [`of`] for a connection whose request could not be read (`http::unparsed`).
pub fn of_peer(peer: Option<SocketAddr>) -> Option<IpAddr> {
    peer.map(|a| canonical(a.ip()))
}

/// An IPv4 client reaching a dual-stack socket shows up as `::ffff:a.b.c.d`; it is the same
/// client as `a.b.c.d`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The key a per-address limit counts `ip` under: an IPv4 address itself, an IPv6 address
/// by its /64. A single IPv6 subscriber usually holds a whole /64 (often far more), so
/// keying by the full address would give one client 2^64 fresh allowances.
pub fn limit_key(ip: Option<IpAddr>) -> String {
    match ip {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{prefix}/64")
        }
        None => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        limit_key(Some(canonical(s.parse().unwrap())))
    }

    #[test]
    fn ipv4_is_keyed_by_the_address() {
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_ne!(key("203.0.113.7"), key("203.0.113.8"));
    }

    #[test]
    fn ipv6_is_keyed_by_its_64() {
        assert_eq!(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(
            key("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            key("2001:db8:1:2::1")
        );
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
    }

    #[test]
    fn an_ipv4_mapped_address_is_the_ipv4_client() {
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
    }
}
