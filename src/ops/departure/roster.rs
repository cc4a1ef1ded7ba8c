//! One trip's roster as scripts read it (`zhitong roster --json`): each passenger's seat and
//! place in the coach, state in the door's words, latest reading and observation mark, with
//! the counts that add up. ID numbers are masked unless an audited reveal asks otherwise.

use super::{bus_trip, say, TripRef};
use crate::model::{mask_id, Layout, SeatStatus};
use crate::ops::{Ctx, OpError, OpResult};
use crate::store::audit;
use crate::store::trips::{self, PassengerRow, TripInfo};
use serde::Serialize;

/// One passenger of the roster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterLine {
    pub seat: u32,
    /// Row (1 = front) and column (1..5 from the left) of the seat in the coach.
    pub row: Option<u32>,
    pub col: Option<u32>,
    pub name: String,
    /// Masked unless revealed; empty once purged.
    pub id_number: String,
    pub village: String,
    pub employer: String,
    /// `planned | boarded | recheck | refused | no_show | standby` (a stand-by holding a freed
    /// seat, not checked yet).
    pub status: &'static str,
    /// `fever | certificate | identity`, for a refusal.
    pub reason: Option<&'static str>,
    /// The latest reading, door or round, °C.
    pub last_temp: Option<f64>,
    /// Under observation after a fever found en route.
    pub observation: bool,
}

/// The counts of a roster: `expected` is everyone holding a seat (boarded, recheck, standby
/// and planned); refused and no-show passengers gave theirs up. Each other figure counts the
/// passengers listed with that status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RosterTally {
    pub expected: u32,
    pub boarded: u32,
    pub recheck: u32,
    pub refused: u32,
    pub no_show: u32,
    pub standby: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RosterView {
    pub trip: TripInfo,
    pub passengers: Vec<RosterLine>,
    pub counts: RosterTally,
    /// Expected arrival, RFC 3339 with offset (`model::arrival`).
    pub eta: Option<String>,
}

/// The roster's word for a passenger's state.
pub fn status_word(p: &PassengerRow) -> &'static str {
    match p.status {
        SeatStatus::Planned if p.standby => "standby",
        SeatStatus::Planned => "planned",
        SeatStatus::Recheck => "recheck",
        SeatStatus::Boarded => "boarded",
        SeatStatus::Refused => "refused",
        SeatStatus::NoShow => "no_show",
    }
}

fn reason_word(p: &PassengerRow) -> Option<&'static str> {
    if p.status != SeatStatus::Refused {
        return None;
    }
    match p.refused_reason.as_deref() {
        Some("fever") => Some("fever"),
        Some("certificate") => Some("certificate"),
        Some("identity") => Some("identity"),
        _ => None,
    }
}

/// Counts of roster lines (pure).
pub fn tally(lines: &[RosterLine]) -> RosterTally {
    let mut t = RosterTally::default();
    for l in lines {
        match l.status {
            "boarded" => t.boarded += 1,
            "recheck" => t.recheck += 1,
            "refused" => t.refused += 1,
            "no_show" => t.no_show += 1,
            "standby" => t.standby += 1,
            _ => {}
        }
        t.expected += u32::from(!matches!(l.status, "refused" | "no_show"));
    }
    t
}

/// The roster of the trip named (the bus's open trip, or one trip by its code). With `reveal`, full ID numbers are put in and one audit row
/// is written first; a read-only database refuses that before anything is shown.
pub fn roster_view(ctx: &mut Ctx, which: impl Into<TripRef>, reveal: bool) -> OpResult<RosterView> {
    let lang = ctx.lang;
    if reveal && ctx.store.is_readonly() {
        return Err(OpError::Failed(say!(
            lang,
            "显示完整身份证号（--reveal）须写入审计日志，只读数据库（--readonly）无法写入：未显示任何内容",
            "--reveal is recorded in the audit log, which a read-only database (--readonly) cannot write: nothing was shown"
        )));
    }
    let trip = bus_trip(ctx, which)?;
    let layout = Layout::new(trip.rated_seats, &ctx.policy);
    let rows = if reveal {
        let operator = ctx.operator.clone();
        let tx = ctx.store.begin()?;
        let rows = trips::roster(&tx, trip.trip_id)?;
        let after = serde_json::json!({"what": "roster", "id_numbers": rows.len()});
        audit(
            &tx,
            &operator,
            "reveal",
            "trip",
            Some(trip.trip_id),
            None,
            Some(&after),
        )?;
        tx.commit()?;
        rows
    } else {
        trips::roster(&ctx.store.db(), trip.trip_id)?
    };
    let passengers: Vec<RosterLine> = rows
        .iter()
        .map(|p| {
            let seat = layout.seat(p.seat);
            RosterLine {
                seat: p.seat,
                row: seat.map(|s| s.row),
                col: seat.map(|s| s.col),
                name: p.name.clone(),
                id_number: match &p.id_number {
                    Some(id) if reveal => id.clone(),
                    Some(id) => mask_id(id),
                    None => String::new(),
                },
                village: p.village.clone(),
                employer: p.employer.clone(),
                status: status_word(p),
                reason: reason_word(p),
                last_temp: p.temperature,
                observation: p.observation_at.is_some(),
            }
        })
        .collect();
    let counts = tally(&passengers);
    let km = crate::store::notices::trip_distance(&ctx.store.db(), trip.trip_id)?;
    let eta = crate::ops::arrival::trip_eta(&trip, km, &ctx.policy).map(crate::clock::stamp);
    Ok(RosterView {
        trip,
        passengers,
        counts,
        eta,
    })
}
