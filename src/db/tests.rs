use super::*;

#[test]
fn the_backend_is_chosen_by_scheme_alone() {
    assert_eq!(
        DatabaseUrl::parse("postgres://u@h/db")
            .unwrap()
            .backend_name(),
        "postgresql"
    );
    assert_eq!(
        DatabaseUrl::parse("postgresql://u@h/db")
            .unwrap()
            .backend_name(),
        "postgresql"
    );
    assert_eq!(
        DatabaseUrl::parse("sqlite://./x/y.db").unwrap(),
        DatabaseUrl::Sqlite("./x/y.db".into())
    );
    let err = DatabaseUrl::parse("mysql://h/db").unwrap_err().to_string();
    assert!(err.contains("\"mysql\""), "{err}");
    assert!(DatabaseUrl::parse("./plain/path.db").is_err());
}

#[test]
fn postgres_urls_get_network_timeouts_unless_they_set_their_own() {
    let DatabaseUrl::Postgres(url) = DatabaseUrl::parse("postgres://u@h/db").unwrap() else {
        panic!("not PostgreSQL");
    };
    assert_eq!(
        url,
        "postgres://u@h/db?connect_timeout=5&keepalives_idle=30&keepalives_interval=10\
             &keepalives_count=3&tcp_user_timeout=30000"
    );
    let DatabaseUrl::Postgres(url) = DatabaseUrl::parse("postgres://u@h/db?").unwrap() else {
        panic!("not PostgreSQL");
    };
    assert!(
        url.starts_with("postgres://u@h/db?connect_timeout=5&"),
        "{url}"
    );
    let DatabaseUrl::Postgres(url) = DatabaseUrl::parse(
        "postgresql://u@h/db?sslmode=require&connect_timeout=20&tcp_user_timeout=0",
    )
    .unwrap() else {
        panic!("not PostgreSQL");
    };
    assert_eq!(
        url,
        "postgresql://u@h/db?sslmode=require&connect_timeout=20&tcp_user_timeout=0\
             &keepalives_idle=30&keepalives_interval=10&keepalives_count=3"
    );
}

#[test]
fn a_postgres_connection_failure_reports_the_real_cause() {
    let url = DatabaseUrl::parse("postgres://nobody@127.0.0.1:1/none").unwrap();
    let err = match url.connect() {
        Err(e) => e.to_string(),
        Ok(_) => panic!("connected to a closed port"),
    };
    assert!(err.contains("cannot connect"), "{err}");
    assert!(err.to_lowercase().contains("connection refused"), "{err}");
}
