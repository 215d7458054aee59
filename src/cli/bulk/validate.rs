//! Every row of a file checked with the server's own rules before anything is sent: the
//! item's shape and fields (`records::checks::parse_item`), its program
//! (`records::checks::References`), and one rule of the file's own, that no two rows share a
//! `source_record_id` (the later would overwrite the earlier).

use std::collections::{BTreeMap, HashMap};
use std::io;

use serde_json::Value;

use super::rows::{RowError, Source};
use crate::domain::code::AgencyCode;
use crate::domain::enrollment::EnrollmentInput;
use crate::domain::every_error::MAX_ERRORS;
use crate::domain::graduation::GraduationInput;
use crate::domain::record::{Content, RecordKind, SourceRecordId};
use crate::records::checks::{self, References, Rejection};

/// What the rows are checked against.
pub struct Rules {
    pub references: References,
    /// The agency that will publish the rows; `None` checks each program as its own
    /// agency's (who publishes is known only with a server or `--agency`).
    pub publisher: Option<AgencyCode>,
}

impl Rules {
    fn check<C: Content>(&self, item: Value) -> Result<(), Rejection> {
        let content = checks::parse_item::<C>(item, "", MAX_ERRORS)?;
        match &self.publisher {
            Some(publisher) => self.references.check(publisher, &content, ""),
            None => self.references.check_as_owner(&content, ""),
        }
    }
}

/// The rows that may not be sent, and why.
#[derive(Debug, Default)]
pub struct Findings {
    pub rows: usize,
    /// By row index.
    pub invalid: BTreeMap<usize, Invalid>,
}

#[derive(Debug)]
pub struct Invalid {
    pub line: usize,
    pub errors: Vec<RowError>,
}

/// Checks every row of `source`.
pub fn check(source: &Source, rules: &Rules) -> io::Result<Findings> {
    match source.kind {
        RecordKind::Graduation => check_as::<GraduationInput>(source, rules),
        RecordKind::Enrollment => check_as::<EnrollmentInput>(source, rules),
    }
}

fn check_as<C: Content>(source: &Source, rules: &Rules) -> io::Result<Findings> {
    let mut findings = Findings::default();
    // Each id with the rows (index, line) that use it.
    let mut ids: HashMap<SourceRecordId, Vec<(usize, usize)>> = HashMap::new();
    for row in source.rows()? {
        let row = row?;
        findings.rows += 1;
        let errors = match row.item {
            Err(errors) => errors,
            Ok(item) => {
                // Read as the server reads it for its own repeat check: as sent, when valid.
                if let Some(id) = item
                    .get("source_record_id")
                    .and_then(Value::as_str)
                    .and_then(|s| SourceRecordId::parse(s).ok())
                {
                    ids.entry(id).or_default().push((row.index, row.line));
                }
                match rules.check::<C>(item) {
                    Ok(()) => continue,
                    Err(rejection) => rejection.errors.iter().map(|e| source.error(e)).collect(),
                }
            }
        };
        findings.invalid.insert(
            row.index,
            Invalid {
                line: row.line,
                errors,
            },
        );
    }
    for rows in ids.values().filter(|rows| rows.len() > 1) {
        for &(index, line) in rows {
            let others: Vec<String> = rows
                .iter()
                .filter(|(other, _)| *other != index)
                .map(|(_, line)| line.to_string())
                .collect();
            let repeat = RowError {
                place: source.locate("/source_record_id"),
                detail: format!(
                    "is also used on line{} {}; a file holds each record once (the later row \
                     would overwrite the earlier)",
                    if others.len() > 1 { "s" } else { "" },
                    others.join(", ")
                ),
            };
            findings
                .invalid
                .entry(index)
                .or_insert_with(|| Invalid {
                    line,
                    errors: Vec::new(),
                })
                .errors
                .insert(0, repeat);
        }
    }
    Ok(findings)
}

#[cfg(test)]
mod tests;
