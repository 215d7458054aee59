//! An enrollment record: a person or family joins a program.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::code::{AgencyCode, ProgramCode};
use super::kk::Kk;
use super::nik::Nik;
use super::record::{
    Attributes, CalendarDate, Content, IMPLAUSIBLE_DATE, Meta, Reason, RecordKind, SearchKeys,
    SourceRecordId, personal_numbers_in,
};
use super::region::RegionCode;

/// Who was enrolled: a person (NIK), a family (KK), or both; at least one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, example = json!({"nik": "3201011507850003", "kk": "3201012308150007"}))]
pub struct Subject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub nik: Option<Nik>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub kk: Option<Kk>,
}

/// Where the participant stands in the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnrollmentStatus {
    Active,
    Suspended,
    Completed,
    Exited,
}

impl EnrollmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Completed => "completed",
            Self::Exited => "exited",
        }
    }
}

/// What a publisher sends for an enrollment (kepesertaan program). The publisher, id,
/// version and timestamps are set by the exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = enrollment_input_example)]
pub struct EnrollmentInput {
    pub source_record_id: SourceRecordId,
    /// A program owned by the publishing agency, of any kind.
    pub program: ProgramCode,
    pub subject: Subject,
    /// Where the participant takes part, a village code.
    pub region_code: RegionCode,
    pub status: EnrollmentStatus,
    pub enrolled_on: CalendarDate,
    /// When participation ended; not before `enrolled_on`.
    #[serde(default)]
    pub ended_on: Option<CalendarDate>,
    /// The graduation that led to this enrollment, by its exchange id.
    #[serde(default)]
    pub graduation_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub attributes: Option<Attributes>,
}

/// An enrollment record as the exchange answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = enrollment_example)]
pub struct Enrollment {
    /// The exchange's id for the record.
    pub id: uuid::Uuid,
    pub source_record_id: SourceRecordId,
    /// The agency that published the record, taken from its token.
    pub publisher: AgencyCode,
    pub program: ProgramCode,
    pub subject: Subject,
    pub region_code: RegionCode,
    pub status: EnrollmentStatus,
    pub enrolled_on: CalendarDate,
    pub ended_on: Option<CalendarDate>,
    pub graduation_id: Option<uuid::Uuid>,
    pub attributes: Option<Attributes>,
    /// Starts at 1 and grows by one with every change, retraction included.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    /// When this version was written.
    pub updated_at: DateTime<Utc>,
    /// Whether the publisher withdrew the record; a retracted record is a tombstone.
    pub retracted: bool,
    pub retraction_reason: Option<Reason>,
}

impl Content for EnrollmentInput {
    const KIND: RecordKind = RecordKind::Enrollment;
    type Record = Enrollment;

    fn source_record_id(&self) -> &SourceRecordId {
        &self.source_record_id
    }

    fn program(&self) -> &ProgramCode {
        &self.program
    }

    fn graduation_id(&self) -> Option<uuid::Uuid> {
        self.graduation_id
    }

    fn search_keys(&self) -> SearchKeys {
        SearchKeys {
            niks: self
                .subject
                .nik
                .iter()
                .map(|n| n.as_str().to_owned())
                .collect(),
            kk: self.subject.kk.as_ref().map(|k| k.as_str().to_owned()),
            region_digits: self.region_code.as_str().replace('.', ""),
            event_on: self.enrolled_on.to_string(),
            status: Some(self.status.as_str()),
            graduation_type: None,
            graduation_id: self.graduation_id.map(|id| id.to_string()),
        }
    }

    fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        for (field, date) in [
            ("enrolled_on", Some(self.enrolled_on)),
            ("ended_on", self.ended_on),
        ] {
            if date.is_some_and(|d| !d.plausible_for_record()) {
                problems.push((format!("/{field}"), IMPLAUSIBLE_DATE.to_owned()));
            }
        }
        if self.subject.nik.is_none() && self.subject.kk.is_none() {
            problems.push((
                "/subject".to_owned(),
                "must name the person (nik), the family (kk) or both".to_owned(),
            ));
        }
        if self.ended_on.is_some_and(|end| end < self.enrolled_on) {
            problems.push((
                "/ended_on".to_owned(),
                "must not be before enrolled_on".to_owned(),
            ));
        }
        problems.extend(personal_numbers_in(None, self.attributes.as_ref()));
        problems
    }

    fn example() -> serde_json::Value {
        enrollment_input_example()
    }

    fn into_record(self, meta: Meta) -> Enrollment {
        Enrollment {
            id: meta.id,
            source_record_id: self.source_record_id,
            publisher: meta.publisher,
            program: self.program,
            subject: self.subject,
            region_code: self.region_code,
            status: self.status,
            enrolled_on: self.enrolled_on,
            ended_on: self.ended_on,
            graduation_id: self.graduation_id,
            attributes: self.attributes,
            version: meta.version,
            created_at: meta.created_at,
            updated_at: meta.updated_at,
            retracted: meta.retracted,
            retraction_reason: meta.retraction_reason,
        }
    }
}

/// A enrollment as a publisher sends it, for the API documentation.
pub fn enrollment_input_example() -> serde_json::Value {
    serde_json::json!({
        "source_record_id": "PKTD-2026-000045",
        "program": "PKTD",
        "subject": {"nik": "3201011507850003", "kk": "3201012308150007"},
        "region_code": "32.01.01.1002",
        "status": "active",
        "enrolled_on": "2026-08-01",
        "ended_on": null,
        "graduation_id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80",
        "attributes": {"kelompok_kerja": "Padat Karya Desa Cibodas"}
    })
}

/// A enrollment as the exchange answers it, for the API documentation.
pub fn enrollment_example() -> serde_json::Value {
    serde_json::json!({
        "id": "019ac9c4-1a2b-7c3d-9e4f-5a6b7c8d9e0f",
        "source_record_id": "PKTD-2026-000045",
        "publisher": "KEMENDES",
        "program": "PKTD",
        "subject": {"nik": "3201011507850003", "kk": "3201012308150007"},
        "region_code": "32.01.01.1002",
        "status": "active",
        "enrolled_on": "2026-08-01",
        "ended_on": null,
        "graduation_id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80",
        "attributes": {"kelompok_kerja": "Padat Karya Desa Cibodas"},
        "version": 1,
        "created_at": "2026-08-01T03:00:00.5Z",
        "updated_at": "2026-08-01T03:00:00.5Z",
        "retracted": false,
        "retraction_reason": null
    })
}
