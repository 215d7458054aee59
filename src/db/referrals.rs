//! Referrals, the agencies each is offered to, and the reasons they cite, in the database.

use diesel::prelude::*;

use super::schema::{referral_offers, referral_reasons, referrals};
use super::{AnyConnection, QueryResult};
use crate::domain::referral::OfferState;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = referral_reasons)]
pub struct ReasonRow {
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub applies_to: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = referrals)]
#[diesel(treat_none_as_default_value = false)]
pub struct ReferralRow {
    pub id: String,
    pub requester_agency: String,
    pub source_record_id: String,
    pub graduation_id: String,
    pub graduation_publisher: String,
    pub program: String,
    pub region_digits: String,
    pub subject_kk: String,
    pub subject_nik: String,
    pub purpose: String,
    pub reason_code: String,
    pub priority: String,
    pub note: Option<String>,
    pub status: String,
    pub status_reason: Option<String>,
    pub owner_agency: Option<String>,
    pub enrollment_id: Option<String>,
    pub respond_by: i64,
    pub complete_by: i64,
    pub request_sha256: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = referral_offers)]
#[diesel(treat_none_as_default_value = false)]
pub struct OfferRow {
    pub referral_id: String,
    pub agency: String,
    pub target_program: Option<String>,
    pub rank: i32,
    pub fallback: bool,
    pub state: String,
    pub reason_code: Option<String>,
    pub offered_at: Option<i64>,
    pub answered_at: Option<i64>,
}

pub fn reasons(conn: &mut AnyConnection) -> QueryResult<Vec<ReasonRow>> {
    referral_reasons::table
        .select(ReasonRow::as_select())
        .order((referral_reasons::applies_to, referral_reasons::code))
        .load(conn)
}

pub fn reason(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<ReasonRow>> {
    referral_reasons::table
        .find(code)
        .select(ReasonRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut AnyConnection, row: &ReferralRow, offers: &[OfferRow]) -> QueryResult<()> {
    diesel::insert_into(referrals::table)
        .values(row.clone())
        .execute(conn)?;
    insert_chunked!(conn, referral_offers::table, offers, 100);
    Ok(())
}

pub fn get(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<ReferralRow>> {
    referrals::table
        .find(id)
        .select(ReferralRow::as_select())
        .first(conn)
        .optional()
}

/// The referrals with these ids, keyed by id.
pub fn get_many(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> QueryResult<std::collections::HashMap<String, ReferralRow>> {
    let mut found = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(1_000) {
        let rows: Vec<ReferralRow> = referrals::table
            .filter(referrals::id.eq_any(chunk))
            .select(ReferralRow::as_select())
            .load(conn)?;
        found.extend(rows.into_iter().map(|r| (r.id.clone(), r)));
    }
    Ok(found)
}

/// The requester's referral with this `source_record_id`.
pub fn by_source(
    conn: &mut AnyConnection,
    requester: &str,
    source_record_id: &str,
) -> QueryResult<Option<ReferralRow>> {
    referrals::table
        .filter(referrals::requester_agency.eq(requester))
        .filter(referrals::source_record_id.eq(source_record_id))
        .select(ReferralRow::as_select())
        .first(conn)
        .optional()
}

/// A referral's offers, in the order the request listed them.
pub fn offers(conn: &mut AnyConnection, id: &str) -> QueryResult<Vec<OfferRow>> {
    referral_offers::table
        .filter(referral_offers::referral_id.eq(id))
        .select(OfferRow::as_select())
        .order(referral_offers::rank)
        .load(conn)
}

/// The offers of many referrals, in one query per thousand.
pub fn offers_of(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> QueryResult<std::collections::HashMap<String, Vec<OfferRow>>> {
    let mut by_referral: std::collections::HashMap<String, Vec<OfferRow>> =
        std::collections::HashMap::new();
    for chunk in ids.chunks(1_000) {
        let rows: Vec<OfferRow> = referral_offers::table
            .filter(referral_offers::referral_id.eq_any(chunk))
            .select(OfferRow::as_select())
            .order((referral_offers::referral_id, referral_offers::rank))
            .load(conn)?;
        for row in rows {
            by_referral
                .entry(row.referral_id.clone())
                .or_default()
                .push(row);
        }
    }
    Ok(by_referral)
}

/// Writes the referral's new state if nobody changed it since `seen_version` was read;
/// returns whether it did.
pub fn update(conn: &mut AnyConnection, row: &ReferralRow, seen_version: i64) -> QueryResult<bool> {
    diesel::update(
        referrals::table
            .find(&row.id)
            .filter(referrals::version.eq(seen_version)),
    )
    .set((
        referrals::status.eq(&row.status),
        referrals::status_reason.eq(&row.status_reason),
        referrals::owner_agency.eq(&row.owner_agency),
        referrals::enrollment_id.eq(&row.enrollment_id),
        referrals::respond_by.eq(row.respond_by),
        referrals::version.eq(row.version),
        referrals::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn update_offer(conn: &mut AnyConnection, offer: &OfferRow) -> QueryResult<()> {
    diesel::update(referral_offers::table.find((&offer.referral_id, &offer.agency)))
        .set((
            referral_offers::state.eq(&offer.state),
            referral_offers::reason_code.eq(&offer.reason_code),
            referral_offers::offered_at.eq(offer.offered_at),
            referral_offers::answered_at.eq(offer.answered_at),
        ))
        .execute(conn)
        .map(drop)
}

/// What a list of referrals is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only those this agency may see (requester, the graduation's publisher, or an agency
    /// it was offered to); `None`: all (the coordinator's view).
    pub visible_to: Option<String>,
    pub statuses: Vec<&'static str>,
    pub graduation_id: Option<String>,
    /// Only those offered to this agency.
    pub offered_to: Option<String>,
    /// Only those this agency requested.
    pub requester: Option<String>,
    /// Keyset: ids after this one (ids are UUIDv7, so in creation order).
    pub after: Option<String>,
}

pub fn list(
    conn: &mut AnyConnection,
    filter: &Filter,
    limit: i64,
) -> QueryResult<Vec<ReferralRow>> {
    let offered_to = |agency: &str| {
        referral_offers::table
            .filter(referral_offers::agency.eq(agency.to_owned()))
            .filter(referral_offers::state.eq_any(OfferState::MADE))
            .select(referral_offers::referral_id)
    };
    let mut query = referrals::table
        .select(ReferralRow::as_select())
        .order(referrals::id)
        .limit(limit)
        .into_boxed();
    if let Some(agency) = &filter.visible_to {
        query = query.filter(
            referrals::requester_agency
                .eq(agency.clone())
                .or(referrals::graduation_publisher.eq(agency.clone()))
                .or(referrals::id.eq_any(offered_to(agency))),
        );
    }
    if !filter.statuses.is_empty() {
        query = query.filter(referrals::status.eq_any(filter.statuses.clone()));
    }
    if let Some(id) = &filter.graduation_id {
        query = query.filter(referrals::graduation_id.eq(id.clone()));
    }
    if let Some(agency) = &filter.offered_to {
        query = query.filter(referrals::id.eq_any(offered_to(agency)));
    }
    if let Some(agency) = &filter.requester {
        query = query.filter(referrals::requester_agency.eq(agency.clone()));
    }
    if let Some(after) = &filter.after {
        query = query.filter(referrals::id.gt(after.clone()));
    }
    query.load(conn)
}

/// Open referrals whose deadline passed before `now`: `offered` past `respond_by`,
/// `accepted` past `complete_by`; oldest deadline first, at most `limit`.
pub fn overdue(conn: &mut AnyConnection, now: i64, limit: i64) -> QueryResult<Vec<ReferralRow>> {
    let mut due: Vec<ReferralRow> = referrals::table
        .filter(referrals::status.eq("offered"))
        .filter(referrals::respond_by.lt(now))
        .order(referrals::respond_by)
        .limit(limit)
        .select(ReferralRow::as_select())
        .load(conn)?;
    due.extend(
        referrals::table
            .filter(referrals::status.eq("accepted"))
            .filter(referrals::complete_by.lt(now))
            .order(referrals::complete_by)
            .limit(limit)
            .select(ReferralRow::as_select())
            .load(conn)?,
    );
    Ok(due)
}

/// The accepted referrals of these graduations that `owner` holds.
pub fn accepted_by(
    conn: &mut AnyConnection,
    graduations: &[&str],
    owner: &str,
) -> QueryResult<Vec<ReferralRow>> {
    referrals::table
        .filter(referrals::graduation_id.eq_any(graduations))
        .filter(referrals::status.eq("accepted"))
        .filter(referrals::owner_agency.eq(owner))
        .select(ReferralRow::as_select())
        .load(conn)
}

/// An open offer as the console's referral page counts it: whose, in what state, since when
/// and until when (Unix microseconds, as referrals keep their times), without the family.
#[derive(Debug, Clone, Queryable)]
pub struct OpenOffer {
    pub referral_id: String,
    pub agency: String,
    pub program: String,
    pub offer_state: String,
    pub offered_at: Option<i64>,
    pub created_at: i64,
    pub respond_by: i64,
    pub complete_by: i64,
}

/// The open offers (offered and not answered, or accepted and not yet enrolled: the
/// referral still in that state), of one agency or of all, oldest first. Open referrals are
/// bounded by their deadlines, which the sweep enforces; closed ones are only counted.
pub fn open_offers(conn: &mut AnyConnection, agency: Option<&str>) -> QueryResult<Vec<OpenOffer>> {
    let open = referral_offers::state
        .eq("offered")
        .and(referrals::status.eq("offered"))
        .or(referral_offers::state
            .eq("accepted")
            .and(referrals::status.eq("accepted")));
    let mut query = referral_offers::table
        .inner_join(referrals::table)
        .filter(open)
        .select((
            referrals::id,
            referral_offers::agency,
            referrals::program,
            referral_offers::state,
            referral_offers::offered_at,
            referrals::created_at,
            referrals::respond_by,
            referrals::complete_by,
        ))
        .order((referral_offers::agency, referrals::created_at))
        .into_boxed();
    if let Some(agency) = agency {
        query = query.filter(referral_offers::agency.eq(agency.to_owned()));
    }
    query.load(conn)
}

/// How many offers each agency let lapse, of one agency or of all.
pub fn lapsed_offers(
    conn: &mut AnyConnection,
    agency: Option<&str>,
) -> QueryResult<Vec<(String, i64)>> {
    let mut query = referral_offers::table
        .filter(referral_offers::state.eq("lapsed"))
        .group_by(referral_offers::agency)
        .select((referral_offers::agency, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(agency) = agency {
        query = query.filter(referral_offers::agency.eq(agency.to_owned()));
    }
    query.load(conn)
}
