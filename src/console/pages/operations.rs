//! *Operasional* (an agency's operator): its API clients, which it can disable, enable and
//! give a new secret (shown once); its data-sharing agreements and when they expire; its
//! webhook subscriptions with their state, last success and recent failed attempts. Only
//! the operator's own agency's: a client of another agency is "not found".

use std::fmt::Write;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{form, page, require, see_other};
use crate::audit::trail::Trail;
use crate::audit::write::Answer;
use crate::auth::admin::AdminError;
use crate::auth::clients::{self, ClientView, ClientWithSecret};
use crate::console::accounts::Role;
use crate::console::error::ConsoleError;
use crate::console::html::{Frame, Lang, esc};
use crate::console::session::Session;
use crate::db::agreements::AgreementRow;
use crate::db::subscriptions::{DeliveryRow, SubscriptionRow};
use crate::db::{self, DbError};
use crate::http::state::AppState;

/// Failed attempts shown per subscription.
const RECENT_FAILURES: i64 = 5;

struct Subscription {
    row: SubscriptionRow,
    last_success: Option<i64>,
    failures: Vec<DeliveryRow>,
}

struct Agreement {
    row: AgreementRow,
    valid_until: Option<DateTime<Utc>>,
}

fn date(lang: Lang, at: Option<i64>) -> String {
    at.and_then(DateTime::from_timestamp_micros).map_or_else(
        || lang.t("belum pernah", "never").to_owned(),
        |d| d.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// A stored state (of a subscription or an agreement) in the page's language.
fn state_name(lang: Lang, state: &str) -> String {
    let (id, en) = match state {
        "active" => ("Aktif", "Active"),
        "failing" => ("Gagal terkirim", "Failing"),
        "suspended" => ("Ditangguhkan", "Suspended"),
        "not_covered" => ("Tidak tercakup perjanjian", "Not covered by an agreement"),
        "proposed" => ("Diusulkan", "Proposed"),
        "terminated" => ("Diakhiri", "Terminated"),
        other => (other, other),
    };
    lang.t(id, en).to_owned()
}

/// `GET /console/operasional`
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ConsoleError> {
    require(&session, &[Role::Operator])?;
    let lang = Lang::of(&req);
    let agency = session.person.agency.to_string();
    let (clients, agreements, subscriptions) = state
        .db
        .run(move |conn| {
            let clients: Vec<ClientView> = db::clients::list(conn)?
                .iter()
                .filter(|c| c.agency.as_str() == agency)
                .map(ClientView::from)
                .collect();
            let agreements = db::agreements::list(conn, Some(&agency))?
                .into_iter()
                .map(|row| {
                    let terms = match row.version_in_force {
                        Some(v) => db::agreements::version(conn, &row.id, v)?,
                        None => None,
                    };
                    let valid_until = terms
                        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t.terms).ok())
                        .and_then(|t| t.get("valid_until")?.as_str()?.parse().ok());
                    Ok::<_, DbError>(Agreement { row, valid_until })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let subscriptions = db::subscriptions::list(conn, &agency)?
                .into_iter()
                .map(|row| {
                    let last_success = db::subscriptions::last_success(conn, &row.id)?;
                    let failures = db::subscriptions::attempts(conn, &row.id, 50)?
                        .into_iter()
                        .filter(|d| !d.status_code.is_some_and(|s| (200..300).contains(&s)))
                        .take(RECENT_FAILURES as usize)
                        .collect();
                    Ok::<_, DbError>(Subscription {
                        row,
                        last_success,
                        failures,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, DbError>((clients, agreements, subscriptions))
        })
        .await?;
    let mut body = clients_section(lang, &session, &clients);
    body.push_str(&agreements_section(lang, &agreements));
    body.push_str(&subscriptions_section(lang, &subscriptions));
    let query = req.query_string().to_owned();
    Ok(page(
        Frame {
            lang,
            session: Some(&session),
            path: "/console/operasional",
            query: &query,
            title: lang.t("Operasional instansi", "Agency operations"),
            scripts: &[],
        }
        .render(&body),
    ))
}

fn action(lang: Lang, session: &Session, client: &str, verb: &str, label: &str) -> String {
    format!(
        r#"<form method="post" action="/console/operasional/klien/{client}/{verb}" class="inline"><input type="hidden" name="csrf" value="{csrf}">{keep}<button type="submit">{label}</button></form>"#,
        client = esc(client),
        csrf = esc(&session.csrf),
        keep = lang.field(),
    )
}

fn clients_section(lang: Lang, session: &Session, clients: &[ClientView]) -> String {
    let mut out = format!(
        r#"<section aria-labelledby="klien"><h2 id="klien">{}</h2><div class="scroll"><table class="numbers" id="daftar-klien"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        lang.t("Klien API", "API clients"),
        lang.t("ID klien", "Client id"),
        lang.t("Nama", "Name"),
        lang.t("Cakupan", "Scopes"),
        lang.t("Autentikasi", "Authentication"),
        lang.t("Status", "Status"),
        lang.t("Tindakan", "Actions"),
    );
    for c in clients {
        let scopes: Vec<&str> = c.scopes.iter().map(|s| s.as_str()).collect();
        let mut actions = if c.disabled {
            action(
                lang,
                session,
                &c.client_id,
                "aktifkan",
                lang.t("Aktifkan", "Enable"),
            )
        } else {
            action(
                lang,
                session,
                &c.client_id,
                "nonaktifkan",
                lang.t("Nonaktifkan", "Disable"),
            )
        };
        if c.auth_method == "client_secret" {
            actions.push_str(&action(
                lang,
                session,
                &c.client_id,
                "rotasi",
                lang.t("Ganti rahasia", "Rotate secret"),
            ));
        }
        let _ = write!(
            out,
            r#"<tr data-client="{id}"><td class="code">{id}</td><td>{name}</td><td>{scopes}</td><td>{method}</td><td data-column="status">{status}</td><td>{actions}</td></tr>"#,
            id = esc(&c.client_id),
            name = esc(&c.name),
            scopes = esc(&scopes.join(" ")),
            method = esc(&c.auth_method),
            status = if c.disabled {
                lang.t("Nonaktif", "Disabled")
            } else {
                lang.t("Aktif", "Enabled")
            },
        );
    }
    out.push_str("</tbody></table></div></section>");
    out
}

fn agreements_section(lang: Lang, agreements: &[Agreement]) -> String {
    let mut out = format!(
        r#"<section aria-labelledby="perjanjian"><h2 id="perjanjian">{}</h2><div class="scroll"><table class="numbers" id="daftar-perjanjian"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        lang.t("Perjanjian berbagi data", "Data-sharing agreements"),
        lang.t("ID", "Id"),
        lang.t("Penyedia", "Provider"),
        lang.t("Penerima", "Consumer"),
        lang.t("Status", "Status"),
        lang.t("Versi berlaku", "Version in force"),
        lang.t("Berlaku sampai", "Valid until"),
    );
    let now = Utc::now();
    for a in agreements {
        let until = a.valid_until.map_or_else(
            || "–".to_owned(),
            |u| {
                let days = (u - now).num_days();
                let note = if u < now {
                    format!(
                        r#" <strong class="late">{}</strong>"#,
                        lang.t("berakhir", "expired")
                    )
                } else if days <= 30 {
                    format!(
                        r#" <strong class="late">{}</strong>"#,
                        match lang {
                            Lang::Id => format!("{days} hari lagi"),
                            Lang::En => format!("in {days} days"),
                        }
                    )
                } else {
                    String::new()
                };
                format!("{}{note}", u.format("%Y-%m-%d"))
            },
        );
        let _ = write!(
            out,
            r#"<tr><td class="code">{id}</td><td>{provider}</td><td>{consumer}</td><td>{status}</td><td>{version}</td><td>{until}</td></tr>"#,
            id = esc(&a.row.id),
            provider = esc(&a.row.provider_agency),
            consumer = esc(&a.row.consumer_agency),
            status = esc(&state_name(lang, &a.row.status)),
            version = a
                .row
                .version_in_force
                .map_or("–".to_owned(), |v| v.to_string()),
        );
    }
    if agreements.is_empty() {
        let _ = write!(
            out,
            r#"<tr><td colspan="6">{}</td></tr>"#,
            lang.t("Belum ada perjanjian.", "No agreements yet.")
        );
    }
    out.push_str("</tbody></table></div></section>");
    out
}

/// A webhook URL without its query, which may hold a token of the receiver's.
fn shown_url(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or_default().to_owned()
}

fn subscriptions_section(lang: Lang, subscriptions: &[Subscription]) -> String {
    let mut out = format!(
        r#"<section aria-labelledby="webhook"><h2 id="webhook">{}</h2>"#,
        lang.t("Langganan webhook", "Webhook subscriptions"),
    );
    if subscriptions.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p>",
            lang.t(
                "Belum ada langganan webhook.",
                "No webhook subscriptions yet."
            )
        );
    }
    for s in subscriptions {
        let _ = write!(
            out,
            r#"<article class="subscription" data-subscription="{id}"><h3 class="code">{url}</h3><dl class="figures"><div><dt>{state_l}</dt><dd>{state}</dd></div><div><dt>{success_l}</dt><dd>{success}</dd></div><div><dt>{attempts_l}</dt><dd>{attempts}</dd></div></dl>"#,
            id = esc(&s.row.id),
            url = esc(&shown_url(&s.row.url)),
            state_l = lang.t("Status", "State"),
            state = esc(&state_name(lang, &s.row.state)),
            success_l = lang.t("Terakhir berhasil", "Last success"),
            success = esc(&date(lang, s.last_success)),
            attempts_l = lang.t("Percobaan gagal berturut-turut", "Failed attempts in a row"),
            attempts = s.row.attempts,
        );
        if !s.failures.is_empty() {
            let _ = write!(
                out,
                r#"<table class="numbers"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
                lang.t("Percobaan gagal terakhir", "Recent failed attempts"),
                lang.t("Waktu", "Time"),
                lang.t("Posisi", "Position"),
                lang.t("Status HTTP", "HTTP status"),
                lang.t("Keterangan", "Error"),
            );
            for d in &s.failures {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&date(lang, Some(d.attempted_at))),
                    d.position,
                    d.status_code.map_or("–".to_owned(), |c| c.to_string()),
                    esc(d.error.as_deref().unwrap_or("–")),
                );
            }
            out.push_str("</tbody></table>");
        }
        out.push_str("</article>");
    }
    out.push_str("</section>");
    out
}

#[derive(Deserialize)]
struct ActionForm {
    // Absent is refused as forged (403), not as unreadable.
    #[serde(default)]
    csrf: String,
    lang: Option<String>,
}

/// A client of the person's agency, or "not found" (another agency's is not theirs to
/// know of).
fn own_client(conn: &mut db::AnyConnection, id: &str, agency: &str) -> Result<(), AdminError> {
    match db::clients::get(conn, id)? {
        Some(c) if c.agency.as_str() == agency => Ok(()),
        _ => Err(AdminError::NotFound),
    }
}

/// `POST /console/operasional/klien/{id}/{action}`: `aktifkan`, `nonaktifkan`, `rotasi`.
pub async fn client_action(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    trail: Trail,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, ConsoleError> {
    require(&session, &[Role::Operator])?;
    let fields: ActionForm = form(&body)?;
    session.check_form(&req, &fields.csrf)?;
    let lang = Lang::of_form(fields.lang.as_deref());
    let (id, verb) = path.into_inner();
    let agency = session.person.agency.to_string();
    let disabled = match verb.as_str() {
        "aktifkan" => false,
        "nonaktifkan" => true,
        "rotasi" => {
            let rotated: ClientWithSecret = trail
                .write(&state.db, move |conn, _| {
                    own_client(conn, &id, &agency)?;
                    clients::rotate_secret(conn, &id)?
                        .map(Answer::ok)
                        .ok_or_else(|| AdminError::KeysOnly(id.clone()))
                })
                .await
                .map_err(crate::http::problem::ApiError::from)?
                .value;
            tracing::info!(client.id = %rotated.client.client_id, by = %session.person.actor(),
                "client secret rotated in the console");
            return Ok(page(rotated_page(lang, &session, &rotated)));
        }
        _ => return Err(ConsoleError::NotFound),
    };
    trail
        .write(&state.db, move |conn, _| {
            own_client(conn, &id, &agency)?;
            db::clients::set_disabled(conn, &id, disabled)?;
            // The entry records what the person gets: the page again.
            Ok::<_, AdminError>(Answer {
                status: 303,
                value: (),
            })
        })
        .await
        .map_err(crate::http::problem::ApiError::from)?;
    Ok(see_other(&lang.link("/console/operasional")))
}

fn rotated_page(lang: Lang, session: &Session, rotated: &ClientWithSecret) -> String {
    let body = format!(
        r#"<p class="warning" role="alert">{warn}</p>
<dl class="figures"><div><dt>{id_l}</dt><dd class="code">{id}</dd></div><div><dt>{secret_l}</dt><dd><code id="rahasia-baru">{secret}</code></dd></div></dl>
<p>{after}</p>
<p><a href="{back}">{back_l}</a></p>"#,
        warn = lang.t(
            "Rahasia baru ini hanya ditampilkan sekali. Salin sekarang ke sistem instansi Anda; token yang diterbitkan dengan rahasia lama tidak berlaku lagi.",
            "This new secret is shown only once. Copy it into your agency's system now; tokens issued with the old secret no longer work.",
        ),
        id_l = lang.t("ID klien", "Client id"),
        id = esc(&rotated.client.client_id),
        secret_l = lang.t("Rahasia klien baru", "New client secret"),
        secret = esc(rotated.client_secret.as_deref().unwrap_or_default()),
        after = lang.t(
            "Sinergi hanya menyimpan hash argon2id dari rahasia ini.",
            "Sinergi keeps only an argon2id hash of this secret.",
        ),
        back = esc(&lang.link("/console/operasional")),
        back_l = lang.t("Kembali ke Operasional", "Back to Operations"),
    );
    Frame {
        lang,
        session: Some(session),
        path: "/console/operasional",
        query: "",
        title: lang.t("Rahasia klien diganti", "Client secret rotated"),
        scripts: &[],
    }
    .render(&body)
}
