//! `sinergi purposes …` and `sinergi agreements …`: the operator records a party's signed
//! decision and reads agreements, through the same operations as the API. Each change is
//! stored with an audit entry of its own (method `CLI`, the verb as its route), so that
//! the command line leaves the same trail in the Merkle log as a client would.

use clap::{Args, Subcommand};
use serde_json::json;

use super::{connect, print_json};
use crate::agreements::ops::{self, Actor, Decision};
use crate::agreements::purposes;
use crate::audit::write::operator_write;
use crate::config::Settings;
use crate::db;
use crate::domain::code::PurposeCode;
use crate::domain::reference::Purpose;

#[derive(Debug, Subcommand)]
pub enum PurposeCommand {
    /// List the purposes of processing as JSON.
    List,
    /// Add a purpose of processing.
    Add(AddPurpose),
}

#[derive(Debug, Args)]
pub struct AddPurpose {
    #[arg(long, value_parser = parse_purpose)]
    code: PurposeCode,
    /// The name in Bahasa Indonesia.
    #[arg(long)]
    name_id: String,
    /// The name in English.
    #[arg(long)]
    name_en: String,
    /// What processing the purpose covers.
    #[arg(long)]
    description: String,
}

#[derive(Debug, Subcommand)]
pub enum AgreementCommand {
    /// List every agreement as JSON.
    List,
    /// Show one agreement and every version of its terms as JSON.
    Show { id: uuid::Uuid },
    /// Record the provider's approval: a proposal or pending version comes into force, or a
    /// suspended agreement resumes.
    Approve { id: uuid::Uuid },
    /// Record the provider's suspension: reads under the agreement stop.
    Suspend { id: uuid::Uuid },
    /// Record a party's termination, for good.
    Terminate { id: uuid::Uuid },
}

fn parse_purpose(s: &str) -> Result<PurposeCode, String> {
    PurposeCode::parse(s).map_err(|e| e.to_string())
}

pub fn purposes(settings: &Settings, cmd: PurposeCommand) -> anyhow::Result<()> {
    let mut conn = connect(settings)?;
    match cmd {
        PurposeCommand::List => print_json(&json!({"items": db::purposes::list(&mut conn)?})),
        PurposeCommand::Add(add) => {
            let purpose = Purpose {
                code: add.code,
                name_id: add.name_id,
                name_en: add.name_en,
                description: add.description,
            };
            let created = operator_write(&mut conn, "sinergi purposes add", |conn, _| {
                purposes::create(conn, purpose.clone())
            })?;
            print_json(&created.value);
        }
    }
    Ok(())
}

pub fn agreements(settings: &Settings, cmd: AgreementCommand) -> anyhow::Result<()> {
    let mut conn = connect(settings)?;
    let now = chrono::Utc::now();
    let (verb, id, decision) = match cmd {
        AgreementCommand::List => {
            print_json(&json!({"items": ops::list(&mut conn, &Actor::Operator, now)?}));
            return Ok(());
        }
        AgreementCommand::Show { id } => {
            let id = id.to_string();
            let agreement = ops::get(&mut conn, &Actor::Operator, &id, now)?;
            let versions = ops::versions(&mut conn, &Actor::Operator, &id)?;
            print_json(&json!({"agreement": agreement, "versions": versions}));
            return Ok(());
        }
        AgreementCommand::Approve { id } => ("approve", id, Decision::Approve),
        AgreementCommand::Suspend { id } => ("suspend", id, Decision::Suspend),
        AgreementCommand::Terminate { id } => ("terminate", id, Decision::Terminate),
    };
    let id = id.to_string();
    let decided = operator_write(
        &mut conn,
        &format!("sinergi agreements {verb}"),
        |conn, touched| ops::decide(conn, &Actor::Operator, &id, decision, now, touched),
    )?;
    print_json(&decided.value);
    Ok(())
}
