//! What is decided about an item before anything is written: its shape and field rules
//! ([`parse_item`]), its references to programs and linked graduations ([`References`]),
//! and repeats inside a batch ([`reject_repeats`]). Every error points into the request.
//! It reads reference data but never writes.

use std::collections::{HashMap, HashSet};

use super::error::RecordsError;
use crate::db::AnyConnection;
use crate::db::records as store;
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::every_error::{concerns_none_of, cut_notice, deserialize_all};
use crate::domain::field_error::FieldError;
use crate::domain::record::{Content, RecordKind, SERVER_FIELDS, SourceRecordId};
use crate::domain::reference::{Program, ProgramKind};

/// Why one item was not published.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// The item is well formed but the caller may not publish it (another agency's program).
    pub forbidden: bool,
    pub errors: Vec<FieldError>,
}

impl Rejection {
    fn invalid(errors: Vec<FieldError>) -> Self {
        Self {
            forbidden: false,
            errors,
        }
    }
}

/// The error of a single-record request.
impl From<Rejection> for RecordsError {
    fn from(rejection: Rejection) -> Self {
        if rejection.forbidden {
            let detail: Vec<String> = rejection.errors.into_iter().map(|e| e.detail).collect();
            Self::Forbidden(detail.join("; "))
        } else {
            Self::Invalid(rejection.errors)
        }
    }
}

/// Turns one JSON item into record content, with every error pointing into the request
/// (`prefix` is `""` for a single record, `/items/7` in a batch): every field it refuses,
/// at most `limit` (at least one), the last entry saying so when more were left unsaid.
pub fn parse_item<C: Content>(
    mut value: serde_json::Value,
    prefix: &str,
    limit: usize,
) -> Result<C, Rejection> {
    let Some(object) = value.as_object_mut() else {
        return Err(Rejection::invalid(vec![FieldError::new(
            prefix,
            "must be a JSON object",
        )]));
    };
    // Reported, then set aside so that the rest of the item is still checked.
    let mut errors: Vec<FieldError> = SERVER_FIELDS
        .iter()
        .filter(|f| object.remove(**f).is_some())
        .map(|f| {
            FieldError::new(
                format!("{prefix}/{f}"),
                "is set by the exchange, not by the publisher; remove it",
            )
        })
        .collect();
    let checked = deserialize_all::<C>(
        value,
        prefix,
        Some(C::example),
        limit.saturating_sub(errors.len()),
    );
    errors.extend(checked.errors);
    let mut cut = checked.cut;
    let Some(content) = checked.value else {
        return Err(Rejection::invalid(finish(errors, cut, prefix, limit)));
    };
    errors.extend(
        content
            .problems()
            .into_iter()
            .filter(|(pointer, detail)| concerns_none_of(&checked.replaced, pointer, detail))
            .map(|(pointer, detail)| FieldError::new(format!("{prefix}{pointer}"), detail)),
    );
    if errors.is_empty() {
        return Ok(content);
    }
    cut |= errors.len() > limit.max(1);
    Err(Rejection::invalid(finish(errors, cut, prefix, limit)))
}

/// `errors` within `limit`, with a last entry saying so when some were left out.
fn finish(mut errors: Vec<FieldError>, cut: bool, prefix: &str, limit: usize) -> Vec<FieldError> {
    if cut {
        errors.truncate(limit.max(1));
        errors.push(cut_notice(prefix));
    }
    errors
}

/// What the checks against stored reference data need, loaded once per request.
pub struct References {
    programs: HashMap<ProgramCode, Program>,
    /// The linked graduations that exist; `None` away from the database, where nobody can
    /// say (the server checks them when the records arrive).
    graduations: Option<HashSet<String>>,
}

impl References {
    pub fn load<C: Content>(
        conn: &mut AnyConnection,
        items: &[&C],
    ) -> crate::db::QueryResult<Self> {
        let programs = crate::db::programs::list(conn, &Default::default())?
            .into_iter()
            .map(|p| (p.code.clone(), p))
            .collect();
        let mut linked: Vec<String> = items
            .iter()
            .filter_map(|c| c.graduation_id().map(|id| id.to_string()))
            .collect();
        linked.sort();
        linked.dedup();
        let graduations = store::existing_graduations(conn, &linked)?
            .into_iter()
            .collect();
        Ok(Self {
            programs,
            graduations: Some(graduations),
        })
    }

    /// References made of `programs` alone, for checking a file before it is sent
    /// (`sinergi validate`, `sinergi push`): linked graduations are left to the server.
    pub fn of_programs(programs: impl IntoIterator<Item = Program>) -> Self {
        Self {
            programs: programs.into_iter().map(|p| (p.code.clone(), p)).collect(),
            graduations: None,
        }
    }

    /// [`check`](Self::check) as the program's own agency would publish `item`: for a file
    /// checked before anyone has said who will publish it.
    pub fn check_as_owner<C: Content>(&self, item: &C, prefix: &str) -> Result<(), Rejection> {
        match self.programs.get(item.program()) {
            Some(program) => self.check(&program.agency, item, prefix),
            None => Err(unknown_program(prefix)),
        }
    }

    /// Whether `publisher` may publish `item`: the program exists, is the publisher's own,
    /// is active and of the right kind, and a linked graduation exists.
    pub fn check<C: Content>(
        &self,
        publisher: &AgencyCode,
        item: &C,
        prefix: &str,
    ) -> Result<(), Rejection> {
        let code = item.program();
        let at = format!("{prefix}/program");
        let Some(program) = self.programs.get(code) else {
            return Err(unknown_program(prefix));
        };
        if &program.agency != publisher {
            return Err(Rejection {
                forbidden: true,
                errors: vec![FieldError::new(
                    at,
                    format!(
                        "program {code} belongs to {}; {publisher} publishes only for its own programs",
                        program.agency
                    ),
                )],
            });
        }
        if !program.active {
            return Err(Rejection {
                forbidden: true,
                errors: vec![FieldError::new(
                    at,
                    format!("program {code} is not active; records cannot be published for it"),
                )],
            });
        }
        if C::KIND == RecordKind::Graduation && program.kind != ProgramKind::SocialAssistance {
            return Err(Rejection::invalid(vec![FieldError::new(
                at,
                format!(
                    "program {code} is an {} program; families graduate only from social_assistance programs",
                    program.kind
                ),
            )]));
        }
        if let Some(id) = item.graduation_id()
            && let Some(graduations) = &self.graduations
            && !graduations.contains(&id.to_string())
        {
            return Err(Rejection::invalid(vec![FieldError::new(
                format!("{prefix}/graduation_id"),
                "no graduation has this id",
            )]));
        }
        Ok(())
    }
}

fn unknown_program(prefix: &str) -> Rejection {
    Rejection::invalid(vec![FieldError::new(
        format!("{prefix}/program"),
        "no program has this code",
    )])
}

/// Refuses every item whose `source_record_id` another item of the same batch also uses,
/// naming the other positions, since the batch could not say which one should win. An
/// item refused for other reasons is refused for this too, so that neither of two repeats
/// is published while the other is being fixed. `source_ids` are the items' ids as sent,
/// where they were valid.
pub fn reject_repeats<C>(
    items: &mut [(usize, Result<C, Rejection>)],
    source_ids: &[Option<SourceRecordId>],
) {
    let mut positions: HashMap<&SourceRecordId, Vec<usize>> = HashMap::new();
    for (index, id) in source_ids.iter().enumerate() {
        if let Some(id) = id {
            positions.entry(id).or_default().push(index);
        }
    }
    for (index, item) in items.iter_mut() {
        let Some(id) = &source_ids[*index] else {
            continue;
        };
        let all = &positions[id];
        if all.len() < 2 {
            continue;
        }
        let others: Vec<String> = all
            .iter()
            .filter(|i| *i != index)
            .map(|i| format!("/items/{i}"))
            .collect();
        let repeat = FieldError::new(
            format!("/items/{index}/source_record_id"),
            format!(
                "is also used by {} in this batch; send each record once",
                others.join(", ")
            ),
        );
        match item {
            Ok(_) => *item = Err(Rejection::invalid(vec![repeat])),
            Err(rejection) => rejection.errors.insert(0, repeat),
        }
    }
}
