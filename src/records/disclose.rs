//! What a read may disclose: one's own agency's records in full; another agency's only under
//! an agreement in force for the declared purpose (see `agreements::policy`), projected to
//! its fields. Every read of records goes through a [`Reader`].

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::RecordsError;
use crate::agreements::policy::{Access, Policy, PurposeProblem, Refusal, Snapshot};
use crate::audit::report::Touched;
use crate::db::records::{Filter, PublisherScope};
use crate::domain::agreement::SearchKey;
use crate::domain::code::{AgencyCode, PurposeCode};
use crate::domain::record::{Content, RecordKind};

/// A publisher whose records a search left out, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Excluded {
    pub agency: AgencyCode,
    /// `purpose-missing` (`Sinergi-Purpose` declared no purpose code), or a refusal's code:
    /// `no-agreement`, `purpose-not-covered`, `search-key-not-covered`, `agreement-expired`.
    pub reason: &'static str,
}

/// One reader's view of the agreements, for one request.
pub struct Reader {
    policy: Arc<Policy>,
    snapshot: Arc<Snapshot>,
    agency: AgencyCode,
    declared: Option<String>,
    now: DateTime<Utc>,
}

/// Whose changes a feed page may show, and for which purpose.
pub struct FeedPlan {
    pub publishers: Vec<String>,
    /// The other agencies (of those named, when named) whose changes it leaves out, and why.
    pub excluded: Vec<Excluded>,
    /// Why a named publisher may not be shown: the first one's reason.
    pub blocked: Option<Blocked>,
    purpose: Option<PurposeCode>,
}

/// Why a feed may not show a publisher: no usable purpose declared, or no agreement for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    Purpose(PurposeProblem),
    Refused(Refusal),
}

impl Blocked {
    /// The reason an [`Excluded`] names.
    pub fn code(self) -> &'static str {
        match self {
            Self::Purpose(_) => "purpose-missing",
            Self::Refused(refusal) => refusal.code(),
        }
    }
}

impl From<Blocked> for RecordsError {
    fn from(blocked: Blocked) -> Self {
        match blocked {
            Blocked::Purpose(problem) => Self::Purpose(problem),
            Blocked::Refused(refusal) => Self::Refused(refusal),
        }
    }
}

/// Where a search may look, and whom it left out.
pub struct SearchPlan {
    pub scopes: Vec<PublisherScope>,
    pub excluded: Vec<Excluded>,
    purpose: Option<PurposeCode>,
}

impl Reader {
    pub async fn new(
        policy: &Arc<Policy>,
        agency: &AgencyCode,
        declared: Option<String>,
    ) -> Result<Self, RecordsError> {
        let snapshot = policy.snapshot().await?;
        Ok(Self::at(policy.clone(), snapshot, agency.clone(), declared))
    }

    /// A reader deciding on `snapshot`, now.
    pub fn at(
        policy: Arc<Policy>,
        snapshot: Arc<Snapshot>,
        agency: AgencyCode,
        declared: Option<String>,
    ) -> Self {
        Self {
            policy,
            snapshot,
            agency,
            declared,
            now: Utc::now(),
        }
    }

    fn purpose(&self) -> Result<PurposeCode, RecordsError> {
        self.snapshot
            .purpose(self.declared.as_deref())
            .map_err(RecordsError::Purpose)
    }

    /// Whether `publisher` is the reader's own agency, whose records it sees in full.
    pub fn is_own(&self, publisher: &str) -> bool {
        publisher == self.agency.as_str()
    }

    /// How the reader may see one record of `publisher` with `content`, or why not.
    pub fn access<C: Content>(
        &self,
        publisher: &str,
        content: &C,
    ) -> Result<Access<'_>, RecordsError> {
        if publisher == self.agency.as_str() {
            return Ok(Access::Own);
        }
        let purpose = self.purpose()?;
        self.access_with(Some(&purpose), publisher, content)
    }

    /// `record` as the reader may see it; the agreement relied on goes to `touched`.
    pub fn show<R: Serialize>(
        &self,
        kind: RecordKind,
        access: Access<'_>,
        record: &R,
        touched: &mut Touched,
    ) -> serde_json::Value {
        if let Access::Granted(grant) = access
            && !touched.agreements.contains(&grant.reference)
        {
            touched.agreements.push(grant.reference.clone());
        }
        let value = serde_json::to_value(record).expect("records serialise");
        self.policy
            .project(self.agency.as_str(), kind, access, value)
    }

    /// How the reader sees referrals' families, on the same agreements.
    pub fn referrals(&self) -> crate::referrals::model::Viewer<'_> {
        crate::referrals::model::Viewer {
            agency: self.agency.as_str(),
            policy: &self.policy,
            snapshot: &self.snapshot,
            now: self.now,
        }
    }

    /// The publishers a search of `kind` with `filter` may read, and those it leaves out.
    /// A search of another named publisher is refused outright; one of every publisher
    /// leaves out those no agreement lets the reader read, and says so.
    pub fn plan_search(
        &self,
        kind: RecordKind,
        filter: &Filter,
    ) -> Result<SearchPlan, RecordsError> {
        let own = PublisherScope {
            publisher: self.agency.to_string(),
            programs: None,
            region_digits: None,
        };
        let mut keys = Vec::new();
        if filter.nik.is_some() {
            keys.push(SearchKey::Nik);
        }
        if filter.kk.is_some() {
            keys.push(SearchKey::Kk);
        }
        let mut plan = SearchPlan {
            scopes: Vec::new(),
            excluded: Vec::new(),
            purpose: None,
        };
        match &filter.publisher {
            Some(p) if p == self.agency.as_str() => plan.scopes.push(own),
            Some(other) => {
                let purpose = self.purpose()?;
                let grants = self
                    .snapshot
                    .grants(self.agency.as_str(), other, kind, &purpose, &keys, self.now)
                    .map_err(RecordsError::Refused)?;
                plan.scopes
                    .extend(grants.iter().flat_map(|g| scopes_of(other, &g.terms)));
                plan.purpose = Some(purpose);
            }
            None => {
                plan.scopes.push(own);
                // Without a purpose code (none declared, or free text) only the reader's own
                // records are searched, and every other publisher is listed as left out.
                let purpose = self.purpose().ok();
                for other in self.snapshot.other_agencies(self.agency.as_str()) {
                    let reason = match &purpose {
                        None => "purpose-missing",
                        Some(purpose) => match self.snapshot.grants(
                            self.agency.as_str(),
                            other,
                            kind,
                            purpose,
                            &keys,
                            self.now,
                        ) {
                            Ok(grants) => {
                                plan.scopes
                                    .extend(grants.iter().flat_map(|g| scopes_of(other, &g.terms)));
                                continue;
                            }
                            Err(refusal) => refusal.code(),
                        },
                    };
                    plan.excluded.push(Excluded {
                        agency: AgencyCode::parse(other).expect("stored agency codes are valid"),
                        reason,
                    });
                }
                plan.purpose = purpose;
            }
        }
        Ok(plan)
    }

    /// How the reader sees one record a planned search found.
    pub fn access_found<C: Content>(
        &self,
        plan: &SearchPlan,
        publisher: &str,
        content: &C,
    ) -> Result<Access<'_>, RecordsError> {
        self.access_with(plan.purpose.as_ref(), publisher, content)
    }

    /// The publishers whose changes of `kinds` the feed may show the reader: its own, and
    /// with a purpose code those its agreements cover; the others are listed as left out.
    /// A named publisher that may not be shown blocks the plan (the API refuses the read, a
    /// webhook subscription waits); without names the feed shows what it may.
    pub fn plan_feed(&self, kinds: &[RecordKind], named: &[String]) -> FeedPlan {
        let own = self.agency.as_str();
        let purpose = self.snapshot.purpose(self.declared.as_deref());
        let mut plan = FeedPlan {
            publishers: vec![own.to_owned()],
            excluded: Vec::new(),
            blocked: None,
            purpose: purpose.as_ref().ok().cloned(),
        };
        // Agreement changes only: no other agency's records to decide on.
        let others = if kinds.is_empty() {
            Vec::new()
        } else {
            self.snapshot.other_agencies(own).collect()
        };
        for other in others {
            let is_named = named.iter().any(|n| n == other);
            if !named.is_empty() && !is_named {
                continue;
            }
            let shown = match &purpose {
                Err(problem) => Err(Blocked::Purpose(*problem)),
                Ok(purpose) => {
                    let mut refusal = Refusal::NoAgreement;
                    let granted = kinds.iter().any(|kind| {
                        self.snapshot
                            .grants(own, other, *kind, purpose, &[], self.now)
                            .map_err(|r| refusal = r)
                            .is_ok()
                    });
                    if granted {
                        Ok(())
                    } else {
                        Err(Blocked::Refused(refusal))
                    }
                }
            };
            match shown {
                Ok(()) => plan.publishers.push(other.to_owned()),
                Err(blocked) => {
                    plan.excluded.push(Excluded {
                        agency: AgencyCode::parse(other).expect("stored agency codes are valid"),
                        reason: blocked.code(),
                    });
                    if is_named && plan.blocked.is_none() {
                        plan.blocked = Some(blocked);
                    }
                }
            }
        }
        if !named.is_empty() {
            plan.publishers.retain(|p| named.contains(p));
        }
        plan
    }

    /// How the reader sees one change's record on a planned feed; `None` when no agreement
    /// covers it (another program or region than the agreement's), so the feed leaves it out.
    pub fn access_on_feed<C: Content>(
        &self,
        plan: &FeedPlan,
        publisher: &str,
        content: &C,
    ) -> Option<Access<'_>> {
        self.access_with(plan.purpose.as_ref(), publisher, content)
            .ok()
    }

    fn access_with<C: Content>(
        &self,
        purpose: Option<&PurposeCode>,
        publisher: &str,
        content: &C,
    ) -> Result<Access<'_>, RecordsError> {
        if publisher == self.agency.as_str() {
            return Ok(Access::Own);
        }
        let purpose = purpose.ok_or(RecordsError::Refused(Refusal::NoAgreement))?;
        let village = content.search_keys().region_digits;
        self.snapshot
            .covering(
                self.agency.as_str(),
                publisher,
                C::KIND,
                content.program().as_str(),
                &village,
                purpose,
                self.now,
            )
            .map(Access::Granted)
            .map_err(RecordsError::Refused)
    }
}

/// The scopes an agreement's terms give over `publisher`'s records: one per region prefix.
fn scopes_of(publisher: &str, terms: &crate::domain::agreement::Terms) -> Vec<PublisherScope> {
    let programs = terms
        .programs
        .as_ref()
        .map(|ps| ps.iter().map(|p| p.to_string()).collect::<Vec<_>>());
    match &terms.region_prefixes {
        None => vec![PublisherScope {
            publisher: publisher.to_owned(),
            programs,
            region_digits: None,
        }],
        Some(regions) => regions
            .iter()
            .map(|r| {
                let digits = r.as_str().replace('.', "");
                PublisherScope {
                    publisher: publisher.to_owned(),
                    programs: programs.clone(),
                    region_digits: Some((format!("{digits:0<10}"), format!("{digits:9<10}"))),
                }
            })
            .collect(),
    }
}
