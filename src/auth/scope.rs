//! OAuth scopes: what a client may do.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One permission. A client holds some; every protected operation needs one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
pub enum Scope {
    #[serde(rename = "graduations:read")]
    GraduationsRead,
    #[serde(rename = "graduations:write")]
    GraduationsWrite,
    #[serde(rename = "enrollments:read")]
    EnrollmentsRead,
    #[serde(rename = "enrollments:write")]
    EnrollmentsWrite,
    #[serde(rename = "changes:read")]
    ChangesRead,
    #[serde(rename = "subscriptions:write")]
    SubscriptionsWrite,
    #[serde(rename = "audit:read")]
    AuditRead,
    #[serde(rename = "metrics:read")]
    MetricsRead,
    #[serde(rename = "agreements:read")]
    AgreementsRead,
    #[serde(rename = "agreements:write")]
    AgreementsWrite,
    #[serde(rename = "referrals:read")]
    ReferralsRead,
    #[serde(rename = "referrals:write")]
    ReferralsWrite,
    #[serde(rename = "households:read")]
    HouseholdsRead,
    #[serde(rename = "households:write")]
    HouseholdsWrite,
    #[serde(rename = "stats:read")]
    StatsRead,
    #[serde(rename = "admin")]
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 16] = [
        Scope::GraduationsRead,
        Scope::GraduationsWrite,
        Scope::EnrollmentsRead,
        Scope::EnrollmentsWrite,
        Scope::ChangesRead,
        Scope::SubscriptionsWrite,
        Scope::AuditRead,
        Scope::MetricsRead,
        Scope::AgreementsRead,
        Scope::AgreementsWrite,
        Scope::ReferralsRead,
        Scope::ReferralsWrite,
        Scope::HouseholdsRead,
        Scope::HouseholdsWrite,
        Scope::StatsRead,
        Scope::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::GraduationsRead => "graduations:read",
            Scope::GraduationsWrite => "graduations:write",
            Scope::EnrollmentsRead => "enrollments:read",
            Scope::EnrollmentsWrite => "enrollments:write",
            Scope::ChangesRead => "changes:read",
            Scope::SubscriptionsWrite => "subscriptions:write",
            Scope::AuditRead => "audit:read",
            Scope::MetricsRead => "metrics:read",
            Scope::AgreementsRead => "agreements:read",
            Scope::AgreementsWrite => "agreements:write",
            Scope::ReferralsRead => "referrals:read",
            Scope::ReferralsWrite => "referrals:write",
            Scope::HouseholdsRead => "households:read",
            Scope::HouseholdsWrite => "households:write",
            Scope::StatsRead => "stats:read",
            Scope::Admin => "admin",
        }
    }

    /// What the scope allows, for the OpenAPI security scheme.
    pub fn description(self) -> &'static str {
        match self {
            Scope::GraduationsRead => "Read every agency's graduation records",
            Scope::GraduationsWrite => "Publish and retract the caller agency's graduation records",
            Scope::EnrollmentsRead => "Read every agency's enrollment records",
            Scope::EnrollmentsWrite => "Publish and retract the caller agency's enrollment records",
            Scope::ChangesRead => "Follow the change feed",
            Scope::SubscriptionsWrite => "Manage the caller agency's webhook subscriptions",
            Scope::AuditRead => "Read, export and verify the audit log",
            Scope::MetricsRead => "Scrape the service's Prometheus metrics",
            Scope::AgreementsRead => {
                "See the data-sharing agreements the caller agency is party to (the \
                 coordinating ministry: all of them)"
            }
            Scope::AgreementsWrite => {
                "Propose, change, approve, suspend and terminate the caller agency's \
                 data-sharing agreements"
            }
            Scope::ReferralsRead => {
                "See the referrals the caller agency made, received or whose family it \
                 graduated (the coordinating ministry: all of them)"
            }
            Scope::ReferralsWrite => {
                "Refer graduated families to other agencies, and accept, decline, release or \
                 withdraw referrals"
            }
            Scope::HouseholdsRead => {
                "Follow a family card's lineage: the splits, merges and member moves recorded \
                 for it"
            }
            Scope::HouseholdsWrite => "Record what happened to family cards (KK)",
            Scope::StatsRead => {
                "Read aggregate statistics of every agency, small counts withheld (no personal \
                 data)"
            }
            Scope::Admin => "Operate the exchange: manage clients",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == s)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    /// Counted from 1; the name itself is not repeated (a token request is not trusted).
    #[error("scope number {0} is not a scope of this exchange; the scopes are {all}", all = Scope::ALL.map(Scope::as_str).join(", "))]
    Unknown(usize),
    #[error("at least one scope is needed")]
    Empty,
}

/// A set of scopes, kept sorted and without duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeSet(Vec<Scope>);

impl ScopeSet {
    /// Parses OAuth's space-separated form (`"graduations:read changes:read"`).
    pub fn parse(text: &str) -> Result<Self, ScopeError> {
        let scopes = text
            .split(' ')
            .filter(|s| !s.is_empty())
            .enumerate()
            .map(|(i, s)| Scope::parse(s).ok_or(ScopeError::Unknown(i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_scopes(scopes)
    }

    pub fn from_scopes(scopes: impl IntoIterator<Item = Scope>) -> Result<Self, ScopeError> {
        let mut scopes: Vec<Scope> = scopes.into_iter().collect();
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            return Err(ScopeError::Empty);
        }
        Ok(Self(scopes))
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0.binary_search(&scope).is_ok()
    }

    pub fn is_subset_of(&self, other: &ScopeSet) -> bool {
        self.0.iter().all(|s| other.contains(*s))
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|s| s.as_str()).collect();
        f.write_str(&names.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_sets_parse_sort_and_deduplicate() {
        let set = ScopeSet::parse("changes:read  admin changes:read").unwrap();
        assert_eq!(set.to_string(), "changes:read admin");
        assert!(set.contains(Scope::Admin));
        assert!(!set.contains(Scope::AuditRead));
    }

    #[test]
    fn unknown_and_empty_scopes_are_refused() {
        assert_eq!(
            ScopeSet::parse("graduations:read graduations:delete"),
            Err(ScopeError::Unknown(2))
        );
        assert_eq!(ScopeSet::parse("  "), Err(ScopeError::Empty));
        assert!(ScopeSet::parse("Admin").is_err());
    }

    #[test]
    fn subsets_are_recognised() {
        let all = ScopeSet::from_scopes(Scope::ALL).unwrap();
        let some = ScopeSet::parse("audit:read").unwrap();
        assert!(some.is_subset_of(&all));
        assert!(!all.is_subset_of(&some));
    }

    #[test]
    fn every_scope_round_trips_through_its_name() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
            let json = serde_json::to_string(&scope).unwrap();
            assert_eq!(json, format!("\"{}\"", scope.as_str()));
        }
    }
}
