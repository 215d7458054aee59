//! What a request touched, as the operations serving it report it: the records it wrote or
//! returned, and the NIKs and KKs it asked for, wrote or returned (kept only as their keyed
//! hashes). The operation reports, not its handler, so no handler can forget to.
//!
//! `Send` and cheap to clone: an operation reports from a database thread while its request
//! waits. Owns no I/O; the trail reads it when the entry is made.

use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex};

use super::entry::{AgreementRef, AgreementState, Entry};
use super::log_keys::AuditKeys;
use crate::domain::record::{Content, SearchKeys};

#[derive(Clone)]
pub struct Report {
    keys: Arc<AuditKeys>,
    seen: Arc<Mutex<Seen>>,
}

#[derive(Default)]
struct Seen {
    /// In the order reported, each once.
    record_ids: Vec<String>,
    records: HashSet<String>,
    nik_hashes: BTreeSet<String>,
    kk_hashes: BTreeSet<String>,
    agreements: BTreeSet<AgreementRef>,
}

impl Report {
    pub fn new(keys: Arc<AuditKeys>) -> Self {
        Self {
            keys,
            seen: Arc::default(),
        }
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        crate::sync::lock(&self.seen)
    }

    /// Records written or returned.
    pub fn records<S: AsRef<str>>(&self, ids: impl IntoIterator<Item = S>) {
        let mut seen = self.seen();
        for id in ids {
            let id = id.as_ref();
            if seen.records.insert(id.to_owned()) {
                seen.record_ids.push(id.to_owned());
            }
        }
    }

    /// NIKs asked for, written or returned.
    pub fn niks<S: AsRef<str>>(&self, niks: impl IntoIterator<Item = S>) {
        let hashes: Vec<String> = niks
            .into_iter()
            .map(|n| self.keys.nik_hash(n.as_ref()))
            .collect();
        self.seen().nik_hashes.extend(hashes);
    }

    /// KKs asked for, written or returned.
    pub fn kks<S: AsRef<str>>(&self, kks: impl IntoIterator<Item = S>) {
        let hashes: Vec<String> = kks
            .into_iter()
            .map(|k| self.keys.kk_hash(k.as_ref()))
            .collect();
        self.seen().kk_hashes.extend(hashes);
    }

    /// Agreements relied on or changed.
    pub fn agreements(&self, refs: impl IntoIterator<Item = AgreementRef>) {
        self.seen().agreements.extend(refs);
    }

    /// The people and family a record names.
    pub fn subjects(&self, keys: SearchKeys) {
        self.niks(&keys.niks);
        self.kks(keys.kk.as_slice());
    }

    /// Everything a read or write collected.
    pub fn touched(&self, touched: &Touched) {
        self.records(&touched.record_ids);
        self.niks(&touched.niks);
        self.kks(&touched.kks);
        self.agreements(touched.agreements.iter().cloned());
    }

    /// Writes what was reported, and `more` besides, into `entry`.
    pub(super) fn fill(&self, entry: &mut Entry, more: &Touched) {
        let seen = self.seen();
        let mut records = seen.records.clone();
        entry.record_ids = seen.record_ids.clone();
        for id in &more.record_ids {
            if records.insert(id.clone()) {
                entry.record_ids.push(id.clone());
            }
        }
        let mut niks = seen.nik_hashes.clone();
        niks.extend(more.niks.iter().map(|n| self.keys.nik_hash(n)));
        entry.nik_hashes = niks.into_iter().collect();
        let mut kks = seen.kk_hashes.clone();
        kks.extend(more.kks.iter().map(|k| self.keys.kk_hash(k)));
        entry.kk_hashes = kks.into_iter().collect();
        let mut agreements = seen.agreements.clone();
        agreements.extend(more.agreements.iter().cloned());
        entry.agreements = agreements.into_iter().collect();
        entry.agreement = more.agreement.clone();
    }
}

/// The records, NIKs and KKs a request read or wrote, for its audit entry.
#[derive(Debug, Default)]
pub struct Touched {
    pub record_ids: Vec<String>,
    pub niks: Vec<String>,
    pub kks: Vec<String>,
    pub agreements: Vec<AgreementRef>,
    /// The agreement a write changed, as it left it.
    pub agreement: Option<AgreementState>,
}

impl Touched {
    pub fn add<C: Content>(&mut self, id: &str, content: &C) {
        self.record_ids.push(id.to_owned());
        self.add_subjects(content.search_keys());
    }

    /// The people and families a record names: its NIKs and its KK.
    pub fn add_subjects(&mut self, keys: SearchKeys) {
        self.niks.extend(keys.niks);
        self.kks.extend(keys.kk);
    }

    /// Only the people and families of `keys`.
    pub fn subjects(keys: SearchKeys) -> Self {
        let mut touched = Self::default();
        touched.add_subjects(keys);
        touched
    }
}
