//! The `sinergi` command line: parse, dispatch, print JSON results.
//!
//! A composition root like `startup`: each verb calls the same operations the API does
//! (`auth::clients`, `auth::keys`, `audit::verify`, `agreements`, `demo`, `records::checks`) and prints
//! their result. It holds no rule of its own, and the server it starts is `startup`'s.

mod agreements;
mod bulk;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use serde_json::json;

use crate::agreements::policy::Policy;
use crate::api::openapi;
use crate::auth::clients::{ClientError, ClientView, Credential};
use crate::auth::keys;
use crate::auth::scope::ScopeSet;
use crate::config::Settings;
use crate::console::accounts::{self, NewPerson, Role};
use crate::db::{self, DatabaseUrl, Refusal, programs::ProgramFilter};
use crate::domain::code::{AgencyCode, ProgramCode};
use crate::domain::reference::{self, Agency, Program, ProgramKind};
use crate::startup::{self, Application};
use crate::{auth, demo, telemetry};

#[derive(Debug, Parser)]
#[command(name = "sinergi", version, about = "The Sinergi record exchange")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the HTTP service (applies pending migrations first).
    Serve {
        /// Seed demo agencies and programs and print what to try. Refuses a database
        /// that holds non-demo data.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and load the region table.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Manage agencies.
    #[command(subcommand)]
    Agencies(AgencyCommand),
    /// Manage programs.
    #[command(subcommand)]
    Programs(ProgramCommand),
    /// Manage the purposes of processing that reads declare and agreements cover.
    #[command(subcommand)]
    Purposes(agreements::PurposeCommand),
    /// Read data-sharing agreements and record a party's decision on one.
    #[command(subcommand)]
    Agreements(agreements::AgreementCommand),
    /// Manage OAuth clients (the systems that call the API).
    #[command(subcommand)]
    Clients(ClientCommand),
    /// Manage the console's accounts (people, apart from the API's clients).
    #[command(subcommand)]
    Users(UserCommand),
    /// Manage the exchange's token signing keys.
    #[command(subcommand)]
    Keys(KeyCommand),
    /// Work with the audit log offline.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Check a CSV or NDJSON file of graduations or enrollments with the server's rules,
    /// printing every error by line and column. Exits 0 when every row is valid, 1 when
    /// some are not, 2 when the file cannot be read as records.
    Validate(bulk::Validate),
    /// Publish a CSV or NDJSON file of graduations or enrollments in batches, resuming
    /// where a stopped push left off. Exits 0 when every row was published, 1 when some
    /// were rejected (see the rejected-rows file), 2 when the file cannot be read as
    /// records, 3 when the push stopped before the end.
    Push(bulk::Push),
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check an audit export against signed checkpoints, reading nothing but the files named.
    /// Exits non-zero naming the first entry that does not match.
    Verify(VerifyAudit),
}

#[derive(Debug, Args)]
pub struct VerifyAudit {
    /// The NDJSON export: one RFC 8785 canonical entry per line.
    #[arg(long, value_name = "FILE")]
    entries: PathBuf,
    /// The signed checkpoint (C2SP tlog-checkpoint note) the export must match.
    #[arg(long, value_name = "FILE")]
    checkpoint: PathBuf,
    /// The log's note verifier key, `<name>+<key hash>+<base64 key>`.
    #[arg(long, value_name = "FILE")]
    public_key: PathBuf,
    /// An earlier signed checkpoint the export must also match; may be given more than once,
    /// and each one narrows down where an altered entry lies.
    #[arg(long, value_name = "FILE")]
    previous_checkpoint: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Create a client; prints it as JSON with its secret, shown this once.
    Create(CreateClient),
    /// List clients as JSON (never their secrets).
    List,
    /// Disable a client: its tokens stop working within seconds, its webhook subscriptions
    /// are suspended.
    Disable { id: String },
    /// Replace a client's secret; prints the new one, shown this once. Access tokens issued
    /// before stop working within seconds.
    RotateSecret { id: String },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a console account; prints it as JSON with its generated password (unless
    /// --password-stdin) and its TOTP URI (with --totp), each shown this once.
    Create(CreateUser),
    /// List the console's accounts as JSON (never their passwords or TOTP secrets).
    List,
    /// Disable an account: its sessions end at once and it cannot sign in again.
    Disable { username: String },
}

#[derive(Debug, Args)]
pub struct CreateUser {
    /// 3 to 64 characters: lowercase letters, digits, '.', '_' or '-'.
    #[arg(long)]
    username: String,
    #[arg(long, value_parser = parse_agency)]
    agency: AgencyCode,
    #[arg(long, value_enum)]
    role: Role,
    /// Read the password from the first line of standard input (at least 12 characters)
    /// instead of generating one.
    #[arg(long)]
    password_stdin: bool,
    /// Require a TOTP code from an authenticator app at sign-in.
    #[arg(long)]
    totp: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("credential").args(["secret", "jwks"])))]
pub struct CreateClient {
    #[arg(long, value_parser = parse_agency)]
    agency: AgencyCode,
    #[arg(long)]
    name: String,
    /// Space-separated scopes, e.g. "graduations:write graduations:read".
    #[arg(long, value_parser = parse_scopes)]
    scopes: ScopeSet,
    /// Authenticate with a generated secret (the default).
    #[arg(long)]
    secret: bool,
    /// Authenticate with private_key_jwt, verified with the public JWK Set in FILE.
    #[arg(long, value_name = "FILE")]
    jwks: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Make a new signing key current; older keys verify until their last token expires.
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// Add an agency.
    Add {
        #[arg(long, value_parser = parse_agency)]
        code: AgencyCode,
        #[arg(long)]
        name: String,
    },
    /// List agencies as JSON.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ProgramCommand {
    /// Add a program owned by an agency.
    Add(AddProgram),
    /// List programs as JSON.
    List {
        /// Only programs of this agency.
        #[arg(long, value_parser = parse_agency)]
        agency: Option<AgencyCode>,
    },
    /// Allow publishing for a program again.
    Activate {
        #[arg(value_parser = parse_program)]
        code: ProgramCode,
    },
    /// Stop publishing for a program; its records stay readable.
    Deactivate {
        #[arg(value_parser = parse_program)]
        code: ProgramCode,
    },
    /// Set how long after `graduated_on` the follow-up watch follows the program's
    /// graduations (default: SINERGI_FOLLOW_UP_WINDOW_DAYS, 365).
    FollowUp {
        #[arg(value_parser = parse_program)]
        code: ProgramCode,
        /// The window in days, 1 to 3650.
        #[arg(long, value_parser = clap::value_parser!(i32).range(1..=3650),
            conflicts_with = "default", required_unless_present = "default")]
        days: Option<i32>,
        /// Back to the exchange's default window.
        #[arg(long)]
        default: bool,
    },
}

#[derive(Debug, Args)]
pub struct AddProgram {
    #[arg(long, value_parser = parse_program)]
    code: ProgramCode,
    #[arg(long)]
    name: String,
    /// The owning agency's code.
    #[arg(long, value_parser = parse_agency)]
    agency: AgencyCode,
    /// `social_assistance` or `empowerment`.
    #[arg(long, value_parser = parse_kind)]
    kind: ProgramKind,
    /// Create it inactive.
    #[arg(long)]
    inactive: bool,
}

fn parse_agency(s: &str) -> Result<AgencyCode, String> {
    AgencyCode::parse(s).map_err(|e| e.to_string())
}

fn parse_program(s: &str) -> Result<ProgramCode, String> {
    ProgramCode::parse(s).map_err(|e| e.to_string())
}

fn parse_scopes(s: &str) -> Result<ScopeSet, String> {
    ScopeSet::parse(s).map_err(|e| e.to_string())
}

fn parse_kind(s: &str) -> Result<ProgramKind, String> {
    s.parse()
        .map_err(|e: reference::ProgramKindError| e.to_string())
}

fn verify_audit(args: &VerifyAudit) -> anyhow::Result<()> {
    let read = |path: &PathBuf| {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let text = |path: &PathBuf| {
        String::from_utf8(read(path)?)
            .with_context(|| format!("{} is not UTF-8 text", path.display()))
    };
    // Streamed: an export of any size verifies in a few MiB of memory.
    let entries = std::fs::File::open(&args.entries)
        .map(|file| std::io::BufReader::with_capacity(1 << 20, file))
        .with_context(|| format!("cannot read {}", args.entries.display()))?;
    let checkpoint = text(&args.checkpoint)?;
    let key = text(&args.public_key)?;
    let previous = args
        .previous_checkpoint
        .iter()
        .map(text)
        .collect::<anyhow::Result<Vec<_>>>()?;
    let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
    let verified = crate::audit::verify::verify_export(entries, &checkpoint, &key, &previous);
    // Read again for the agreement check, which runs whatever the signatures say: an
    // auditor learns both what was altered and which disclosures no agreement allowed.
    let entries = std::fs::File::open(&args.entries)
        .map(|file| std::io::BufReader::with_capacity(1 << 20, file))
        .with_context(|| format!("cannot read {}", args.entries.display()))?;
    let disclosures = crate::audit::disclosures::check(entries);
    let (disclosures, verified) = match (disclosures, verified) {
        (Ok(disclosures), verified) => (disclosures, verified),
        // An export too broken to read as entries: the signature check says why.
        (Err(_), Err(e)) => return Err(e.into()),
        (Err(e), Ok(_)) => return Err(e.into()),
    };
    if let Ok(verified) = &verified {
        println!("{verified}");
    }
    println!("{disclosures}");
    for finding in &disclosures.findings {
        println!("  {finding}");
    }
    verified?;
    if !disclosures.findings.is_empty() {
        anyhow::bail!(
            "{} disclosure(s) of another agency's records without an agreement in force",
            disclosures.findings.len()
        );
    }
    Ok(())
}

/// Runs one command; errors go to stderr and make the exit code non-zero.
pub fn run(cli: Cli) -> ExitCode {
    let command = match cli.command {
        // Their exit codes say more than success or failure.
        Command::Validate(args) => return bulk::validate(args),
        Command::Push(args) => return bulk::push(args),
        other => other,
    };
    match dispatch(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(command: Command) -> anyhow::Result<()> {
    // Loaded only by the commands that use it: `audit verify` reads nothing but its
    // arguments, and `openapi` needs no configuration either.
    let settings = || Settings::load().map_err(anyhow::Error::from);
    match command {
        Command::Serve { demo } => serve(settings()?, demo),
        Command::Openapi => {
            print!("{}", openapi::to_json(&openapi::document()));
            Ok(())
        }
        Command::Migrate => {
            let url = DatabaseUrl::parse(&settings()?.database_url())?;
            startup::prepare_database(&url)?;
            print_json(&json!({"status": "migrated", "backend": url.backend_name()}));
            Ok(())
        }
        Command::Agencies(cmd) => agencies(&settings()?, cmd),
        Command::Programs(cmd) => programs(&settings()?, cmd),
        Command::Purposes(cmd) => agreements::purposes(&settings()?, cmd),
        Command::Agreements(cmd) => agreements::agreements(&settings()?, cmd),
        Command::Clients(cmd) => clients(&settings()?, cmd),
        Command::Users(cmd) => users(&settings()?, cmd),
        Command::Keys(KeyCommand::Rotate) => {
            let settings = settings()?;
            let kek = startup::key_encryption_key(&settings)?;
            let mut conn = connect(&settings)?;
            let kid = keys::rotate(&mut conn, &kek, chrono::Utc::now().timestamp())?;
            print_json(&json!({"status": "rotated", "kid": kid}));
            Ok(())
        }
        Command::Audit(AuditCommand::Verify(args)) => verify_audit(&args),
        Command::Validate(_) | Command::Push(_) => unreachable!("run handles them"),
    }
}

fn serve(mut settings: Settings, demo: bool) -> anyhow::Result<()> {
    telemetry::init(&settings.log);
    let url = DatabaseUrl::parse(&settings.database_url())?;
    if demo {
        let mut conn = startup::prepare_database(&url)?;
        demo::seed_with_records(&mut conn)?;
        // Referrals show each family as the reader's agreement allows, with pseudonyms under
        // the exchange's own key: seeded with the policy the server will use.
        let kek = startup::key_encryption_key(&settings)?;
        let subject_key = kek.derive("sinergi/subject-ref");
        let policy = Policy::new(db::Db::open(&url, 1, Duration::from_secs(5))?, subject_key);
        demo::referrals::seed(&mut conn, &policy)?;
        demo::referrals::seed_history(&mut conn, &policy)?;
        demo::households::seed(&mut conn, &policy)?;
        demo::people::seed(&mut conn, &kek)?;
        // So that an integrator can receive webhooks on a local port.
        for host in demo::WEBHOOK_HOSTS {
            if !settings.webhook_allow_hosts.iter().any(|h| h == host) {
                settings.webhook_allow_hosts.push(host.to_owned());
            }
        }
    }
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).await?;
        tracing::info!(port = app.port(), backend = url.backend_name(), "listening");
        if demo {
            println!(
                "{}",
                demo::welcome(&format!("http://127.0.0.1:{}", app.port()))
            );
        }
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn connect(settings: &Settings) -> anyhow::Result<db::AnyConnection> {
    let url = DatabaseUrl::parse(&settings.database_url())?;
    Ok(startup::prepare_database(&url)?)
}

fn agencies(settings: &Settings, cmd: AgencyCommand) -> anyhow::Result<()> {
    let mut conn = connect(settings)?;
    match cmd {
        AgencyCommand::Add { code, name } => {
            reference::check_name(&name).map_err(|e| anyhow::anyhow!("--name {e}"))?;
            let agency = Agency { code, name };
            db::agencies::insert(&mut conn, &agency).map_err(|e| match db::refusal(&e) {
                Some(Refusal::Duplicate) => {
                    anyhow::anyhow!("agency {} already exists", agency.code)
                }
                _ => e.into(),
            })?;
            print_json(&agency);
        }
        AgencyCommand::List => {
            print_json(&json!({"items": db::agencies::list(&mut conn)?}));
        }
    }
    Ok(())
}

fn programs(settings: &Settings, cmd: ProgramCommand) -> anyhow::Result<()> {
    let mut conn = connect(settings)?;
    match cmd {
        ProgramCommand::Add(add) => {
            reference::check_name(&add.name).map_err(|e| anyhow::anyhow!("--name {e}"))?;
            let program = Program {
                code: add.code,
                name: add.name,
                agency: add.agency,
                kind: add.kind,
                active: !add.inactive,
            };
            db::programs::insert(&mut conn, &program).map_err(|e| match db::refusal(&e) {
                Some(Refusal::Duplicate) => {
                    anyhow::anyhow!("program {} already exists", program.code)
                }
                Some(Refusal::MissingReference) => {
                    anyhow::anyhow!("no agency {}; add it first", program.agency)
                }
                None => e.into(),
            })?;
            print_json(&program);
        }
        ProgramCommand::List { agency } => {
            let filter = ProgramFilter {
                agency,
                ..ProgramFilter::default()
            };
            print_json(&json!({"items": db::programs::list(&mut conn, &filter)?}));
        }
        ProgramCommand::Activate { code } => set_active(&mut conn, &code, true)?,
        ProgramCommand::Deactivate { code } => set_active(&mut conn, &code, false)?,
        ProgramCommand::FollowUp { code, days, .. } => {
            if !db::programs::set_follow_up_days(&mut conn, &code, days)? {
                anyhow::bail!("no program {code}");
            }
            print_json(&json!({"code": code, "follow_up_days": days}));
        }
    }
    Ok(())
}

fn clients(settings: &Settings, cmd: ClientCommand) -> anyhow::Result<()> {
    let mut conn = connect(settings)?;
    match cmd {
        ClientCommand::Create(c) => {
            let credential = match c.jwks {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    Credential::Jwks(text)
                }
                None => Credential::Secret,
            };
            let created = auth::clients::create(&mut conn, c.agency, c.name, c.scopes, credential)
                .map_err(|e| match e {
                    ClientError::Name(e) => anyhow::anyhow!("--name {e}"),
                    ClientError::Jwks(e) => anyhow::anyhow!("--jwks {e}"),
                    other => other.into(),
                })?;
            print_json(&created);
        }
        ClientCommand::List => {
            let items: Vec<ClientView> = db::clients::list(&mut conn)?
                .iter()
                .map(ClientView::from)
                .collect();
            print_json(&json!({ "items": items }));
        }
        ClientCommand::Disable { id } => {
            if !db::clients::set_disabled(&mut conn, &id, true)? {
                anyhow::bail!("no client {id}");
            }
            let client = db::clients::get(&mut conn, &id)?.context("client vanished")?;
            print_json(&ClientView::from(&client));
        }
        ClientCommand::RotateSecret { id } => {
            let rotated = auth::clients::rotate_secret(&mut conn, &id)?
                .with_context(|| format!("no secret-based client {id}"))?;
            print_json(&rotated);
        }
    }
    Ok(())
}

fn users(settings: &Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let mut conn = connect(settings)?;
    match cmd {
        UserCommand::Create(c) => {
            let password = if c.password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let kek = startup::key_encryption_key(settings)?;
            let new = NewPerson {
                username: c.username,
                agency: c.agency,
                role: c.role,
                password,
                totp: c.totp,
            };
            let created = accounts::create(&mut conn, &kek, new, chrono::Utc::now().timestamp())?;
            print_json(&created);
        }
        UserCommand::List => {
            let items: Vec<_> = db::people::list(&mut conn)?
                .into_iter()
                .map(|p| {
                    json!({
                        "username": p.username,
                        "agency": p.agency_code,
                        "role": p.role,
                        "totp": p.totp_secret.is_some(),
                        "disabled": p.disabled,
                        "locked_until": p.locked_until,
                    })
                })
                .collect();
            print_json(&json!({ "items": items }));
        }
        UserCommand::Disable { username } => {
            let done =
                db::write_transaction(&mut conn, |conn| db::people::disable(conn, &username))?;
            if !done {
                anyhow::bail!("no account {username}");
            }
            print_json(&json!({ "username": username, "disabled": true }));
        }
    }
    Ok(())
}

fn set_active(
    conn: &mut db::AnyConnection,
    code: &ProgramCode,
    active: bool,
) -> anyhow::Result<()> {
    if !db::programs::set_active(conn, code, active)? {
        anyhow::bail!("no program {code}");
    }
    print_json(&db::programs::get(conn, code)?);
    Ok(())
}

fn print_json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("CLI output serialises")
    );
}
