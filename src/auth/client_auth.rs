//! What came of a client's attempt to authenticate at the token endpoint, and the secret check.
//!
//! A caller learns only whether it was authenticated. Every reason for a refusal that a guesser
//! could tell apart (no such client, a disabled one, a wrong secret, the wrong kind of
//! credential, a bad signature, a replay…) gets the same answer, so that answers do not reveal
//! which client ids exist or how they authenticate. The reason is kept for the operator's log.

use super::secrets;
use crate::db::{self, AnyConnection, QueryError, clients::ClientRecord};

/// A client whose credentials were accepted.
#[derive(Debug)]
pub struct Authenticated {
    pub client: ClientRecord,
    /// When the credentials were checked against the stored client (Unix seconds): the token
    /// counts as issued then (see [`super::tokens::issue`]).
    pub at: i64,
}

/// Why credentials were refused; for logs, never for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    UnknownClient,
    Disabled,
    WrongSecret,
    /// A secret, presented for a client that authenticates with keys.
    NotASecretClient,
    /// An assertion, presented for a client that authenticates with a secret.
    NotAKeyClient,
    /// The client's registered key set cannot be read (an operator's mistake).
    UnusableKeys,
    /// The signature (its claims were checked before the client was looked up).
    InvalidAssertion,
    ReplayedAssertion,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::UnknownClient => "unknown client id",
            Reason::Disabled => "the client is disabled",
            Reason::WrongSecret => "wrong secret",
            Reason::NotASecretClient => "a secret for a client that authenticates with keys",
            Reason::NotAKeyClient => "an assertion for a client that authenticates with a secret",
            Reason::UnusableKeys => "the client's registered keys are unusable",
            Reason::InvalidAssertion => {
                "the assertion is not signed by a registered key of the client"
            }
            Reason::ReplayedAssertion => "the assertion was already used",
        }
    }
}

/// Credentials that were refused.
#[derive(Debug)]
pub struct Refused {
    pub reason: Reason,
    /// The registered client the credentials named, if there is one (an unknown id is not
    /// kept: it could be anything a caller typed).
    pub client: Option<ClientRecord>,
}

pub type Outcome = Result<Authenticated, Refused>;

/// Checks a client secret. Every refusal costs one argon2 verification, as an accepted secret
/// does, so that response times do not tell unknown, disabled or key-based client ids from
/// secret-based ones.
pub fn check_secret(
    conn: &mut AnyConnection,
    id: &str,
    secret: &str,
) -> Result<Outcome, QueryError> {
    let at = chrono::Utc::now().timestamp();
    let Some(client) = db::clients::get(conn, id)? else {
        secrets::verify_against_dummy(secret);
        return Ok(Err(Refused {
            reason: Reason::UnknownClient,
            client: None,
        }));
    };
    let Some(hash) = client.secret_hash.as_deref() else {
        secrets::verify_against_dummy(secret);
        return Ok(Err(Refused {
            reason: Reason::NotASecretClient,
            client: Some(client),
        }));
    };
    let valid = secrets::verify_secret(secret, hash);
    let reason = if client.disabled {
        Reason::Disabled
    } else if !valid {
        Reason::WrongSecret
    } else {
        return Ok(Ok(Authenticated { client, at }));
    };
    Ok(Err(Refused {
        reason,
        client: Some(client),
    }))
}
