//! A graduation record: a family (KPM) leaves a social-assistance program.

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

/// Most household members a graduation may list besides the head.
pub const MAX_MEMBERS: usize = 30;

/// The family: its card number (KK) and the NIK of its head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kk": "3201012308150007", "head_nik": "3201011507850003"}))]
pub struct Household {
    /// Nomor Kartu Keluarga as it was when the family graduated.
    pub kk: Kk,
    /// The NIK of the head of the family (kepala keluarga).
    pub head_nik: Nik,
}

/// How the family left the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GraduationType {
    /// Graduasi alamiah: the family no longer meets the criteria.
    Natural,
    /// Graduasi sejahtera mandiri: the family declared itself self-reliant.
    SelfReliant,
    /// Exit because the family did not meet the program's obligations.
    ExitNoncompliance,
    /// Exit because the family's data were corrected (e.g. wrongly registered).
    ExitDataCorrection,
}

impl GraduationType {
    /// The value as written in records and stored in `records.graduation_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            GraduationType::Natural => "natural",
            GraduationType::SelfReliant => "self_reliant",
            GraduationType::ExitNoncompliance => "exit_noncompliance",
            GraduationType::ExitDataCorrection => "exit_data_correction",
        }
    }
}

/// DTSEN welfare decile (desil) 1–10 at graduation; 1 is the poorest tenth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "u8", into = "u8")]
#[schema(value_type = u8, minimum = 1, maximum = 10, example = 6)]
pub struct WelfareDecile(u8);

#[derive(Debug, thiserror::Error)]
#[error("must be a welfare decile from 1 to 10")]
pub struct DecileError;

impl TryFrom<u8> for WelfareDecile {
    type Error = DecileError;
    fn try_from(n: u8) -> Result<Self, DecileError> {
        if (1..=10).contains(&n) {
            Ok(Self(n))
        } else {
            Err(DecileError)
        }
    }
}

impl From<WelfareDecile> for u8 {
    fn from(d: WelfareDecile) -> u8 {
        d.0
    }
}

/// What a publisher sends for a graduation (publikasi graduasi). The publisher, id, version
/// and timestamps are set by the exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = graduation_input_example)]
pub struct GraduationInput {
    pub source_record_id: SourceRecordId,
    /// A `social_assistance` program owned by the publishing agency.
    pub program: ProgramCode,
    pub household: Household,
    /// NIKs of the other family members (at most 30, no repeats).
    #[serde(default)]
    #[schema(max_items = 30)]
    pub member_niks: Vec<Nik>,
    /// Where the family lives now (domicile), a village code.
    pub region_code: RegionCode,
    pub graduation_type: GraduationType,
    /// The day the family left the program.
    pub graduated_on: CalendarDate,
    #[serde(default)]
    pub welfare_decile: Option<WelfareDecile>,
    #[serde(default)]
    pub reason: Option<Reason>,
    #[serde(default)]
    pub attributes: Option<Attributes>,
}

/// A graduation record as the exchange answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = graduation_example)]
pub struct Graduation {
    /// The exchange's id for the record.
    pub id: uuid::Uuid,
    pub source_record_id: SourceRecordId,
    /// The agency that published the record, taken from its token.
    pub publisher: AgencyCode,
    pub program: ProgramCode,
    pub household: Household,
    pub member_niks: Vec<Nik>,
    pub region_code: RegionCode,
    pub graduation_type: GraduationType,
    pub graduated_on: CalendarDate,
    pub welfare_decile: Option<WelfareDecile>,
    pub reason: Option<Reason>,
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

impl Content for GraduationInput {
    const KIND: RecordKind = RecordKind::Graduation;
    type Record = Graduation;

    fn source_record_id(&self) -> &SourceRecordId {
        &self.source_record_id
    }

    fn program(&self) -> &ProgramCode {
        &self.program
    }

    fn graduation_id(&self) -> Option<uuid::Uuid> {
        None
    }

    fn search_keys(&self) -> SearchKeys {
        let mut niks: Vec<String> = std::iter::once(&self.household.head_nik)
            .chain(&self.member_niks)
            .map(|n| n.as_str().to_owned())
            .collect();
        niks.sort();
        niks.dedup();
        SearchKeys {
            niks,
            kk: Some(self.household.kk.as_str().to_owned()),
            region_digits: self.region_code.as_str().replace('.', ""),
            event_on: self.graduated_on.to_string(),
            status: None,
            graduation_type: Some(self.graduation_type.as_str()),
            graduation_id: None,
        }
    }

    fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if !self.graduated_on.plausible_for_record() {
            problems.push(("/graduated_on".to_owned(), IMPLAUSIBLE_DATE.to_owned()));
        }
        if self.member_niks.len() > MAX_MEMBERS {
            problems.push((
                "/member_niks".to_owned(),
                format!(
                    "lists {} members; at most {MAX_MEMBERS} are accepted",
                    self.member_niks.len()
                ),
            ));
        }
        for (i, nik) in self.member_niks.iter().enumerate() {
            if let Some(first) = self.member_niks[..i].iter().position(|n| n == nik) {
                problems.push((
                    format!("/member_niks/{i}"),
                    format!("repeats /member_niks/{first}"),
                ));
            }
        }
        problems.extend(personal_numbers_in(
            self.reason.as_ref(),
            self.attributes.as_ref(),
        ));
        problems
    }

    fn example() -> serde_json::Value {
        graduation_input_example()
    }

    fn into_record(self, meta: Meta) -> Graduation {
        Graduation {
            id: meta.id,
            source_record_id: self.source_record_id,
            publisher: meta.publisher,
            program: self.program,
            household: self.household,
            member_niks: self.member_niks,
            region_code: self.region_code,
            graduation_type: self.graduation_type,
            graduated_on: self.graduated_on,
            welfare_decile: self.welfare_decile,
            reason: self.reason,
            attributes: self.attributes,
            version: meta.version,
            created_at: meta.created_at,
            updated_at: meta.updated_at,
            retracted: meta.retracted,
            retraction_reason: meta.retraction_reason,
        }
    }
}

/// A graduation as a publisher sends it, for the API documentation.
pub fn graduation_input_example() -> serde_json::Value {
    serde_json::json!({
        "source_record_id": "PKH-2026-3201-000123",
        "program": "PKH",
        "household": {"kk": "3201012308150007", "head_nik": "3201011507850003"},
        "member_niks": ["3201015508870002"],
        "region_code": "32.01.01.1002",
        "graduation_type": "natural",
        "graduated_on": "2026-06-30",
        "welfare_decile": 6,
        "reason": "Pendapatan keluarga di atas garis kemiskinan selama 12 bulan",
        "attributes": {"pendamping": "PD-3201-17"}
    })
}

/// A graduation as the exchange answers it, for the API documentation.
pub fn graduation_example() -> serde_json::Value {
    serde_json::json!({
        "id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80",
        "source_record_id": "PKH-2026-3201-000123",
        "publisher": "KEMENSOS",
        "program": "PKH",
        "household": {"kk": "3201012308150007", "head_nik": "3201011507850003"},
        "member_niks": ["3201015508870002"],
        "region_code": "32.01.01.1002",
        "graduation_type": "natural",
        "graduated_on": "2026-06-30",
        "welfare_decile": 6,
        "reason": "Pendapatan keluarga di atas garis kemiskinan selama 12 bulan",
        "attributes": {"pendamping": "PD-3201-17"},
        "version": 1,
        "created_at": "2026-07-01T02:15:00.123456Z",
        "updated_at": "2026-07-01T02:15:00.123456Z",
        "retracted": false,
        "retraction_reason": null
    })
}
