//! Sending a checked file in batches: rows refused by the local check go straight to the
//! rejected-rows file, the others to `POST /v1/{kind}/batch`; each answered batch is
//! recorded in the journal before the next one leaves, and a resumed push starts after the
//! last batch recorded.

use std::collections::HashMap;

use serde_json::Value;

use super::journal::{Entry, Journal, Rejected};
use super::rejected::RejectedFile;
use super::rows::{Raw, Source};
use super::server::Server;
use super::validate::Findings;
use crate::domain::field_error::FieldError;
use crate::records::batch::ItemResult;

/// What the whole file came to, over every run of the push.
#[derive(Debug, Default)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
}

impl Counts {
    pub fn of(journal: &Journal) -> Self {
        journal
            .entries()
            .iter()
            .fold(Self::default(), |mut counts, entry| {
                counts.created += entry.created;
                counts.updated += entry.updated;
                counts.unchanged += entry.unchanged;
                counts.rejected += entry.rejected.len();
                counts
            })
    }
}

/// The rows of the batch being gathered.
struct Batch {
    from: usize,
    /// Rows to send (index, line, content), and their items in the same order.
    rows: Vec<(usize, usize, Raw)>,
    items: Vec<Value>,
    /// Rows the local check refused: index, line, content, errors.
    refused: Vec<(usize, usize, Raw, Vec<String>)>,
}

impl Batch {
    fn at(from: usize) -> Self {
        Self {
            from,
            rows: Vec::new(),
            items: Vec::new(),
            refused: Vec::new(),
        }
    }
}

pub struct Push<'a> {
    pub source: &'a Source,
    pub server: &'a mut Server,
    pub journal: &'a mut Journal,
    pub rejected: &'a mut RejectedFile,
    pub batch_size: usize,
}

impl Push<'_> {
    /// Sends every row after those the journal shows done; `findings` are the local check's.
    pub fn run(&mut self, mut findings: Findings) -> anyhow::Result<()> {
        let done = self.journal.done();
        // Rows of earlier runs are not checked or sent again; their rejections are written
        // again from the journal, so that the rejected-rows file is whole.
        let journaled: HashMap<usize, Vec<String>> = self
            .journal
            .entries()
            .iter()
            .flat_map(|entry| &entry.rejected)
            .map(|r| (r.row, r.errors.clone()))
            .collect();
        let progress = super::progress::Progress::new(findings.rows, done);
        progress.show(done);
        let mut batch = Batch::at(done);
        for row in self.source.rows()? {
            let row = row?;
            if row.index < done {
                if let Some(errors) = journaled.get(&row.index) {
                    self.rejected.write(self.source, &row.raw, errors)?;
                }
                continue;
            }
            match (findings.invalid.remove(&row.index), row.item) {
                (Some(invalid), _) => {
                    let errors = invalid.errors.iter().map(ToString::to_string).collect();
                    batch.refused.push((row.index, row.line, row.raw, errors));
                }
                (None, Ok(item)) => {
                    batch.rows.push((row.index, row.line, row.raw));
                    batch.items.push(item);
                }
                (None, Err(_)) => unreachable!("the local check refuses every unreadable row"),
            }
            if batch.items.len() == self.batch_size {
                self.send(batch, row.index + 1)?;
                progress.show(row.index + 1);
                batch = Batch::at(row.index + 1);
            }
        }
        // The last batch covers the rows to the end, even when it has none to send.
        if batch.from < findings.rows {
            self.send(batch, findings.rows)?;
            progress.show(findings.rows);
        }
        progress.finish();
        Ok(())
    }

    /// Sends one batch, records the server's answer, then writes its rejected rows.
    fn send(&mut self, batch: Batch, to: usize) -> anyhow::Result<()> {
        let results = if batch.items.is_empty() {
            Vec::new()
        } else {
            self.server.publish(self.source.kind, &batch.items)?
        };
        let mut entry = Entry {
            from: batch.from,
            to,
            ..Entry::default()
        };
        let mut rejected: Vec<(usize, usize, Raw, Vec<String>)> = batch.refused;
        for (position, ((index, line, raw), result)) in
            batch.rows.into_iter().zip(results).enumerate()
        {
            match result.result {
                ItemResult::Created => entry.created += 1,
                ItemResult::Updated => entry.updated += 1,
                ItemResult::Unchanged => entry.unchanged += 1,
                ItemResult::Rejected => {
                    let errors = result
                        .errors
                        .iter()
                        .map(|e| self.source.error(&within_item(e, position)).to_string())
                        .collect();
                    rejected.push((index, line, raw, errors));
                }
            }
        }
        rejected.sort_by_key(|r| r.0);
        entry.rejected = rejected
            .iter()
            .map(|(row, line, _, errors)| Rejected {
                row: *row,
                line: *line,
                errors: errors.clone(),
            })
            .collect();
        self.journal.record(entry)?;
        for (_, _, raw, errors) in &rejected {
            self.rejected.write(self.source, raw, errors)?;
        }
        Ok(())
    }
}

/// A batch answer's error with its pointer made the item's own (`/items/7/household/kk`
/// → `/household/kk`).
fn within_item(e: &FieldError, position: usize) -> FieldError {
    let prefix = format!("/items/{position}");
    let pointer = match e.pointer.strip_prefix(&prefix) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => &e.pointer,
    };
    FieldError::new(pointer, &e.detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_answers_pointers_become_the_items_own() {
        let at =
            |pointer: &str, position| within_item(&FieldError::new(pointer, "x"), position).pointer;
        assert_eq!(at("/items/7/household/kk", 7), "/household/kk");
        assert_eq!(at("/items/7", 7), "");
        // Not this item's prefix (`/items/70` is not under `/items/7`): kept as it is.
        assert_eq!(at("/items/70/program", 7), "/items/70/program");
        assert_eq!(at("/program", 7), "/program");
    }
}
