//! Keeping webhooks from reaching into the exchange's own network (server-side request
//! forgery): a subscriber names the URL, the exchange makes the request from inside.
//!
//! A target must be `https` (plain `http` only for allow-listed hosts), without userinfo,
//! and every address it resolves to must be a public unicast one. The check runs when a
//! subscription is created and again at each delivery, where the resolver below filters
//! the addresses the connection is then made to: a name cannot resolve to a public address
//! for the check and to an internal one for the connection.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Host;

/// Longest accepted URL, in bytes.
const MAX_URL_BYTES: usize = 2_048;
/// How long the check at creation waits for DNS.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// Hosts exempt from the address checks, and allowed plain `http`: receivers on the
/// operator's own network, or on the integrator's machine with the demo.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    names: Vec<String>,
    addresses: Vec<IpAddr>,
}

impl AllowList {
    /// From the settings' entries: host names (any case, a trailing dot ignored) or IP
    /// addresses (IPv6 with or without brackets).
    pub fn new<S: AsRef<str>>(entries: impl IntoIterator<Item = S>) -> Self {
        let mut list = Self::default();
        for entry in entries {
            let entry = entry.as_ref().trim();
            let bare = entry.trim_start_matches('[').trim_end_matches(']');
            match bare.parse::<IpAddr>() {
                Ok(ip) => list.addresses.push(ip),
                Err(_) => list.names.push(normal_name(entry)),
            }
        }
        list
    }

    fn permits(&self, host: &Host<&str>) -> bool {
        match host {
            Host::Domain(name) => self.names.contains(&normal_name(name)),
            Host::Ipv4(ip) => self.addresses.contains(&IpAddr::V4(*ip)),
            Host::Ipv6(ip) => self.addresses.contains(&IpAddr::V6(*ip)),
        }
    }

    fn permits_name(&self, name: &str) -> bool {
        self.names.contains(&normal_name(name))
    }
}

fn normal_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The checks that need no DNS: syntax, scheme, userinfo, and an IP-literal host. Answers
/// the parsed URL, or why it is refused.
pub fn check_url(text: &str, allow: &AllowList) -> Result<Url, String> {
    if text.len() > MAX_URL_BYTES {
        return Err(format!("must be at most {MAX_URL_BYTES} bytes"));
    }
    let url = Url::parse(text).map_err(|e| format!("is not a valid absolute URL: {e}"))?;
    let host = url.host().ok_or_else(|| "must name a host".to_owned())?;
    let allowed = allow.permits(&host);
    match url.scheme() {
        "https" => {}
        "http" if allowed => {}
        "http" => {
            return Err("must use https (plain http only for hosts the operator allows)".into());
        }
        other => return Err(format!("must use https, not {other}")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry a user name or password".into());
    }
    if url.fragment().is_some() {
        return Err("must not have a fragment (#…): it is never sent".into());
    }
    let literal = match host {
        Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        Host::Domain(_) => None,
    };
    if let Some(ip) = literal
        && !allowed
        && !is_public(ip)
    {
        return Err(format!("must not point at a non-public address ({ip})"));
    }
    Ok(url)
}

/// [`check_url`], then for a host name that is not allow-listed: it must resolve, and only
/// to public addresses. Used when a subscription is created, to refuse at once what every
/// delivery would refuse.
pub async fn check_target(text: &str, allow: &AllowList) -> Result<Url, String> {
    let url = check_url(text, allow)?;
    if let Some(Host::Domain(name)) = url.host()
        && !allow.permits_name(name)
    {
        let port = url.port_or_known_default().unwrap_or(443);
        let found = tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((name, port)))
            .await
            .map_err(|_| format!("the host {name} did not resolve in time"))?
            .map_err(|_| format!("the host {name} does not resolve"))?;
        for address in found {
            if !is_public(address.ip()) {
                return Err(format!(
                    "the host {name} resolves to a non-public address ({})",
                    address.ip()
                ));
            }
        }
    }
    Ok(url)
}

/// The resolver deliveries connect through: it drops every non-public address of a name
/// that is not allow-listed, so the connection goes only to an address that passed.
pub struct GuardedResolver {
    allow: Arc<AllowList>,
}

impl GuardedResolver {
    pub fn new(allow: Arc<AllowList>) -> Self {
        Self { allow }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        Box::pin(async move {
            let name = name.as_str().to_owned();
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let allowed = allow.permits_name(&name);
            let kept: Vec<SocketAddr> = found
                .filter(|address| allowed || is_public(address.ip()))
                .collect();
            if kept.is_empty() {
                return Err(format!("{name} resolves to no public address").into());
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

/// Whether `ip` is a public unicast address: not loopback, private, link-local (cloud
/// metadata services live there), shared (CGNAT), unspecified, multicast, broadcast,
/// reserved or documentation, nor an IPv6 form that embeds such an IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = a == 0 // "this network", 0.0.0.0 included
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 169 && b == 254) // link-local, 169.254.169.254 metadata included
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168)
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224; // multicast, reserved, 255.255.255.255
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let segments = ip.segments();
    // Forms that carry an IPv4 address: mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) and
    // 6to4 (2002::/16); judged by the address they reach.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded_v4(segments[6], segments[7]));
    }
    if segments[0] == 0x2002 {
        return is_public_v4(embedded_v4(segments[1], segments[2]));
    }
    let refused = segments[..6] == [0; 6] // ::, ::1 and the deprecated IPv4-compatible ::/96
        || (segments[0] & 0xfe00) == 0xfc00 // unique local, fd00:ec2::254 metadata included
        || (segments[0] & 0xffc0) == 0xfe80 // link-local
        || (segments[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (segments[0] & 0xff00) == 0xff00 // multicast
        || (segments[0] == 0x2001 && segments[1] == 0x0db8) // documentation
        || (segments[0] == 0x3fff && segments[1] < 0x1000) // documentation (RFC 9637)
        || segments[..4] == [0x100, 0, 0, 0] // discard-only
        || (segments[0] == 0x2001 && segments[1] < 0x200); // IETF protocol assignments, Teredo
    !refused
}

fn embedded_v4(high: u16, low: u16) -> Ipv4Addr {
    let [a, b] = high.to_be_bytes();
    let [c, d] = low.to_be_bytes();
    Ipv4Addr::new(a, b, c, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().unwrap())
    }

    #[test]
    fn internal_addresses_are_not_public() {
        for ip in [
            "0.0.0.0",
            "10.0.0.1",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.1.2.3",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.2.10",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:c0a8:101::1",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
        ] {
            assert!(!public(ip), "{ip} counted as public");
        }
    }

    #[test]
    fn ordinary_addresses_are_public() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "203.0.114.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "2404:6800:4003:c00::64",
        ] {
            assert!(public(ip), "{ip} counted as internal");
        }
    }

    #[test]
    fn urls_must_be_https_without_userinfo_and_not_at_internal_literals() {
        let none = AllowList::default();
        assert!(check_url("https://hooks.example.go.id/sinergi?x=1", &none).is_ok());
        for (url, why) in [
            ("http://hooks.example.go.id/", "https"),
            ("ftp://hooks.example.go.id/", "https"),
            ("https://user:pw@hooks.example.go.id/", "user name"),
            ("https://user@hooks.example.go.id/", "user name"),
            ("https://hooks.example.go.id/#x", "fragment"),
            ("https://10.0.0.1/", "non-public"),
            ("https://169.254.169.254/latest/meta-data/", "non-public"),
            ("https://[::1]/", "non-public"),
            ("https://[::ffff:7f00:1]/", "non-public"),
            ("https://0x7f.1/", "non-public"),
            ("https://2130706433/", "non-public"),
            ("not a url", "valid"),
        ] {
            let refused = check_url(url, &none).expect_err(url);
            assert!(refused.contains(why), "{url}: {refused}");
        }
    }

    #[test]
    fn allow_listed_hosts_may_use_http_and_internal_addresses() {
        let allow = AllowList::new(["127.0.0.1", "[::1]", "Receiver.Local."]);
        assert!(check_url("http://127.0.0.1:9000/hook", &allow).is_ok());
        assert!(check_url("http://[::1]:9000/hook", &allow).is_ok());
        assert!(check_url("http://receiver.local/hook", &allow).is_ok());
        assert!(check_url("http://127.0.0.2/hook", &allow).is_err());
        assert!(check_url("https://user@127.0.0.1/", &allow).is_err());
    }

    #[actix_web::test]
    async fn a_name_that_resolves_to_loopback_is_refused_unless_allowed() {
        let refused = check_target("https://localhost/hook", &AllowList::default())
            .await
            .unwrap_err();
        assert!(refused.contains("non-public"), "{refused}");
        let allow = AllowList::new(["localhost"]);
        assert!(
            check_target("http://localhost:9/hook", &allow)
                .await
                .is_ok()
        );
    }
}
