//! The agreement check of `sinergi audit verify`: over a whole export (one that verified
//! against a signed checkpoint), every disclosure of an agency's records to another agency
//! must name an agreement version that, at that point of the log, was in force between
//! those two agencies, valid at the read's time and covering the purpose the read declared.
//!
//! The export holds all it needs: who published each record (the entry of the write that
//! created it), each agreement as every change left it (the `agreement` of the entry that
//! made the change), and each read's agency, purpose, records and agreements. A record
//! whose publication is not in the log (the demo's seeded records) cannot be judged: such
//! disclosures are counted, not checked.
//!
//! Memory holds one agency code per published record and one state per agreement.

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;

use chrono::{DateTime, Utc};

use serde::Deserialize;

use super::entry::{AgreementRef, AgreementState, WEBHOOK_ROUTE};

/// A read that disclosed another agency's records without an agreement that allowed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub index: u64,
    pub request_id: String,
    pub time: String,
    /// The reading agency, and whose records it read.
    pub agency: String,
    pub publisher: String,
    pub purpose: Option<String>,
    /// How many of that publisher's records it disclosed.
    pub records: usize,
    pub problem: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "entry {} ({}, request {}): {} read {} record(s) of {} for purpose {}: {}",
            self.index,
            self.time,
            self.request_id,
            self.agency,
            self.records,
            self.publisher,
            self.purpose.as_deref().unwrap_or("(none)"),
            self.problem
        )
    }
}

/// What the check found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Disclosures {
    /// Reads that disclosed records of another agency, each checked.
    pub checked: u64,
    /// Records disclosed whose publication the log does not show, left unjudged.
    pub unjudged: u64,
    pub findings: Vec<Finding>,
}

impl fmt::Display for Disclosures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "agreements: {} disclosure(s) of another agency's records checked, {} without an \
             agreement in force for them",
            self.checked,
            self.findings.len()
        )?;
        if self.unjudged > 0 {
            write!(
                f,
                "; {} disclosed record(s) not published through the log were not judged",
                self.unjudged
            )?;
        }
        Ok(())
    }
}

/// Why an export cannot be checked.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("line {line}: cannot read the export: {source}")]
    Read { line: u64, source: std::io::Error },
    #[error("line {line}: not an audit entry: {source}")]
    NotAnEntry {
        line: u64,
        source: serde_json::Error,
    },
}

/// What the check reads of an entry; whatever else it holds is the Merkle check's.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Entry {
    time: String,
    request_id: String,
    agency: Option<String>,
    purpose: Option<String>,
    method: String,
    route: Option<String>,
    status: u16,
    record_ids: Vec<String>,
    agreements: Vec<AgreementRef>,
    agreement: Option<AgreementState>,
}

/// Checks every disclosure in `entries` (the whole export, from entry 0).
pub fn check(entries: impl BufRead) -> Result<Disclosures, CheckError> {
    let mut publishers: HashMap<String, String> = HashMap::new();
    let mut agreements: HashMap<String, AgreementState> = HashMap::new();
    let mut found = Disclosures::default();
    for (index, line) in (0u64..).zip(entries.lines()) {
        let line = line.map_err(|source| CheckError::Read {
            line: index + 1,
            source,
        })?;
        let entry: Entry =
            serde_json::from_str(&line).map_err(|source| CheckError::NotAnEntry {
                line: index + 1,
                source,
            })?;
        if let Some(state) = &entry.agreement {
            agreements.insert(state.id.clone(), state.clone());
        }
        let (Some(agency), true) = (&entry.agency, (200..300).contains(&entry.status)) else {
            continue;
        };
        match Kind::of(&entry) {
            Kind::Publication => {
                for id in &entry.record_ids {
                    publishers
                        .entry(id.clone())
                        .or_insert_with(|| agency.clone());
                }
            }
            Kind::Disclosure => {
                let mut of: HashMap<&str, usize> = HashMap::new();
                for id in &entry.record_ids {
                    match publishers.get(id) {
                        Some(publisher) if publisher != agency => {
                            *of.entry(publisher.as_str()).or_default() += 1;
                        }
                        Some(_) => {}
                        None => found.unjudged += 1,
                    }
                }
                let mut of: Vec<(&str, usize)> = of.into_iter().collect();
                of.sort();
                for (publisher, records) in of {
                    found.checked += 1;
                    if let Err(problem) = covered(&entry, agency, publisher, &agreements) {
                        found.findings.push(Finding {
                            index,
                            request_id: entry.request_id.clone(),
                            time: entry.time.clone(),
                            agency: agency.clone(),
                            publisher: publisher.to_owned(),
                            purpose: entry.purpose.clone(),
                            records,
                            problem,
                        });
                    }
                }
            }
            Kind::Other => {}
        }
    }
    Ok(found)
}

enum Kind {
    /// A write of records: it names the records it created or changed.
    Publication,
    /// A read of records (by id, history, search, feed) or a webhook delivery.
    Disclosure,
    Other,
}

impl Kind {
    fn of(entry: &Entry) -> Self {
        let route = entry.route.as_deref().unwrap_or_default();
        let records = route.starts_with("/v1/graduations") || route.starts_with("/v1/enrollments");
        match entry.method.as_str() {
            "POST" if route == WEBHOOK_ROUTE => Self::Disclosure,
            "GET" if records || route == "/v1/changes" => Self::Disclosure,
            "POST" | "PUT" | "DELETE" if records => Self::Publication,
            _ => Self::Other,
        }
    }
}

/// Whether one of the agreements the read named allowed `agency` to read `publisher`'s
/// records then, for its purpose; else why none did.
fn covered(
    entry: &Entry,
    agency: &str,
    publisher: &str,
    agreements: &HashMap<String, AgreementState>,
) -> Result<(), String> {
    let between: Vec<(&AgreementRef, Option<&AgreementState>)> = entry
        .agreements
        .iter()
        .map(|r| (r, agreements.get(&r.id)))
        .filter(|(_, state)| {
            state.is_none_or(|s| s.provider_agency == publisher && s.consumer_agency == agency)
        })
        .collect();
    if between.is_empty() {
        return Err("it names no agreement between these agencies".into());
    }
    let purpose = entry
        .purpose
        .as_deref()
        .map(|p| p.split(':').next().unwrap_or_default().trim());
    let time = DateTime::parse_from_rfc3339(&entry.time).map(|t| t.with_timezone(&Utc));
    let mut problem = String::new();
    for (reference, state) in between {
        let Some(state) = state else {
            problem = format!(
                "agreement {} is not in the log before this read",
                reference.id
            );
            continue;
        };
        let valid = |bound: &Option<String>, after: bool| {
            let (Some(bound), Ok(time)) = (bound, &time) else {
                return false;
            };
            DateTime::parse_from_rfc3339(bound)
                .is_ok_and(|b| if after { *time >= b } else { *time <= b })
        };
        problem = if state.status != "active" {
            format!("agreement {} was {} at the time", state.id, state.status)
        } else if state.version != Some(reference.version) {
            format!(
                "it names version {} of agreement {}, but the version in force was {}",
                reference.version,
                state.id,
                state.version.map_or("none".into(), |v| v.to_string())
            )
        } else if !valid(&state.valid_from, true) || !valid(&state.valid_until, false) {
            format!(
                "agreement {} was not valid at the time ({} to {})",
                state.id,
                state.valid_from.as_deref().unwrap_or("?"),
                state.valid_until.as_deref().unwrap_or("?")
            )
        } else if !purpose.is_some_and(|p| state.purposes.iter().any(|c| c == p)) {
            format!("agreement {} does not cover the declared purpose", state.id)
        } else {
            return Ok(());
        };
    }
    Err(problem)
}

#[cfg(test)]
mod tests;
