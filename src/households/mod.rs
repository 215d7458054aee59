//! Households across KK changes (`/v1/household-events`, `/v1/households/{kk}/lineage`):
//! agencies record what happened to family cards, and the exchange follows a family from
//! the card a record was published with to the cards it became (and back). Records are
//! never rewritten: lineage is an overlay, kept with both when a change happened and when
//! it was recorded, and accounts from different agencies that disagree are both kept and
//! flagged.

pub mod calls;
pub mod error;
pub mod model;
pub mod ops;
