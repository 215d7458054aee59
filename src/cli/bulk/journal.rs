//! What a push has had committed, so that a push stopped part-way (a crash, a lost
//! connection, Ctrl-C) resumes after the last batch the server answered instead of sending
//! the file again.
//!
//! A journal is NDJSON: a header naming the file by its size and SHA-256 (a journal of
//! another file would skip the wrong rows), the kind and the server; then one line per
//! batch the server answered, with the rows it covers, the counts by result and every
//! rejected row with its errors. A line is written and synced after the server's answer and
//! before the next batch leaves, so a batch with a line was committed; a batch without one
//! may have been, and is sent again (answered `unchanged`). Nothing from the file itself is
//! written: rows by number and line, errors in the server's words.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::record::RecordKind;

const VERSION: u32 = 1;

/// What a journal was written for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub sinergi_push_journal: u32,
    pub file_bytes: u64,
    pub file_sha256: String,
    pub kind: RecordKind,
    pub server: String,
}

impl Header {
    pub fn new(file: &Path, kind: RecordKind, server: &str) -> io::Result<Self> {
        let (file_bytes, file_sha256) = fingerprint(file)?;
        Ok(Self {
            sinergi_push_journal: VERSION,
            file_bytes,
            file_sha256,
            kind,
            server: server.to_owned(),
        })
    }
}

/// One batch the server answered: rows `from..to` of the file (from 0, not lines), rows
/// refused before sending included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub from: usize,
    pub to: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejected>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub row: usize,
    pub line: usize,
    /// `place: detail`, as the rejected-rows file shows them.
    pub errors: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error(
        "{file} is not the file the journal {journal} was written for (its size or SHA-256 \
         differs), so resuming would skip the wrong rows: push the file it was written for, \
         or delete the journal to send this file from its first row"
    )]
    FileChanged { file: String, journal: String },
    #[error(
        "the journal {journal} was written for a push of {kind}s to {server}: push there, \
         or delete the journal to send the file from its first row"
    )]
    OtherPush {
        journal: String,
        kind: RecordKind,
        server: String,
    },
    #[error("{journal} is not a journal of sinergi push (line {line}); give another --journal")]
    Unreadable { journal: String, line: usize },
    #[error("{journal}: {error}")]
    Io { journal: String, error: io::Error },
}

pub struct Journal {
    path: PathBuf,
    file: File,
    entries: Vec<Entry>,
}

impl Journal {
    /// Opens the journal at `path` for a push described by `header`: a new one when there is
    /// none, or none with a batch recorded (nothing to resume, whatever it was written for),
    /// else the one there, which must have been written for the same push. A last line cut
    /// short (the process stopped while writing it) is dropped.
    pub fn open(path: &Path, file: &Path, header: &Header) -> Result<Self, JournalError> {
        let io = |error| JournalError::Io {
            journal: path.display().to_string(),
            error,
        };
        let unreadable = |line| JournalError::Unreadable {
            journal: path.display().to_string(),
            line,
        };
        let mut handle = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io)?;
        let mut text = Vec::new();
        handle.read_to_end(&mut text).map_err(io)?;
        // Only lines ended by a line break were written whole.
        let whole = text.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let mut lines = text[..whole]
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty());
        let found: Option<Header> = match lines.next() {
            None => None,
            Some(line) => match serde_json::from_slice::<Header>(line) {
                Ok(found) if found.sinergi_push_journal == VERSION => Some(found),
                _ => return Err(unreadable(1)),
            },
        };
        let mut entries: Vec<Entry> = Vec::new();
        for (i, line) in lines.enumerate() {
            let entry: Entry = serde_json::from_slice(line).map_err(|_| unreadable(i + 2))?;
            // Batches are sent and recorded in order, each where the last one ended.
            let expected = entries.last().map_or(0, |e| e.to);
            if entry.from != expected || entry.to < entry.from {
                return Err(unreadable(i + 2));
            }
            entries.push(entry);
        }
        let Some(found) = found.filter(|_| !entries.is_empty()) else {
            // A push that stopped before its first batch (a wrong URL or secret, say).
            handle.set_len(0).map_err(io)?;
            let mut line = serde_json::to_vec(header).expect("a header serialises");
            line.push(b'\n');
            handle.write_all(&line).map_err(io)?;
            handle.sync_data().map_err(io)?;
            return Ok(Self {
                path: path.to_owned(),
                file: handle,
                entries,
            });
        };
        if (found.file_bytes, &found.file_sha256) != (header.file_bytes, &header.file_sha256) {
            return Err(JournalError::FileChanged {
                file: file.display().to_string(),
                journal: path.display().to_string(),
            });
        }
        if (found.kind, &found.server) != (header.kind, &header.server) {
            return Err(JournalError::OtherPush {
                journal: path.display().to_string(),
                kind: found.kind,
                server: found.server,
            });
        }
        if whole < text.len() {
            handle.set_len(whole as u64).map_err(io)?;
        }
        Ok(Self {
            path: path.to_owned(),
            file: handle,
            entries,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The rows the journal covers: a resumed push starts with the row after them.
    pub fn done(&self) -> usize {
        self.entries.last().map_or(0, |e| e.to)
    }

    /// Records a batch the server answered, on disk before the next one leaves.
    pub fn record(&mut self, entry: Entry) -> io::Result<()> {
        let mut line = serde_json::to_vec(&entry).expect("an entry serialises");
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()?;
        self.entries.push(entry);
        Ok(())
    }
}

/// A file's size and SHA-256, read in pieces.
fn fingerprint(path: &Path) -> io::Result<(u64, String)> {
    use sha2::{Digest, Sha256};
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok((size, crate::hex::encode(&hasher.finalize())))
}

#[cfg(test)]
mod tests;
