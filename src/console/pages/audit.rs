//! *Audit* (auditors, data-protection officers): the audit log's latest signed checkpoint,
//! verified by the browser itself (`assets/audit.js`: Ed25519 over the note, and a
//! consistency proof from the checkpoint this browser saw before), and a person's
//! processing trail by NIK, printable as the answer to a data subject's request (UU 27/2022
//! Art. 32). The NIK travels only in a POST body; the look-up needs a stated purpose, is
//! limited per person, and is itself recorded under the NIK's hash.

use std::fmt::Write;

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use super::{form, page, require};
use crate::audit::entry::Entry;
use crate::audit::read::{self, Search};
use crate::audit::trail::Trail;
use crate::console::accounts::Role;
use crate::console::error::ConsoleError;
use crate::console::html::{Frame, Lang, esc, number};
use crate::console::session::Session;
use crate::domain::nik::Nik;
use crate::domain::personal_number;
use crate::http::problem::ApiError;
use crate::http::state::AppState;

const ROLES: [Role; 2] = [Role::Auditor, Role::Dpo];
/// Entries a trail shows at most; a person touched more often is told so.
const TRAIL_LIMIT: i64 = 1000;
/// Longest note added to a look-up's purpose.
const MAX_NOTE_CHARS: usize = 120;

/// Why an auditor looks a person up: the purpose the audit log records with the look-up.
const PURPOSES: [(&str, &str, &str); 3] = [
    (
        "permintaan-subjek",
        "Menjawab permintaan subjek data (UU 27/2022 Pasal 32)",
        "Answering a data subject's request (Law 27/2022 Art. 32)",
    ),
    (
        "insiden",
        "Menyelidiki dugaan insiden pelindungan data",
        "Investigating a suspected data-protection incident",
    ),
    (
        "audit-berkala",
        "Audit berkala atas pemrosesan data pribadi",
        "Periodic audit of personal-data processing",
    ),
];

fn frame<'a>(lang: Lang, session: &'a Session, query: &'a str, title: &'a str) -> Frame<'a> {
    Frame {
        lang,
        session: Some(session),
        path: "/console/audit",
        query,
        title,
        scripts: &["/console/aset/audit.js"],
    }
}

fn lookup_form(lang: Lang, session: &Session) -> String {
    let mut options = String::new();
    for (code, id, en) in PURPOSES {
        let _ = write!(
            options,
            r#"<option value="{code}">{}</option>"#,
            esc(lang.t(id, en))
        );
    }
    format!(
        r#"<section aria-labelledby="jejak"><h2 id="jejak">{title}</h2>
<p>{intro}</p>
<form method="post" action="/console/audit/jejak" class="lookup">
<input type="hidden" name="csrf" value="{csrf}">{keep}
<label for="nik">NIK</label>
<input id="nik" name="nik" inputmode="numeric" autocomplete="off" required pattern="[0-9]{{16}}" maxlength="16" aria-describedby="nik-help">
<p id="nik-help" class="help">{nik_help}</p>
<label for="purpose">{purpose_l}</label>
<select id="purpose" name="purpose" required>{options}</select>
<label for="note">{note_l}</label>
<input id="note" name="note" maxlength="{MAX_NOTE_CHARS}" aria-describedby="note-help">
<p id="note-help" class="help">{note_help}</p>
<button type="submit">{submit}</button>
</form></section>"#,
        title = lang.t("Jejak pemrosesan seseorang", "A person's processing trail"),
        intro = lang.t(
            "Setiap permintaan yang menyentuh NIK ini: siapa, kapan, untuk tujuan apa, dan hasilnya. Pencarian ini sendiri dicatat di log audit, dengan tujuan yang Anda nyatakan.",
            "Every request that touched this NIK: who, when, for what purpose, and how it ended. This look-up is itself recorded in the audit log, with the purpose you state.",
        ),
        csrf = esc(&session.csrf),
        keep = lang.field(),
        nik_help = lang.t(
            "16 angka. NIK dikirim dalam isi formulir, tidak pernah di alamat halaman.",
            "16 digits. The NIK is sent in the form's body, never in the page's address.",
        ),
        purpose_l = lang.t("Tujuan pencarian", "Purpose of the look-up"),
        note_l = lang.t("Keterangan (nomor surat permintaan, dsb.)", "Note (request letter number, etc.)"),
        note_help = lang.t(
            "Jangan menulis NIK atau nomor KK di sini.",
            "Do not write a NIK or KK number here.",
        ),
        submit = lang.t("Cari jejak", "Look up the trail"),
    )
}

/// `GET /console/audit`
pub async fn show(req: HttpRequest, session: Session) -> Result<HttpResponse, ConsoleError> {
    require(&session, &ROLES)?;
    let lang = Lang::of(&req);
    let mut body = format!(
        r#"<section id="checkpoint" aria-labelledby="checkpoint-title" data-checkpoint-url="/console/audit/checkpoint" data-key-url="/console/audit/public-key" data-consistency-url="/console/audit/consistency" data-lang="{code}">
<h2 id="checkpoint-title">{title}</h2>
<p id="checkpoint-status" role="status">{checking}</p>
<dl class="figures">
<div><dt>{size_l}</dt><dd id="checkpoint-size"></dd></div>
<div><dt>{root_l}</dt><dd id="checkpoint-root" class="code"></dd></div>
<div><dt>{key_l}</dt><dd id="checkpoint-key" class="code"></dd></div>
<div><dt>{previous_l}</dt><dd id="checkpoint-previous"></dd></div>
</dl>
<div id="checkpoint-warning" role="alert" class="warning" hidden></div>
<p class="help">{how}</p>
</section>"#,
        code = lang.code(),
        title = lang.t("Checkpoint log audit", "Audit log checkpoint"),
        checking = lang.t("Memeriksa checkpoint…", "Checking the checkpoint…"),
        size_l = lang.t("Jumlah entri", "Entries"),
        root_l = lang.t("Hash akar", "Root hash"),
        key_l = lang.t("Kunci verifikasi", "Verifier key"),
        previous_l = lang.t(
            "Ukuran yang terakhir dilihat peramban ini",
            "Size this browser saw last",
        ),
        how = lang.t(
            "Peramban Anda sendiri memeriksa tanda tangan Ed25519 checkpoint dan, sejak kunjungan sebelumnya, bukti konsistensi RFC 9162 bahwa log hanya bertambah. Kunci disimpan di peramban ini saat kunjungan pertama; bandingkan dengan kunci yang Anda terima dari operator Sinergi.",
            "Your own browser checks the checkpoint's Ed25519 signature and, since its previous visit, an RFC 9162 consistency proof that the log only grew. The key is kept in this browser on the first visit; compare it with the key you received from Sinergi's operator.",
        ),
    );
    body.push_str(&lookup_form(lang, &session));
    let query = req.query_string().to_owned();
    let title = lang.t("Audit", "Audit");
    Ok(page(frame(lang, &session, &query, title).render(&body)))
}

/// `GET /console/audit/checkpoint`: the latest signed checkpoint, as the API serves it.
pub async fn checkpoint(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ConsoleError> {
    require(&session, &ROLES)?;
    let note = read::checkpoint(&state.db, None)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(note))
}

/// `GET /console/audit/public-key`: the checkpoint verifier key.
pub async fn public_key(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ConsoleError> {
    require(&session, &ROLES)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!("{}\n", state.audit_keys.verifier())))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsistencyQuery {
    from: u64,
    to: u64,
}

/// `GET /console/audit/consistency?from=&to=`: a consistency proof, as the API serves it.
pub async fn consistency(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ConsoleError> {
    require(&session, &ROLES)?;
    let ConsistencyQuery { from, to } =
        serde_urlencoded::from_str(req.query_string()).map_err(|_| ConsoleError::Invalid {
            id: "from dan to harus berupa ukuran log.",
            en: "from and to must be log sizes.",
        })?;
    let hashes = read::consistency(&state.db, from, to)
        .await
        .map_err(ApiError::from)?;
    let hashes: Vec<String> = hashes.iter().map(|h| STANDARD.encode(h)).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({"from": from, "to": to, "hashes": hashes})))
}

#[derive(Deserialize)]
struct LookupForm {
    // Absent is refused as forged (403), not as unreadable.
    #[serde(default)]
    csrf: String,
    nik: String,
    purpose: String,
    #[serde(default)]
    note: String,
    lang: Option<String>,
}

/// `POST /console/audit/jejak`: a person's trail.
pub async fn trail_lookup(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    trail: Trail,
    body: web::Bytes,
) -> Result<HttpResponse, ConsoleError> {
    require(&session, &ROLES)?;
    let fields: LookupForm = form(&body)?;
    session.check_form(&req, &fields.csrf)?;
    let lang = Lang::of_form(fields.lang.as_deref());
    let nik = Nik::parse(&fields.nik).map_err(|_| ConsoleError::Invalid {
        id: "NIK harus 16 angka dengan kode wilayah dan tanggal lahir yang sah.",
        en: "A NIK is 16 digits with a valid region code and date of birth.",
    })?;
    let Some((_, purpose_id, purpose_en)) = PURPOSES.iter().find(|(c, ..)| *c == fields.purpose)
    else {
        return Err(ConsoleError::Invalid {
            id: "Pilih salah satu tujuan pencarian.",
            en: "Choose one of the purposes of the look-up.",
        });
    };
    let note = fields.note.trim();
    if note.chars().count() > MAX_NOTE_CHARS
        || note.chars().any(char::is_control)
        || personal_number::appears_in(note)
    {
        return Err(ConsoleError::Invalid {
            id: "Keterangan paling banyak 120 karakter, tanpa NIK atau nomor KK.",
            en: "The note is at most 120 characters, without a NIK or KK number.",
        });
    }
    // The purpose is recorded in Indonesian whatever the page's language, as the log's
    // reader expects one wording per purpose.
    let declared = if note.is_empty() {
        (*purpose_id).to_owned()
    } else {
        format!("{purpose_id} — {note}")
    };
    trail.declare_purpose(declared.clone());
    read::subject_lookup(
        &trail,
        &state.auth.subject_lookup_limit,
        &session.person.actor(),
        Some(nik.as_str()),
        None,
    )
    .map_err(ApiError::from)?;
    let page_of = read::entries(
        &state.db,
        &state.audit_keys,
        Search {
            nik: Some(nik.as_str().to_owned()),
            limit: TRAIL_LIMIT,
            ..Search::default()
        },
    )
    .await
    .map_err(ApiError::from)?;
    let body = trail_page(
        lang,
        &nik,
        lang.t(purpose_id, purpose_en),
        note,
        &page_of.items,
        page_of.next_cursor.is_some(),
    );
    let title = lang.t(
        "Jejak pemrosesan data pribadi",
        "Personal-data processing trail",
    );
    Ok(page(frame(lang, &session, "", title).render(&body)))
}

/// A NIK as the printed answer shows it: enough for its holder to recognise, not the whole.
fn masked(nik: &Nik) -> String {
    let digits = nik.as_str();
    format!("{}•••••••••{}", &digits[..4], &digits[13..])
}

fn trail_page(
    lang: Lang,
    nik: &Nik,
    purpose: &str,
    note: &str,
    entries: &[Entry],
    more: bool,
) -> String {
    let now = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC");
    let mut out = format!(
        r#"<section class="trail" aria-labelledby="trail-title">
<h2 id="trail-title">{title}</h2>
<dl class="figures">
<div><dt>NIK</dt><dd>{nik}</dd></div>
<div><dt>{purpose_l}</dt><dd>{purpose}{note}</dd></div>
<div><dt>{when_l}</dt><dd>{now}</dd></div>
<div><dt>{count_l}</dt><dd id="trail-count">{count}</dd></div>
</dl>
<p>{explain}</p>
<p class="no-print"><button type="button" id="cetak">{print}</button></p>"#,
        title = lang.t(
            "Pemrosesan data pribadi yang tercatat",
            "Recorded processing of personal data",
        ),
        nik = esc(&masked(nik)),
        purpose_l = lang.t("Tujuan pencarian", "Purpose of the look-up"),
        purpose = esc(purpose),
        note = if note.is_empty() {
            String::new()
        } else {
            format!(" — {}", esc(note))
        },
        when_l = lang.t("Dicetak pada", "Printed at"),
        count_l = lang.t("Jumlah entri", "Entries"),
        count = number(lang, entries.len() as u64),
        explain = lang.t(
            "Daftar ini diambil dari log audit Sinergi yang tidak dapat diubah diam-diam: setiap entri tercakup dalam checkpoint bertanda tangan yang dapat diverifikasi siapa pun dengan <code>sinergi audit verify</code>. Log hanya menyimpan hash NIK, bukan NIK itu sendiri.",
            "This list is taken from Sinergi's tamper-evident audit log: every entry is covered by a signed checkpoint that anyone can verify with <code>sinergi audit verify</code>. The log keeps only a hash of the NIK, never the NIK itself.",
        ),
        print = lang.t("Cetak", "Print"),
    );
    if more {
        let _ = write!(
            out,
            r#"<p class="warning">{}</p>"#,
            lang.t(
                "Hanya 1.000 entri pertama yang ditampilkan; ekspor log audit memuat semuanya.",
                "Only the first 1,000 entries are shown; the audit log export holds them all.",
            )
        );
    }
    let _ = write!(
        out,
        r#"<div class="scroll"><table class="numbers" id="trail-entries"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        lang.t("Waktu (UTC)", "Time (UTC)"),
        lang.t("Instansi", "Agency"),
        lang.t("Oleh", "By"),
        lang.t("Tujuan", "Purpose"),
        lang.t("Permintaan", "Request"),
        lang.t("Hasil", "Outcome"),
    );
    for e in entries {
        let outcome = match e.outcome.as_str() {
            "allowed" => lang.t("dilayani", "served"),
            "denied" => lang.t("ditolak (akses)", "refused (access)"),
            "invalid" => lang.t("ditolak (isian)", "refused (input)"),
            _ => lang.t("gagal", "failed"),
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"code\">{}</td><td>{}</td><td class=\"code\">{} {}</td><td>{} ({})</td></tr>",
            esc(&e.time),
            esc(e.agency.as_deref().unwrap_or("–")),
            esc(e.client_id.as_deref().unwrap_or("–")),
            esc(e.purpose.as_deref().unwrap_or("–")),
            esc(&e.method),
            esc(e.route.as_deref().unwrap_or("–")),
            outcome,
            e.status,
        );
    }
    if entries.is_empty() {
        let _ = write!(
            out,
            r#"<tr><td colspan="6">{}</td></tr>"#,
            lang.t(
                "Tidak ada pemrosesan yang tercatat untuk NIK ini.",
                "No processing is recorded for this NIK.",
            )
        );
    }
    out.push_str("</tbody></table></div></section>");
    out
}
