//! Console accounts and their sessions in the database.

use diesel::prelude::*;

use super::schema::{console_sessions, people};
use super::{AnyConnection, QueryResult};

/// A stored account, password hash and sealed TOTP secret included.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = people)]
#[diesel(treat_none_as_default_value = false)]
pub struct PersonRow {
    pub username: String,
    pub agency_code: String,
    pub role: String,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub failed_sign_ins: i32,
    pub locked_until: Option<i64>,
    pub disabled: bool,
    pub created_at: i64,
}

/// Inserts an account; a taken username is `UniqueViolation`, an unknown agency
/// `ForeignKeyViolation`.
pub fn insert(conn: &mut AnyConnection, row: &PersonRow) -> QueryResult<()> {
    diesel::insert_into(people::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut AnyConnection, username: &str) -> QueryResult<Option<PersonRow>> {
    people::table
        .find(username)
        .select(PersonRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<PersonRow>> {
    people::table
        .select(PersonRow::as_select())
        .order(people::username)
        .load(conn)
}

/// Counts a failed sign-in; returns the failures counted since the last sign-in or lock.
pub fn count_failure(conn: &mut AnyConnection, username: &str) -> QueryResult<i32> {
    diesel::update(people::table.find(username))
        .set(people::failed_sign_ins.eq(people::failed_sign_ins + 1))
        .returning(people::failed_sign_ins)
        .get_result(conn)
}

/// Locks an account until `until` (Unix seconds), its failures counted from zero again.
pub fn lock(conn: &mut AnyConnection, username: &str, until: i64) -> QueryResult<()> {
    diesel::update(people::table.find(username))
        .set((
            people::failed_sign_ins.eq(0),
            people::locked_until.eq(Some(until)),
        ))
        .execute(conn)
        .map(drop)
}

/// Clears the failures of an account that signed in, and keeps the TOTP step it used.
pub fn signed_in(
    conn: &mut AnyConnection,
    username: &str,
    totp_step: Option<i64>,
) -> QueryResult<()> {
    let cleared = (
        people::failed_sign_ins.eq(0),
        people::locked_until.eq(None::<i64>),
    );
    match totp_step {
        Some(step) => diesel::update(people::table.find(username))
            .set((cleared, people::totp_last_step.eq(Some(step))))
            .execute(conn),
        None => diesel::update(people::table.find(username))
            .set(cleared)
            .execute(conn),
    }
    .map(drop)
}

/// A session as stored: the SHA-256 of its token, never the token.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = console_sessions)]
pub struct SessionRow {
    pub token_sha256: String,
    pub username: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

pub fn open_session(conn: &mut AnyConnection, row: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(console_sessions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The live session of a token hash and its account, at `now`.
pub fn session(
    conn: &mut AnyConnection,
    token_sha256: &str,
    now: i64,
) -> QueryResult<Option<(SessionRow, PersonRow)>> {
    console_sessions::table
        .inner_join(people::table)
        .filter(console_sessions::token_sha256.eq(token_sha256))
        .filter(console_sessions::expires_at.gt(now))
        .select((SessionRow::as_select(), PersonRow::as_select()))
        .first(conn)
        .optional()
}

/// Moves a session's idle deadline on.
pub fn touch_session(
    conn: &mut AnyConnection,
    token_sha256: &str,
    now: i64,
    expires_at: i64,
) -> QueryResult<()> {
    diesel::update(console_sessions::table.find(token_sha256))
        .set((
            console_sessions::last_seen_at.eq(now),
            console_sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn close_session(conn: &mut AnyConnection, token_sha256: &str) -> QueryResult<()> {
    diesel::delete(console_sessions::table.find(token_sha256))
        .execute(conn)
        .map(drop)
}

/// Removes the sessions that ended before `now`; returns how many.
pub fn prune_sessions(conn: &mut AnyConnection, now: i64) -> QueryResult<usize> {
    diesel::delete(console_sessions::table.filter(console_sessions::expires_at.le(now)))
        .execute(conn)
}

/// Disables an account and ends its sessions at once; returns whether it exists.
pub fn disable(conn: &mut AnyConnection, username: &str) -> QueryResult<bool> {
    let found = diesel::update(people::table.find(username))
        .set(people::disabled.eq(true))
        .execute(conn)?
        == 1;
    diesel::delete(console_sessions::table.filter(console_sessions::username.eq(username)))
        .execute(conn)?;
    Ok(found)
}
