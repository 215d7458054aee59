//! Writes the inputs of `bench/audit_verify.sh`: a synthetic audit export that looks like the
//! real thing, checkpoints over it signed with a fresh Ed25519 key, and the verifier key.
//! Also times the phases of verification one by one, to see where the time goes.
//!
//!   cargo run --release --example bench_audit_verify -- OUT_DIR [COUNT] [SEED]
//!   cargo run --release --example bench_audit_verify -- --phases OUT_DIR
//!
//! Defaults: 1,000,000 entries, seed 1. The export is the same for the same COUNT and SEED;
//! the key is new every run. Writes
//!   OUT_DIR/entries.ndjson   one RFC 8785 canonical entry per line (`sinergi::canonical_json`),
//!                            `index` 0..COUNT, as `sinergi audit verify --entries` reads it
//!   OUT_DIR/checkpoint       the checkpoint over all COUNT entries, origin `sinergi/audit`,
//!                            signed as a note under the key name `sinergi/audit`
//!   OUT_DIR/previous         the same over the first COUNT / 2 entries
//!   OUT_DIR/public-key       the note verifier key
//! and prints one JSON line: entries, export bytes, mean line length, record ids, seconds.
//!
//! `--phases OUT_DIR` reads OUT_DIR/entries.ndjson and times, each as its own pass over the
//! export in memory, the steps `sinergi audit verify` takes per line (through the crate's public
//! API, which does what `audit::verify::scan` does): finding the newline, parsing the line as
//! JSON, the canonical-form check (parse, re-encode, compare), the leaf hash, and the interior
//! node hashes of the tree; and, for comparison, a JSON syntax check that builds nothing
//! (`serde::de::IgnoredAny`). Prints one JSON line of seconds.

use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use ed25519_dalek::SigningKey;
use rand::rngs::{OsRng, StdRng};
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sinergi::audit::checkpoint::{self, Checkpoint};
use sinergi::audit::merkle::{self, Frontier};
use sinergi::audit::note::VerifierKey;
use sinergi::audit::{DEFAULT_ORIGIN, Hash};
use sinergi::canonical_json;

/// Who calls the exchange: (client id, agency), as the demo's clients.
const CLIENTS: &[(&str, &str)] = &[
    ("demo-kemensos", "KEMENSOS"),
    ("demo-kemendes", "KEMENDES"),
    ("demo-kemenkop", "KEMENKOP"),
    ("demo-kemenumkm", "KEMENUMKM"),
    ("demo-kemenekraf", "KEMENEKRAF"),
    ("demo-auditor", "KEMENKOPM"),
];

/// Why a caller says it asks (the `Sinergi-Purpose` header).
const PURPOSES: &[&str] = &[
    "Verifikasi calon peserta program pemberdayaan",
    "Verifikasi kelulusan graduasi PKH",
    "Penyaluran bantuan sosial Program Sembako",
    "Pendampingan usaha Pahlawan Ekonomi Nusantara",
    "Seleksi peserta Padat Karya Tunai Desa",
    "Pendaftaran anggota Koperasi Desa Merah Putih",
    "Pemutakhiran data penerima manfaat",
    "Pemeriksaan oleh Inspektorat",
];

/// (method, route, share in per mille, successful status, how many records it names).
const REQUESTS: &[(&str, &str, u32, u16, Records)] = &[
    ("GET", "/v1/graduations", 380, 200, Records::Search),
    ("GET", "/v1/graduations/{id}", 150, 200, Records::One),
    ("GET", "/v1/enrollments", 150, 200, Records::Search),
    ("GET", "/v1/enrollments/{id}", 60, 200, Records::One),
    ("POST", "/v1/graduations", 90, 201, Records::One),
    ("POST", "/v1/enrollments", 60, 201, Records::One),
    ("GET", "/v1/graduations/{id}/history", 40, 200, Records::One),
    ("DELETE", "/v1/enrollments/{id}", 20, 200, Records::One),
    ("POST", "/v1/graduations/batch", 6, 200, Records::Batch),
    ("POST", "/v1/enrollments/batch", 4, 200, Records::Batch),
    ("GET", "/v1/programs", 40, 200, Records::Nothing),
];

#[derive(Clone, Copy)]
enum Records {
    /// A search: usually one record, sometimes none, now and then a few.
    Search,
    /// One record by id, or one written.
    One,
    /// A batch: 1 to 100 records, often the full 100.
    Batch,
    /// Reference data: no records.
    Nothing,
}

fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.r#gen())
        .into_uuid()
        .to_string()
}

/// A record id: a UUID v7 from some time in the year before `before`.
fn record_id(rng: &mut StdRng, before: &DateTime<Utc>) -> String {
    let millis = before.timestamp_millis() as u64 - rng.gen_range(0..365 * 86_400_000);
    uuid::Builder::from_unix_timestamp_millis(millis, &rng.r#gen())
        .into_uuid()
        .to_string()
}

fn hex64(rng: &mut StdRng) -> String {
    let bytes: [u8; 32] = rng.r#gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn record_count(rng: &mut StdRng, kind: Records) -> usize {
    match kind {
        Records::Nothing => 0,
        Records::One => 1,
        Records::Search => match rng.gen_range(0..100) {
            0..=5 => 0,
            6..=93 => 1,
            _ => rng.gen_range(2..=10),
        },
        Records::Batch => {
            if rng.gen_bool(0.4) {
                100
            } else {
                rng.gen_range(1..=100)
            }
        }
    }
}

/// One audit entry. `time` advances by 0–200 ms a request.
fn entry(rng: &mut StdRng, index: u64, time: &mut DateTime<Utc>) -> Value {
    *time += chrono::Duration::microseconds(rng.gen_range(0..200_000));
    let (client_id, agency) = CLIENTS[rng.gen_range(0..CLIENTS.len())];
    let mut pick = rng.gen_range(0..REQUESTS.iter().map(|r| r.2).sum::<u32>());
    let &(method, route, _, ok, kind) = REQUESTS
        .iter()
        .find(|r| {
            let hit = pick < r.2;
            pick = pick.saturating_sub(r.2);
            hit
        })
        .expect("the shares add up");
    let (outcome, status) = match rng.gen_range(0..1000) {
        0..=19 => ("denied", [401, 403, 429][rng.gen_range(0..3)]),
        20..=39 => ("invalid", [400, 404, 422][rng.gen_range(0..3)]),
        40..=44 => ("failed", if rng.gen_bool(0.5) { 500 } else { 503 }),
        _ => ("allowed", ok),
    };
    let records = if outcome == "allowed" {
        record_count(rng, kind)
    } else {
        0
    };
    let record_ids: Vec<String> = (0..records).map(|_| record_id(rng, time)).collect();
    let nik_hashes: Vec<String> = (0..records).map(|_| hex64(rng)).collect();
    let latency_us: u64 = match kind {
        Records::Batch => rng.gen_range(20_000..400_000),
        _ => rng.gen_range(300..40_000),
    };
    // A 401 names no known client (`null`), as the service records it.
    let (client_id, agency) = if status == 401 {
        (None, None)
    } else {
        (Some(client_id), Some(agency))
    };
    json!({
        "index": index,
        "time": time.to_rfc3339_opts(SecondsFormat::Micros, true),
        "request_id": uuid(rng),
        "client_id": client_id,
        "agency": agency,
        "purpose": PURPOSES[rng.gen_range(0..PURPOSES.len())],
        "method": method,
        "route": route,
        "status": status,
        "outcome": outcome,
        "record_ids": record_ids,
        "nik_hashes": nik_hashes,
        "latency_us": latency_us,
    })
}

fn generate(out: PathBuf, count: u64, seed: u64) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    fs::create_dir_all(&out)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut time = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let mut file = BufWriter::with_capacity(1 << 20, fs::File::create(out.join("entries.ndjson"))?);
    let mut frontier = Frontier::new();
    let half = count / 2;
    let mut half_root: Hash = merkle::EMPTY_ROOT;
    let (mut bytes, mut record_ids, mut longest) = (0u64, 0u64, 0usize);
    for index in 0..count {
        if index == half {
            half_root = frontier.root();
        }
        let value = entry(&mut rng, index, &mut time);
        record_ids += value["record_ids"].as_array().map_or(0, Vec::len) as u64;
        let line = canonical_json::to_vec(&value)?;
        frontier.push(merkle::leaf_hash(&line));
        file.write_all(&line)?;
        file.write_all(b"\n")?;
        bytes += line.len() as u64 + 1;
        longest = longest.max(line.len());
    }
    if count == half {
        half_root = frontier.root();
    }
    file.into_inner()?.sync_all()?;

    let key = SigningKey::generate(&mut OsRng);
    let sign = |size: u64, root: Hash| {
        checkpoint::sign(&Checkpoint::new(DEFAULT_ORIGIN, size, root), &key)
    };
    fs::write(out.join("checkpoint"), sign(count, frontier.root())?)?;
    fs::write(out.join("previous"), sign(half, half_root)?)?;
    let public = VerifierKey::new(DEFAULT_ORIGIN, key.verifying_key())?;
    fs::write(out.join("public-key"), format!("{public}\n"))?;

    println!(
        "{}",
        json!({
            "entries": count,
            "export_bytes": bytes,
            "mean_line_bytes": if count > 0 { (bytes - count) as f64 / count as f64 } else { 0.0 },
            "longest_line_bytes": longest,
            "record_ids": record_ids,
            "seed": seed,
            "seconds": started.elapsed().as_secs_f64(),
        })
    );
    Ok(())
}

/// Times each step of verification as its own pass over the export.
fn phases(dir: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let export = fs::read(dir.join("entries.ndjson"))?;
    let read_s = t.elapsed().as_secs_f64();

    // Newlines found the way `scan` finds them: a byte-by-byte `position`.
    let t = Instant::now();
    let mut lines: Vec<&[u8]> = Vec::new();
    let mut rest = export.as_slice();
    while let Some(end) = rest.iter().position(|&b| b == b'\n') {
        lines.push(&rest[..end]);
        rest = &rest[end + 1..];
    }
    let split_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut parsed = 0usize;
    for line in &lines {
        let value: Value = serde_json::from_slice(line)?;
        parsed += value.as_object().map_or(0, |o| o.len());
    }
    let parse_s = t.elapsed().as_secs_f64();

    // A lower bound for any check built on serde_json: the syntax alone, nothing kept.
    let t = Instant::now();
    for line in &lines {
        serde_json::from_slice::<serde::de::IgnoredAny>(line)?;
    }
    let syntax_s = t.elapsed().as_secs_f64();

    // Parse, re-encode in RFC 8785 form and compare: what `canonical_value` does.
    let t = Instant::now();
    let canonical = lines
        .iter()
        .filter(|l| canonical_json::is_canonical(l))
        .count();
    let canonical_s = t.elapsed().as_secs_f64();
    assert_eq!(canonical, lines.len(), "every line is canonical");

    let t = Instant::now();
    let leaves: Vec<Hash> = lines.iter().map(|l| merkle::leaf_hash(l)).collect();
    let leaf_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut frontier = Frontier::new();
    for leaf in &leaves {
        frontier.push(*leaf);
    }
    let root = frontier.root();
    let tree_s = t.elapsed().as_secs_f64();

    println!(
        "{}",
        json!({
            "entries": lines.len(),
            "export_bytes": export.len(),
            "object_members": parsed,
            "read_s": read_s,
            "find_newlines_s": split_s,
            "json_parse_s": parse_s,
            "json_syntax_only_s": syntax_s,
            "canonical_check_s": canonical_s,
            "canonical_reencode_and_compare_s": canonical_s - parse_s,
            "leaf_hashes_s": leaf_s,
            "node_hashes_s": tree_s,
            "root_first_byte": root[0],
        })
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: bench_audit_verify OUT_DIR [COUNT] [SEED] | --phases OUT_DIR";
    let mut args = std::env::args().skip(1);
    let first = args.next().expect(usage);
    if first == "--phases" {
        return phases(PathBuf::from(args.next().expect(usage)));
    }
    let count: u64 = args.next().map_or(1_000_000, |a| a.parse().expect("COUNT"));
    let seed: u64 = args.next().map_or(1, |a| a.parse().expect("SEED"));
    generate(PathBuf::from(first), count, seed)
}
