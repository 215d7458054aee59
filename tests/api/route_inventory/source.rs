//! The registrations in the source, parsed with `syn`: every route attribute, every call that
//! can build or register a route, wherever it stands in `src/`. Anything in a form the scanner
//! does not know is reported, and fails the test.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, LineColumn, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{
    Attribute, Block, Expr, ExprCall, ExprMethodCall, Ident, ImplItemFn, ItemFn, Lit, LitStr,
    MacroDelimiter, Meta, Token, TraitItemFn,
};

use super::{OUTSIDE_DOCUMENT, document, inventory_of, pattern_matches};

/// actix-web's route attributes (`#[get("/x")]`, `#[route(…)]`, `#[routes]`…).
const ROUTE_ATTRIBUTES: [&str; 11] = [
    "get", "post", "put", "delete", "patch", "head", "options", "trace", "connect", "route",
    "routes",
];

/// `A::B(` calls that build routes, resources, scopes or services.
const PATH_CALLS: &[(&str, &[&str])] = &[
    (
        "web",
        &[
            "resource", "scope", "redirect", "route", "service", "to", "get", "post", "put",
            "delete", "patch", "head", "trace", "method",
        ],
    ),
    ("Resource", &["new"]),
    ("Scope", &["new"]),
    ("Route", &["new"]),
    ("Redirect", &["new", "to"]),
    ("Files", &["new"]),
    ("SwaggerUi", &["new"]),
    ("RapiDoc", &["new", "with_openapi", "with_url"]),
    ("Redoc", &["new", "with_url"]),
    ("Scalar", &["new", "with_url"]),
    ("scope", &["scope"]),
    ("App", &["new"]),
    ("HttpServer", &["new"]),
];

/// `.m(` calls that register something on an app, scope, resource or service config.
const METHOD_CALLS: [&str; 7] = [
    "service",
    "route",
    "default_service",
    "configure",
    "external_resource",
    "to",
    "default_handler",
];

/// One route an attribute defines on a handler function.
#[derive(Debug)]
struct RouteAttribute {
    file: String,
    line: usize,
    function: String,
    method: String,
    path: String,
}

/// A route registered outside the document: its pattern and methods (`None`: all).
type NonApiRegistration = (String, Option<Vec<String>>);

#[derive(Debug, Default)]
struct Registrations {
    /// Route attributes in the whole of `src/`.
    attributes: Vec<RouteAttribute>,
    /// `(module, function)` registered by `api::configure`.
    handlers: Vec<(String, String)>,
    /// Routes registered outside the document.
    non_api: Vec<NonApiRegistration>,
    /// What the scanner did not understand.
    unknown: Vec<String>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn scan_source() -> Registrations {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut found = Registrations::default();
    for path in files {
        let file = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let src = std::fs::read_to_string(&path).unwrap();
        scan_file(&file, &src, &mut found);
    }
    found
}

/// Tokens as compact text, for comparing a registration with the known forms: a space only
/// between two words, no trailing comma (layout, not meaning), string literals by value.
fn render(tokens: TokenStream) -> String {
    fn render_into(tokens: TokenStream, out: &mut String, word_before: &mut bool) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (k, tree) in trees.iter().enumerate() {
            let word = match tree {
                TokenTree::Group(group) => {
                    let (open, close) = match group.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::None => ("", ""),
                    };
                    out.push_str(open);
                    *word_before = false;
                    render_into(group.stream(), out, word_before);
                    out.push_str(close);
                    false
                }
                TokenTree::Punct(p) if p.as_char() == ',' && k + 1 == trees.len() => continue,
                TokenTree::Punct(p) => {
                    out.push(p.as_char());
                    false
                }
                TokenTree::Literal(literal) => match Lit::new(literal.clone()) {
                    Lit::Str(s) => {
                        out.push_str(&format!("{:?}", s.value()));
                        false
                    }
                    _ => {
                        if *word_before {
                            out.push(' ');
                        }
                        out.push_str(&literal.to_string());
                        true
                    }
                },
                TokenTree::Ident(ident) => {
                    if *word_before {
                        out.push(' ');
                    }
                    out.push_str(&ident.to_string());
                    true
                }
            };
            *word_before = word;
        }
    }
    let mut out = String::new();
    render_into(tokens, &mut out, &mut false);
    out
}

fn form(code: &str) -> String {
    render(TokenStream::from_str(code).expect("a known form is Rust tokens"))
}

/// The console's resources as `console::configure` registers them: each path with its
/// methods and handlers.
const CONSOLE_HANDLERS: &[(&str, &[(&str, &str)])] = &[
    ("/console/", &[("get", "pages::index")]),
    (
        "/console/masuk",
        &[("get", "sign_in::show"), ("post", "sign_in::submit")],
    ),
    ("/console/keluar", &[("post", "sign_in::sign_out")]),
    ("/console/ringkasan", &[("get", "summary::show")]),
    ("/console/rujukan", &[("get", "referrals::show")]),
    ("/console/operasional", &[("get", "operations::show")]),
    (
        "/console/operasional/klien/{id}/{action}",
        &[("post", "operations::client_action")],
    ),
    ("/console/audit", &[("get", "audit::show")]),
    ("/console/audit/checkpoint", &[("get", "audit::checkpoint")]),
    ("/console/audit/public-key", &[("get", "audit::public_key")]),
    (
        "/console/audit/consistency",
        &[("get", "audit::consistency")],
    ),
    ("/console/audit/jejak", &[("post", "audit::trail_lookup")]),
    (
        "/console/aset/console.css",
        &[("get", "assets::stylesheet")],
    ),
    ("/console/aset/audit.js", &[("get", "assets::audit_script")]),
    ("/console/aset/favicon.svg", &[("get", "assets::icon")]),
];

/// The registrations this codebase makes outside `api::configure`, exactly as written: a
/// change to any of them fails the test until this list (and `OUTSIDE_DOCUMENT`) follows.
fn known_forms(file: &str) -> Vec<(String, Option<NonApiRegistration>)> {
    match file {
        "src/startup.rs" => vec![
            (form(".configure(api::configure)"), None),
            (
                form(r#".route("/docs", web::get().to(|| async { web::Redirect::to("/docs/") }))"#),
                Some(("/docs".into(), Some(vec!["GET".into()]))),
            ),
            (
                form(
                    r#".service(SwaggerUi::new("/docs/{_:.*}")
                        .config(Config::new(["/openapi.json"]).validator_url("none")))"#,
                ),
                Some(("/docs/{_:.*}".into(), Some(vec!["GET".into()]))),
            ),
            (
                form(".default_service(web::to(fallback::not_routed))"),
                None,
            ),
            (form("App::new()"), None),
            (form(".configure(console::configure)"), None),
        ],
        "src/console/mod.rs" => CONSOLE_HANDLERS
            .iter()
            .map(|(pattern, routes)| {
                let registered: String = routes
                    .iter()
                    .map(|(method, handler)| format!(".route(web::{method}().to({handler}))"))
                    .collect();
                let methods = routes.iter().map(|(m, _)| m.to_uppercase()).collect();
                (
                    form(&format!(
                        ".service(web::resource(\"{pattern}\"){registered})"
                    )),
                    Some(((*pattern).to_owned(), Some(methods))),
                )
            })
            .collect(),
        "src/api/openapi.rs" => vec![
            (form(".configure(api::configure)"), None),
            (form("App::new()"), None),
        ],
        _ => Vec::new(),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text.to_owned()
    }
}

fn line(span: Span) -> usize {
    span.start().line
}

/// The method of a route attribute (`GET` for `#[get]` or `#[actix_web::get]`), if it is one.
fn route_method(attr: &Attribute) -> Option<String> {
    let last = attr.path().segments.last()?.ident.to_string();
    ROUTE_ATTRIBUTES
        .contains(&last.as_str())
        .then(|| last.to_uppercase())
}

fn parenthesised(meta: &Meta) -> Option<&TokenStream> {
    match meta {
        Meta::List(list) if matches!(list.delimiter, MacroDelimiter::Paren(_)) => {
            Some(&list.tokens)
        }
        _ => None,
    }
}

fn scan_file(file: &str, src: &str, found: &mut Registrations) {
    let syntax = syn::parse_file(src).unwrap_or_else(|e| {
        let at = e.span().start();
        panic!("{file}:{}:{}: not Rust: {e}", at.line, at.column + 1)
    });
    let mut scanner = Scanner {
        file,
        lines: src.lines().collect(),
        known: known_forms(file),
        found,
        on_functions: HashSet::new(),
    };
    scanner.visit_file(&syntax);
}

struct Scanner<'a> {
    file: &'a str,
    lines: Vec<&'a str>,
    known: Vec<(String, Option<NonApiRegistration>)>,
    found: &'a mut Registrations,
    /// Where the route attributes read together with their function start.
    on_functions: HashSet<LineColumn>,
}

impl Scanner<'_> {
    fn unknown(&mut self, line: usize, what: String) {
        self.found
            .unknown
            .push(format!("{}:{line}: {what}", self.file));
    }

    /// A `///` or `/** */` comment, which is a `doc` attribute to `syn` and nothing to the
    /// order of the attributes around it.
    fn is_doc_comment(&self, attr: &Attribute) -> bool {
        let start = attr.pound_token.spans[0].start();
        attr.path().is_ident("doc")
            && self
                .lines
                .get(start.line - 1)
                .is_some_and(|l| l.chars().nth(start.column) == Some('/'))
    }

    /// The attributes of a function, with the route attributes among them.
    fn function_attributes(&mut self, attrs: &[Attribute], function: &Ident) {
        for (k, attr) in attrs.iter().enumerate() {
            let Some(method) = route_method(attr) else {
                continue;
            };
            self.on_functions.insert(attr.pound_token.spans[0].start());
            let before = attrs[..k].iter().rev().find(|a| !self.is_doc_comment(a));
            self.route_attribute(attr, method, before, function);
        }
    }

    /// `#[get("/path")]` on `function`; it must come right after a `#[utoipa::path(…)]`
    /// (`before`) that names neither a path nor a method.
    fn route_attribute(
        &mut self,
        attr: &Attribute,
        method: String,
        before: Option<&Attribute>,
        function: &Ident,
    ) {
        let at = line(attr.pound_token.spans[0]);
        let name = render(attr.path().to_token_stream());
        let literal = parenthesised(&attr.meta)
            .and_then(|tokens| syn::parse2::<LitStr>(tokens.clone()).ok())
            .filter(|_| !matches!(method.as_str(), "ROUTE" | "ROUTES"));
        let Some(literal) = literal else {
            let text = shorten(&render(attr.to_token_stream()));
            self.unknown(
                at,
                format!("{text} (only #[method(\"/path\")] is understood)"),
            );
            return;
        };
        let path = literal.value();
        let plain_path = path.starts_with('/')
            && path.split('/').all(|s| {
                !s.contains(['{', '}'])
                    || (s.starts_with('{')
                        && s.ends_with('}')
                        && s[1..s.len() - 1]
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_'))
            });
        if !plain_path {
            self.unknown(
                at,
                format!("{path} (only literal segments and {{name}} are understood)"),
            );
            return;
        }
        let documented = before.and_then(|b| {
            let utoipa = b.path().leading_colon.is_none()
                && b.path().segments.len() == 2
                && b.path().segments[0].ident == "utoipa"
                && b.path().segments[1].ident == "path";
            parenthesised(&b.meta).filter(|_| utoipa)
        });
        match documented {
            Some(args) => self.utoipa_path_arguments(args),
            None => self.unknown(
                at,
                format!("#[{name}(\"{path}\")] without #[utoipa::path(…)] right before it"),
            ),
        }
        self.found.attributes.push(RouteAttribute {
            file: self.file.to_owned(),
            line: at,
            function: function.to_string(),
            method,
            path,
        });
    }

    /// `#[utoipa::path(…)]` must take its path and method from the route attribute: one that
    /// names its own (`path = …`, `context_path = …`, or a bare `get`) is not understood.
    fn utoipa_path_arguments(&mut self, args: &TokenStream) {
        let trees: Vec<TokenTree> = args.clone().into_iter().collect();
        for (k, tree) in trees.iter().enumerate() {
            let TokenTree::Ident(ident) = tree else {
                continue;
            };
            let name = ident.to_string();
            let next = match trees.get(k + 1) {
                Some(TokenTree::Punct(p)) => Some(p.as_char()),
                Some(_) => Some(' '),
                None => None,
            };
            let overrides = (matches!(name.as_str(), "path" | "context_path") && next == Some('='))
                || (ROUTE_ATTRIBUTES.contains(&name.as_str()) && matches!(next, Some(',') | None));
            if overrides {
                self.unknown(
                    line(ident.span()),
                    format!("#[utoipa::path] names its own {name} (not understood)"),
                );
            }
        }
    }

    /// `A::b(…)` with `(A, b)` one of [`PATH_CALLS`]; whether what is inside is still to be
    /// scanned (it is for `HttpServer::new(|| App…)`, which holds the app).
    fn path_call(&mut self, call: &ExprCall) -> Option<bool> {
        let Expr::Path(func) = &*call.func else {
            return None;
        };
        let segments: Vec<_> = func.path.segments.iter().collect();
        let [.., a, b] = segments[..] else {
            return None;
        };
        let (a_name, b_name) = (a.ident.to_string(), b.ident.to_string());
        if !PATH_CALLS
            .iter()
            .any(|(x, ys)| *x == a_name && ys.contains(&b_name.as_str()))
        {
            return None;
        }
        let mut tokens = a.to_token_stream();
        <Token![::]>::default().to_tokens(&mut tokens);
        b.to_tokens(&mut tokens);
        call.paren_token
            .surround(&mut tokens, |inner| call.args.to_tokens(inner));
        let text = render(tokens);
        let understood = self.known.iter().any(|(f, _)| *f == text)
            || (self.file == "src/startup.rs" && a_name == "HttpServer");
        if !understood {
            self.unknown(line(a.ident.span()), shorten(&text));
        }
        Some(a_name == "HttpServer")
    }

    /// `.m(…)` with `m` one of [`METHOD_CALLS`]: a handler `api::configure` registers
    /// (`.service(module::function)` in `src/api/mod.rs`), a known form, or not understood.
    fn registration(&mut self, call: &ExprMethodCall) {
        let mut tokens = call.dot_token.to_token_stream();
        call.method.to_tokens(&mut tokens);
        call.turbofish.to_tokens(&mut tokens);
        call.paren_token
            .surround(&mut tokens, |inner| call.args.to_tokens(inner));
        let text = render(tokens);
        let handler = match call.args.first() {
            Some(Expr::Path(arg))
                if self.file == "src/api/mod.rs"
                    && call.method == "service"
                    && call.turbofish.is_none()
                    && call.args.len() == 1
                    && !call.args.trailing_punct()
                    && arg.qself.is_none()
                    && arg.path.leading_colon.is_none()
                    && arg.path.segments.len() == 2
                    && arg.path.segments.iter().all(|s| s.arguments.is_none()) =>
            {
                let segment = |k: usize| arg.path.segments[k].ident.to_string();
                Some((segment(0), segment(1)))
            }
            _ => None,
        };
        if let Some(handler) = handler {
            self.found.handlers.push(handler);
        } else if let Some((_, non_api)) = self.known.iter().find(|(f, _)| *f == text) {
            if let Some(registration) = non_api.clone() {
                self.found.non_api.push(registration);
            }
        } else {
            self.unknown(line(call.dot_token.spans[0]), shorten(&text));
        }
    }

    /// Tokens that are no Rust yet (a `macro_rules!` body): any shape of a route attribute or
    /// of a registering call in them is not understood.
    fn registrations_in_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (k, tree) in trees.iter().enumerate() {
            if let TokenTree::Group(group) = tree {
                self.registrations_in_tokens(group.stream());
            }
            let ident = |n: usize| match trees.get(k + n) {
                Some(TokenTree::Ident(i)) => Some(i.to_string()),
                _ => None,
            };
            let punct = |n: usize, c: char| matches!(trees.get(k + n), Some(TokenTree::Punct(p)) if p.as_char() == c);
            let group = |n: usize, d: Delimiter| matches!(trees.get(k + n), Some(TokenTree::Group(g)) if g.delimiter() == d);
            let attribute = punct(0, '#')
                && matches!(trees.get(k + 1), Some(TokenTree::Group(g))
                if g.delimiter() == Delimiter::Bracket && {
                    let name: Vec<String> = g
                        .stream()
                        .into_iter()
                        .take_while(|t| match t {
                            TokenTree::Ident(_) => true,
                            TokenTree::Punct(p) => p.as_char() == ':',
                            _ => false,
                        })
                        .filter_map(|t| match t {
                            TokenTree::Ident(i) => Some(i.to_string()),
                            _ => None,
                        })
                        .collect();
                    name.last().is_some_and(|n| ROUTE_ATTRIBUTES.contains(&n.as_str()))
                });
            let path_call = punct(1, ':')
                && punct(2, ':')
                && group(4, Delimiter::Parenthesis)
                && ident(0).zip(ident(3)).is_some_and(|(a, b)| {
                    PATH_CALLS
                        .iter()
                        .any(|(x, ys)| *x == a && ys.contains(&b.as_str()))
                });
            let method_call = punct(0, '.')
                && group(2, Delimiter::Parenthesis)
                && ident(1).is_some_and(|m| METHOD_CALLS.contains(&m.as_str()));
            let shape = match (attribute, path_call, method_call) {
                (true, ..) => 2,
                (_, true, _) => 5,
                (.., true) => 3,
                _ => continue,
            };
            let text: TokenStream = trees[k..k + shape].iter().cloned().collect();
            self.unknown(
                line(tree.span()),
                format!(
                    "{} in a macro's tokens (not understood)",
                    shorten(&render(text))
                ),
            );
        }
    }
}

impl<'ast> Visit<'ast> for Scanner<'_> {
    fn visit_item_fn(&mut self, node: &'ast ItemFn) {
        self.function_attributes(&node.attrs, &node.sig.ident);
        visit::visit_item_fn(self, node);
    }

    fn visit_impl_item_fn(&mut self, node: &'ast ImplItemFn) {
        self.function_attributes(&node.attrs, &node.sig.ident);
        visit::visit_impl_item_fn(self, node);
    }

    fn visit_trait_item_fn(&mut self, node: &'ast TraitItemFn) {
        self.function_attributes(&node.attrs, &node.sig.ident);
        visit::visit_trait_item_fn(self, node);
    }

    /// A route attribute on anything but a function.
    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        if route_method(attr).is_some()
            && !self
                .on_functions
                .contains(&attr.pound_token.spans[0].start())
        {
            let text = shorten(&render(attr.to_token_stream()));
            self.unknown(
                line(attr.pound_token.spans[0]),
                format!("{text} on no function"),
            );
        }
    }

    fn visit_expr_call(&mut self, node: &'ast ExprCall) {
        match self.path_call(node) {
            Some(false) => {}
            Some(true) | None => visit::visit_expr_call(self, node),
        }
    }

    fn visit_expr_method_call(&mut self, node: &'ast ExprMethodCall) {
        if METHOD_CALLS.contains(&node.method.to_string().as_str()) {
            self.visit_expr(&node.receiver);
            self.registration(node);
        } else {
            visit::visit_expr_method_call(self, node);
        }
    }

    /// A macro's tokens are read as expressions or statements where they parse as such
    /// (`vec![…]`, `assert!(…)`), and searched for registration shapes where they do not.
    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        if let Ok(exprs) = node.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
            for expr in &exprs {
                self.visit_expr(expr);
            }
        } else if let Ok(statements) = node.parse_body_with(Block::parse_within) {
            for statement in &statements {
                self.visit_stmt(statement);
            }
        } else {
            self.registrations_in_tokens(node.tokens.clone());
        }
    }
}

#[test]
fn the_scanner_reads_rust_as_tokens() {
    let src = r####"// #[get("/commented")]
        /* .service(x::y) /* nested */ */
        fn g() { let s = r#"a "quoted" .route("/x")"#; let c = '"'; let e = '\''; let l: &'static str = "\""; }
        #[post("/v1/x/{id}")] fn f<'a>() {}"####;
    let text = render(syn::parse_file(src).unwrap().into_token_stream());
    assert!(
        !text.contains("commented") && !text.contains("nested"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{:?}", r#"a "quoted" .route("/x")"#)),
        "{text}"
    );
    assert!(text.contains(r#""/v1/x/{id}""#), "{text}");
    let mut found = Registrations::default();
    scan_file("src/x.rs", src, &mut found);
    let [attribute] = &found.attributes[..] else {
        panic!("{found:?}");
    };
    assert_eq!(
        (attribute.line, attribute.function.as_str()),
        (4, "f"),
        "{found:?}"
    );
    assert!(found.handlers.is_empty(), "{found:?}");
    assert!(
        found
            .unknown
            .iter()
            .any(|u| u.contains("without #[utoipa::path")),
        "{found:?}"
    );
    // Forms it does not know are reported, wherever they are.
    let mut found = Registrations::default();
    scan_file(
        "src/startup.rs",
        r#"fn app() {
            App::new().service(web::resource("/hidden").to(h)).route("/x", web::get().to(h))
        }"#,
        &mut found,
    );
    assert_eq!(found.unknown.len(), 2, "{:#?}", found.unknown);
}

#[test]
fn the_routes_registered_in_the_source_are_exactly_the_documented_operations() {
    let found = scan_source();
    let mut failures = found.unknown.clone();
    if !failures.is_empty() {
        failures.insert(
            0,
            "registrations the scanner does not understand (teach it, and keep the document \
             and OUTSIDE_DOCUMENT in step):"
                .into(),
        );
    }

    // api::configure's handlers, resolved to their route attributes.
    let mut registered: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut used = vec![false; found.attributes.len()];
    assert!(found.handlers.len() > 10, "{:?}", found.handlers);
    for (module, function) in &found.handlers {
        let file = format!("src/api/{module}.rs");
        let matching: Vec<usize> = (0..found.attributes.len())
            .filter(|&k| {
                found.attributes[k].file == file && found.attributes[k].function == *function
            })
            .collect();
        if matching.len() != 1 {
            failures.push(format!(
                "api::configure registers {module}::{function}, which has {} route attributes \
                 in {file}",
                matching.len()
            ));
        }
        for k in matching {
            used[k] = true;
            let a = &found.attributes[k];
            let key = (a.method.clone(), a.path.clone());
            if let Some(other) = registered.insert(key, format!("{module}::{function}")) {
                failures.push(format!(
                    "{} {} is registered twice: {other} and {module}::{function}",
                    a.method, a.path
                ));
            }
        }
    }
    for (a, used) in found.attributes.iter().zip(used) {
        if !used {
            failures.push(format!(
                "{}:{}: {} {} on {} is not registered by api::configure",
                a.file, a.line, a.method, a.path, a.function
            ));
        }
    }

    // …are exactly the document's operations. HEAD is registered nowhere: `http::head`
    // routes it as GET.
    let inventory = inventory_of(&document());
    let documented: BTreeSet<(String, String)> = inventory
        .iter()
        .flat_map(|(path, methods)| methods.iter().map(|m| (m.clone(), path.clone())))
        .filter(|(method, _)| method != "HEAD")
        .collect();
    let in_source: BTreeSet<(String, String)> = registered.keys().cloned().collect();
    for (method, path) in in_source.difference(&documented) {
        failures.push(format!("{method} {path} is registered but not documented"));
    }
    for (method, path) in documented.difference(&in_source) {
        failures.push(format!("{method} {path} is documented but not registered"));
    }

    // The routes outside the document are exactly OUTSIDE_DOCUMENT.
    let non_api: BTreeSet<NonApiRegistration> = found.non_api.into_iter().collect();
    let allowed: BTreeSet<NonApiRegistration> = OUTSIDE_DOCUMENT
        .iter()
        .map(|r| {
            (
                r.pattern.to_owned(),
                r.methods.map(|m| {
                    m.iter()
                        .filter(|s| **s != "HEAD")
                        .map(|s| (*s).to_owned())
                        .collect()
                }),
            )
        })
        .collect();
    if non_api != allowed {
        failures.push(format!(
            "the source registers {non_api:?} outside the document; OUTSIDE_DOCUMENT lists \
             {allowed:?}"
        ));
    }
    for route in OUTSIDE_DOCUMENT {
        if inventory.keys().any(|t| pattern_matches(route.pattern, t)) {
            failures.push(format!("{} is documented after all", route.pattern));
        }
    }

    println!(
        "{} operations registered and documented; outside the document: {:?}",
        in_source.len(),
        allowed
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
