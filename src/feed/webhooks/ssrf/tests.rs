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
