//! Keeping webhooks from reaching into the exchange's own network (server-side request
//! forgery): a subscriber names the URL, the exchange makes the request from inside.
//!
//! A target must be `https` (plain `http` only for allow-listed hosts), without userinfo,
//! and every address it resolves to must be a public unicast one. The check runs when a
//! subscription is created and again at each delivery, where the resolver below filters
//! the addresses the connection is then made to: a name cannot resolve to a public address
//! for the check and to an internal one for the connection.
//!
//! Refusals name what is wrong without repeating the URL, its host or what the host
//! resolves to: a URL may carry personal data, and resolved addresses map the inside of the
//! exchange's network for whoever probes it.

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

    /// Whether `url`'s host is exempt: its deliveries may go to internal addresses, so
    /// nothing a receiver there answers is shown to the subscriber beyond the status.
    pub fn exempts(&self, url: &Url) -> bool {
        url.host().is_some_and(|host| self.permits(&host))
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

/// Why a host name gave no address to connect to. The texts name neither the host nor its
/// addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unreachable {
    #[error("the host does not resolve")]
    Unresolved,
    #[error("the host did not resolve in time")]
    ResolveTimeout,
    #[error("the host resolves to a non-public address")]
    NonPublic,
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
        _ => return Err("must use https".into()),
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
        return Err("must not point at a non-public address".into());
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
            .map_err(|_| Unreachable::ResolveTimeout.to_string())?
            .map_err(|_| Unreachable::Unresolved.to_string())?;
        if found.into_iter().any(|address| !is_public(address.ip())) {
            return Err(Unreachable::NonPublic.to_string());
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
            let found = tokio::net::lookup_host((name.as_str(), 0))
                .await
                .map_err(|_| Unreachable::Unresolved)?;
            let allowed = allow.permits_name(&name);
            let kept: Vec<SocketAddr> = found
                .filter(|address| allowed || is_public(address.ip()))
                .collect();
            if kept.is_empty() {
                return Err(Unreachable::NonPublic.into());
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

/// Whether `ip` is a public unicast address: not loopback, private, link-local (cloud
/// metadata services live there), shared (CGNAT), unspecified, multicast, broadcast,
/// reserved or documentation, nor any IPv6 form that embeds or translates to an IPv4
/// address.
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

/// IPv6 is judged by allowing rather than refusing: only global unicast (`2000::/3`) can be
/// public. Everything outside it is refused, and with it whatever IANA's special-purpose
/// registry puts there or may put there later: `::/8` (unspecified, loopback, IPv4-mapped
/// `::ffff:0:0/96`, IPv4-translated `::ffff:0:0:0/96`, IPv4-compatible `::/96`, NAT64
/// `64:ff9b::/96` and local-use NAT64 `64:ff9b:1::/48`), discard-only `100::/64` and the
/// dummy prefix `100:0:0:1::/64`, SRv6 SIDs `5f00::/16`, unique local `fc00::/7` (metadata
/// at `fd00:ec2::254` included), link-local, site-local and multicast.
///
/// Forms that embed or translate to an IPv4 address are refused outright rather than judged
/// by the IPv4 address inside: where that address sits depends on the translator (RFC 6052
/// allows prefixes of /32 to /96, and `64:ff9b:1::/48` is for the operator's own), Teredo
/// stores it obfuscated, and each form missed is a way to an internal IPv4 address. A
/// receiver has an IPv4 address or a native IPv6 one to use instead. Deployments on an
/// IPv6-only network that reach IPv4 receivers through DNS64 must allow-list them.
fn is_public_v6(ip: Ipv6Addr) -> bool {
    let ip = u128::from(ip);
    in_prefix(ip, GLOBAL_UNICAST) && !REFUSED_GLOBAL_V6.iter().any(|&net| in_prefix(ip, net))
}

/// A prefix: its leading bits and their number.
type Prefix = (u128, u32);

const GLOBAL_UNICAST: Prefix = (0x2000 << 112, 3);

/// The non-public ranges inside `2000::/3`.
const REFUSED_GLOBAL_V6: [Prefix; 4] = [
    // IETF protocol assignments: Teredo 2001::/32 (tunnels to an embedded IPv4 address),
    // benchmarking 2001:2::/48, ORCHID and the anycast services of 2001:1::/48, none of
    // which is a webhook receiver.
    (0x2001 << 112, 23),
    // Documentation.
    (0x2001_0db8 << 96, 32),
    // 6to4: tunnels to the embedded IPv4 address.
    (0x2002 << 112, 16),
    // Documentation (RFC 9637).
    (0x3fff << 112, 20),
];

fn in_prefix(ip: u128, (net, len): Prefix) -> bool {
    (ip ^ net) >> (128 - len) == 0
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
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(!public(ip), "{ip} counted as public");
        }
    }

    /// Every entry of IANA's IPv6 special-purpose address registry that is not globally
    /// reachable, and every form that embeds or translates to an IPv4 address, whether the
    /// IPv4 address inside is internal (169.254.169.254, the metadata service) or public
    /// (8.8.8.8): all refused.
    #[test]
    fn ipv6_special_purpose_and_ipv4_embedding_forms_are_not_public() {
        for (ip, what) in [
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("::ffff:a9fe:a9fe", "IPv4-mapped ::ffff:0:0/96"),
            ("::ffff:808:808", "IPv4-mapped, public IPv4 inside"),
            (
                "::ffff:0:a9fe:a9fe",
                "IPv4-translated ::ffff:0:0:0/96 (RFC 2765)",
            ),
            ("::ffff:0:808:808", "IPv4-translated, public IPv4 inside"),
            ("::a9fe:a9fe", "IPv4-compatible ::/96 (deprecated)"),
            ("::808:808", "IPv4-compatible, public IPv4 inside"),
            ("64:ff9b::a9fe:a9fe", "NAT64 64:ff9b::/96"),
            ("64:ff9b::808:808", "NAT64, public IPv4 inside"),
            ("64:ff9b:1::a9fe:a9fe", "local-use NAT64 64:ff9b:1::/48"),
            ("64:ff9b:1:a9fe:a9:fe00::", "local-use NAT64, IPv4 at /48"),
            ("100::1", "discard-only 100::/64"),
            ("100:0:0:1::1", "dummy prefix 100:0:0:1::/64"),
            ("2001::1", "Teredo 2001::/32"),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
            (
                "2001:1::1",
                "PCP anycast, in IETF protocol assignments 2001::/23",
            ),
            ("2001:2::1", "benchmarking 2001:2::/48"),
            ("2001:3::1", "AMT, in 2001::/23"),
            ("2001:20::1", "ORCHIDv2, in 2001::/23"),
            ("2001:1ff:ffff::1", "the end of 2001::/23"),
            ("2001:db8::1", "documentation 2001:db8::/32"),
            ("2002:a9fe:a9fe::1", "6to4 2002::/16"),
            ("2002:808:808::1", "6to4, public IPv4 inside"),
            ("3fff::1", "documentation 3fff::/20"),
            ("3fff:fff:ffff::1", "the end of 3fff::/20"),
            ("5f00::1", "SRv6 SIDs 5f00::/16"),
            ("4000::1", "not allocated (outside 2000::/3)"),
            ("1::1", "reserved by the IETF"),
        ] {
            assert!(!public(ip), "{ip} ({what}) counted as public");
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
            "2404:6800:4003:c00::64",
            // Just outside the refused ranges of 2000::/3.
            "2001:200::1",
            "2001:db9::1",
            "2003::1",
            "3fff:1000::1",
            // AS112 direct delegation: globally reachable, listed in the registry.
            "2620:4f:8000::1",
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
            ("https://[::ffff:0:a9fe:a9fe]/", "non-public"),
            ("https://[64:ff9b:1::a9fe:a9fe]/", "non-public"),
            ("https://0x7f.1/", "non-public"),
            ("https://2130706433/", "non-public"),
            ("not a url", "valid"),
        ] {
            let refused = check_url(url, &none).expect_err(url);
            assert!(refused.contains(why), "{url}: {refused}");
            // What is wrong, never what was sent: no scheme, host or address repeated.
            for part in [
                "ftp",
                "user:",
                "user@",
                "hooks.example",
                "10.0",
                "127.0",
                "169.254",
                "::",
                "0x7f",
            ] {
                assert!(!refused.contains(part), "{url}: {refused}");
            }
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

    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_refused_unless_allowed() {
        let refused = check_target("https://localhost/hook", &AllowList::default())
            .await
            .unwrap_err();
        // Neither the name nor what it resolves to is repeated.
        assert_eq!(refused, "the host resolves to a non-public address");
        let allow = AllowList::new(["localhost"]);
        assert!(
            check_target("http://localhost:9/hook", &allow)
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn the_resolver_drops_non_public_addresses_without_naming_them() {
        let resolver = GuardedResolver::new(Arc::new(AllowList::default()));
        let refused = match resolver.resolve("localhost".parse().unwrap()).await {
            Ok(_) => panic!("localhost resolved for a delivery"),
            Err(e) => e,
        };
        assert_eq!(
            refused.downcast_ref::<Unreachable>(),
            Some(&Unreachable::NonPublic)
        );
        assert_eq!(
            refused.to_string(),
            "the host resolves to a non-public address"
        );
        let allowed = GuardedResolver::new(Arc::new(AllowList::new(["localhost"])));
        assert!(allowed.resolve("localhost".parse().unwrap()).await.is_ok());
    }
}
