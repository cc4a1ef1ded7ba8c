//! Pure planning of one departure day: eligible workers, buses and policy in, a reviewable plan
//! out (batches → buses → seated passengers, unplaced workers with reasons, warnings). No SQL here.
//!
//! The objective, in order (DESIGN §3): place as many eligible workers as possible; use as few
//! buses as possible; as few stops as possible (single-employer buses first, at most
//! `policy.max_stops` employers of one destination city per bus); keep a village together.
//! The same input always gives the same plan: every ordering below uses stable keys.

mod assemble;
mod batch;
mod chain;
mod changes;
mod fingerprint;
mod fleet;
mod pool;
mod seats;
mod warning;

pub use changes::{beyond_expected, differences, Assumption, Expectation, Gate};
pub use fingerprint::Fingerprint;
pub use fleet::{free_from, BusTrip};
pub use seats::{reseat, seat_beside, Seated, Shortfall};
pub use warning::{Change, Warning};

use crate::model::HealthCertificate;
use chrono::NaiveDate;
use serde::Serialize;

/// A worker of the ledger who might travel that day (status registered, not placed yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Row id of the worker.
    pub id: i64,
    pub name: String,
    /// Normalised full number; the caller masks it before showing.
    pub id_number: String,
    /// Home (origin) county, e.g. `旬阳县`.
    pub county: String,
    pub township: String,
    pub village: String,
    pub employer_id: Option<i64>,
    pub cert: HealthCertificate,
}

/// An employer and where its factory gate is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub id: i64,
    pub name: String,
    pub province: String,
    pub city: String,
    pub distance_km: u32,
}

/// A bus free that day at an origin county. An empty `county` means the bus may be sent from
/// any county (used after that county's own buses when capacities tie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusOffer {
    pub id: i64,
    pub plate: String,
    pub rated_seats: u32,
    /// Transport company, or the employer's name when the employer sent the bus itself.
    pub operator: String,
    pub drivers: u32,
    pub county: String,
    pub sealed: bool,
}

/// A batch already written for the day (re-planning continues its numbering and joins it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingBatch {
    pub id: i64,
    pub code: String,
    pub county: String,
    pub province: String,
    pub city: String,
    pub departure: String,
    pub gathering_point: String,
    /// Highest trip ordinal used in the batch (`旬阳-20200221-01-3` → 3); new trips number on.
    pub last_ordinal: u32,
}

/// A trip already planned for the day whose free allowed seats a re-plan may fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTrip {
    pub trip_id: i64,
    /// `旬阳-20200221-01-1`
    pub code: String,
    pub batch_id: i64,
    pub bus: BusOffer,
    /// Capacity written when the trip was planned.
    pub capacity: u32,
    /// Employers whose workers already hold seats on it.
    pub employers: Vec<i64>,
    /// Seat numbers held (planned or boarded); never moved.
    pub taken_seats: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanInput {
    pub date: NaiveDate,
    pub candidates: Vec<Candidate>,
    pub employers: Vec<Destination>,
    pub buses: Vec<BusOffer>,
    pub batches: Vec<ExistingBatch>,
    pub open_trips: Vec<OpenTrip>,
    /// Trips that may keep a bus of `buses` from being offered: every open trip, and each
    /// bus's latest arrival (the bus still has to drive back).
    pub bus_trips: Vec<BusTrip>,
    /// Also list workers who are not eligible (`no-certificate`, `unknown-employer`).
    pub list_ineligible: bool,
    /// What batches still under way assumed about their employers, and the employers now.
    pub assumed: Vec<Assumption>,
    /// Expected and already placed workers of the employers this plan may seat or carries.
    pub expectations: std::collections::BTreeMap<i64, Expectation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnplacedReason {
    /// Eligible, but no seat on any bus available that day.
    NoBus,
    /// Certificate missing, expired or not yet valid on the day.
    NoCertificate,
    /// No employer, or one not in the employer list.
    UnknownEmployer,
}

impl UnplacedReason {
    pub fn as_str(self) -> &'static str {
        match self {
            UnplacedReason::NoBus => "no-bus",
            UnplacedReason::NoCertificate => "no-certificate",
            UnplacedReason::UnknownEmployer => "unknown-employer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplaced {
    pub worker: i64,
    pub name: String,
    pub county: String,
    pub reason: UnplacedReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPassenger {
    pub worker: i64,
    pub name: String,
    pub id_number: String,
    pub township: String,
    pub village: String,
    pub employer_id: i64,
    pub employer: String,
    pub seat: u32,
    pub row: u32,
    pub col: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedBus {
    pub bus_id: i64,
    pub plate: String,
    pub rated_seats: u32,
    pub rows: u32,
    pub capacity: u32,
    pub operator: String,
    pub drivers: u32,
    pub sealed: bool,
    /// The trip row: known for a trip planned earlier (or once applied), `None` for a new bus.
    pub trip_id: Option<i64>,
    /// The trip's code, `旬阳-20200221-01-2`: the batch code and the trip's ordinal in it.
    pub trip_code: String,
    /// True when this plan adds passengers to a trip planned earlier.
    pub existing: bool,
    /// Passengers already on the trip before this plan (0 for a new bus).
    pub already_seated: u32,
    /// Every employer on the bus (earlier passengers included), in stop order.
    pub employer_ids: Vec<i64>,
    pub employers: Vec<String>,
    pub warnings: Vec<Warning>,
    /// Passengers this plan adds, by seat.
    pub passengers: Vec<PlannedPassenger>,
}

impl PlannedBus {
    /// Seats that will be occupied once this plan is applied.
    pub fn load(&self) -> u32 {
        self.already_seated + self.passengers.len() as u32
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedBatch {
    /// The batch row: known for a batch written earlier (or once applied).
    pub batch_id: Option<i64>,
    pub existing: bool,
    /// `旬阳-20200221-01`
    pub code: String,
    pub county: String,
    pub province: String,
    pub city: String,
    /// `2020-02-21T07:00`
    pub departure: String,
    pub gathering_point: String,
    pub buses: Vec<PlannedBus>,
}

/// Quality figure of one (origin county, destination city).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityFigure {
    pub county: String,
    pub province: String,
    pub city: String,
    /// Eligible workers bound there.
    pub workers: u32,
    pub placed: u32,
    /// ⌈(workers − free seats on trips planned earlier) / largest capacity available⌉.
    pub lower_bound: u32,
    /// New buses this plan opens for it.
    pub new_buses: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub date: NaiveDate,
    pub lower_bound: u32,
    pub batches: Vec<PlannedBatch>,
    pub unplaced: Vec<Unplaced>,
    /// Warnings not tied to one bus (idle employer buses, buses of no capacity …).
    pub warnings: Vec<Warning>,
    pub cities: Vec<CityFigure>,
}

impl Plan {
    pub fn buses(&self) -> impl Iterator<Item = (&PlannedBatch, &PlannedBus)> {
        self.batches
            .iter()
            .flat_map(|b| b.buses.iter().map(move |bus| (b, bus)))
    }

    pub fn placed(&self) -> usize {
        self.buses().map(|(_, b)| b.passengers.len()).sum()
    }

    /// Buses this plan opens (trips planned earlier that only receive more passengers excluded).
    pub fn new_buses(&self) -> usize {
        self.buses().filter(|(_, b)| !b.existing).count()
    }

    pub fn is_empty(&self) -> bool {
        self.placed() == 0
    }

    /// A digest of what applying this plan writes (trips, buses, seats, passengers): the same
    /// proposal gives the same text in every run and process.
    pub fn fingerprint(&self) -> String {
        fingerprint::of(self)
    }
}

/// Plans the day. Pure and deterministic: the same input and policy give the same plan.
pub fn plan(input: &PlanInput, policy: &crate::model::Policy) -> Plan {
    let mut plan = assemble::plan(input, policy);
    let mut added: std::collections::BTreeMap<i64, u32> = Default::default();
    for (_, bus) in plan.buses() {
        for p in &bus.passengers {
            *added.entry(p.employer_id).or_default() += 1;
        }
    }
    let name = |id: i64| {
        input
            .employers
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    };
    plan.warnings.extend(changes::warnings(
        &input.assumed,
        &input.expectations,
        &added,
        name,
    ));
    plan
}

/// `changes` once `added` (new passengers per employer) is written: a day planned county by
/// county counts an employer's workers over all of them.
pub fn changes_with(
    assumed: &[Assumption],
    expectations: &std::collections::BTreeMap<i64, Expectation>,
    added: &std::collections::BTreeMap<i64, u32>,
    names: impl Fn(i64) -> String,
) -> Vec<Warning> {
    changes::warnings(assumed, expectations, added, names)
}

/// Warnings about employers changed since planning or placed beyond their expected count,
/// without planning anything (the Destinations and Batches screens).
pub fn changes(
    assumed: &[Assumption],
    expectations: &std::collections::BTreeMap<i64, Expectation>,
    names: impl Fn(i64) -> String,
) -> Vec<Warning> {
    changes::warnings(assumed, expectations, &Default::default(), names)
}
