//! Writing the console's HTML: escaping, the two languages, and the frame every page has.
//! Pages are rendered on the server; the only script is the Audit page's verification.

use std::fmt::Write;

use actix_web::HttpRequest;

use super::accounts::Role;
use super::session::Session;

/// Text escaped for HTML content and double-quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The language of a page: Bahasa Indonesia unless the person switched to English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    /// From the `lang` query parameter, which every console link carries once switched.
    pub fn of(req: &HttpRequest) -> Lang {
        let english = form_urlencoded::parse(req.query_string().as_bytes())
            .any(|(k, v)| k == "lang" && v == "en");
        if english { Lang::En } else { Lang::Id }
    }

    /// From a form's hidden `lang` field ([`Lang::field`]).
    pub fn of_form(field: Option<&str>) -> Lang {
        if field == Some("en") {
            Lang::En
        } else {
            Lang::Id
        }
    }

    /// The text in this language.
    pub fn t<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// A console path in this language (`?lang=en` kept once switched).
    pub fn link(self, path: &str) -> String {
        match self {
            Lang::Id => path.to_owned(),
            Lang::En if path.contains('?') => format!("{path}&lang=en"),
            Lang::En => format!("{path}?lang=en"),
        }
    }

    /// A hidden form field that keeps the language across a form.
    pub fn field(self) -> &'static str {
        match self {
            Lang::Id => "",
            Lang::En => r#"<input type="hidden" name="lang" value="en">"#,
        }
    }
}

/// The pages of the console, in the order of the menu, and the roles that see each.
pub const PAGES: [(&str, &str, &str, &[Role]); 4] = [
    (
        "/console/ringkasan",
        "Ringkasan",
        "Summary",
        &[Role::Coordinator],
    ),
    (
        "/console/rujukan",
        "Rujukan",
        "Referrals",
        &[Role::Coordinator, Role::Operator],
    ),
    (
        "/console/operasional",
        "Operasional",
        "Operations",
        &[Role::Operator],
    ),
    (
        "/console/audit",
        "Audit",
        "Audit",
        &[Role::Auditor, Role::Dpo],
    ),
];

/// Where a role lands after signing in: its first page.
pub fn home(role: Role) -> &'static str {
    PAGES
        .iter()
        .find(|(_, _, _, roles)| roles.contains(&role))
        .map(|(path, ..)| *path)
        .expect("every role has a page")
}

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Coordinator => lang.t("Koordinator", "Coordinator"),
        Role::Operator => lang.t("Operator instansi", "Agency operator"),
        Role::Auditor => lang.t("Auditor", "Auditor"),
        Role::Dpo => lang.t("Pejabat pelindungan data", "Data protection officer"),
    }
}

/// A page in the console's frame: the menu of the person's role, who is signed in, the
/// language switch and the sign-out button around `body`.
pub struct Frame<'a> {
    pub lang: Lang,
    pub session: Option<&'a Session>,
    /// The page's own path, to mark it in the menu and switch its language.
    pub path: &'a str,
    /// The query the page was asked with, so that switching language keeps the filters.
    pub query: &'a str,
    pub title: &'a str,
    /// Scripts of the page (paths on this server).
    pub scripts: &'a [&'a str],
}

impl Frame<'_> {
    pub fn render(&self, body: &str) -> String {
        let lang = self.lang;
        let mut out = String::with_capacity(body.len() + 4096);
        let scripts: String = self
            .scripts
            .iter()
            .map(|s| format!(r#"<script src="{s}" defer></script>"#))
            .collect();
        let _ = write!(
            out,
            r##"<!doctype html>
<html lang="{code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Sinergi</title>
<link rel="stylesheet" href="/console/aset/console.css">
<link rel="icon" href="/console/aset/favicon.svg" type="image/svg+xml">
{scripts}
</head>
<body>
<a class="skip" href="#isi">{skip}</a>
<header class="top">
<a class="brand" href="{home}">Sinergi</a>
"##,
            code = lang.code(),
            title = esc(self.title),
            skip = lang.t("Langsung ke isi", "Skip to content"),
            home = esc(&lang.link("/console/")),
        );
        if let Some(session) = self.session {
            out.push_str(&self.menu(session));
        }
        out.push_str(r#"<div class="who">"#);
        if let Some(session) = self.session {
            let _ = write!(
                out,
                r#"<span>{name} · {agency} · {role}</span>"#,
                name = esc(&session.person.username),
                agency = esc(session.person.agency.as_str()),
                role = role_name(lang, session.person.role),
            );
        }
        let other = match lang {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        };
        let kept: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                form_urlencoded::parse(self.query.as_bytes()).filter(|(k, _)| k != "lang"),
            )
            .finish();
        let switch = if kept.is_empty() {
            self.path.to_owned()
        } else {
            format!("{}?{kept}", self.path)
        };
        let _ = write!(
            out,
            r#"<a href="{href}" hreflang="{code}" lang="{code}">{label}</a>"#,
            href = esc(&other.link(&switch)),
            code = other.code(),
            label = other.t("Bahasa Indonesia", "English"),
        );
        if let Some(session) = self.session {
            let _ = write!(
                out,
                r#"<form method="post" action="/console/keluar"><input type="hidden" name="csrf" value="{csrf}">{keep}<button type="submit">{label}</button></form>"#,
                csrf = esc(&session.csrf),
                keep = lang.field(),
                label = lang.t("Keluar", "Sign out"),
            );
        }
        let _ = write!(
            out,
            r#"</div>
</header>
<main id="isi">
<h1>{title}</h1>
{body}
</main>
<footer><p>{footer}</p></footer>
</body>
</html>
"#,
            title = esc(self.title),
            footer = lang.t(
                "Setiap halaman yang Anda buka dicatat di log audit Sinergi (UU 27/2022).",
                "Every page you open is recorded in Sinergi's audit log (Law 27/2022).",
            ),
        );
        out
    }

    fn menu(&self, session: &Session) -> String {
        let lang = self.lang;
        let mut out = format!(
            r#"<nav aria-label="{}"><ul>"#,
            lang.t("Menu utama", "Main menu")
        );
        for (path, id, en, roles) in PAGES {
            if !roles.contains(&session.person.role) {
                continue;
            }
            let current = if path == self.path {
                r#" aria-current="page""#
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<li><a href="{href}"{current}>{label}</a></li>"#,
                href = esc(&lang.link(path)),
                label = lang.t(id, en),
            );
        }
        out.push_str("</ul></nav>");
        out
    }
}

/// A refusal page, in both languages (the error does not know which the person reads).
pub fn error_page(id: &str, en: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sinergi</title>
<link rel="stylesheet" href="/console/aset/console.css">
<link rel="icon" href="/console/aset/favicon.svg" type="image/svg+xml">
</head>
<body>
<main id="isi">
<h1>Sinergi</h1>
<p class="warning" role="alert">{id}</p>
<p lang="en">{en}</p>
<p><a href="/console/">Kembali ke konsol</a> · <a href="/console/?lang=en" lang="en">Back to the console</a></p>
</main>
</body>
</html>
"#,
        id = esc(id),
        en = esc(en),
    )
}

/// A number with the thousands separator of the language (1.234 in Indonesian).
pub fn number(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let separator = lang.t(".", ",");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with one decimal, written the language's way.
pub fn percent(lang: Lang, share: f64) -> String {
    let text = format!("{:.1}", share * 100.0);
    match lang {
        Lang::Id => format!("{}%", text.replace('.', ",")),
        Lang::En => format!("{text}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            esc(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn numbers_are_written_the_languages_way() {
        assert_eq!(number(Lang::Id, 0), "0");
        assert_eq!(number(Lang::Id, 999), "999");
        assert_eq!(number(Lang::Id, 1234), "1.234");
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(percent(Lang::Id, 0.2364), "23,6%");
        assert_eq!(percent(Lang::En, 0.2364), "23.6%");
    }

    #[test]
    fn links_keep_the_language_once_switched() {
        assert_eq!(Lang::Id.link("/console/audit"), "/console/audit");
        assert_eq!(Lang::En.link("/console/audit"), "/console/audit?lang=en");
        assert_eq!(
            Lang::En.link("/console/ringkasan?program=PKH"),
            "/console/ringkasan?program=PKH&lang=en"
        );
    }

    #[test]
    fn every_role_lands_on_a_page_of_its_own() {
        for role in Role::ALL {
            let home = home(role);
            assert!(
                PAGES
                    .iter()
                    .any(|(path, _, _, roles)| *path == home && roles.contains(&role))
            );
        }
    }
}
