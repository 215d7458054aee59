//! One audit entry: what the log records about a request, and how it is encoded.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a request ended, from the auditor's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Served: a 1xx, 2xx or 3xx status.
    Allowed,
    /// Refused for who the caller is or how often it called: 401, 403 or 429.
    Denied,
    /// Refused for what was asked: any other 4xx.
    Invalid,
    /// The exchange failed: 5xx.
    Failed,
}

impl Outcome {
    pub fn of_status(status: u16) -> Self {
        match status {
            401 | 403 | 429 => Self::Denied,
            400..=499 => Self::Invalid,
            500.. => Self::Failed,
            _ => Self::Allowed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::Denied => "denied",
            Self::Invalid => "invalid",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Allowed, Self::Denied, Self::Invalid, Self::Failed]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// An audit entry. Its leaf in the Merkle tree is the RFC 8785 encoding of this object,
/// `index` included. The fields of the first version are always present (absent values are
/// `null` or `[]`); those added later (`kk_hashes`, `source_address`, `aggregate`,
/// `agreements`, `agreement`) are left out when empty, so that every entry written before them keeps its bytes and still
/// verifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "index": 41, "time": "2026-11-28T03:12:45.123456Z",
    "request_id": "0b7f8f1e-3f0c-4d55-9a55-61f0a3f1c2d4", "client_id": "kemendes-sipede",
    "agency": "KEMENDES", "purpose": "Verifikasi calon peserta program pemberdayaan",
    "method": "GET", "route": "/v1/graduations", "status": 200, "outcome": "allowed",
    "record_ids": ["019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80"],
    "nik_hashes": ["5d0c1e6fb1f1d1b37d8f5a4c1c9e2e0b7a3e5f2d8c4b6a9e1f3d5c7b9a1e3f5d"],
    "latency_us": 2314}))]
pub struct Entry {
    /// The leaf's position in the log, from 0; assigned when the entry joins the tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    /// When the request arrived, RFC 3339 in UTC with microseconds.
    pub time: String,
    /// The `X-Request-Id` of the request (also the `instance` of its problem, if any).
    pub request_id: String,
    /// The authenticated client, or at the token endpoint the registered client that
    /// presented credentials; `null` when no known client was presented.
    pub client_id: Option<String>,
    /// The client's agency.
    pub agency: Option<String>,
    /// The declared purpose: the `Sinergi-Purpose` header.
    pub purpose: Option<String>,
    /// The request's method; empty for a request whose head the HTTP layer could not read
    /// (a `malformed-request` refusal, counted in its source address's aggregate).
    pub method: String,
    /// The route template (`/v1/graduations/{id}`); `null` when no route matched. Never
    /// the path itself, which could carry personal data.
    pub route: Option<String>,
    pub status: u16,
    pub outcome: Outcome,
    /// The records the request wrote or returned (all of them, for a search page).
    pub record_ids: Vec<String>,
    /// HMAC-SHA256 (with a secret of the exchange), hex, of every NIK the request touched:
    /// asked for, written or returned.
    pub nik_hashes: Vec<String>,
    /// From the request's arrival until its entry was made, in microseconds.
    pub latency_us: u64,
    /// HMAC-SHA256 (with another secret of the exchange than for NIKs), hex, of every KK
    /// (family card number) the request touched: asked for, written or returned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kk_hashes: Vec<String>,
    /// The address the request came from, as this server saw it (the TCP peer: behind a
    /// reverse proxy, the proxy). For an aggregate, the address or IPv6 /64 it counts.
    /// Absent for webhook deliveries, which the exchange itself makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_address: Option<String>,
    /// Present when the entry stands for many requests that named no client (anonymous
    /// requests are counted, not recorded one by one: see README, the audit log).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<Aggregate>,
    /// The data-sharing agreements, each at the version in force, under which the request
    /// read another agency's records, or that it changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreements: Vec<AgreementRef>,
    /// The agreement as the request left it, when it changed one: what `sinergi audit
    /// verify` holds later disclosures against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<AgreementState>,
}

/// An agreement after a change: its status and the version in force, with what reads are
/// decided on (the parties, the purposes and the validity of that version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementState {
    pub id: String,
    /// `proposed`, `active`, `suspended` or `terminated`.
    pub status: String,
    pub provider_agency: String,
    pub consumer_agency: String,
    /// The version in force; absent until a version was approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// The purposes of the version in force.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    /// The validity of the version in force, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// SHA-256, hex, of the canonical JSON of the latest version's terms (as `GET
    /// /v1/agreements/{id}/versions` shows them), so each version's text is bound to the log.
    pub terms_sha256: String,
}

/// The `route` of a webhook delivery's entry.
pub const WEBHOOK_ROUTE: &str = "webhook";

/// One version of one data-sharing agreement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementRef {
    pub id: String,
    pub version: i64,
}

/// What an aggregate entry counts: `requests` anonymous requests from `source_address`
/// with the entry's method, route and status, the first at the entry's `time`, the last at
/// `last_time`. An aggregate whose `source_address` is `*` counts the requests of every
/// address beyond the most a window records one by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    pub requests: u64,
    /// When the last of them arrived, RFC 3339 in UTC with microseconds.
    pub last_time: String,
}

impl Entry {
    /// The canonical bytes of the entry: with its index, exactly what is hashed for the leaf.
    pub fn canonical(&self) -> Vec<u8> {
        crate::canonical_json::to_vec(self).expect("an entry is plain JSON")
    }

    /// The canonical text of the entry (RFC 8785 output is UTF-8).
    pub fn canonical_text(&self) -> String {
        String::from_utf8(self.canonical()).expect("canonical JSON is UTF-8")
    }

    /// When the request arrived, as Unix microseconds (0 if the stored time is unreadable,
    /// which only a changed database could cause).
    pub fn time_micros(&self) -> i64 {
        chrono::DateTime::parse_from_rfc3339(&self.time).map_or(0, |t| t.timestamp_micros())
    }
}

/// Formats an instant the way entries carry it.
pub fn format_time(time: chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            index: None,
            time: "2026-11-28T03:12:45.123456Z".into(),
            request_id: "r-1".into(),
            client_id: Some("demo-kemensos".into()),
            agency: Some("KEMENSOS".into()),
            purpose: None,
            method: "GET".into(),
            route: Some("/v1/graduations".into()),
            status: 200,
            outcome: Outcome::Allowed,
            record_ids: vec![],
            nik_hashes: vec![],
            latency_us: 10,
            kk_hashes: vec![],
            source_address: None,
            aggregate: None,
            agreements: vec![],
            agreement: None,
        }
    }

    #[test]
    fn outcomes_follow_the_status() {
        assert_eq!(Outcome::of_status(200), Outcome::Allowed);
        assert_eq!(Outcome::of_status(304), Outcome::Allowed);
        for denied in [401, 403, 429] {
            assert_eq!(Outcome::of_status(denied), Outcome::Denied);
        }
        for invalid in [400, 404, 405, 409, 412, 413, 415] {
            assert_eq!(Outcome::of_status(invalid), Outcome::Invalid);
        }
        assert_eq!(Outcome::of_status(500), Outcome::Failed);
        assert_eq!(Outcome::of_status(503), Outcome::Failed);
    }

    #[test]
    fn the_canonical_form_has_sorted_keys_and_keeps_nulls() {
        let mut e = entry();
        assert!(!e.canonical_text().contains("\"index\""));
        e.index = Some(7);
        let text = e.canonical_text();
        assert!(text.starts_with(r#"{"agency":"KEMENSOS","client_id":"demo-kemensos","index":7,"#));
        assert!(text.contains(r#""purpose":null"#));
        let back: Entry = serde_json::from_str(&text).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.time_micros(), 1_795_835_565_123_456);
    }

    #[test]
    fn fields_added_later_are_left_out_when_empty_so_old_entries_keep_their_bytes() {
        let old = entry().canonical_text();
        for added in ["kk_hashes", "source_address", "aggregate"] {
            assert!(!old.contains(added), "{old}");
        }
        let back: Entry = serde_json::from_str(&old).unwrap();
        assert_eq!(back.canonical_text(), old);
        let mut new = entry();
        new.source_address = Some("203.0.113.7".into());
        new.aggregate = Some(Aggregate {
            requests: 12,
            last_time: "2026-11-28T03:13:44.000001Z".into(),
        });
        let text = new.canonical_text();
        assert!(
            text.contains(
                r#""aggregate":{"last_time":"2026-11-28T03:13:44.000001Z","requests":12}"#
            )
        );
        assert_eq!(serde_json::from_str::<Entry>(&text).unwrap(), new);
    }
}
