//! Household events: what happened to a family card (KK). Families split (pecah KK), merge
//! (a widow joins a new husband's KK), members join or leave, and Dukcapil renumbers cards.
//! Records keep the KK they were published with; these events are an overlay that says how
//! KKs lead to each other, so that a family is still followed after its card changed.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::field_error::FieldError;
use super::kk::Kk;
use super::nik::Nik;
use super::record::{CalendarDate, PERSONAL_NUMBER, Reason, SourceRecordId};

/// KKs on either side of an event, and members moved by one, at most.
pub const MAX_KKS: usize = 20;
pub const MAX_MOVES: usize = 50;

/// What happened to the family cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = HouseholdEventKind)]
pub enum EventKind {
    /// Pecah KK: one card becomes several (the old one may go on); `member_moves` say who
    /// went where.
    Split,
    /// Several cards become one (which may be one of them).
    Merge,
    /// Members of one card join another.
    MemberJoin,
    /// Members leave a card, to another or to none the agency knows.
    MemberLeave,
    /// The same family under a new number.
    Renumber,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Split => "split",
            Self::Merge => "merge",
            Self::MemberJoin => "member_join",
            Self::MemberLeave => "member_leave",
            Self::Renumber => "renumber",
        }
    }
}

/// Who established it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = HouseholdEventSource)]
pub enum EventSource {
    /// The civil registry (Dukcapil) changed the cards.
    Dukcapil,
    /// An agency's officer found it in the field, before or without Dukcapil.
    FieldVerification,
}

impl EventSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dukcapil => "dukcapil",
            Self::FieldVerification => "field_verification",
        }
    }
}

/// A member moving from one card to another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberMove {
    pub nik: Nik,
    /// One of `predecessor_kks`.
    pub from_kk: Kk,
    /// One of `successor_kks`; absent only when a member leaves to a card the agency does
    /// not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_kk: Option<Kk>,
}

/// A household event as an agency sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = new_event_example)]
pub struct NewHouseholdEvent {
    /// The agency's own id for the event: sending the same event again answers the one
    /// already recorded.
    pub source_record_id: SourceRecordId,
    pub kind: EventKind,
    /// When it happened (not when it is recorded: the exchange keeps both).
    #[schema(value_type = String, format = Date, example = "2026-08-17")]
    pub effective_on: CalendarDate,
    /// The cards before: exactly one for `split`, `member_join`, `member_leave` and
    /// `renumber`, at least two for `merge`.
    #[schema(min_items = 1, max_items = 20)]
    pub predecessor_kks: Vec<Kk>,
    /// The cards after: at least one for `split`, exactly one for `merge`, `member_join` and
    /// `renumber` (a new number), at most one for `member_leave`.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub successor_kks: Vec<Kk>,
    /// Who moved where; at least one for `member_join` and `member_leave`, none for
    /// `renumber`.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub member_moves: Vec<MemberMove>,
    pub source: EventSource,
    /// For other agencies; no NIK or KK (those travel in the fields above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub note: Option<Reason>,
}

fn new_event_example() -> serde_json::Value {
    serde_json::json!({
        "source_record_id": "PECAH-KK-2026-0042",
        "kind": "split",
        "effective_on": "2026-08-17",
        "predecessor_kks": ["3201012308150007"],
        "successor_kks": ["3201012308150007", "3201011709260003"],
        "member_moves": [{"nik": "3201014402990004", "from_kk": "3201012308150007",
                          "to_kk": "3201011709260003"}],
        "source": "dukcapil"
    })
}

/// One edge of the lineage: the whole family (`nik` none) or one member, from a card to
/// another (or to none known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub from_kk: String,
    pub to_kk: Option<String>,
    pub nik: Option<String>,
}

fn has_duplicates<T: Ord>(items: &[T]) -> bool {
    items.iter().collect::<BTreeSet<_>>().len() != items.len()
}

impl NewHouseholdEvent {
    /// Every problem with the event's shape, each naming its field; `today` bounds
    /// `effective_on` (an event is recorded once it happened).
    pub fn problems(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut problems = Vec::new();
        let mut bad = |pointer: &str, detail: &str| problems.push(FieldError::new(pointer, detail));
        let (before, after) = (self.predecessor_kks.len(), self.successor_kks.len());
        let (preds, succs) = match self.kind {
            EventKind::Split => ("exactly one", "at least one"),
            EventKind::Merge => ("at least two", "exactly one"),
            EventKind::MemberJoin | EventKind::Renumber => ("exactly one", "exactly one"),
            EventKind::MemberLeave => ("exactly one", "at most one"),
        };
        let preds_ok = match self.kind {
            EventKind::Merge => (2..=MAX_KKS).contains(&before),
            _ => before == 1,
        };
        let succs_ok = match self.kind {
            EventKind::Split => (1..=MAX_KKS).contains(&after),
            EventKind::MemberLeave => after <= 1,
            _ => after == 1,
        };
        let kind = self.kind.as_str();
        if !preds_ok {
            bad(
                "/predecessor_kks",
                &format!("a {kind} has {preds} predecessor KK"),
            );
        }
        if !succs_ok {
            bad(
                "/successor_kks",
                &format!("a {kind} has {succs} successor KK"),
            );
        }
        if has_duplicates(&self.predecessor_kks) {
            bad("/predecessor_kks", "lists a KK twice");
        }
        if has_duplicates(&self.successor_kks) {
            bad("/successor_kks", "lists a KK twice");
        }
        // A split's old card may go on, and a merge may be into one of the merged cards; in
        // the other kinds a card cannot lead to itself.
        let same = self
            .successor_kks
            .iter()
            .any(|s| self.predecessor_kks.contains(s));
        if same && !matches!(self.kind, EventKind::Split | EventKind::Merge) {
            bad(
                "/successor_kks",
                &format!("a {kind} leads to another KK than its predecessor"),
            );
        }
        let moves_ok = match self.kind {
            EventKind::MemberJoin | EventKind::MemberLeave => {
                (1..=MAX_MOVES).contains(&self.member_moves.len())
            }
            EventKind::Renumber => self.member_moves.is_empty(),
            EventKind::Split | EventKind::Merge => self.member_moves.len() <= MAX_MOVES,
        };
        if !moves_ok {
            let rule = match self.kind {
                EventKind::Renumber => "a renumber moves no members (the whole family goes)",
                EventKind::MemberJoin | EventKind::MemberLeave => "lists 1 to 50 members",
                EventKind::Split | EventKind::Merge => "lists at most 50 members",
            };
            bad("/member_moves", rule);
        }
        let mut moved = BTreeSet::new();
        for (i, m) in self.member_moves.iter().enumerate() {
            if !moved.insert(m.nik.as_str()) {
                bad(&format!("/member_moves/{i}/nik"), "moves a member twice");
            }
            if !self.predecessor_kks.contains(&m.from_kk) {
                bad(
                    &format!("/member_moves/{i}/from_kk"),
                    "is not one of predecessor_kks",
                );
            }
            match &m.to_kk {
                Some(to) if !self.successor_kks.contains(to) => bad(
                    &format!("/member_moves/{i}/to_kk"),
                    "is not one of successor_kks",
                ),
                Some(to) if *to == m.from_kk => bad(
                    &format!("/member_moves/{i}/to_kk"),
                    "is the KK the member leaves",
                ),
                None if self.kind != EventKind::MemberLeave || !self.successor_kks.is_empty() => {
                    bad(
                        &format!("/member_moves/{i}/to_kk"),
                        "is required, except for a member_leave to no known KK",
                    );
                }
                _ => {}
            }
        }
        if !self.effective_on.plausible_for_record() {
            bad("/effective_on", "must be a year from 1900 to 2199");
        } else if self.effective_on.date() > today {
            bad(
                "/effective_on",
                "is in the future: record an event once it happened",
            );
        }
        if self
            .note
            .as_ref()
            .is_some_and(Reason::holds_personal_number)
        {
            bad("/note", PERSONAL_NUMBER);
        }
        problems
    }

    /// The lineage edges the event adds: a whole-family link from every predecessor to every
    /// other successor, and one link per member moved.
    pub fn links(&self) -> Vec<Link> {
        let mut links = Vec::new();
        for p in &self.predecessor_kks {
            for s in self.successor_kks.iter().filter(|s| *s != p) {
                links.push(Link {
                    from_kk: p.to_string(),
                    to_kk: Some(s.to_string()),
                    nik: None,
                });
            }
        }
        links.extend(self.member_moves.iter().map(|m| Link {
            from_kk: m.from_kk.to_string(),
            to_kk: m.to_kk.as_ref().map(ToString::to_string),
            nik: Some(m.nik.to_string()),
        }));
        links
    }

    /// Whether two agencies' accounts of a card change disagree: they describe a change of
    /// the same card on the same day differently, or move the same member out of the same
    /// card to different cards. Two accounts that say the same thing corroborate.
    pub fn disagrees_with(&self, other: &Self) -> bool {
        let shared_card = self
            .predecessor_kks
            .iter()
            .any(|k| other.predecessor_kks.contains(k));
        fn sorted<T: Ord>(items: &[T]) -> BTreeSet<&T> {
            items.iter().collect()
        }
        let same_day_differently = shared_card
            && self.effective_on == other.effective_on
            && (self.kind != other.kind
                || sorted(&self.predecessor_kks) != sorted(&other.predecessor_kks)
                || sorted(&self.successor_kks) != sorted(&other.successor_kks)
                || sorted(&self.member_moves) != sorted(&other.member_moves));
        let member_elsewhere = self.member_moves.iter().any(|m| {
            other
                .member_moves
                .iter()
                .any(|o| o.nik == m.nik && o.from_kk == m.from_kk && o.to_kk != m.to_kk)
        });
        same_day_differently || member_elsewhere
    }

    /// Every NIK and KK the event names, for the audit log.
    pub fn kks(&self) -> impl Iterator<Item = &Kk> {
        self.predecessor_kks
            .iter()
            .chain(&self.successor_kks)
            .chain(
                self.member_moves
                    .iter()
                    .flat_map(|m| std::iter::once(&m.from_kk).chain(m.to_kk.as_ref())),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kk(serial: u16) -> Kk {
        Kk::parse(&format!("320101230815{serial:04}")).unwrap()
    }

    fn nik(serial: u16) -> Nik {
        Nik::parse(&format!("320101440299{serial:04}")).unwrap()
    }

    fn split() -> NewHouseholdEvent {
        NewHouseholdEvent {
            source_record_id: SourceRecordId::parse("E-1").unwrap(),
            kind: EventKind::Split,
            effective_on: CalendarDate::parse("2026-08-17").unwrap(),
            predecessor_kks: vec![kk(7)],
            successor_kks: vec![kk(7), kk(8)],
            member_moves: vec![MemberMove {
                nik: nik(4),
                from_kk: kk(7),
                to_kk: Some(kk(8)),
            }],
            source: EventSource::Dukcapil,
            note: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn pointers(e: &NewHouseholdEvent) -> Vec<String> {
        e.problems(today()).into_iter().map(|p| p.pointer).collect()
    }

    #[test]
    fn a_split_keeping_its_card_is_valid_and_links_old_to_new() {
        let e = split();
        assert!(pointers(&e).is_empty());
        let links = e.links();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].nik, None);
        assert_eq!(links[0].to_kk.as_deref(), Some(kk(8).as_str()));
        assert_eq!(links[1].nik.as_deref(), Some(nik(4).as_str()));
    }

    #[test]
    fn each_kind_has_its_shape() {
        let mut e = split();
        e.kind = EventKind::Merge;
        assert_eq!(pointers(&e), ["/predecessor_kks", "/successor_kks"]);
        e.kind = EventKind::Renumber;
        e.successor_kks = vec![kk(7)];
        e.member_moves.clear();
        assert_eq!(pointers(&e), ["/successor_kks"]);
        e.successor_kks = vec![kk(9)];
        assert!(pointers(&e).is_empty());
        e.kind = EventKind::MemberJoin;
        assert_eq!(pointers(&e), ["/member_moves"]);
    }

    #[test]
    fn moves_must_stay_within_the_event() {
        let mut e = split();
        e.member_moves.push(MemberMove {
            nik: nik(4),
            from_kk: kk(9),
            to_kk: None,
        });
        assert_eq!(
            pointers(&e),
            [
                "/member_moves/1/nik",
                "/member_moves/1/from_kk",
                "/member_moves/1/to_kk"
            ]
        );
    }

    #[test]
    fn a_member_may_leave_to_no_known_card() {
        let mut e = split();
        e.kind = EventKind::MemberLeave;
        e.successor_kks.clear();
        e.member_moves[0].to_kk = None;
        assert!(pointers(&e).is_empty());
        assert_eq!(e.links()[0].to_kk, None);
    }

    #[test]
    fn an_event_in_the_future_is_refused() {
        let mut e = split();
        e.effective_on = CalendarDate::parse("2026-12-02").unwrap();
        assert_eq!(pointers(&e), ["/effective_on"]);
    }

    #[test]
    fn accounts_that_differ_disagree_and_the_same_account_corroborates() {
        let a = split();
        assert!(!a.disagrees_with(&a.clone()));
        let mut elsewhere = a.clone();
        elsewhere.successor_kks = vec![kk(7), kk(9)];
        elsewhere.member_moves[0].to_kk = Some(kk(9));
        assert!(a.disagrees_with(&elsewhere));
        let mut later = a.clone();
        later.effective_on = CalendarDate::parse("2026-10-01").unwrap();
        later.member_moves[0].nik = nik(5);
        assert!(!a.disagrees_with(&later), "a second split, later, is news");
    }
}
