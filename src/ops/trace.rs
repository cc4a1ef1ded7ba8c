//! Close contacts of one passenger by seat (DESIGN §2): the same trip within ±`contact_rows`
//! rows, plus the crew; the whole bus when the coach is sealed and air-conditioned.
//!
//! Who counts as having been on the bus: once the trip has departed (or arrived), only the
//! passengers who boarded; before departure, everyone rostered (planned or boarded), since that
//! is who will share the bus. Refused and no-show passengers never count. The passenger's
//! most recent trip is the one traced. A passenger moved to the observation rows en route is
//! counted at both the seat they left and the seat they took.

use super::departure::say;
use super::{Ctx, OpError, OpResult};
use crate::model::{mask_id, IdNumber, Layout, SeatStatus, TripStatus};
use crate::store::{audit, plans, trips};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Why {
    /// Sat within the contact rows.
    Seat,
    /// Driver or attendant of the bus.
    Crew,
    /// Anywhere on a sealed air-conditioned coach.
    SealedBus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// Worker row id; `None` for the crew.
    pub worker: Option<i64>,
    pub name: String,
    /// Full number (mask before showing); `None` for the crew or once purged.
    pub id_number: Option<String>,
    pub phone: String,
    pub seat: Option<u32>,
    pub row: Option<u32>,
    /// `driver` or `attendant` for the crew.
    pub role: Option<&'static str>,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub worker: i64,
    pub name: String,
    pub id_number: String,
    pub trip_id: i64,
    pub plate: String,
    pub date: NaiveDate,
    pub trip_status: TripStatus,
    pub seat: u32,
    pub row: u32,
    pub sealed: bool,
    /// False when the passenger was refused or did not show: then nobody is a contact.
    pub on_bus: bool,
    pub contact_rows: u32,
    pub contacts: Vec<Contact>,
}

fn on_bus(seat: SeatStatus, trip: TripStatus) -> bool {
    match trip {
        TripStatus::Departed | TripStatus::Arrived => seat == SeatStatus::Boarded,
        TripStatus::Planned | TripStatus::Boarding => seat.holds_seat(),
        TripStatus::Cancelled => false,
    }
}

/// The close contacts of the passenger with ID number `id_input` on their most recent trip.
pub fn contacts(ctx: &Ctx, id_input: &str) -> OpResult<Trace> {
    let lang = ctx.lang;
    let shown = mask_id(id_input.trim());
    let id = IdNumber::parse(id_input)
        .map_err(|e| OpError::Usage(format!("--id '{shown}': {}", e.message(lang))))?;
    let tx = ctx.store.snapshot()?;
    let worker = trips::worker_by_id_number(&tx, id.as_str())?.ok_or_else(|| {
        OpError::Failed(say!(
            lang,
            "台账中没有身份证号为 {} 的人员",
            "no worker with ID number {} in the ledger",
            id.masked()
        ))
    })?;
    let me = trips::last_passage(&tx, worker)?.ok_or_else(|| {
        OpError::Failed(say!(
            lang,
            "{} 从未被编排上车",
            "{} has never been placed on a bus",
            id.masked()
        ))
    })?;
    let trip = trips::trip(&tx, me.trip_id)?.ok_or_else(|| {
        OpError::Failed(say!(
            lang,
            "车次 {} 不见了",
            "trip {} is missing",
            me.trip_id
        ))
    })?;
    let roster = trips::roster(&tx, trip.trip_id)?;
    let mut earlier = plans::earlier_seats(&tx, trip.trip_id)?;
    // A passenger re-seated when the coach was swapped sat in their old seat number before.
    earlier.extend(crate::store::reshape::reseated(&tx, trip.trip_id)?);
    drop(tx);

    let layout = Layout::new(trip.rated_seats, &ctx.policy);
    let row_of = |seat: u32| layout.seat(seat).map_or(0, |s| s.row);
    // Every row a passenger sat in on this trip: the current seat and any seat they were moved
    // away from en route or left when the coach was swapped.
    let rows_of = |worker: i64, seat: u32| -> Vec<u32> {
        let mut rows = vec![row_of(seat)];
        rows.extend(
            earlier
                .iter()
                .filter(|e| e.0 == worker)
                .map(|e| row_of(e.1)),
        );
        rows
    };
    let my_row = row_of(me.seat);
    let my_rows = rows_of(worker, me.seat);
    let aboard = on_bus(me.status, trip.status);
    let reach = ctx.policy.contact_rows;
    let mut contacts = Vec::new();
    if aboard {
        for p in &roster {
            if p.passenger_id == me.passenger_id || !on_bus(p.status, trip.status) {
                continue;
            }
            let row = row_of(p.seat);
            let near = rows_of(p.worker_id, p.seat)
                .iter()
                .any(|r| my_rows.iter().any(|m| r.abs_diff(*m) <= reach));
            let why = if trip.sealed {
                Why::SealedBus
            } else if near {
                Why::Seat
            } else {
                continue;
            };
            contacts.push(Contact {
                worker: Some(p.worker_id),
                name: p.name.clone(),
                id_number: p.id_number.clone(),
                phone: p.phone.clone(),
                seat: Some(p.seat),
                row: Some(row),
                role: None,
                why,
            });
        }
        let crew = [
            (&trip.driver1, &trip.driver1_phone, "driver"),
            (&trip.driver2, &trip.driver2_phone, "driver"),
            (&trip.attendant, &trip.attendant_phone, "attendant"),
        ];
        for (name, phone, role) in crew {
            if name.trim().is_empty() {
                continue;
            }
            contacts.push(Contact {
                worker: None,
                name: name.clone(),
                id_number: None,
                phone: phone.clone(),
                seat: None,
                row: None,
                role: Some(role),
                why: Why::Crew,
            });
        }
    }
    Ok(Trace {
        worker,
        name: me.name,
        id_number: id.as_str().to_string(),
        trip_id: trip.trip_id,
        plate: trip.plate,
        date: trip.date,
        trip_status: trip.status,
        seat: me.seat,
        row: my_row,
        sealed: trip.sealed,
        on_bus: aboard,
        contact_rows: reach,
        contacts,
    })
}

/// Records that full ID numbers and phones of a trace were shown (`--reveal`).
pub fn record_reveal(ctx: &mut Ctx, trace: &Trace) -> OpResult<()> {
    let operator = ctx.operator.clone();
    let tx = ctx.store.begin()?;
    let after = json!({"trip": trace.trip_id, "contacts": trace.contacts.len()});
    audit(
        &tx,
        &operator,
        "reveal",
        "trace",
        Some(trace.worker),
        None,
        Some(&after),
    )?;
    tx.commit()?;
    Ok(())
}
