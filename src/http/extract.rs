//! Query and JSON extractors whose errors name the offending field.
//!
//! actix-web's own extractors report serde's message without saying where the problem is;
//! these track the path while deserialising and answer with a JSON pointer per field.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use super::state::AppState;
use crate::domain::every_error::{MAX_ERRORS, cut_notice, deserialize_all};
use crate::domain::field_error::{FieldError, describe, may_repeat_name};
use crate::http::problem::ApiError;

/// The query string, deserialised into `T` (which should `deny_unknown_fields`, so that a
/// misspelt filter is refused rather than silently widening a search).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(Query))
    }
}

/// The query string as `T`, or every parameter it refuses: after each refusal the
/// parameter is set aside and the rest checked again (a missing one ends the checks).
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let mut refused = match deserialize_query::<T>(query) {
        Ok(t) => return Ok(t),
        Err(e) => e,
    };
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let mut errors = Vec::new();
    loop {
        if errors.len() >= MAX_ERRORS {
            errors.push(cut_notice("#/query"));
            return Err(ApiError::Validation(errors));
        }
        let message = refused.inner().to_string();
        let detail = describe(&message);
        let name = match refused.path().iter().next() {
            Some(Segment::Map { key }) => Some(key.clone()),
            _ => backticked(&message),
        };
        errors.push(match name.as_ref().filter(|n| may_repeat_name(n)) {
            Some(name) => FieldError::query(name, detail),
            // A parameter whose name could be personal data is described, not named.
            None => FieldError::new(
                "#/query",
                format!("a parameter whose name is not repeated here {detail}"),
            ),
        });
        let before = pairs.len();
        if let Some(name) = &name {
            pairs.retain(|(k, _)| k != name);
        }
        // A missing parameter, or one that could not be set aside, ends the checks.
        if pairs.len() == before {
            return Err(ApiError::Validation(errors));
        }
        let rest = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        refused = match deserialize_query::<T>(&rest) {
            Ok(_) => return Err(ApiError::Validation(errors)),
            Err(e) => e,
        };
    }
}

fn deserialize_query<T: DeserializeOwned>(
    query: &str,
) -> Result<T, serde_path_to_error::Error<serde_urlencoded::de::Error>> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de)
}

/// The first `name` in a serde message such as "unknown field `name`, expected …" or
/// "missing field `name`".
fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// A JSON request body, read and parsed only when the handler asks for it.
///
/// Handlers authenticate and authorise first, then call [`JsonBody::parse`]: were the body
/// parsed by the extractor itself, actix would run it beside the `Caller` extractor and a
/// malformed body could answer before a missing scope, telling unauthorised callers about
/// the schema.
pub struct JsonBody {
    payload: Payload,
    is_json: bool,
    declared: Option<usize>,
    limit: usize,
}

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .expect("the app state is registered")
            .max_body_bytes;
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        ready(Ok(JsonBody {
            payload: payload.take(),
            is_json,
            declared,
            limit,
        }))
    }
}

impl JsonBody {
    /// Checks the content type and size, reads the body and deserialises it into `T`.
    pub async fn parse<T: DeserializeOwned>(mut self) -> Result<T, ApiError> {
        if !self.is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        if self.declared.is_some_and(|n| n > self.limit) {
            return Err(ApiError::PayloadTooLarge { limit: self.limit });
        }
        let bytes = read_capped(&mut self.payload, self.limit).await?;
        parse_json(&bytes)
    }
}

async fn read_capped(payload: &mut Payload, limit: usize) -> Result<web::BytesMut, ApiError> {
    use futures_util::StreamExt;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::MalformedJson(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => value,
        Err(e) if e.inner().classify() == serde_json::error::Category::Data => {
            return Err(every_error_of::<T>(bytes));
        }
        Err(e) => return Err(ApiError::MalformedJson(e.into_inner().to_string())),
    };
    de.end()
        .map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    if let Some(duplicate) = super::duplicate_keys::first_duplicate(bytes) {
        let detail = duplicate.detail();
        return Err(ApiError::field(duplicate.pointer, detail));
    }
    Ok(value)
}

/// Every field of a body of the wrong shape that `T` refuses, not only the first; or, when
/// the body is not JSON at all further on, that.
fn every_error_of<T: DeserializeOwned>(bytes: &[u8]) -> ApiError {
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(e) => return ApiError::MalformedJson(e.to_string()),
    };
    let checked = deserialize_all::<T>(value, "", None, MAX_ERRORS);
    let mut errors = checked.errors;
    if checked.cut {
        errors.push(cut_notice(""));
    }
    ApiError::Validation(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::field_error::from_value;
    use serde::Deserialize;

    // Fields named as in the API's schema: only its names are repeated in errors.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Filter {
        #[allow(dead_code)]
        include_retracted: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        #[allow(dead_code)]
        items: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[allow(dead_code)]
        welfare_decile: u8,
    }

    fn errors(e: ApiError) -> Vec<FieldError> {
        match e {
            ApiError::Validation(errors) => errors,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn every_refused_query_parameter_is_reported_up_to_the_most() {
        crate::api::openapi::names::learn();
        // `limit` is a name of the API's, though not a parameter of this filter.
        let e = errors(parse_query::<Filter>("limit=1&include_retracted=maybe").unwrap_err());
        let pointers: Vec<&str> = e.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/query/limit", "#/query/include_retracted"]);
        let crowded: Vec<String> = (0..150).map(|i| format!("p{i}=1")).collect();
        let e = errors(parse_query::<Filter>(&crowded.join("&")).unwrap_err());
        assert_eq!(e.len(), MAX_ERRORS + 1);
        assert!(
            e[MAX_ERRORS].detail.contains("at most 100"),
            "{:?}",
            e[MAX_ERRORS]
        );
    }

    #[test]
    fn a_bad_query_value_names_its_parameter() {
        crate::api::openapi::names::learn();
        let e = errors(parse_query::<Filter>("include_retracted=maybe").unwrap_err());
        assert_eq!(e[0].pointer, "#/query/include_retracted");
    }

    #[test]
    fn an_unknown_query_parameter_is_named_only_when_the_schema_knows_the_name() {
        crate::api::openapi::names::learn();
        let e = errors(parse_query::<Filter>("program=PKH").unwrap_err());
        assert_eq!(e[0].pointer, "#/query/program");
        assert!(
            e[0].detail.starts_with("is not a field here"),
            "{}",
            e[0].detail
        );
        let e = errors(parse_query::<Filter>("include_retractd=true").unwrap_err());
        assert_eq!(e[0].pointer, "#/query");
        assert!(e[0].detail.contains("not repeated here"), "{}", e[0].detail);
    }

    #[test]
    fn a_bad_json_value_gets_a_pointer_into_the_body() {
        crate::api::openapi::names::learn();
        let e = errors(
            parse_json::<Outer>(br#"{"items":[{"welfare_decile":1},{"welfare_decile":300}]}"#)
                .unwrap_err(),
        );
        assert_eq!(e[0].pointer, "/items/1/welfare_decile");
        assert!(!e[0].detail.contains("line"), "{}", e[0].detail);
    }

    #[test]
    fn an_unknown_field_is_named_only_when_the_schema_knows_the_name() {
        crate::api::openapi::names::learn();
        let e = errors(
            parse_json::<Outer>(br#"{"items":[{"welfare_decile":1,"program":2}]}"#).unwrap_err(),
        );
        assert_eq!(e[0].pointer, "/items/0/program");
        let value = serde_json::json!({"welfare_decile": 1, "Siti_Rahayu": true});
        let e = from_value::<Inner>(value, "/items/4").unwrap_err();
        assert_eq!(e.pointer, "/items/4");
        assert!(e.detail.contains("not repeated here"), "{}", e.detail);
        assert!(!e.detail.contains("Siti"), "{}", e.detail);
    }

    #[test]
    fn a_name_or_value_that_could_be_personal_data_is_never_repeated() {
        crate::api::openapi::names::learn();
        let nik = "3201011507850003";
        let e = errors(
            parse_json::<Outer>(
                format!(r#"{{"items":[{{"welfare_decile":1,"{nik}":2}}]}}"#).as_bytes(),
            )
            .unwrap_err(),
        );
        assert_eq!(e[0].pointer, "/items/0");
        assert!(e[0].detail.contains("not repeated"), "{}", e[0].detail);
        let e = errors(
            parse_json::<Outer>(format!(r#"{{"items":[{{"welfare_decile":{nik}}}]}}"#).as_bytes())
                .unwrap_err(),
        );
        assert_eq!(e[0].pointer, "/items/0/welfare_decile");
        let e = errors(parse_query::<Filter>(&format!("{nik}=1")).unwrap_err());
        assert_eq!(e[0].pointer, "#/query");
        let e = errors(parse_query::<Filter>(&format!("include_retracted={nik}")).unwrap_err());
        assert_eq!(e[0].pointer, "#/query/include_retracted");
        for text in [&e[0].pointer, &e[0].detail] {
            assert!(!text.contains(nik), "{text}");
        }
    }

    #[test]
    fn a_missing_field_is_pointed_at_itself() {
        crate::api::openapi::names::learn();
        let e = errors(parse_json::<Outer>(br#"{"items":[{}]}"#).unwrap_err());
        assert_eq!(e[0].pointer, "/items/0/welfare_decile");
        assert_eq!(e[0].detail, "missing field `welfare_decile`");
    }

    #[test]
    fn broken_json_and_trailing_garbage_are_malformed_not_invalid() {
        assert!(matches!(
            parse_json::<Outer>(br#"{"items":["#),
            Err(ApiError::MalformedJson(_))
        ));
        assert!(matches!(
            parse_json::<Outer>(br#"{"items":[]} x"#),
            Err(ApiError::MalformedJson(_))
        ));
        assert!(matches!(
            parse_json::<Outer>(b"\xff\xfe"),
            Err(ApiError::MalformedJson(_))
        ));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let deep = "[".repeat(10_000);
        assert!(matches!(
            parse_json::<serde_json::Value>(deep.as_bytes()),
            Err(ApiError::MalformedJson(_))
        ));
    }
}
