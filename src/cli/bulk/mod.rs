//! `sinergi validate` and `sinergi push`: graduations or enrollments from a spreadsheet
//! (CSV) or an NDJSON file, checked row by row with the server's own rules, then published
//! in batches that a stopped push resumes.
//!
//! Nothing a row holds is printed: errors name the line and the column (or JSON pointer)
//! and say why in the server's words. Rows that were not published are written back, whole,
//! only to the rejected-rows file beside the input.

mod columns;
mod journal;
mod progress;
mod push;
mod rejected;
mod rows;
mod server;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::json;

use self::journal::{Header, Journal};
use self::rejected::RejectedFile;
use self::rows::{Format, Source};
use self::server::{Credentials, Server};
use self::validate::{Findings, Rules};
use crate::domain::code::AgencyCode;
use crate::domain::record::RecordKind;
use crate::records::checks::References;

/// Some rows are not valid (`validate`) or were not published (`push`).
const INVALID_ROWS: u8 = 1;
/// The file cannot be read as rows of records, or the command cannot start.
const UNUSABLE: u8 = 2;
/// The push stopped before the end (server, network); the same command resumes it.
const STOPPED: u8 = 3;

#[derive(Debug, Args)]
pub struct Input {
    /// The file: CSV (`.csv`) or NDJSON (`.ndjson`, `.jsonl`), one record a row.
    file: PathBuf,
    /// `graduation` or `enrollment`; a CSV header tells when it is not given.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<RecordKind>,
    /// The file's format, when its extension does not tell.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct Validate {
    #[command(flatten)]
    input: Input,
    /// The agency that will publish the rows: another agency's program is an error. Without
    /// it (or --server), each program is checked as its own agency's.
    #[arg(long, value_parser = super::parse_agency, conflicts_with = "server")]
    agency: Option<AgencyCode>,
    /// Check programs against this exchange's (GET /v1/programs), as the client's agency
    /// publishes, instead of the reference programs built in.
    #[arg(long, value_name = "URL", requires = "client_id")]
    server: Option<String>,
    /// The OAuth client that reads the programs (with --server).
    #[arg(long, requires = "server")]
    client_id: Option<String>,
    /// The client's secret; better given in SINERGI_CLIENT_SECRET, out of the shell's
    /// history and the process list.
    #[arg(long, env = "SINERGI_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
}

#[derive(Debug, Args)]
pub struct Push {
    #[command(flatten)]
    input: Input,
    /// The exchange, e.g. https://sinergi.example.go.id.
    #[arg(long, value_name = "URL")]
    server: String,
    /// The OAuth client that publishes; its agency is the records' publisher.
    #[arg(long)]
    client_id: String,
    /// The client's secret; better given in SINERGI_CLIENT_SECRET, out of the shell's
    /// history and the process list.
    #[arg(long, env = "SINERGI_CLIENT_SECRET", hide_env_values = true)]
    client_secret: String,
    /// Records per request (at most 1,000, the server's default limit).
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u16).range(1..=1000))]
    batch_size: u16,
    /// Where the push records each batch the server answered [default: FILE.sinergi-journal].
    #[arg(long, value_name = "PATH")]
    journal: Option<PathBuf>,
    /// Where rows that were not published go, with their errors [default:
    /// NAME.rejected.csv (or .ndjson) beside FILE].
    #[arg(long, value_name = "PATH")]
    rejected: Option<PathBuf>,
}

fn parse_kind(s: &str) -> Result<RecordKind, String> {
    match s {
        "graduation" | "graduations" => Ok(RecordKind::Graduation),
        "enrollment" | "enrollments" => Ok(RecordKind::Enrollment),
        _ => Err("must be graduation or enrollment".into()),
    }
}

/// Teaches the error descriptions the API's own names, as the server does at start: only
/// those may be repeated (`domain::field_error::may_repeat_name`).
fn learn_names() {
    let document = crate::api::openapi::document();
    crate::domain::field_error::learn_schema_names(crate::api::openapi::names::of(&document));
}

fn open(input: &Input) -> Result<Source, ExitCode> {
    Source::open(&input.file, input.format, input.kind).map_err(unusable)
}

fn unusable(problem: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {problem}");
    ExitCode::from(UNUSABLE)
}

/// `sinergi validate`: prints every error of every row, then a summary line.
pub fn validate(args: Validate) -> ExitCode {
    learn_names();
    let source = match open(&args.input) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let rules = match (&args.server, &args.client_id) {
        (Some(base), Some(client_id)) => {
            let Some(client_secret) = args.client_secret.clone() else {
                return unusable("--server needs the client's secret: set SINERGI_CLIENT_SECRET");
            };
            let credentials = Credentials {
                client_id: client_id.clone(),
                client_secret,
            };
            let rules = Server::new(base, credentials).and_then(|mut server| rules_of(&mut server));
            match rules {
                Ok(rules) => rules,
                Err(e) => return unusable(format!("{e:#}")),
            }
        }
        _ => {
            if args.agency.is_none() {
                eprintln!(
                    "note: each program is checked as its own agency's; give --agency or \
                     --server to check that the publisher runs it"
                );
            }
            Rules {
                references: References::of_programs(crate::demo::programs()),
                publisher: args.agency.clone(),
            }
        }
    };
    let findings = match validate::check(&source, &rules) {
        Ok(findings) => findings,
        Err(e) => return unusable(format!("{}: {e}", source.path.display())),
    };
    for invalid in findings.invalid.values() {
        for error in &invalid.errors {
            let line = invalid.line;
            match &error.place {
                Some(place) => println!("line {line}, {place}: {}", error.detail),
                None => println!("line {line}: {}", error.detail),
            }
        }
    }
    let bad = findings.invalid.len();
    println!(
        "{}: {} {}s, {} valid, {bad} with errors",
        source.path.display(),
        findings.rows,
        source.kind,
        findings.rows - bad,
    );
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(INVALID_ROWS)
    }
}

/// The server's programs, and the client's agency as the publisher.
fn rules_of(server: &mut Server) -> anyhow::Result<Rules> {
    Ok(Rules {
        publisher: Some(server.agency()?),
        references: References::of_programs(server.programs()?),
    })
}

/// `sinergi push`: checks the file, sends what passes and prints a summary as JSON.
pub fn push(args: Push) -> ExitCode {
    learn_names();
    let source = match open(&args.input) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let file = &args.input.file;
    let credentials = Credentials {
        client_id: args.client_id.clone(),
        client_secret: args.client_secret.clone(),
    };
    let mut server = match Server::new(&args.server, credentials) {
        Ok(server) => server,
        Err(e) => return unusable(format!("{e:#}")),
    };
    let journal_path = args
        .journal
        .clone()
        .unwrap_or_else(|| with_suffix(file, ".sinergi-journal"));
    let mut journal = match Header::new(file, source.kind, server.base())
        .map_err(|e| format!("{}: {e}", file.display()))
        .and_then(|header| Journal::open(&journal_path, file, &header).map_err(|e| e.to_string()))
    {
        Ok(journal) => journal,
        Err(e) => return unusable(e),
    };
    let rules = match rules_of(&mut server) {
        Ok(rules) => rules,
        Err(e) => return stopped(&e, &journal),
    };
    let findings: Findings = match validate::check(&source, &rules) {
        Ok(findings) => findings,
        Err(e) => return unusable(format!("{}: {e}", file.display())),
    };
    let rows = findings.rows;
    let rejected_path = args
        .rejected
        .clone()
        .unwrap_or_else(|| rejected::default_path(file, source.format));
    let mut rejected = match RejectedFile::new(rejected_path.clone()) {
        Ok(rejected) => rejected,
        Err(e) => return unusable(format!("{}: {e}", rejected_path.display())),
    };
    let already_done = journal.done();
    let mut run = push::Push {
        source: &source,
        server: &mut server,
        journal: &mut journal,
        rejected: &mut rejected,
        batch_size: usize::from(args.batch_size),
    };
    if let Err(e) = run.run(findings) {
        return stopped(&e, &journal);
    }
    let rejected_file = match rejected.finish() {
        Ok(path) => path,
        Err(e) => return stopped(&e.into(), &journal),
    };
    let counts = push::Counts::of(&journal);
    super::print_json(&json!({
        "file": file,
        "kind": source.kind,
        "rows": rows,
        "created": counts.created,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "rejected": counts.rejected,
        "rows_done_before": already_done,
        "rejected_file": rejected_file,
        "journal": journal.path(),
    }));
    if counts.rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(INVALID_ROWS)
    }
}

/// Says why the push stopped and that it resumes, and exits with [`STOPPED`].
fn stopped(e: &anyhow::Error, journal: &Journal) -> ExitCode {
    eprintln!(
        "error: {e:#}\nThe push stopped with {} of the file's rows done; run the same \
         command again to resume from there (the journal {} holds what was sent).",
        journal.done(),
        journal.path().display()
    );
    ExitCode::from(STOPPED)
}

/// `path` with `suffix` appended to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
