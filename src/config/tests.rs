use super::*;

#[test]
fn environment_overrides_defaults() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("SINERGI_BIND", "0.0.0.0:9000");
        jail.set_env("SINERGI_MAX_BODY_BYTES", "1024");
        let s = Settings::load().map_err(|e| *e)?;
        assert_eq!(s.bind.port(), 9000);
        assert_eq!(s.max_body_bytes, 1024);
        assert_eq!(s.database_url(), "sqlite://./sinergi-data/sinergi.db");
        Ok(())
    });
}

#[test]
fn toml_file_is_read_and_environment_wins() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("sinergi.toml", "log = \"debug\"\nbind = \"127.0.0.1:7000\"")?;
        jail.set_env("SINERGI_BIND", "127.0.0.1:7001");
        let s = Settings::load().map_err(|e| *e)?;
        assert_eq!(s.log, "debug");
        assert_eq!(s.bind.port(), 7001);
        Ok(())
    });
}

#[test]
fn webhook_hosts_come_as_a_comma_list_or_a_toml_list() {
    figment::Jail::expect_with(|jail| {
        jail.set_env(
            "SINERGI_WEBHOOK_ALLOW_HOSTS",
            "127.0.0.1, receiver.local,,::1",
        );
        let s = Settings::load().map_err(|e| *e)?;
        assert_eq!(
            s.webhook_allow_hosts,
            ["127.0.0.1", "receiver.local", "::1"]
        );
        Ok(())
    });
    figment::Jail::expect_with(|jail| {
        jail.create_file("sinergi.toml", "webhook_allow_hosts = [\"hooks.lan\"]")?;
        let s = Settings::load().map_err(|e| *e)?;
        assert_eq!(s.webhook_allow_hosts, ["hooks.lan"]);
        jail.set_env("SINERGI_WEBHOOK_ALLOW_HOSTS", "http://hooks.lan/");
        assert!(Settings::load().is_err());
        Ok(())
    });
}

#[test]
fn token_failure_limits_are_read_and_must_allow_something() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("SINERGI_TOKEN_FAILURE_BURST", "3");
        jail.set_env("SINERGI_TOKEN_SOURCE_FAILURE_RATE_PER_SECOND", "0.5");
        let s = Settings::load().map_err(|e| *e)?;
        assert_eq!(s.token_failure_limit().burst, 3);
        assert_eq!(s.token_source_failure_limit().per_second, 0.5);
        jail.set_env("SINERGI_TOKEN_FAILURE_BURST", "0");
        assert!(Settings::load().is_err());
        jail.set_env("SINERGI_TOKEN_FAILURE_BURST", "3");
        jail.set_env("SINERGI_TOKEN_SOURCE_FAILURE_RATE_PER_SECOND", "0");
        assert!(Settings::load().is_err());
        Ok(())
    });
}

#[test]
fn webhook_shares_must_leave_room_for_others() {
    let valid = |tweak: fn(&mut Settings)| {
        let mut s = Settings::default();
        tweak(&mut s);
        s.validated().is_ok()
    };
    assert!(valid(|_| {}));
    assert!(valid(|s| s.webhook_max_in_flight_per_agency = 15));
    assert!(!valid(|s| s.webhook_max_in_flight_per_agency = 16));
    assert!(!valid(|s| s.webhook_max_in_flight_per_agency = 0));
    assert!(!valid(|s| s.webhook_max_in_flight_per_host = 16));
    assert!(!valid(|s| s.webhook_max_in_flight_per_host = 0));
    assert!(!valid(|s| s.webhook_max_in_flight = 1));
    assert!(!valid(|s| s.webhook_max_subscriptions_per_agency = 0));
}

#[test]
fn an_unknown_setting_is_an_error_not_ignored() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("sinergi.toml", "databse_url = \"postgres://x\"")?;
        assert!(Settings::load().is_err());
        Ok(())
    });
}

#[test]
fn the_push_clients_secret_in_the_environment_is_no_setting() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("SINERGI_CLIENT_SECRET", "sns_not-a-setting");
        assert!(Settings::load().is_ok());
        jail.set_env("SINERGI_CLIENT_SECRETS", "x");
        assert!(Settings::load().is_err());
        Ok(())
    });
}
