//! Data-sharing agreements (perjanjian kerja sama pertukaran data) as the shared schema
//! states them: what a provider agency lets a consumer agency read, for which purposes, on
//! which lawful basis (UU 27/2022 Art. 20(2)) and until when; how terms are checked; which
//! record fields they can name; and whether a change widens them. No I/O.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::code::{ProgramCode, PurposeCode};
use super::field_error::FieldError;
use super::record::RecordKind;
use super::region::AnyRegionCode;

/// The six lawful bases of processing of UU 27/2022 Art. 20(2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LawfulBasis {
    /// a. persetujuan yang sah secara eksplisit (explicit consent)
    Consent,
    /// b. pemenuhan kewajiban perjanjian (performance of a contract)
    Contract,
    /// c. pemenuhan kewajiban hukum (a legal obligation)
    LegalObligation,
    /// d. pelindungan kepentingan vital (vital interests)
    VitalInterest,
    /// e. pelaksanaan tugas dalam rangka kepentingan umum / kewenangan (a public task)
    PublicTask,
    /// f. pemenuhan kepentingan yang sah lainnya (other legitimate interests)
    LegitimateInterest,
}

/// Where an agreement stands. `expired` is not stored: an agreement is expired while its
/// terms' `valid_until` has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    /// Proposed by the consumer, not yet approved by the provider: nothing may be read.
    Proposed,
    /// Approved: reads within its terms are served.
    Active,
    /// Stopped by the provider for a while; approving it again resumes it.
    Suspended,
    /// Ended for good by either party.
    Terminated,
    /// Its terms' `valid_until` has passed.
    Expired,
}

impl AgreementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Terminated => "terminated",
            Self::Expired => "expired",
        }
    }

    /// A stored status (`expired` is never stored).
    pub fn parse_stored(s: &str) -> Option<Self> {
        [
            Self::Proposed,
            Self::Active,
            Self::Suspended,
            Self::Terminated,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// A search filter that picks out people; an agreement lists those its consumer may use.
/// The other filters (program, region, dates, publisher) only narrow what the agreement
/// already discloses and need no listing.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SearchKey {
    Kk,
    Nik,
}

impl SearchKey {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nik => "nik",
            Self::Kk => "kk",
        }
    }
}

/// The fields every record read carries whatever the agreement says: the exchange's
/// metadata and the publisher's id and program, none of them about a person.
pub const ALWAYS_SHOWN: [&str; 9] = [
    "/id",
    "/source_record_id",
    "/publisher",
    "/program",
    "/version",
    "/created_at",
    "/updated_at",
    "/retracted",
    "/retraction_reason",
];

const GRADUATION_FIELDS: [&str; 10] = [
    "/household",
    "/household/kk",
    "/household/head_nik",
    "/member_niks",
    "/region_code",
    "/graduation_type",
    "/graduated_on",
    "/welfare_decile",
    "/reason",
    "/attributes",
];

const ENROLLMENT_FIELDS: [&str; 9] = [
    "/subject",
    "/subject/nik",
    "/subject/kk",
    "/region_code",
    "/status",
    "/enrolled_on",
    "/ended_on",
    "/graduation_id",
    "/attributes",
];

/// The JSON pointers into a record of `kind` that an agreement may name in `fields`.
pub fn selectable_fields(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Graduation => &GRADUATION_FIELDS,
        RecordKind::Enrollment => &ENROLLMENT_FIELDS,
    }
}

/// The pointer of the NIK that identifies a record's subject (the household head, or the
/// enrolled person): withheld, it is replaced by a `subject_ref`.
pub fn subject_nik_field(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Graduation => "/household/head_nik",
        RecordKind::Enrollment => "/subject/nik",
    }
}

/// Whether the listed `fields` include `pointer`, itself or through an enclosing object.
pub fn covers(fields: &[String], pointer: &str) -> bool {
    fields.iter().any(|f| {
        pointer == f || (pointer.starts_with(f.as_str()) && pointer.as_bytes()[f.len()] == b'/')
    })
}

/// Longest `legal_reference`, in characters.
pub const MAX_LEGAL_REFERENCE_CHARS: usize = 500;
/// Longest retention an agreement may grant: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3_650;

/// What a provider lets a consumer read: one version of an agreement's terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = terms_example)]
pub struct Terms {
    /// The kinds of record the consumer may read.
    #[schema(min_items = 1)]
    pub record_kinds: Vec<RecordKind>,
    /// Only records of these programs; absent: every program of the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_items = 1, nullable = false)]
    pub programs: Option<Vec<ProgramCode>>,
    /// Only families living in these regions (province, regency, district or village
    /// codes); absent: everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_items = 1, nullable = false)]
    pub region_prefixes: Option<Vec<AnyRegionCode>>,
    /// The purposes (codes of `GET /v1/purposes`) the consumer may read for.
    #[schema(min_items = 1)]
    pub purposes: Vec<PurposeCode>,
    /// The record fields the consumer receives, as JSON pointers into the shared schema
    /// (`/household/kk`, `/region_code`; `/household` covers all of it). Metadata, the
    /// publisher's id and the program are always shown. Without the subject's NIK field
    /// the record carries a `subject_ref` instead.
    pub fields: Vec<String>,
    /// The search filters that pick out people which the consumer may use.
    pub search_keys: Vec<SearchKey>,
    pub lawful_basis: LawfulBasis,
    /// The legal instrument: a PKS number, a regulation (`Inpres 4/2025`).
    #[schema(min_length = 1, max_length = 500)]
    pub legal_reference: String,
    /// SHA-256 (lowercase hex) of the signed document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[0-9a-f]{64}$", nullable = false)]
    pub document_sha256: Option<String>,
    pub valid_from: DateTime<Utc>,
    /// After this instant the agreement is `expired` and serves no read.
    pub valid_until: DateTime<Utc>,
    /// How long the consumer may keep what it reads, in days.
    #[schema(minimum = 1, maximum = 3650)]
    pub retention_days: u32,
}

fn terms_example() -> serde_json::Value {
    serde_json::json!({
        "record_kinds": ["graduation"],
        "programs": ["PKH", "SEMBAKO"],
        "purposes": ["PEMBERDAYAAN_EKONOMI"],
        "fields": ["/household/kk", "/household/head_nik", "/region_code", "/graduation_type",
            "/graduated_on", "/welfare_decile"],
        "search_keys": ["kk"],
        "lawful_basis": "public_task",
        "legal_reference": "PKS Nomor 12/PKS/2026 antara Kemensos dan Kemendes PDT",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2027-12-31T16:59:59Z",
        "retention_days": 365
    })
}

impl Terms {
    /// Sorts and deduplicates the lists, so that equal terms compare and hash equal.
    pub fn normalise(&mut self) {
        fn tidy<T: Ord>(v: &mut Vec<T>) {
            v.sort();
            v.dedup();
        }
        self.record_kinds
            .sort_by_key(|k| matches!(k, RecordKind::Enrollment));
        self.record_kinds.dedup();
        if let Some(p) = &mut self.programs {
            tidy(p);
        }
        if let Some(r) = &mut self.region_prefixes {
            tidy(r);
        }
        tidy(&mut self.purposes);
        tidy(&mut self.fields);
        tidy(&mut self.search_keys);
    }

    /// Every rule the terms break on their own, each named by its pointer (`prefix` first).
    /// Whether programs and purposes exist is the caller's to check.
    pub fn problems(&self, prefix: &str) -> Vec<FieldError> {
        let mut problems = Vec::new();
        let mut bad = |field: &str, detail: &str| {
            problems.push(FieldError::new(format!("{prefix}/{field}"), detail));
        };
        if self.record_kinds.is_empty() {
            bad("record_kinds", "must name at least one kind");
        }
        if self.programs.as_ref().is_some_and(Vec::is_empty) {
            bad(
                "programs",
                "must name at least one program, or be left out for all",
            );
        }
        if self.region_prefixes.as_ref().is_some_and(Vec::is_empty) {
            bad(
                "region_prefixes",
                "must name at least one region, or be left out for all",
            );
        }
        if self.purposes.is_empty() {
            bad("purposes", "must name at least one purpose");
        }
        for (i, field) in self.fields.iter().enumerate() {
            let known = self
                .record_kinds
                .iter()
                .any(|k| selectable_fields(*k).contains(&field.as_str()));
            if !known {
                let detail = if ALWAYS_SHOWN.contains(&field.as_str()) {
                    "is always shown and need not be listed".to_owned()
                } else {
                    format!(
                        "is not a field of the listed record kinds; the fields are {}",
                        self.record_kinds
                            .iter()
                            .flat_map(|k| selectable_fields(*k).iter().copied())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                problems.push(FieldError::new(format!("{prefix}/fields/{i}"), detail));
            }
        }
        let reference = &self.legal_reference;
        if reference.trim().is_empty() {
            problems.push(FieldError::new(
                format!("{prefix}/legal_reference"),
                "must not be empty",
            ));
        } else if reference.chars().count() > MAX_LEGAL_REFERENCE_CHARS {
            problems.push(FieldError::new(
                format!("{prefix}/legal_reference"),
                format!("must be at most {MAX_LEGAL_REFERENCE_CHARS} characters"),
            ));
        } else if reference.chars().any(char::is_control) {
            problems.push(FieldError::new(
                format!("{prefix}/legal_reference"),
                "must not contain control characters",
            ));
        } else if super::personal_number::appears_in(reference) {
            problems.push(FieldError::new(
                format!("{prefix}/legal_reference"),
                super::record::PERSONAL_NUMBER,
            ));
        }
        let hex =
            |s: &String| s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if self.document_sha256.as_ref().is_some_and(|d| !hex(d)) {
            problems.push(FieldError::new(
                format!("{prefix}/document_sha256"),
                "must be 64 lowercase hexadecimal digits",
            ));
        }
        if self.valid_until <= self.valid_from {
            problems.push(FieldError::new(
                format!("{prefix}/valid_until"),
                "must be later than valid_from",
            ));
        }
        if !(1..=MAX_RETENTION_DAYS).contains(&self.retention_days) {
            problems.push(FieldError::new(
                format!("{prefix}/retention_days"),
                format!("must be between 1 and {MAX_RETENTION_DAYS}"),
            ));
        }
        problems
    }

    /// What `self` grants beyond `old`, by field name; empty when it grants nothing more
    /// (then it may take effect at once). A change of the lawful basis, legal reference or
    /// document is a new legal ground, and so needs approval like a widening.
    pub fn widens(&self, old: &Terms) -> Vec<&'static str> {
        let mut wider = Vec::new();
        if !self
            .record_kinds
            .iter()
            .all(|k| old.record_kinds.contains(k))
        {
            wider.push("record_kinds");
        }
        let more_programs = match (&old.programs, &self.programs) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(old), Some(new)) => !new.iter().all(|p| old.contains(p)),
        };
        if more_programs {
            wider.push("programs");
        }
        let more_regions = match (&old.region_prefixes, &self.region_prefixes) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(old), Some(new)) => !new.iter().all(|n| {
                old.iter().any(|o| {
                    n.as_str() == o.as_str() || n.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            }),
        };
        if more_regions {
            wider.push("region_prefixes");
        }
        if !self.purposes.iter().all(|p| old.purposes.contains(p)) {
            wider.push("purposes");
        }
        if !self.fields.iter().all(|f| covers(&old.fields, f)) {
            wider.push("fields");
        }
        if !self.search_keys.iter().all(|k| old.search_keys.contains(k)) {
            wider.push("search_keys");
        }
        if self.valid_from < old.valid_from {
            wider.push("valid_from");
        }
        if self.valid_until > old.valid_until {
            wider.push("valid_until");
        }
        if self.retention_days > old.retention_days {
            wider.push("retention_days");
        }
        if self.lawful_basis != old.lawful_basis {
            wider.push("lawful_basis");
        }
        if self.legal_reference != old.legal_reference {
            wider.push("legal_reference");
        }
        if self.document_sha256 != old.document_sha256 {
            wider.push("document_sha256");
        }
        wider
    }

    /// Whether the terms let their consumer read a record of `kind` in `program`, for a
    /// family living in the village whose code without dots is `village_digits`.
    pub fn covers_record(&self, kind: RecordKind, program: &str, village_digits: &str) -> bool {
        self.record_kinds.contains(&kind)
            && self
                .programs
                .as_ref()
                .is_none_or(|ps| ps.iter().any(|p| p.as_str() == program))
            && self.region_prefixes.as_ref().is_none_or(|rs| {
                // Codes have 2, 4, 6 or 10 digits, so a prefix of digits is a region.
                rs.iter()
                    .any(|r| village_digits.starts_with(&r.as_str().replace('.', "")))
            })
    }

    /// Whether `now` lies in the terms' validity.
    pub fn valid_at(&self, now: DateTime<Utc>) -> bool {
        self.valid_from <= now && now <= self.valid_until
    }
}

#[cfg(test)]
mod tests;
