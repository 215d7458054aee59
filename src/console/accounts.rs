//! People's accounts: created by an operator of the exchange (`sinergi users create`), one
//! agency and one role each, signed in with a password (argon2id) and, when set up, a TOTP
//! code. Repeated failures lock the account for a while.

use std::sync::Arc;

use rand::RngCore;
use rand::rngs::OsRng;

use super::totp;
use crate::auth::secrets::{self, KeyEncryptionKey};
use crate::db::people::{self, PersonRow};
use crate::db::{self, AnyConnection, Db, DbError, Refusal};
use crate::domain::code::AgencyCode;

/// Failed sign-ins in a row that lock an account.
pub const MAX_FAILURES: i32 = 5;
/// How long a locked account stays locked.
pub const LOCK_SECS: i64 = 15 * 60;
/// The shortest password `users create` accepts.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// What a person does in the console; it decides the pages they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Kemenko PM: the conversion of graduations into enrollments, and referrals everywhere.
    Coordinator,
    /// An agency's operator: its clients, agreements, webhooks and referrals.
    Operator,
    /// The checkpoint and a person's processing trail.
    Auditor,
    /// A data-protection officer: as an auditor, for data subjects' requests.
    Dpo,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Coordinator, Role::Operator, Role::Auditor, Role::Dpo];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Operator => "operator",
            Role::Auditor => "auditor",
            Role::Dpo => "dpo",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Person {
    pub username: String,
    pub agency: AgencyCode,
    pub role: Role,
}

impl Person {
    /// How the audit log names the person: apart from every client id (a UUID, or a demo
    /// id), which has no `:`.
    pub fn actor(&self) -> String {
        format!("console:{}", self.username)
    }

    pub(super) fn from_row(row: &PersonRow) -> Result<Person, DbError> {
        Ok(Person {
            username: row.username.clone(),
            agency: AgencyCode::parse(&row.agency_code).map_err(|_| stored_wrongly("agency"))?,
            role: Role::parse(&row.role).ok_or_else(|| stored_wrongly("role"))?,
        })
    }
}

/// An account's stored `what` that does not read back: changed behind the service's back.
fn stored_wrongly(what: &str) -> DbError {
    DbError::from(db::corrupt(std::io::Error::other(format!(
        "an account's {what} is not valid"
    ))))
}

/// Why an account was not created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error(
        "the username must be 3 to 64 characters: lowercase letters, digits, '.', '_' or '-', \
         starting with a letter or digit"
    )]
    Username,
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters")]
    Password,
    #[error("there is already an account with this username")]
    Taken,
    #[error("no agency with this code; add it first")]
    UnknownAgency,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// An account to create.
pub struct NewPerson {
    pub username: String,
    pub agency: AgencyCode,
    pub role: Role,
    /// Chosen by the operator; generated when absent.
    pub password: Option<String>,
    pub totp: bool,
}

/// A created account and what its holder needs once: a generated password, the TOTP URI.
#[derive(Debug, serde::Serialize)]
pub struct Created {
    pub username: String,
    pub agency: String,
    pub role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totp_uri: Option<String>,
}

fn valid_username(name: &str) -> bool {
    (3..=64).contains(&name.len())
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// A generated password: 16 random bytes, base64url (22 characters, 128 bits).
fn generate_password() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The associated data a TOTP secret is sealed with: a sealed secret copied to another
/// account does not open.
fn totp_aad(username: &str) -> Vec<u8> {
    format!("sinergi/console-totp/{username}").into_bytes()
}

pub fn create(
    conn: &mut AnyConnection,
    kek: &KeyEncryptionKey,
    new: NewPerson,
    now: i64,
) -> Result<Created, CreateError> {
    if !valid_username(&new.username) {
        return Err(CreateError::Username);
    }
    if new
        .password
        .as_ref()
        .is_some_and(|p| p.chars().count() < MIN_PASSWORD_CHARS)
    {
        return Err(CreateError::Password);
    }
    let generated = new.password.is_none().then(generate_password);
    let password = new
        .password
        .as_deref()
        .or(generated.as_deref())
        .expect("one is set");
    let secret = new.totp.then(totp::generate_secret);
    let row = PersonRow {
        username: new.username.clone(),
        agency_code: new.agency.to_string(),
        role: new.role.as_str().to_owned(),
        password_hash: secrets::hash_secret(password),
        totp_secret: secret
            .as_ref()
            .map(|s| kek.seal(s, &totp_aad(&new.username))),
        totp_last_step: None,
        failed_sign_ins: 0,
        locked_until: None,
        disabled: false,
        created_at: now,
    };
    people::insert(conn, &row).map_err(|e| match db::refusal(&e) {
        Some(Refusal::Duplicate) => CreateError::Taken,
        Some(Refusal::MissingReference) => CreateError::UnknownAgency,
        None => CreateError::Db(e),
    })?;
    Ok(Created {
        username: new.username.clone(),
        agency: new.agency.to_string(),
        role: new.role.as_str(),
        password: generated,
        totp_uri: secret.map(|s| totp::otpauth_uri(&new.username, &s)),
    })
}

/// Why a sign-in was refused. The person is told the same for each (which one would tell an
/// attacker whether the account exists, or is locked); the audit log and the tests tell
/// them apart.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Why, and the account when there is one (its failures are recorded as its own).
    #[error("the username, password or code is wrong, or the account is locked")]
    Refused(Refused, Option<Person>),
    #[error(transparent)]
    Db(#[from] DbError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    UnknownAccount,
    Disabled,
    Locked,
    WrongPassword,
    WrongCode,
}

/// Passwords with an optional TOTP code, checked against the accounts in the database: the
/// built-in identity provider (see `console::identity`).
pub struct Passwords {
    pub db: Db,
    pub kek: Arc<KeyEncryptionKey>,
}

/// What the sign-in form hands over.
pub struct PasswordCredentials {
    pub username: String,
    pub password: String,
    pub code: Option<String>,
}

impl Passwords {
    pub async fn check(
        &self,
        credentials: PasswordCredentials,
        now: i64,
    ) -> Result<Person, SignInError> {
        let name = credentials.username.clone();
        let row = self
            .db
            .run(move |conn| people::get(conn, &name).map_err(DbError::from))
            .await?;
        let refused = |why, account: Option<&PersonRow>| {
            Err(SignInError::Refused(
                why,
                account.and_then(|row| Person::from_row(row).ok()),
            ))
        };
        // Every refusal costs one argon2 verification, so that the time taken does not
        // tell an unknown, disabled or locked account from a wrong password.
        let Some(row) = row else {
            spend(credentials.password, None).await;
            return refused(Refused::UnknownAccount, None);
        };
        if row.disabled {
            spend(credentials.password, None).await;
            return refused(Refused::Disabled, Some(&row));
        }
        if row.locked_until.is_some_and(|until| until > now) {
            spend(credentials.password, None).await;
            return refused(Refused::Locked, Some(&row));
        }
        let password_holds = spend(credentials.password, Some(row.password_hash.clone())).await;
        let step = match (&row.totp_secret, password_holds) {
            (_, false) => Err(Refused::WrongPassword),
            (None, true) => Ok(None),
            (Some(sealed), true) => {
                let secret = self
                    .kek
                    .open(sealed, &totp_aad(&row.username))
                    .map_err(|_| stored_wrongly("TOTP secret"))?;
                credentials
                    .code
                    .as_deref()
                    .and_then(|code| totp::accepted_step(&secret, code, now, row.totp_last_step))
                    .map(Some)
                    .ok_or(Refused::WrongCode)
            }
        };
        let username = row.username.clone();
        match step {
            Ok(step) => {
                self.db
                    .run(move |conn| {
                        people::signed_in(conn, &username, step).map_err(DbError::from)
                    })
                    .await?;
                Ok(Person::from_row(&row)?)
            }
            Err(why) => {
                self.db
                    .run(move |conn| {
                        db::write_transaction(conn, |conn| {
                            if people::count_failure(conn, &username)? >= MAX_FAILURES {
                                people::lock(conn, &username, now + LOCK_SECS)?;
                            }
                            Ok::<_, diesel::result::Error>(())
                        })
                        .map_err(DbError::from)
                    })
                    .await?;
                refused(why, Some(&row))
            }
        }
    }
}

/// One argon2 verification off the async threads: against the stored hash, or a dummy.
async fn spend(password: String, hash: Option<String>) -> bool {
    actix_web::web::block(move || match hash {
        Some(hash) => secrets::verify_secret(&password, &hash),
        None => {
            secrets::verify_against_dummy(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}
