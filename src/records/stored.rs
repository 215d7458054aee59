//! A reader's own records served from their stored canonical JSON: the version's metadata
//! written in front of the stored content, without parsing the content back through the
//! validating domain types and writing it out again. Only the NIKs and the KK are read out
//! of it, for the audit entry. Another agency's records still go through the types, since
//! an agreement decides on their program and region and projects their fields.
//!
//! The content was validated when it was published and is stored only by the exchange; what
//! this path still refuses as corrupt is content that is not a JSON object, or whose NIK and
//! KK fields are not strings.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::audit::report::Touched;
use crate::db::{QueryResult, corrupt};
use crate::domain::record::{Meta, Reason};

/// The fields of stored content that name people and families, borrowed from the text
/// (canonical JSON writes digits without escapes); everything else is skipped unread.
/// Graduations name them in `household` and `member_niks`, enrollments in `subject`.
#[derive(Deserialize)]
struct Names<'a> {
    #[serde(borrow, default)]
    household: Option<Family<'a>>,
    #[serde(borrow, default)]
    member_niks: Vec<&'a str>,
    #[serde(borrow, default)]
    subject: Option<Person<'a>>,
}

#[derive(Deserialize)]
struct Family<'a> {
    kk: &'a str,
    head_nik: &'a str,
}

#[derive(Deserialize)]
struct Person<'a> {
    #[serde(default)]
    nik: Option<&'a str>,
    #[serde(default)]
    kk: Option<&'a str>,
}

/// The exchange's metadata, as a record answers it (the same names and formats as the
/// `Graduation` and `Enrollment` types write).
#[derive(Serialize)]
struct MetaFields<'a> {
    id: uuid::Uuid,
    publisher: &'a str,
    version: i64,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
    retracted: bool,
    retraction_reason: Option<&'a Reason>,
}

/// The record of stored `content` with `meta`, as its publisher sees it; its id and the
/// people it names go to `touched`.
pub fn own(content: &str, meta: &Meta, touched: &mut Touched) -> QueryResult<Box<RawValue>> {
    let names: Names<'_> = serde_json::from_str(content).map_err(corrupt)?;
    let fields = MetaFields {
        id: meta.id,
        publisher: meta.publisher.as_str(),
        version: meta.version,
        created_at: meta.created_at,
        updated_at: meta.updated_at,
        retracted: meta.retracted,
        retraction_reason: meta.retraction_reason.as_ref(),
    };
    // `{meta…}` and `{content…}` become `{meta…,content…}`. Stored content is never `{}`
    // (every record has a `source_record_id`) and never repeats a metadata field (the
    // domain types refuse them on publishing).
    let body = content
        .strip_prefix('{')
        .filter(|rest| rest.len() > 1)
        .ok_or_else(|| corrupt(std::fmt::Error))?;
    let mut json = serde_json::to_string(&fields).map_err(corrupt)?;
    json.pop();
    json.push(',');
    json.push_str(body);
    let record = RawValue::from_string(json).map_err(corrupt)?;

    touched.record_ids.push(meta.id.to_string());
    if let Some(family) = names.household {
        touched.niks.push(family.head_nik.to_owned());
        touched.kks.push(family.kk.to_owned());
    }
    touched
        .niks
        .extend(names.member_niks.iter().map(|n| (*n).to_owned()));
    if let Some(person) = names.subject {
        touched.niks.extend(person.nik.map(str::to_owned));
        touched.kks.extend(person.kk.map(str::to_owned));
    }
    Ok(record)
}

#[cfg(test)]
mod tests;
