//! Publishing many records at once: one result per item, in the items' order, valid items
//! written even when others are refused, unless the batch asked for all or nothing.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::checks::{self, References, Rejection};
use super::error::RecordsError;
use super::publish::{self, Prepared, WriteResult};
use crate::audit::report::Touched;
use crate::audit::write::Answered;
use crate::db::AnyConnection;
use crate::domain::code::AgencyCode;
use crate::domain::every_error::{MAX_ERRORS, cut_notice};
use crate::domain::field_error::FieldError;
use crate::domain::record::{Content, SourceRecordId};

/// What happened to one item of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemResult {
    Created,
    Updated,
    Unchanged,
    /// Not published; `errors` says why.
    Rejected,
}

impl From<WriteResult> for ItemResult {
    fn from(r: WriteResult) -> Self {
        match r {
            WriteResult::Created => Self::Created,
            WriteResult::Updated => Self::Updated,
            WriteResult::Unchanged => Self::Unchanged,
        }
    }
}

/// The outcome for one item, at the item's position in the request.
// Deserialize: `sinergi push` reads the server's answers with it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"index": 0, "source_record_id": "PKH-2026-3201-000123",
    "result": "updated", "id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80", "version": 2, "errors": []}))]
pub struct BatchItemResult {
    /// The item's position in `items`, from 0.
    pub index: usize,
    /// The item's `source_record_id`, when it had a valid one.
    pub source_record_id: Option<SourceRecordId>,
    pub result: ItemResult,
    /// The record's id; absent when rejected.
    pub id: Option<uuid::Uuid>,
    /// The record's version after the write; absent when rejected.
    pub version: Option<i64>,
    /// Why the item was rejected, with pointers into the request (`/items/7/household/kk`).
    pub errors: Vec<FieldError>,
}

/// One result per item, in the order of the request.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"results": [
    {"index": 0, "source_record_id": "PKH-2026-3201-000123", "result": "created",
     "id": "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80", "version": 1, "errors": []},
    {"index": 1, "source_record_id": null, "result": "rejected", "id": null, "version": null,
     "errors": [{"pointer": "/items/1/household/kk", "detail": "must be 16 digits, got 15"}]}
]}))]
pub struct BatchResults {
    pub results: Vec<BatchItemResult>,
}

/// A batch answers 200 whatever happened to its items.
impl Answered for BatchResults {
    fn status(&self) -> u16 {
        200
    }
}

/// The items of a batch, parsed one by one so that one bad item does not hide the others.
pub struct Items<C> {
    items: Vec<(usize, Result<C, Rejection>)>,
    /// Rejected items still report their `source_record_id` when it was readable.
    source_ids: Vec<Option<SourceRecordId>>,
}

impl<C: Content> Items<C> {
    /// Parses every item, refusing each whose `source_record_id` another item repeats.
    pub fn parse(values: Vec<serde_json::Value>) -> Self {
        let source_ids: Vec<Option<SourceRecordId>> = values
            .iter()
            .map(|v| {
                v.get("source_record_id")
                    .and_then(|s| s.as_str())
                    .and_then(|s| SourceRecordId::parse(s).ok())
            })
            .collect();
        // One budget of errors for the whole request; a rejected item always gets one.
        let mut budget = MAX_ERRORS;
        let mut items: Vec<(usize, Result<C, Rejection>)> = values
            .into_iter()
            .enumerate()
            .map(|(i, value)| {
                let item = checks::parse_item(value, &format!("/items/{i}"), budget);
                if let Err(rejection) = &item {
                    budget = budget.saturating_sub(rejection.errors.len());
                }
                (i, item)
            })
            .collect();
        checks::reject_repeats(&mut items, &source_ids);
        Self { items, source_ids }
    }

    /// The items that passed so far.
    pub fn valid(&self) -> impl Iterator<Item = &C> {
        self.items.iter().filter_map(|(_, r)| r.as_ref().ok())
    }

    /// Checks the valid items' programs and linked graduations, then writes them (or, when
    /// `atomic` and any item was refused, refuses the whole batch naming every error).
    pub fn write(
        &self,
        conn: &mut AnyConnection,
        publisher: &AgencyCode,
        atomic: bool,
        touched: &mut Touched,
    ) -> Result<BatchResults, RecordsError> {
        let valid: Vec<&C> = self.valid().collect();
        let references = References::load(conn, &valid)?;
        let mut results = Vec::with_capacity(self.items.len());
        let mut prepared = Vec::new();
        let mut positions = Vec::new();
        let mut errors = Vec::new();
        for (index, item) in &self.items {
            let checked = match item {
                Ok(content) => references
                    .check(publisher, content, &format!("/items/{index}"))
                    .map(|()| content),
                Err(rejection) => Err(rejection.clone()),
            };
            match checked {
                Ok(content) => {
                    positions.push(results.len());
                    results.push(BatchItemResult {
                        index: *index,
                        source_record_id: Some(content.source_record_id().clone()),
                        result: ItemResult::Rejected,
                        id: None,
                        version: None,
                        errors: Vec::new(),
                    });
                    // Cloned: the transaction may run again after a lost race.
                    prepared.push(Prepared::new(content.clone()));
                }
                Err(rejection) => {
                    errors.extend(rejection.errors.iter().cloned());
                    results.push(BatchItemResult {
                        index: *index,
                        source_record_id: self.source_ids[*index].clone(),
                        result: ItemResult::Rejected,
                        id: None,
                        version: None,
                        errors: rejection.errors,
                    });
                }
            }
        }
        if atomic && !errors.is_empty() {
            if errors.len() > MAX_ERRORS {
                errors.truncate(MAX_ERRORS);
                errors.push(cut_notice(""));
            }
            return Err(RecordsError::Invalid(errors));
        }
        if !prepared.is_empty() {
            let written = publish::write(conn, publisher, &prepared, None, touched)?;
            for (position, w) in positions.into_iter().zip(written) {
                let slot = &mut results[position];
                slot.result = w.result.into();
                slot.id = Some(w.meta.id);
                slot.version = Some(w.meta.version);
            }
        }
        Ok(BatchResults { results })
    }
}
