//! Writes the inputs of `bench/records.sh`: the same synthetic graduations (the demo
//! generator, `sinergi::demo::records::graduations`) as API batches and as the plain SQL
//! that stores them, plus every NIK they hold.
//!
//!   cargo run --release --example bench_records -- OUT_DIR [COUNT] [SEED] [BATCH]
//!
//! Defaults: 100000 graduations, seed 1, 1000 per batch. Writes
//!   OUT_DIR/api/NNNN.json  one `POST /v1/graduations/batch` body per batch
//!   OUT_DIR/raw.sql        per batch one transaction of multi-row INSERTs (at most BATCH rows
//!                          each) into records, record_versions and record_niks, exactly the
//!                          rows the service writes (canonical content, SHA-256, search keys)
//!   OUT_DIR/niks.txt       every NIK of the records, one per line

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::PathBuf;

use sinergi::demo::records::graduations;
use sinergi::domain::graduation::GraduationInput;
use sinergi::domain::record::{self, Content, SourceRecordId};

/// A SQL string literal (standard_conforming_strings is on by default).
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .expect("usage: bench_records OUT_DIR [COUNT] [SEED] [BATCH]"),
    );
    let count: usize = args.next().map_or(100_000, |a| a.parse().expect("COUNT"));
    let seed: u64 = args.next().map_or(1, |a| a.parse().expect("SEED"));
    let batch: usize = args.next().map_or(1_000, |a| a.parse().expect("BATCH"));

    let mut items: Vec<GraduationInput> = graduations(count, seed);
    // Apart from the demo's own records, should the database hold them too.
    for g in &mut items {
        g.source_record_id = SourceRecordId::parse(&format!("BENCH-{}", g.source_record_id))
            .expect("a short id stays short");
    }

    fs::create_dir_all(out.join("api"))?;
    let mut sql = fs::File::create(out.join("raw.sql"))?;
    let mut niks_file = std::io::BufWriter::new(fs::File::create(out.join("niks.txt"))?);
    let now = chrono::Utc::now().timestamp_micros();
    writeln!(sql, "\\set ON_ERROR_STOP on")?;
    for (n, chunk) in items.chunks(batch).enumerate() {
        let body = serde_json::json!({ "items": chunk });
        fs::write(
            out.join("api").join(format!("{n:04}.json")),
            body.to_string(),
        )?;

        let (mut records, mut versions, mut niks) = (Vec::new(), Vec::new(), Vec::new());
        for g in chunk {
            let id = uuid::Uuid::now_v7().to_string();
            let (content, hash) = record::canonical(g);
            let keys = g.search_keys();
            records.push(format!(
                "({},'graduation','KEMENSOS',{},{},{},{},{},NULL,NULL,{},{},1,{now},{now},false,NULL)",
                quoted(&id),
                quoted(g.source_record_id().as_str()),
                quoted(g.program().as_str()),
                keys.kk.as_deref().map_or("NULL".to_owned(), quoted),
                quoted(&keys.region_digits),
                quoted(&keys.event_on),
                quoted(&content),
                quoted(&hash),
            ));
            versions.push(format!(
                "({},1,{},{},{now},false,NULL)",
                quoted(&id),
                quoted(&content),
                quoted(&hash)
            ));
            for nik in keys.niks {
                writeln!(niks_file, "{nik}")?;
                niks.push(format!("({},{})", quoted(&nik), quoted(&id)));
            }
        }
        let mut text = String::from("BEGIN;\n");
        let tables = [
            (
                "records (id, kind, publisher, source_record_id, program, kk, region_digits, \
                 event_on, status, graduation_id, content, content_hash, version, created_at, \
                 updated_at, retracted, retraction_reason)",
                &records,
            ),
            (
                "record_versions (record_id, version, content, content_hash, recorded_at, \
                 retracted, retraction_reason)",
                &versions,
            ),
            ("record_niks (nik, record_id)", &niks),
        ];
        for (table, rows) in tables {
            for rows in rows.chunks(batch) {
                writeln!(text, "INSERT INTO {table} VALUES\n{};", rows.join(",\n"))
                    .expect("writing to a String");
            }
        }
        text.push_str("COMMIT;\n");
        sql.write_all(text.as_bytes())?;
    }
    niks_file.flush()?;
    eprintln!(
        "wrote {} graduations in {} batches to {}",
        items.len(),
        items.len().div_ceil(batch),
        out.display()
    );
    Ok(())
}
