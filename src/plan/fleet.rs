//! A bus is busy until it is back: it is not offered while it has an open trip, nor after an
//! arrival until the drive home is done — free again from the arrival day plus
//! ⌈distance / `return_km_per_day`⌉ days. A bus held back is named in the plan's warnings
//! with the day it is free again.

use super::{BusOffer, PlanInput, Warning};
use crate::model::{Policy, TripStatus};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// A trip of a bus that may keep it from the day's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusTrip {
    pub bus_id: i64,
    /// `旬阳-20200221-01-1`
    pub code: String,
    pub status: TripStatus,
    /// The day it leaves.
    pub date: NaiveDate,
    /// The day it arrived at the factory gate (arrived trips).
    pub arrived_on: Option<NaiveDate>,
    /// The longest route of the employers it carries, km.
    pub distance_km: u32,
}

/// Days the drive home takes: ⌈distance / return_km_per_day⌉.
fn return_days(distance_km: u32, policy: &Policy) -> u64 {
    u64::from(distance_km.div_ceil(policy.return_km_per_day.max(1)))
}

/// The first day `trip` lets its bus be planned again on or after `day`; `None` when it does not
/// hold the bus on `day`. A trip still open holds its bus whatever the dates: it is free at the
/// earliest once it could have arrived (`day` at the soonest) and driven back, and never on
/// `day` itself.
pub fn free_from(trip: &BusTrip, day: NaiveDate, policy: &Policy) -> Option<NaiveDate> {
    let back = Days::new(return_days(trip.distance_km, policy));
    match trip.status {
        TripStatus::Cancelled => None,
        TripStatus::Arrived => {
            let free = trip.arrived_on?.checked_add_days(back)?;
            (free > day).then_some(free)
        }
        TripStatus::Planned | TripStatus::Boarding | TripStatus::Departed => {
            let earliest = trip.date.max(day).checked_add_days(back)?;
            Some(earliest.max(day.succ_opt()?))
        }
    }
}

/// Splits the offered buses into those free on the plan's day and warnings for those held back
/// (one per bus, naming the trip that holds it longest), in plate order.
pub(super) fn held_back<'a>(
    input: &'a PlanInput,
    policy: &Policy,
) -> (Vec<&'a BusOffer>, Vec<Warning>) {
    let mut holds: BTreeMap<i64, (NaiveDate, &BusTrip)> = BTreeMap::new();
    for t in &input.bus_trips {
        let Some(free) = free_from(t, input.date, policy) else {
            continue;
        };
        let e = holds.entry(t.bus_id).or_insert((free, t));
        if free > e.0 {
            *e = (free, t);
        }
    }
    let mut free = Vec::with_capacity(input.buses.len());
    let mut warnings = Vec::new();
    for b in &input.buses {
        match holds.get(&b.id) {
            None => free.push(b),
            Some((until, t)) => warnings.push(Warning::BusBusy {
                plate: b.plate.clone(),
                trip: t.code.clone(),
                status: t.status,
                arrived_on: t.arrived_on,
                free_from: *until,
            }),
        }
    }
    warnings.sort();
    (free, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 2, day).unwrap()
    }

    fn trip(status: TripStatus, date: u32, arrived: Option<u32>, km: u32) -> BusTrip {
        BusTrip {
            bus_id: 1,
            code: "旬阳-20200221-01-1".into(),
            status,
            date: d(date),
            arrived_on: arrived.map(d),
            distance_km: km,
        }
    }

    #[test]
    fn an_arrived_bus_is_free_once_it_has_driven_back() {
        let p = Policy::default();
        // 600 km: one day home, so free the day after arrival.
        let t = trip(TripStatus::Arrived, 21, Some(21), 600);
        assert_eq!(free_from(&t, d(21), &p), Some(d(22)));
        assert_eq!(free_from(&t, d(22), &p), None);
        // 1,500 km, arrived on the 22nd: two days home.
        let t = trip(TripStatus::Arrived, 21, Some(22), 1500);
        assert_eq!(free_from(&t, d(23), &p), Some(d(24)));
        assert_eq!(free_from(&t, d(24), &p), None);
        // Exactly 800 km is one day; 801 is two.
        assert_eq!(
            free_from(&trip(TripStatus::Arrived, 21, Some(21), 800), d(21), &p),
            Some(d(22))
        );
        assert_eq!(
            free_from(&trip(TripStatus::Arrived, 21, Some(21), 801), d(22), &p),
            Some(d(23))
        );
        let slow = Policy {
            return_km_per_day: 500,
            ..Policy::default()
        };
        assert_eq!(
            free_from(&trip(TripStatus::Arrived, 21, Some(21), 600), d(22), &slow),
            Some(d(23))
        );
    }

    #[test]
    fn an_open_trip_holds_its_bus_whatever_the_dates() {
        let p = Policy::default();
        let on_road = trip(TripStatus::Departed, 21, None, 1500);
        assert_eq!(free_from(&on_road, d(22), &p), Some(d(24)));
        // Still out days later: at the earliest it arrives today and drives two days home.
        assert_eq!(
            free_from(&on_road, d(28), &p),
            NaiveDate::from_ymd_opt(2020, 3, 1)
        );
        // Planned for a later day: not offered before either.
        let later = trip(TripStatus::Planned, 25, None, 300);
        assert_eq!(free_from(&later, d(22), &p), Some(d(26)));
        // Even with no distance known, not on the day itself.
        let short = trip(TripStatus::Boarding, 22, None, 0);
        assert_eq!(free_from(&short, d(22), &p), Some(d(23)));
        assert_eq!(
            free_from(&trip(TripStatus::Cancelled, 22, None, 900), d(22), &p),
            None
        );
    }
}
