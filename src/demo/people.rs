//! The demo's console accounts, one per role, with fixed passwords marked as demo ones.

use crate::auth::secrets::KeyEncryptionKey;
use crate::console::accounts::{self, CreateError, NewPerson, Role};
use crate::db::{AnyConnection, people};
use crate::domain::code::AgencyCode;

/// (username, agency, role). Passwords follow [`demo_password`].
pub const ACCOUNTS: [(&str, &str, Role); 4] = [
    ("koordinator", "KEMENKOPM", Role::Coordinator),
    ("operator.kemendes", "KEMENDES", Role::Operator),
    ("auditor", "KEMENKOPM", Role::Auditor),
    ("dpo.kemensos", "KEMENSOS", Role::Dpo),
];

/// The fixed, public password of a demo account.
pub fn demo_password(username: &str) -> String {
    format!("{username}-DEMO-PASSWORD")
}

/// Creates the accounts that do not exist yet.
pub fn seed(conn: &mut AnyConnection, kek: &KeyEncryptionKey) -> Result<(), CreateError> {
    let now = chrono::Utc::now().timestamp();
    for (username, agency, role) in ACCOUNTS {
        if people::get(conn, username)?.is_some() {
            continue;
        }
        let new = NewPerson {
            username: username.to_owned(),
            agency: AgencyCode::parse(agency).expect("demo codes are valid"),
            role,
            password: Some(demo_password(username)),
            totp: false,
        };
        accounts::create(conn, kek, new, now)?;
    }
    Ok(())
}
