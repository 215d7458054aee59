//! How a person proves who they are, apart from what the pages do with them.
//!
//! The pages only ever see a [`Session`](super::session::Session), and a session is
//! opened for a [`Person`]: an account of the exchange, with its agency and role. An
//! identity provider turns credentials into that person. The built-in one checks a
//! password and a TOTP code ([`Passwords`]); a ministry's single sign-on is another
//! implementation of [`IdentityProvider`], and no page changes:
//!
//! * its `Credentials` are the authorization code and `state` of the OpenID Connect
//!   callback (a route beside `/console/masuk`, which redirects to the provider with PKCE
//!   and a `state` kept in the sign-in cookie);
//! * `authenticate` exchanges the code at the provider's token endpoint, verifies the ID
//!   token (signature against the provider's JWKS, `iss`, `aud`, `exp`, `nonce`) with
//!   `jsonwebtoken`, and maps its subject to an account in `people`: the account still
//!   carries the agency and the role, so that who may see what stays decided here, not by
//!   the provider's claims;
//! * the callback then calls `Session::open` as the password form does, and the audit log
//!   records the sign-in the same way.

use super::accounts::{PasswordCredentials, Passwords, Person, SignInError};

/// Turns credentials into the person they prove.
pub trait IdentityProvider {
    /// What the provider is handed: a form's fields, or a callback's parameters.
    type Credentials;

    /// The account the credentials prove, at `now` (Unix seconds), or why not.
    fn authenticate(
        &self,
        credentials: Self::Credentials,
        now: i64,
    ) -> impl Future<Output = Result<Person, SignInError>>;
}

impl IdentityProvider for Passwords {
    type Credentials = PasswordCredentials;

    fn authenticate(
        &self,
        credentials: PasswordCredentials,
        now: i64,
    ) -> impl Future<Output = Result<Person, SignInError>> {
        self.check(credentials, now)
    }
}
