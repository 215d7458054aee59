//! A file of records read row by row: each row as the JSON item the API takes, with the
//! line it starts on, its original content (for the rejected-rows file) and a way to say
//! where in the row a JSON pointer points (a CSV column, or the pointer itself in NDJSON).

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::columns::{ERRORS, Layout};
use crate::domain::field_error::FieldError;
use crate::domain::record::RecordKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    /// One JSON object a line, as the API takes an item (also `.jsonl`).
    Ndjson,
}

impl Format {
    /// The format a file's extension says: `.csv`, `.ndjson` or `.jsonl`.
    pub fn of_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Self::Csv),
            "ndjson" | "jsonl" => Some(Self::Ndjson),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
        }
    }
}

/// A file that cannot be checked row by row, with every reason found.
#[derive(Debug)]
pub struct Unusable(pub Vec<String>);

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

/// One problem with one row, said without repeating anything the row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Where in the row: `column 3 (kk)`, `/household/kk`; `None` for the whole row.
    pub place: Option<String>,
    pub detail: String,
}

impl RowError {
    fn row(detail: impl Into<String>) -> Self {
        Self {
            place: None,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{place}: {}", self.detail),
            None => f.write_str(&self.detail),
        }
    }
}

/// A row's content as it was in the file.
#[derive(Debug, Clone)]
pub enum Raw {
    Csv(csv::ByteRecord),
    /// An NDJSON line without its line break.
    Line(Vec<u8>),
}

#[derive(Debug)]
pub struct Row {
    /// The row's position among the file's rows, from 0 (the header and blank lines do not
    /// count).
    pub index: usize,
    /// The line of the file the row starts on, from 1.
    pub line: usize,
    /// The item, or why the row could not even be read as one.
    pub item: Result<Value, Vec<RowError>>,
    pub raw: Raw,
}

/// A file of graduations or enrollments, its format and kind known.
#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    pub format: Format,
    pub kind: RecordKind,
    csv: Option<Csv>,
}

#[derive(Debug)]
struct Csv {
    delimiter: u8,
    header: csv::ByteRecord,
    layout: Layout,
}

impl Source {
    /// Opens `path` and, for CSV, reads its header. `format` and `kind` when given, else
    /// from the extension and the header (NDJSON has none: its kind must be given).
    pub fn open(
        path: &Path,
        format: Option<Format>,
        kind: Option<RecordKind>,
    ) -> Result<Self, Unusable> {
        let shown = path.display();
        let failed = |e: io::Error| Unusable(vec![format!("{shown}: {e}")]);
        let Some(format) = format.or_else(|| Format::of_path(path)) else {
            return Err(Unusable(vec![format!(
                "{shown}: cannot tell the format from the name; give --format csv or ndjson"
            )]));
        };
        let file = File::open(path).map_err(failed)?;
        match format {
            Format::Ndjson => {
                let Some(kind) = kind else {
                    return Err(Unusable(vec![format!(
                        "{shown}: give --kind graduation or enrollment for an NDJSON file"
                    )]));
                };
                Ok(Self {
                    path: path.to_owned(),
                    format,
                    kind,
                    csv: None,
                })
            }
            Format::Csv => {
                let delimiter = delimiter(file).map_err(failed)?;
                let mut reader = csv_reader(path, delimiter).map_err(failed)?;
                let header = reader.byte_headers().map_err(|e| failed(e.into()))?.clone();
                let names: Vec<String> = header
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect();
                let layout = Layout::parse(&names, kind).map_err(|problems| {
                    Unusable(
                        problems
                            .into_iter()
                            .map(|p| format!("{shown}, line 1: {p}"))
                            .collect(),
                    )
                })?;
                Ok(Self {
                    path: path.to_owned(),
                    format,
                    kind: layout.kind,
                    csv: Some(Csv {
                        delimiter,
                        header,
                        layout,
                    }),
                })
            }
        }
    }

    /// Every row, read afresh from the file.
    pub fn rows(&self) -> io::Result<Box<dyn Iterator<Item = io::Result<Row>> + '_>> {
        Ok(match &self.csv {
            Some(csv) => Box::new(CsvRows {
                reader: csv_reader(&self.path, csv.delimiter)?,
                layout: &csv.layout,
                lines: Lines {
                    file: BufReader::new(File::open(&self.path)?),
                    offset: 0,
                    line: 1,
                },
                index: 0,
            }),
            None => Box::new(NdjsonRows {
                lines: BufReader::new(File::open(&self.path)?).split(b'\n'),
                line: 0,
                index: 0,
            }),
        })
    }

    /// Where in a row the item's part at `pointer` is; `None` for the whole row.
    pub fn locate(&self, pointer: &str) -> Option<String> {
        match &self.csv {
            Some(csv) => csv.layout.locate(pointer),
            None => (!pointer.is_empty()).then(|| pointer.to_owned()),
        }
    }

    /// A problem the server's rules found, placed in the row.
    pub fn error(&self, e: &FieldError) -> RowError {
        RowError {
            place: self.locate(&e.pointer),
            detail: e.detail.clone(),
        }
    }

    /// For CSV: the delimiter, the header as it was and where its `errors` column is.
    pub fn csv_header(&self) -> Option<(u8, &csv::ByteRecord, Option<usize>)> {
        self.csv
            .as_ref()
            .map(|c| (c.delimiter, &c.header, c.layout.errors_column()))
    }
}

/// `;` when the header line holds semicolons and no commas, as a spreadsheet set to a
/// locale with the decimal comma (Indonesian among them) writes CSV; `,` otherwise.
fn delimiter(file: File) -> io::Result<u8> {
    let mut first = Vec::new();
    BufReader::new(file).read_until(b'\n', &mut first)?;
    Ok(if first.contains(&b';') && !first.contains(&b',') {
        b';'
    } else {
        b','
    })
}

fn csv_reader(path: &Path, delimiter: u8) -> io::Result<csv::Reader<File>> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        // A row of another width is that row's error, not the end of the file.
        .flexible(true)
        .from_path(path)
        .map_err(io::Error::from)
}

struct CsvRows<'a> {
    reader: csv::Reader<File>,
    layout: &'a Layout,
    lines: Lines,
    index: usize,
}

/// The line a byte of a CSV file is on. The csv crate counts lines too, but misses the line
/// breaks inside a quoted cell, which would place every later row too early.
struct Lines {
    file: BufReader<File>,
    offset: u64,
    line: usize,
}

impl Lines {
    /// The line of the first byte at or after `start` that is not a line break (a record's
    /// position is where csv began reading it, before any blank lines it skipped).
    fn of(&mut self, start: u64) -> io::Result<usize> {
        while self.offset < start {
            let buffer = self.file.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            let n = buffer.len().min((start - self.offset) as usize);
            self.line += buffer[..n].iter().filter(|b| **b == b'\n').count();
            self.file.consume(n);
            self.offset += n as u64;
        }
        loop {
            match self.file.fill_buf()?.first() {
                Some(b'\n') => self.line += 1,
                Some(b'\r') => {}
                _ => return Ok(self.line),
            }
            self.file.consume(1);
            self.offset += 1;
        }
    }
}

impl Iterator for CsvRows<'_> {
    type Item = io::Result<Row>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut record = csv::ByteRecord::new();
        match self.reader.read_byte_record(&mut record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => return Some(Err(e.into())),
        }
        let start = record.position().map_or(0, |p| p.byte());
        let line = match self.lines.of(start) {
            Ok(line) => line,
            Err(e) => return Some(Err(e)),
        };
        let row = Row {
            index: self.index,
            line,
            item: csv_item(self.layout, &record),
            raw: Raw::Csv(record),
        };
        self.index += 1;
        Some(Ok(row))
    }
}

fn csv_item(layout: &Layout, record: &csv::ByteRecord) -> Result<Value, Vec<RowError>> {
    if record.len() != layout.width() {
        return Err(vec![RowError::row(format!(
            "has {} cells; the header has {}",
            record.len(),
            layout.width()
        ))]);
    }
    let mut cells = Vec::with_capacity(record.len());
    let mut errors = Vec::new();
    for (i, cell) in record.iter().enumerate() {
        match std::str::from_utf8(cell) {
            Ok(text) => cells.push(text),
            Err(_) => {
                cells.push("");
                errors.push(RowError {
                    place: Some(format!("column {}", i + 1)),
                    detail: "is not UTF-8 text; save the file as CSV UTF-8".to_owned(),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(layout.item(&cells))
    } else {
        Err(errors)
    }
}

struct NdjsonRows {
    lines: io::Split<BufReader<File>>,
    line: usize,
    index: usize,
}

impl Iterator for NdjsonRows {
    type Item = io::Result<Row>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let mut bytes = match self.lines.next()? {
                Ok(bytes) => bytes,
                Err(e) => return Some(Err(e)),
            };
            self.line += 1;
            if self.line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let row = Row {
                index: self.index,
                line: self.line,
                item: ndjson_item(&bytes),
                raw: Raw::Line(bytes),
            };
            self.index += 1;
            return Some(Ok(row));
        }
    }
}

fn ndjson_item(bytes: &[u8]) -> Result<Value, Vec<RowError>> {
    let mut value: Value = serde_json::from_slice(bytes).map_err(|e| {
        // serde_json's syntax messages are its own words ("expected `,` or `}`"), never
        // the input; the position it appends becomes a character of the line.
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        vec![RowError::row(format!(
            "is not JSON: {message} at character {}",
            e.column()
        ))]
    })?;
    // As the server refuses a body that names a key twice, rather than keep the last.
    if let Some(duplicate) = crate::http::duplicate_keys::first_duplicate(bytes) {
        return Err(vec![RowError {
            place: (!duplicate.pointer.is_empty()).then(|| duplicate.pointer.clone()),
            detail: duplicate.detail().to_owned(),
        }]);
    }
    if let Some(object) = value.as_object_mut() {
        object.remove(ERRORS);
    }
    Ok(value)
}

#[cfg(test)]
mod tests;
