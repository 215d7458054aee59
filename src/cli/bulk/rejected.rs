//! The rejected-rows file of a push: every row that was not published, as it was in the
//! file and in the file's format, with an `errors` column (or member) saying why. The rows
//! hold personal data, so they are written here, to the user's own file beside the input
//! (readable by its owner alone, as the binary creates every file), and never printed.
//! Fixed there, the file can be pushed itself: its `errors` column is ignored on reading.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::columns::ERRORS;
use super::rows::{Format, Raw, Source};

/// `DIR/NAME.rejected.EXT` for `DIR/NAME.EXT`.
pub fn default_path(input: &Path, format: Format) -> PathBuf {
    let stem = input
        .file_stem()
        .map_or_else(|| "records".into(), |s| s.to_string_lossy().into_owned());
    let extension = input.extension().map_or_else(
        || format.extension().into(),
        |e| e.to_string_lossy().into_owned(),
    );
    input.with_file_name(format!("{stem}.rejected.{extension}"))
}

pub struct RejectedFile {
    path: PathBuf,
    /// Opened with the first rejected row, so that a push without any leaves no file.
    writer: Option<Writer>,
}

enum Writer {
    Csv {
        // Boxed: the CSV writer's buffer state dwarfs the other variant.
        writer: Box<csv::Writer<File>>,
        /// The input's header width.
        width: usize,
        /// Where the errors go: the file's own `errors` column, or one added at the end.
        errors_at: usize,
    },
    Ndjson(BufWriter<File>),
}

impl RejectedFile {
    /// A rejected-rows file at `path`. One left by an earlier push of the same file is
    /// removed: the push writes every rejected row again, those of resumed batches too.
    pub fn new(path: PathBuf) -> io::Result<Self> {
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        Ok(Self { path, writer: None })
    }

    /// Writes one row as it was, with `errors` (`place: detail` each).
    pub fn write(&mut self, source: &Source, raw: &Raw, errors: &[String]) -> io::Result<()> {
        let errors = errors.join("; ");
        if self.writer.is_none() {
            self.writer = Some(self.open(source)?);
        }
        match (self.writer.as_mut().expect("opened above"), raw) {
            (
                Writer::Csv {
                    writer,
                    width,
                    errors_at,
                },
                Raw::Csv(record),
            ) => {
                let mut cells: Vec<&[u8]> = record.iter().collect();
                if cells.len() > *width {
                    // A row longer than the header keeps every cell; the errors follow them.
                    cells.push(errors.as_bytes());
                } else {
                    cells.resize((*width).max(*errors_at + 1), b"");
                    cells[*errors_at] = errors.as_bytes();
                }
                writer.write_record(&cells).map_err(io::Error::from)
            }
            (Writer::Ndjson(writer), Raw::Line(line)) => {
                writer.write_all(&with_errors(line, &errors))?;
                writer.write_all(b"\n")
            }
            _ => unreachable!("a source's rows are of its own format"),
        }
    }

    /// Flushes the file; its path if any row was written.
    pub fn finish(self) -> io::Result<Option<PathBuf>> {
        match self.writer {
            None => Ok(None),
            Some(Writer::Csv { mut writer, .. }) => {
                writer.flush()?;
                writer
                    .into_inner()
                    .map_err(|e| e.into_error())?
                    .sync_data()?;
                Ok(Some(self.path))
            }
            Some(Writer::Ndjson(writer)) => {
                writer
                    .into_inner()
                    .map_err(|e| e.into_error())?
                    .sync_data()?;
                Ok(Some(self.path))
            }
        }
    }

    fn open(&self, source: &Source) -> io::Result<Writer> {
        let file = File::create(&self.path)?;
        Ok(match source.csv_header() {
            Some((delimiter, header, errors_column)) => {
                let mut writer = csv::WriterBuilder::new()
                    .delimiter(delimiter)
                    .flexible(true)
                    .from_writer(file);
                let mut cells: Vec<&[u8]> = header.iter().collect();
                let width = cells.len();
                let errors_at = errors_column.unwrap_or_else(|| {
                    cells.push(ERRORS.as_bytes());
                    width
                });
                writer.write_record(&cells).map_err(io::Error::from)?;
                Writer::Csv {
                    writer: Box::new(writer),
                    width,
                    errors_at,
                }
            }
            None => Writer::Ndjson(BufWriter::new(file)),
        })
    }
}

/// An NDJSON line with an `errors` member: added to the object as written when it has none
/// (so the line is otherwise byte for byte the same), replaced when it has; a line that is
/// no object is kept as the `original` string beside it.
fn with_errors(line: &[u8], errors: &str) -> Vec<u8> {
    let errors_json = Value::from(errors).to_string();
    match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(mut object)) if object.contains_key(ERRORS) => {
            object.insert(ERRORS.to_owned(), Value::from(errors));
            serde_json::to_vec(&object).expect("JSON serialises")
        }
        Ok(Value::Object(object)) => {
            let end = line
                .iter()
                .rposition(|b| *b == b'}')
                .expect("an object ends with a brace");
            let mut out = line[..end].to_vec();
            while out.last().is_some_and(u8::is_ascii_whitespace) {
                out.pop();
            }
            if !object.is_empty() {
                out.push(b',');
            }
            out.extend_from_slice(format!("\"{ERRORS}\":{errors_json}}}").as_bytes());
            out
        }
        _ => {
            let original = String::from_utf8_lossy(line);
            serde_json::to_vec(&json!({ ERRORS: errors, "original": original }))
                .expect("JSON serialises")
        }
    }
}

#[cfg(test)]
mod tests;
