//! Random days of dispatch through the same functions the command line and the console call:
//! plans, departures and arrivals over several days, by plate or by trip code, the clock moving
//! on. Whatever the order: no bus ever has two open trips, a bus is never planned while away,
//! and every action changes the trip it names and no other.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use proptest::prelude::*;
use rusqlite::{params, Connection};
use std::collections::BTreeMap;
use zhitong::clock;
use zhitong::i18n::Lang;
use zhitong::model::{IdNumber, Policy, RefuseReason, SeatStatus, TripStatus};
use zhitong::ops::departure::{self as dep, Who};
use zhitong::ops::{plan, Ctx, OpError, TripRef};
use zhitong::store::{trips, Db, Store};

const PLATES: [&str; 4] = ["陕G21000", "陕G21001", "陕G21002", "陕G21003"];

#[derive(Debug, Clone)]
enum Step {
    Plan,
    /// Check everyone in (the first of them a no-show when asked) and leave.
    Depart {
        bus: usize,
        by_code: bool,
        no_show: bool,
    },
    Arrive {
        bus: usize,
        by_code: bool,
    },
    /// The clock moves on.
    Wait {
        hours: i64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => Just(Step::Plan),
        3 => (0..PLATES.len(), any::<bool>(), prop::bool::weighted(0.2))
            .prop_map(|(bus, by_code, no_show)| Step::Depart { bus, by_code, no_show }),
        3 => (0..PLATES.len(), any::<bool>()).prop_map(|(bus, by_code)| Step::Arrive { bus, by_code }),
        2 => (1i64..=30).prop_map(|hours| Step::Wait { hours }),
    ]
}

/// Two employers at `km` each, 12 workers for each with certificates valid all month, four
/// coaches of the county.
fn ledger(km: [u32; 2]) -> (tempfile::TempDir, Ctx) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("z.db")).unwrap();
    let c = &rusqlite::Connection::open(store.path()).unwrap();
    for (i, d) in km.iter().enumerate() {
        c.execute(
            "INSERT INTO employers (id, name, province, city, distance_km) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![i as i64 + 1, format!("企业{i}"), "浙江省", ["绍兴市", "郑州市"][i], d],
        )
        .unwrap();
    }
    for n in 0..24u16 {
        let birth =
            NaiveDate::from_ymd_opt(1985, 1 + u32::from(n % 12), 1 + u32::from(n % 28)).unwrap();
        let id = IdNumber::compose("610928", birth, n).unwrap();
        c.execute(
            "INSERT INTO workers (id_number, name, county, employer_id, cert_issued, cert_valid_until)
             VALUES (?1, '工人', '旬阳县', ?2, '2020-02-01', '2020-03-31')",
            params![id.as_str(), 1 + i64::from(n % 2)],
        )
        .unwrap();
    }
    for p in PLATES {
        c.execute(
            "INSERT INTO buses (plate, seats, county, driver1, driver2) VALUES (?1, 45, '旬阳县', '甲', '乙')",
            [p],
        )
        .unwrap();
    }
    let ctx = Ctx::new(store, "测试员".into(), Policy::default(), Lang::En);
    (dir, ctx)
}

/// What an action may change: every trip's row and every passenger's place.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    trips: BTreeMap<i64, (String, Option<String>, Option<String>)>,
    passengers: BTreeMap<i64, (i64, String)>,
}

fn snapshot(c: &Connection) -> Snapshot {
    let mut s = c
        .prepare("SELECT id, status, departed_at, arrived_at FROM trips")
        .unwrap();
    let trips = s
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut s = c
        .prepare("SELECT id, trip_id, status FROM passengers")
        .unwrap();
    let passengers = s
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    Snapshot { trips, passengers }
}

/// Trips whose row or passengers changed between two snapshots.
fn touched(before: &Snapshot, after: &Snapshot) -> Vec<i64> {
    let mut out: Vec<i64> = after
        .trips
        .iter()
        .filter(|(id, row)| before.trips.get(id) != Some(row))
        .map(|(id, _)| *id)
        .collect();
    for (id, row) in &after.passengers {
        if before.passengers.get(id) != Some(row) {
            out.push(row.0);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn open_trip_counts(c: &Connection) -> Vec<(String, i64)> {
    let mut s = c
        .prepare(
            "SELECT bus.plate, SUM(t.status IN ('planned','boarding','departed'))
             FROM buses bus JOIN trips t ON t.bus_id = bus.id GROUP BY bus.id",
        )
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The trip a step names: the bus's open trip by plate, or (by code) that trip, else the bus's
/// last trip whatever its state.
fn named(c: &Db<'_>, bus: usize, by_code: bool) -> (TripRef, Option<trips::TripInfo>) {
    let plate = PLATES[bus];
    let open = trips::open_trips_of_bus(c, plate).unwrap();
    if !by_code {
        return (TripRef::bus(plate), open.into_iter().next());
    }
    let t = open
        .into_iter()
        .next()
        .or_else(|| trips::last_trip_of_bus(c, plate).unwrap());
    match t {
        Some(t) => (TripRef::code(t.code.clone()), Some(t)),
        None => (TripRef::bus(plate), None),
    }
}

fn refusal(e: &OpError) -> Option<&str> {
    match e {
        OpError::Refused { code, .. } => Some(code.as_str()),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn every_action_lands_on_the_trip_it_names(
        km in [100u32..2500, 100u32..2500],
        steps in prop::collection::vec(step(), 1..30),
    ) {
        let (_dir, mut ctx) = ledger(km);
        let policy = Policy::default();
        let mut now: DateTime<FixedOffset> =
            DateTime::parse_from_rfc3339("2020-02-21T06:00:00+08:00").unwrap();
        for s in steps {
            clock::set_thread(Some(now));
            let before = snapshot(&rusqlite::Connection::open(ctx.store.path()).unwrap());
            match s {
                Step::Wait { hours } => now += Duration::hours(hours),
                Step::Plan => {
                    let day = now.date_naive();
                    let written = plan::apply(&mut ctx, day, None).unwrap();
                    for (_, bus) in written.buses().filter(|(_, b)| !b.existing) {
                        // Nobody planned a bus that was away: no open trip, home from the last.
                        let c = &ctx.store.db();
                        let open: Vec<_> = trips::open_trips_of_bus(c, &bus.plate)
                            .unwrap()
                            .into_iter()
                            .filter(|t| Some(t.trip_id) != bus.trip_id)
                            .collect();
                        prop_assert!(open.is_empty(), "{} planned while on {:?}", bus.plate, open);
                        // Home from its last trip: arrival day + ⌈km / 800⌉, counted here apart.
                        let held = zhitong::store::plans::bus_trips(c)
                            .unwrap()
                            .into_iter()
                            .filter(|t| t.bus_id == bus.bus_id && t.status == TripStatus::Arrived)
                            .filter(|t| {
                                let days = t.distance_km.div_ceil(policy.return_km_per_day);
                                t.arrived_on.unwrap() + chrono::Days::new(u64::from(days)) > day
                            })
                            .collect::<Vec<_>>();
                        prop_assert!(held.is_empty(), "{} planned before it was home", bus.plate);
                    }
                }
                Step::Depart { bus, by_code, no_show } => {
                    let (which, trip) = named(&ctx.store.db(), bus, by_code);
                    let open = trip.as_ref().filter(|t| {
                        matches!(t.status, TripStatus::Planned | TripStatus::Boarding)
                    });
                    if let Some(t) = open {
                        let roster = trips::roster(&ctx.store.db(), t.trip_id).unwrap();
                        for (k, p) in roster.iter().filter(|p| p.status == SeatStatus::Planned).enumerate() {
                            let at = TripRef::code(t.code.clone());
                            let done = if no_show && k == 0 {
                                dep::refuse(&mut ctx, at, Who::Seat(p.seat), RefuseReason::NoShow)
                            } else {
                                dep::board(&mut ctx, at, Who::Seat(p.seat), "36.5")
                            };
                            prop_assert_eq!(done.unwrap().trip_id, t.trip_id);
                        }
                    }
                    let before = snapshot(&rusqlite::Connection::open(ctx.store.path()).unwrap());
                    match (dep::depart(&mut ctx, &which), &trip) {
                        (Ok(left), Some(t)) => {
                            prop_assert_eq!(left.trip_id, t.trip_id);
                            prop_assert_eq!(left.status, TripStatus::Departed);
                        }
                        (Ok(left), None) => prop_assert!(false, "departed {} with no trip named", left.code),
                        (Err(e), Some(t)) => {
                            let code = refusal(&e);
                            prop_assert!(
                                matches!(code, Some("closed" | "empty")),
                                "{:?} on {} ({})", e, t.code, t.status
                            );
                        }
                        (Err(e), None) => prop_assert!(matches!(e, OpError::Failed(_)), "{:?}", e),
                    }
                    let after = snapshot(&rusqlite::Connection::open(ctx.store.path()).unwrap());
                    let changed = touched(&before, &after);
                    prop_assert!(
                        changed.iter().all(|id| Some(*id) == trip.as_ref().map(|t| t.trip_id)),
                        "depart of {} changed trips {:?}", which, changed
                    );
                }
                Step::Arrive { bus, by_code } => {
                    let (which, trip) = named(&ctx.store.db(), bus, by_code);
                    match (dep::arrive(&mut ctx, &which, Some("接收人"), None), &trip) {
                        (Ok(a), Some(t)) => {
                            prop_assert_eq!(a.trip_id, t.trip_id);
                            prop_assert_eq!(&a.trip, &t.code);
                            prop_assert_eq!(t.status, TripStatus::Departed);
                            prop_assert_eq!(clock::day_of(&a.arrived_at), Some(now.date_naive()));
                        }
                        (Ok(a), None) => prop_assert!(false, "arrived {} with no trip named", a.trip),
                        (Err(e), Some(t)) => prop_assert!(
                            matches!(refusal(&e), Some("closed" | "not-departed")),
                            "{:?} on {} ({})", e, t.code, t.status
                        ),
                        (Err(e), None) => prop_assert!(matches!(e, OpError::Failed(_)), "{:?}", e),
                    }
                    let after = snapshot(&rusqlite::Connection::open(ctx.store.path()).unwrap());
                    let changed = touched(&before, &after);
                    prop_assert!(
                        changed.iter().all(|id| Some(*id) == trip.as_ref().map(|t| t.trip_id)),
                        "arrive of {} changed trips {:?}", which, changed
                    );
                }
            }
            for (plate, open) in open_trip_counts(&rusqlite::Connection::open(ctx.store.path()).unwrap()) {
                prop_assert!(open <= 1, "{} has {} open trips", plate, open);
            }
        }
        clock::set_thread(None);
    }
}
