//! What logs and the audit log may say about a request's method: a client may send any
//! token as a method, digits included. (What answers may repeat of what a client sent is
//! decided in `domain::field_error`.)

/// A request method as logs and the audit log may name it: the standard ones by name, any
/// other as `OTHER`, since a client may send any token as a method, digits included.
pub fn method(method: &actix_web::http::Method) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == method.as_str())
        .unwrap_or("OTHER")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NIK: &str = "3201011507850003";

    #[test]
    fn only_standard_methods_are_named() {
        use actix_web::http::Method;
        assert_eq!(method(&Method::GET), "GET");
        assert_eq!(method(&Method::from_bytes(b"PROPFIND").unwrap()), "OTHER");
        assert_eq!(
            method(&Method::from_bytes(NIK.as_bytes()).unwrap()),
            "OTHER"
        );
    }
}
