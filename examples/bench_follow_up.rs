//! The inputs and the timed part of `bench/follow_up.sh`: a national-scale database for the
//! referral deadline sweep and the follow-up watch, and one day's sweep over it.
//!
//!   bench_follow_up gen OUT_DIR NOW [COUNT] [REFERRALS] [DAY] [API_BATCHES] [SEED]
//!   bench_follow_up sweep DATABASE_URL NOW [explain|catch-up]
//!
//! `gen` writes CSV files for `\copy` (defaults: 1,000,000 graduations, 200,000 open
//! referrals, 20,000 changes of the day, 60 API batches of 1,000, seed 1), each row as the
//! service writes it (canonical content and its SHA-256, the search keys, one change per
//! version with its feed position):
//!   records.csv, record_versions.csv, record_niks.csv, changes.csv   the graduations (the
//!       demo generator, `sinergi::demo::records`), the empowerment enrollments the demo
//!       generator makes of them (about a third of the families), then the day's changes
//!   referrals.csv, referral_offers.csv   open referrals of every fifth graduation: 90 %
//!       offered to KEMENDES (half with KEMENKOP as fallback), 10 % accepted by it; 1 % of
//!       them past their deadline at NOW (half respond_by, half complete_by)
//!   household_events.csv, household_links.csv   a pecah KK of one graduated family in 200
//!       (a member to a new card), ten days before NOW
//!   position.txt   the feed position just before the day's changes (meta follow_up_position)
//!   api/NNNN.json  `POST /v1/graduations/batch` bodies of further graduations, for the
//!       publishing runs with the watch off and on
//! The day's changes (positions after position.txt), interleaved, per 20: 6 new
//! graduations, 8 empowerment enrollments of graduated families, 3 PKH/SEMBAKO enrollments
//! (social assistance) of a graduated family's head or member NIK, under its KK or not, or
//! (a third of them) under a split family's new card alone, on NOW's date, and 3 new versions of graduations, two of them with the decile dropped to 3.
//!
//! `sweep` runs what the sequencer runs, each call in its own write transaction: the
//! deadline sweep until it answers 0, then the watch until it has read the feed to its head;
//! prints the times and counts as JSON. With `explain` it makes one call of each inside a
//! transaction it rolls back, with auto_explain logging every statement's plan (EXPLAIN
//! ANALYZE, BUFFERS) to the server log, where the script reads them. With `catch-up` it
//! runs both until they have nothing left to do at NOW (the real clock, before part (2)).

use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sinergi::db::{self, AnyConnection, DatabaseUrl};
use sinergi::demo::records::{enrollments, graduations};
use sinergi::domain::code::ProgramCode;
use sinergi::domain::enrollment::{EnrollmentInput, EnrollmentStatus, Subject};
use sinergi::domain::graduation::{GraduationInput, WelfareDecile};
use sinergi::domain::household::{EventKind, EventSource, MemberMove, NewHouseholdEvent};
use sinergi::domain::kk::Kk;
use sinergi::domain::record::{self, CalendarDate, Content, Reason, SourceRecordId};

/// A CSV field: quoted, so that an empty string is not NULL (an unquoted empty field is).
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn opt(s: Option<&str>) -> String {
    s.map_or(String::new(), q)
}

fn csv(out: &Path, name: &str) -> std::io::Result<BufWriter<fs::File>> {
    Ok(BufWriter::with_capacity(
        1 << 20,
        fs::File::create(out.join(name))?,
    ))
}

fn srid(s: &str) -> SourceRecordId {
    SourceRecordId::parse(s).expect("a short id stays short")
}

/// Writes records, their versions, NIKs and changes, numbering positions.
struct Writer {
    records: BufWriter<fs::File>,
    versions: BufWriter<fs::File>,
    niks: BufWriter<fs::File>,
    changes: BufWriter<fs::File>,
    position: i64,
    at: i64,
}

impl Writer {
    /// One record in its current version `version` (`versions` are all its contents,
    /// oldest first), with a change for each version from `first_change` on.
    fn record<T: Content>(
        &mut self,
        id: &str,
        publisher: &str,
        versions: &[&T],
        first_change: usize,
    ) -> std::io::Result<()> {
        let current = versions.last().expect("at least one version");
        let (content, hash) = record::canonical(current);
        let keys = current.search_keys();
        let kind = T::KIND.as_str();
        let version = versions.len();
        writeln!(
            self.records,
            "{},{kind},{publisher},{},{},{},{},{},{},{},{},{},{version},{},{},f,",
            q(id),
            q(current.source_record_id().as_str()),
            q(current.program().as_str()),
            opt(keys.kk.as_deref()),
            q(&keys.region_digits),
            q(&keys.event_on),
            opt(keys.status),
            opt(keys.graduation_id.as_deref()),
            q(&content),
            q(&hash),
            self.at,
            self.at,
        )?;
        for (v, content) in versions.iter().enumerate() {
            let (content, hash) = record::canonical(content);
            writeln!(
                self.versions,
                "{},{},{},{},{},f,",
                q(id),
                v + 1,
                q(&content),
                q(&hash),
                self.at
            )?;
        }
        for nik in &keys.niks {
            writeln!(self.niks, "{},{}", q(nik), q(id))?;
        }
        for v in first_change..version {
            self.change(kind, id, v + 1, publisher, current.program().as_str())?;
        }
        Ok(())
    }

    fn change(
        &mut self,
        kind: &str,
        id: &str,
        version: usize,
        publisher: &str,
        program: &str,
    ) -> std::io::Result<()> {
        self.position += 1;
        let action = if version == 1 { "created" } else { "updated" };
        writeln!(
            self.changes,
            "{},{kind},{action},{},{version},{publisher},{},{},{},,",
            self.position,
            q(id),
            q(program),
            self.at,
            self.at
        )
    }
}

fn parse_now(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("NOW as RFC 3339, e.g. 2026-07-20T06:00:00Z")
        .with_timezone(&Utc)
}

fn generate(mut args: impl Iterator<Item = String>) -> std::io::Result<()> {
    let usage =
        "usage: bench_follow_up gen OUT_DIR NOW [COUNT] [REFERRALS] [DAY] [API_BATCHES] [SEED]";
    let out = PathBuf::from(args.next().expect(usage));
    let now = parse_now(&args.next().expect(usage));
    let mut n = |default: usize| args.next().map_or(default, |a| a.parse().expect(usage));
    let (count, referral_count, day, api_batches, seed) =
        (n(1_000_000), n(200_000), n(20_000), n(60), n(1) as u64);
    let day_new = day * 6 / 20;
    let api_count = api_batches * 1_000;
    let started = Instant::now();
    let mut all = graduations(count + day_new + api_count, seed);
    for (i, g) in all.iter_mut().enumerate() {
        // Apart from the demo's own records, and unique across the three parts.
        let part = if i < count {
            "BENCH"
        } else if i < count + day_new {
            "BENCH-DAY"
        } else {
            "BENCH-API"
        };
        g.source_record_id = srid(&format!("{part}-{}", g.source_record_id));
    }
    let api = all.split_off(count + day_new);
    let new_today = all.split_off(count);
    let history = all;
    eprintln!(
        "generated {} graduations in {:.1?}",
        history.len() + new_today.len() + api.len(),
        started.elapsed()
    );

    fs::create_dir_all(out.join("api"))?;
    for (n, chunk) in api.chunks(1_000).enumerate() {
        let body = serde_json::json!({ "items": chunk });
        fs::write(
            out.join("api").join(format!("{n:04}.json")),
            body.to_string(),
        )?;
    }

    // Created a month before NOW, in id order; the time only orders ids and stamps rows.
    let created = now - chrono::Duration::days(30);
    let ids: Vec<uuid::Uuid> = (0..history.len()).map(|_| uuid::Uuid::now_v7()).collect();
    let mut enrolled = enrollments(&history, &ids, seed);
    for (_, e) in &mut enrolled {
        e.source_record_id = srid(&format!("BENCH-{}", e.source_record_id));
    }
    // The last of them are enrolled today.
    let day_emp = day * 8 / 20;
    let emp_today = enrolled.split_off(enrolled.len().saturating_sub(day_emp));

    let mut w = Writer {
        records: csv(&out, "records.csv")?,
        versions: csv(&out, "record_versions.csv")?,
        niks: csv(&out, "record_niks.csv")?,
        changes: csv(&out, "changes.csv")?,
        position: 0,
        at: created.timestamp_micros(),
    };
    // Graduations given a new version today, with what it says.
    let day_upd = day * 3 / 20;
    let updated: std::collections::HashMap<usize, GraduationInput> = (0..day_upd)
        .map(|j| {
            let i = (j * 7_919 + 13) % history.len();
            let mut g = history[i].clone();
            if j % 3 == 2 {
                g.reason = Some(Reason::parse("Data diperbarui (bench)").expect("a valid reason"));
            } else {
                g.welfare_decile = Some(WelfareDecile::try_from(3).expect("a decile"));
            }
            (i, g)
        })
        .collect();
    // Pecah KK of one graduated family in 200 (5,000 of 1,000,000), ten days before NOW:
    // the first member (or the head) moves to a new card. A third of the day's
    // social-assistance enrollments below come under such a new card alone, so the watch
    // finds the family only by walking household_links back to the card it graduated under
    // (household_links_to_idx), as it does, one level deep, for every enrollment with a KK.
    let split_on =
        CalendarDate::parse(&(now - chrono::Duration::days(10)).date_naive().to_string())
            .expect("a date");
    let mut events = csv(&out, "household_events.csv")?;
    let mut links = csv(&out, "household_links.csv")?;
    let mut split: Vec<(usize, Kk)> = Vec::new();
    for (n, i) in (3..history.len()).step_by(200).enumerate() {
        let g = &history[i];
        let old = &g.household.kk;
        // Same region digits, a serial of 9xxx (never 0000): a card the records never name.
        let new = Kk::parse(&format!("{}9{:03}", &old.as_str()[..12], n % 1000)).expect("a KK");
        if new == *old {
            continue;
        }
        let mover = g
            .member_niks
            .first()
            .unwrap_or(&g.household.head_nik)
            .clone();
        let event = NewHouseholdEvent {
            source_record_id: srid(&format!("BENCH-PECAH-{n:06}")),
            kind: EventKind::Split,
            effective_on: split_on,
            predecessor_kks: vec![old.clone()],
            successor_kks: vec![old.clone(), new.clone()],
            member_moves: vec![MemberMove {
                nik: mover,
                from_kk: old.clone(),
                to_kk: Some(new.clone()),
            }],
            source: EventSource::Dukcapil,
            note: None,
        };
        let id = uuid::Uuid::now_v7().to_string();
        let (content, hash) = record::canonical(&event);
        writeln!(
            events,
            "{},KEMENSOS,{},split,{},dukcapil,{},{},{}",
            q(&id),
            q(event.source_record_id.as_str()),
            q(&split_on.to_string()),
            q(&content),
            q(&hash),
            created.timestamp_micros()
        )?;
        for (position, link) in event.links().into_iter().enumerate() {
            writeln!(
                links,
                "{},{position},{},{},{},{}",
                q(&id),
                q(&link.from_kk),
                opt(link.to_kk.as_deref()),
                opt(link.nik.as_deref()),
                q(&split_on.to_string())
            )?;
        }
        split.push((i, new));
    }
    events.flush()?;
    links.flush()?;
    for (i, g) in history.iter().enumerate() {
        // The first version's change is history; the updated ones get theirs today.
        w.record(&ids[i].to_string(), "KEMENSOS", &[g], 0)?;
    }
    for (agency, e) in &enrolled {
        w.record(&uuid::Uuid::now_v7().to_string(), agency.as_str(), &[e], 0)?;
    }
    let position = w.position;

    // The day's changes, interleaved, per 20: 6 new graduations, 8 empowerment
    // enrollments, 3 social-assistance enrollments, 3 new graduation versions.
    w.at = now.timestamp_micros() - 3_600_000_000;
    let today = CalendarDate::parse(&now.date_naive().to_string()).expect("a date");
    let (mut new_it, mut emp_it) = (new_today.iter(), emp_today.iter());
    let mut upd_it = updated.iter().collect::<Vec<_>>();
    upd_it.sort_by_key(|(i, _)| **i);
    let mut upd_it = upd_it.into_iter();
    let mut updated_records = std::collections::HashSet::new();
    for j in 0..day {
        match j % 20 {
            0..6 => {
                if let Some(g) = new_it.next() {
                    w.record(&uuid::Uuid::now_v7().to_string(), "KEMENSOS", &[g], 0)?;
                }
            }
            6..14 => {
                if let Some((agency, e)) = emp_it.next() {
                    w.record(&uuid::Uuid::now_v7().to_string(), agency.as_str(), &[e], 0)?;
                }
            }
            14..17 if j % 3 == 2 && !split.is_empty() => {
                // The KK alone, and it is a split family's new card (see above).
                let (i, kk) = &split[(j / 20) % split.len()];
                let program = if j % 2 == 0 { "PKH" } else { "SEMBAKO" };
                let e = EnrollmentInput {
                    source_record_id: srid(&format!("BENCH-BANSOS-{j:06}")),
                    program: ProgramCode::parse(program).expect("a program code"),
                    subject: Subject {
                        nik: None,
                        kk: Some(kk.clone()),
                    },
                    region_code: history[*i].region_code.clone(),
                    status: EnrollmentStatus::Active,
                    enrolled_on: today,
                    ended_on: None,
                    graduation_id: None,
                    attributes: None,
                };
                w.record(&uuid::Uuid::now_v7().to_string(), "KEMENSOS", &[&e], 0)?;
            }
            14..17 => {
                let g = &history[(j * 104_729 + 7) % history.len()];
                // Head or a member by NIK, with or without the KK, or the KK alone.
                let nik = match j % 3 {
                    0 => Some(g.household.head_nik.clone()),
                    1 => Some(
                        g.member_niks
                            .first()
                            .unwrap_or(&g.household.head_nik)
                            .clone(),
                    ),
                    _ => None,
                };
                let kk = (j % 2 == 0 || nik.is_none()).then(|| g.household.kk.clone());
                let program = if j % 2 == 0 { "PKH" } else { "SEMBAKO" };
                let e = EnrollmentInput {
                    source_record_id: srid(&format!("BENCH-BANSOS-{j:06}")),
                    program: ProgramCode::parse(program).expect("a program code"),
                    subject: Subject { nik, kk },
                    region_code: g.region_code.clone(),
                    status: EnrollmentStatus::Active,
                    enrolled_on: today,
                    ended_on: None,
                    graduation_id: None,
                    attributes: None,
                };
                w.record(&uuid::Uuid::now_v7().to_string(), "KEMENSOS", &[&e], 0)?;
            }
            _ => {
                if let Some((i, _)) = upd_it.next() {
                    updated_records.insert(*i);
                    w.change(
                        "graduation",
                        &ids[*i].to_string(),
                        2,
                        "KEMENSOS",
                        history[*i].program.as_str(),
                    )?;
                }
            }
        }
    }
    // The updated graduations' second versions (their records rows were written as version
    // 1 above): written apart, and applied by the script as an UPDATE of those rows.
    let mut v2 = csv(&out, "record_versions_2.csv")?;
    for i in &updated_records {
        let (content, hash) = record::canonical(&updated[i]);
        writeln!(
            v2,
            "{},2,{},{},{},f,",
            q(&ids[*i].to_string()),
            q(&content),
            q(&hash),
            w.at
        )?;
    }
    v2.flush()?;
    let day_changes = w.position - position;

    // Open referrals of every fifth graduation (by KEMENSOS, the graduations' publisher).
    let mut referrals = csv(&out, "referrals.csv")?;
    let mut offers = csv(&out, "referral_offers.csv")?;
    let (made, now_us) = (created.timestamp_micros(), now.timestamp_micros());
    let hour = 3_600_000_000_i64;
    for k in 0..referral_count.min(history.len().div_ceil(5)) {
        let i = k * 5;
        let g = &history[i];
        let accepted = k % 10 == 1;
        let overdue = k % 200 < 2 && (k % 200 == 0) != accepted;
        let late = (k as i64 % 48 + 1) * hour;
        let (respond_by, complete_by) = match (accepted, overdue) {
            (false, true) => (now_us - late, now_us - late + 60 * 24 * hour),
            (false, false) => (
                now_us + (k as i64 % 14 + 1) * 24 * hour,
                now_us + 75 * 24 * hour,
            ),
            (true, true) => (now_us - 30 * 24 * hour, now_us - late),
            (true, false) => (now_us - 20 * 24 * hour, now_us + 40 * 24 * hour),
        };
        let id = uuid::Uuid::now_v7().to_string();
        let sha = sinergi::hex::encode(&Sha256::digest(id.as_bytes()));
        let keys = g.search_keys();
        writeln!(
            referrals,
            "{},KEMENSOS,{},{},KEMENSOS,{},{},{},{},PEMBERDAYAAN_EKONOMI,USAHA_MIKRO,routine,,{},,{},,\
             {respond_by},{complete_by},{},{},{made},{}",
            q(&id),
            q(&format!("BENCH-RUJUK-{k:07}")),
            q(&ids[i].to_string()),
            q(g.program.as_str()),
            q(&keys.region_digits),
            q(g.household.kk.as_str()),
            q(g.household.head_nik.as_str()),
            if accepted { "accepted" } else { "offered" },
            if accepted { "KEMENDES" } else { "" },
            q(&sha),
            if accepted { 2 } else { 1 },
            made + if accepted { 24 * hour } else { 0 },
        )?;
        let state = if accepted { "accepted" } else { "offered" };
        let answered = if accepted {
            (made + 24 * hour).to_string()
        } else {
            String::new()
        };
        writeln!(
            offers,
            "{},KEMENDES,PKTD,0,f,{state},,{made},{answered}",
            q(&id)
        )?;
        if k % 2 == 0 {
            writeln!(offers, "{},KEMENKOP,,1,t,waiting,,,", q(&id))?;
        }
    }
    for f in [
        &mut w.records,
        &mut w.versions,
        &mut w.niks,
        &mut w.changes,
        &mut referrals,
        &mut offers,
    ] {
        f.flush()?;
    }
    fs::write(out.join("position.txt"), position.to_string())?;
    eprintln!(
        "wrote {} graduations, {} enrollments, {} changes of the day, {} referrals, {} API \
         batches to {} in {:.1?}",
        history.len() + new_today.len(),
        enrolled.len() + emp_today.len() + day * 3 / 20,
        day_changes,
        referral_count.min(history.len().div_ceil(5)),
        api.len().div_ceil(1_000),
        out.display(),
        started.elapsed()
    );
    Ok(())
}

fn sweep(mut args: impl Iterator<Item = String>) -> Result<(), Box<dyn std::error::Error>> {
    use sinergi::follow_up::watch::{self, Terms};
    use sinergi::referrals::deadlines;
    let usage = "usage: bench_follow_up sweep DATABASE_URL NOW [explain|catch-up]";
    let url = DatabaseUrl::parse(&args.next().expect(usage))?;
    let now = parse_now(&args.next().expect(usage));
    let mode = args.next();
    let explain = mode.as_deref() == Some("explain");
    let catch_up = mode.as_deref() == Some("catch-up");
    let mut conn = url.connect()?;
    // The service's defaults (SINERGI_FOLLOW_UP_*); `every` is the sequencer's business.
    let terms = Terms {
        window_days: 365,
        unreferred_days: 30,
        every: std::time::Duration::from_secs(3_600),
    };
    let position = |conn: &mut AnyConnection| -> Result<i64, db::QueryError> {
        Ok(db::meta::get(conn, "follow_up_position")?
            .and_then(|p| p.parse().ok())
            .unwrap_or(0))
    };
    if explain {
        use diesel::connection::SimpleConnection;
        use diesel::prelude::*;
        // Every statement's actual plan, as EXPLAIN (ANALYZE, BUFFERS) shows it, to the
        // server log; one call of each, undone, so the timed run sees the same data.
        conn.batch_execute(
            "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; \
             SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on;",
        )?;
        let result: Result<(), diesel::result::Error> = conn.transaction(|conn| {
            let swept = db::write_transaction(conn, |c| deadlines::sweep(c, now))
                .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
            let raised = db::write_transaction(conn, |c| watch::run(c, terms, now))?;
            eprintln!("explained one sweep ({swept} referrals) and one run ({raised:?})");
            Err(diesel::result::Error::RollbackTransaction)
        });
        match result {
            Err(diesel::result::Error::RollbackTransaction) => {}
            other => other?,
        }
        conn.batch_execute("SET auto_explain.log_min_duration = -1")?;
        return Ok(());
    }

    if catch_up {
        // The service of part (2) runs on the real clock, over data dated for NOW: at its
        // start nearly every referral is past its deadline and the unreferred window holds
        // other graduations, a backlog that the sequencer would work off 1,000 referrals and
        // 5,000 graduations per program per run while the publishing is timed. Worked off
        // here first, so that part (2) measures the watch in its steady state.
        let started = Instant::now();
        let mut swept = 0;
        loop {
            let n = db::write_transaction(&mut conn, |c| deadlines::sweep(c, now))?;
            swept += n;
            if n == 0 {
                break;
            }
        }
        let head = db::changes::head(&mut conn)?;
        let (mut runs, mut raised_total) = (0, 0);
        loop {
            let before = position(&mut conn)?;
            let raised = db::write_transaction(&mut conn, |c| watch::run(c, terms, now))?;
            runs += 1;
            raised_total += raised.unreferred + raised.relapses;
            // The watch moves its position only over record changes: past the last of them
            // it stays put although the head (referral changes) is further on.
            let after = position(&mut conn)?;
            if raised == watch::Raised::default() && (after >= head || after == before) {
                break;
            }
        }
        println!(
            "{}",
            serde_json::json!({"now": now.to_rfc3339(), "referrals_handled": swept,
                               "watch_runs": runs, "signals_raised": raised_total,
                               "seconds": started.elapsed().as_secs_f64()})
        );
        return Ok(());
    }

    let started = Instant::now();
    let mut sweeps = Vec::new();
    let mut swept = 0;
    loop {
        let t = Instant::now();
        let n = db::write_transaction(&mut conn, |c| deadlines::sweep(c, now))?;
        sweeps.push(t.elapsed().as_secs_f64());
        swept += n;
        if n == 0 {
            break;
        }
    }
    let deadlines_s = started.elapsed().as_secs_f64();

    let head = db::changes::head(&mut conn)?;
    let from = position(&mut conn)?;
    let watch_started = Instant::now();
    let mut runs = Vec::new();
    let (mut unreferred, mut relapses, mut closed) = (0, 0, 0);
    loop {
        let before = position(&mut conn)?;
        let t = Instant::now();
        let raised = db::write_transaction(&mut conn, |c| watch::run(c, terms, now))?;
        runs.push(t.elapsed().as_secs_f64());
        unreferred += raised.unreferred;
        relapses += raised.relapses;
        closed += raised.closed;
        let after = position(&mut conn)?;
        if after >= head || after == before {
            break;
        }
    }
    let watch_s = watch_started.elapsed().as_secs_f64();
    let round = |xs: &[f64]| {
        xs.iter()
            .map(|x| (x * 1e3).round() / 1e3)
            .collect::<Vec<_>>()
    };
    println!(
        "{}",
        serde_json::json!({
            "now": now.to_rfc3339(),
            "deadlines": {"seconds": deadlines_s, "calls": sweeps.len(), "referrals_handled": swept,
                          "call_seconds": round(&sweeps)},
            "watch": {"seconds": watch_s, "runs": runs.len(), "changes_read": head - from,
                      "unreferred_raised": unreferred, "relapses_raised": relapses,
                      "closed": closed, "run_seconds": round(&runs)},
            "total_seconds": deadlines_s + watch_s,
        })
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("gen") => generate(args)?,
        Some("sweep") => sweep(args)?,
        _ => {
            return Err("usage: bench_follow_up gen|sweep ... (see the source)".into());
        }
    }
    Ok(())
}
