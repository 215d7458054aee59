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
mod tests;
