//! Random departure mornings reshaped through the functions the command line and the console
//! call: plans, walk-ins added to the ledger, checks at the door and their undoing, moves,
//! coach swaps, cancellations and departures, in any order. After every step, whatever was
//! refused: no seat is held twice, no bus breaks a rule of the plan, and every worker is in
//! exactly one place (the pool, one seat, refused, or travelling).

use chrono::NaiveDate;
use proptest::prelude::*;
use rusqlite::{params, Connection};
use std::collections::BTreeMap;
use zhitong::i18n::Lang;
use zhitong::model::{IdNumber, Layout, Policy, SeatUse};
use zhitong::ops::departure::{self as dep, Who};
use zhitong::ops::import::{import_reader, ImportOptions, Kind};
use zhitong::ops::reshape::{self, Person};
use zhitong::ops::{plan, Ctx, OpError, TripRef};
use zhitong::store::Store;

const PLATES: [(&str, u32); 9] = [
    ("陕G21000", 45),
    ("陕G21001", 53),
    ("陕G21002", 35),
    ("陕G21003", 19),
    ("陕G21004", 45),
    ("陕G21005", 33),
    ("陕G21006", 45),
    ("陕G21007", 53),
    ("陕G21008", 35),
];
const VILLAGES: [&str; 3] = ["东门村", "西坡村", "南沟村"];

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 21).unwrap()
}

#[derive(Debug, Clone)]
enum Step {
    Plan,
    /// One more worker in the ledger (a walk-in), of employer `employer`.
    Register {
        employer: usize,
    },
    /// A reading at the door of anyone on a bus not yet gone (a late no-show too).
    Board {
        pick: usize,
        fever: bool,
    },
    NoShow {
        pick: usize,
    },
    Undo {
        pick: usize,
    },
    Move {
        pick: usize,
        to: usize,
        seat: Option<u32>,
    },
    /// `bus`: the n-th open trip.
    Swap {
        bus: usize,
        to: usize,
        keep_crew: bool,
    },
    Cancel {
        bus: usize,
    },
    /// Everyone checked in, then the bus leaves.
    Depart {
        bus: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => Just(Step::Plan),
        1 => (0..3usize).prop_map(|employer| Step::Register { employer }),
        3 => (any::<usize>(), prop::bool::weighted(0.15))
            .prop_map(|(pick, fever)| Step::Board { pick, fever }),
        1 => any::<usize>().prop_map(|pick| Step::NoShow { pick }),
        2 => any::<usize>().prop_map(|pick| Step::Undo { pick }),
        4 => (any::<usize>(), 0..PLATES.len(), prop::option::weighted(0.4, 1u32..54))
            .prop_map(|(pick, to, seat)| Step::Move { pick, to, seat }),
        2 => (any::<usize>(), 0..PLATES.len(), any::<bool>())
            .prop_map(|(bus, to, keep_crew)| Step::Swap { bus, to, keep_crew }),
        1 => any::<usize>().prop_map(|bus| Step::Cancel { bus }),
        1 => any::<usize>().prop_map(|bus| Step::Depart { bus }),
    ]
}

fn id_number(n: u16) -> String {
    let birth =
        NaiveDate::from_ymd_opt(1980, 1 + u32::from(n % 12), 1 + u32::from(n % 28)).unwrap();
    IdNumber::compose("610928", birth, n)
        .unwrap()
        .as_str()
        .to_string()
}

/// Three employers, two of them in one city; 30 workers of three villages; nine coaches.
fn ledger() -> (tempfile::TempDir, Ctx) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("z.db")).unwrap();
    let c = &rusqlite::Connection::open(store.path()).unwrap();
    c.execute_batch(
        "INSERT INTO employers (id, name, province, city, distance_km) VALUES
            (1, '宁波电子', '浙江省', '宁波市', 1600), (2, '宁波纺织', '浙江省', '宁波市', 1600),
            (3, '苏州机械', '江苏省', '苏州市', 1400);",
    )
    .unwrap();
    for n in 0..30u16 {
        add_worker(c, n, 1 + i64::from(n % 3));
    }
    for (plate, seats) in PLATES {
        c.execute(
            "INSERT INTO buses (plate, seats, county, driver1, driver2) VALUES (?1, ?2, '旬阳县', '甲', '乙')",
            params![plate, seats],
        )
        .unwrap();
    }
    let policy = Policy {
        recheck_wait_minutes: 0,
        ..Policy::default()
    };
    (dir, Ctx::new(store, "测试员".into(), policy, Lang::En))
}

fn add_worker(c: &Connection, n: u16, employer: i64) {
    c.execute(
        "INSERT INTO workers (id_number, name, county, township, village, employer_id, cert_issued)
         VALUES (?1, '工人', '旬阳县', '城关镇', ?2, ?3, '2020-02-19')",
        params![id_number(n), VILLAGES[usize::from(n) % 3], employer],
    )
    .unwrap();
}

/// A walk-in registered the way a one-row sheet is: through the import.
fn register(ctx: &mut Ctx, n: u16, employer: usize) -> Result<(), OpError> {
    let name = ["宁波电子", "宁波纺织", "苏州机械"][employer];
    let csv = format!(
        "name,id_number,county,township,village,employer,cert_issued\n\
         新人{n},{},旬阳县,城关镇,东门村,{name},2020-02-20\n",
        id_number(n)
    );
    import_reader(
        ctx,
        Kind::Workers,
        "walk-in.csv",
        Box::new(std::io::Cursor::new(csv.into_bytes())),
        &ImportOptions::default(),
    )
    .map(|_| ())
}

/// (worker row id, id number, trip code) of every passenger holding a seat, by passenger id.
fn holders(c: &Connection) -> Vec<(i64, String, String)> {
    let mut s = c
        .prepare(
            "SELECT w.id, w.id_number, t.code FROM passengers p JOIN workers w ON w.id = p.worker_id
                  JOIN trips t ON t.id = p.trip_id
             WHERE p.status IN ('planned','recheck','boarded') ORDER BY p.id",
        )
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// (worker row id, trip code) of every passenger record on a trip not yet gone, held or not.
fn at_the_door(c: &Connection) -> Vec<(i64, String)> {
    let mut s = c
        .prepare(
            "SELECT p.worker_id, t.code FROM passengers p JOIN trips t ON t.id = p.trip_id
             WHERE t.status IN ('planned','boarding') ORDER BY p.id",
        )
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Every row of the tables an action may change, to tell that a refusal wrote nothing.
fn snapshot(c: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT 'p' || id || trip_id || worker_id || seat || status FROM passengers ORDER BY id",
        "SELECT 't' || id || bus_id || status || capacity FROM trips ORDER BY id",
        "SELECT 'w' || id || status FROM workers ORDER BY id",
    ] {
        let mut s = c.prepare(sql).unwrap();
        out.extend(s.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap));
    }
    out
}

fn is_rule(e: &OpError) -> bool {
    matches!(
        e,
        OpError::Refused { .. } | OpError::Failed(_) | OpError::Usage(_)
    )
}

/// The invariants, as one message per breach.
fn breaches(c: &Connection, policy: &Policy) -> Vec<String> {
    let mut out = Vec::new();
    let one = |sql: &str| -> Vec<String> {
        let mut s = c.prepare(sql).unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // No seat held twice on a trip; nobody holding two seats.
    out.extend(one(
        "SELECT 'seat ' || seat || ' twice on trip ' || trip_id FROM passengers
         WHERE status IN ('planned','recheck','boarded') GROUP BY trip_id, seat HAVING count(*) > 1",
    ));
    out.extend(one(
        "SELECT 'worker ' || worker_id || ' holds two seats' FROM passengers
         WHERE status IN ('planned','recheck','boarded') GROUP BY worker_id HAVING count(*) > 1",
    ));
    // Every worker in exactly one place, and their status says which.
    out.extend(one(
        "SELECT 'worker ' || w.id || ' is ' || w.status || ' but holds ' ||
                COALESCE(p.status || ' on a ' || t.status || ' trip', 'no seat')
         FROM workers w
         LEFT JOIN passengers p ON p.worker_id = w.id AND p.status IN ('planned','recheck','boarded')
         LEFT JOIN trips t ON t.id = p.trip_id
         WHERE NOT CASE w.status
             WHEN 'registered' THEN p.id IS NULL
             WHEN 'refused' THEN p.id IS NULL
             WHEN 'planned' THEN p.status IN ('planned','recheck') AND t.status IN ('planned','boarding')
             WHEN 'boarded' THEN p.status = 'boarded' AND t.status IN ('planned','boarding')
             WHEN 'departed' THEN p.status = 'boarded' AND t.status = 'departed'
             ELSE 0 END",
    ));
    // Nobody on a cancelled trip.
    out.extend(one(
        "SELECT 'a seat held on cancelled trip ' || t.code FROM passengers p
         JOIN trips t ON t.id = p.trip_id
         WHERE t.status = 'cancelled' AND p.status IN ('planned','recheck','boarded')",
    ));
    // Every bus keeps the plan's rules: its layout, capacity, seats, stops and city.
    let mut s = c
        .prepare(
            "SELECT t.id, t.code, t.status, t.capacity, t.rows, bus.seats, b.province || b.city
             FROM trips t JOIN buses bus ON bus.id = t.bus_id JOIN batches b ON b.id = t.batch_id
             WHERE t.status IN ('planned','boarding','departed')",
        )
        .unwrap();
    let trips: Vec<(i64, String, String, u32, u32, u32, String)> = s
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut open_of_bus: BTreeMap<String, u32> = BTreeMap::new();
    for (id, code, status, capacity, rows, seats, city) in trips {
        let layout = Layout::new(seats, policy);
        if capacity > layout.capacity() || rows != layout.rows {
            out.push(format!(
                "{code}: capacity {capacity}/{rows} rows on a {seats}-seat coach"
            ));
        }
        let mut s = c
            .prepare(
                "SELECT p.seat, w.employer_id, e.province || e.city FROM passengers p
                      JOIN workers w ON w.id = p.worker_id JOIN employers e ON e.id = w.employer_id
                 WHERE p.trip_id = ?1 AND p.status IN ('planned','recheck','boarded')",
            )
            .unwrap();
        let held: Vec<(u32, i64, String)> = s
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        if held.len() as u32 > capacity {
            out.push(format!(
                "{code}: {} passengers over capacity {capacity}",
                held.len()
            ));
        }
        let mut employers: Vec<i64> = held.iter().map(|h| h.1).collect();
        employers.sort_unstable();
        employers.dedup();
        if employers.len() as u32 > policy.max_stops {
            out.push(format!("{code}: {} employers", employers.len()));
        }
        for (seat, _, to) in &held {
            let usage = layout.seat(*seat).map(|s| s.usage);
            let ok = usage == Some(SeatUse::Allowed)
                || (status == "departed" && usage == Some(SeatUse::Observation));
            if !ok {
                out.push(format!("{code}: seat {seat} is {usage:?}"));
            }
            if *to != city {
                out.push(format!("{code} goes to {city}, a passenger to {to}"));
            }
        }
        let plate: String = c
            .query_row(
                "SELECT bus.plate FROM trips t JOIN buses bus ON bus.id = t.bus_id WHERE t.id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        *open_of_bus.entry(plate).or_default() += 1;
    }
    out.extend(
        open_of_bus
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(p, n)| format!("{p} has {n} open trips")),
    );
    out
}

/// The `n`-th trip not yet arrived or cancelled (by id), else a bus with none.
fn trip_at(c: &Connection, n: usize) -> TripRef {
    let mut s = c
        .prepare(
            "SELECT code FROM trips WHERE status IN ('planned','boarding','departed') ORDER BY id",
        )
        .unwrap();
    let codes: Vec<String> = s
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    match codes.get(n % codes.len().max(1)) {
        Some(code) => TripRef::code(code.clone()),
        None => TripRef::bus(PLATES[n % PLATES.len()].0),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn reshaping_in_any_order_keeps_every_seat_bus_and_worker_right(
        steps in prop::collection::vec(step(), 1..28)
    ) {
        let (_dir, mut ctx) = ledger();
        let policy = ctx.policy.clone();
        let mut next_walk_in = 100u16;
        for st in steps {
            let before = snapshot(&rusqlite::Connection::open(ctx.store.path()).unwrap());
            let placed = holders(&rusqlite::Connection::open(ctx.store.path()).unwrap());
            let door = at_the_door(&rusqlite::Connection::open(ctx.store.path()).unwrap());
            let pick = |i: usize| placed.get(i % placed.len().max(1)).cloned();
            let result: Result<(), OpError> = match st.clone() {
                Step::Plan => plan::apply(&mut ctx, day(), None).map(|_| ()),
                Step::Register { employer } => {
                    next_walk_in += 1;
                    register(&mut ctx, next_walk_in, employer)
                }
                Step::Board { pick: i, fever } => match door.get(i % door.len().max(1)).cloned() {
                    Some((w, code)) => dep::board(
                        &mut ctx,
                        TripRef::code(code),
                        Who::Worker(w),
                        if fever { "38.2" } else { "36.5" },
                    )
                    .map(|_| ()),
                    None => Ok(()),
                },
                Step::NoShow { pick: i } => match pick(i) {
                    Some((w, _, code)) => dep::refuse(
                        &mut ctx,
                        TripRef::code(code),
                        Who::Worker(w),
                        zhitong::model::RefuseReason::NoShow,
                    )
                    .map(|_| ()),
                    None => Ok(()),
                },
                Step::Undo { pick: i } => match door.get(i % door.len().max(1)).cloned() {
                    Some((w, code)) => {
                        dep::undo(&mut ctx, TripRef::code(code), Who::Worker(w), "认错人").map(|_| ())
                    }
                    None => Ok(()),
                },
                Step::Move { pick: i, to, seat } => match pick(i) {
                    Some((_, idn, _)) => reshape::move_passenger(
                        &mut ctx,
                        Person::IdNumber(&idn),
                        TripRef::bus(PLATES[to].0),
                        seat,
                        None,
                    )
                    .map(|_| ()),
                    None => Ok(()),
                },
                Step::Swap { bus, to, keep_crew } => {
                    let which = trip_at(&rusqlite::Connection::open(ctx.store.path()).unwrap(), bus);
                    reshape::swap(&mut ctx, which, PLATES[to].0, Some("故障"), keep_crew).map(|_| ())
                }
                Step::Cancel { bus } => {
                    let which = trip_at(&rusqlite::Connection::open(ctx.store.path()).unwrap(), bus);
                    reshape::cancel(&mut ctx, which, "取消").map(|_| ())
                }
                Step::Depart { bus } => {
                    let which = trip_at(&rusqlite::Connection::open(ctx.store.path()).unwrap(), bus);
                    if let TripRef::Code(code) = which.clone() {
                        let ids: Vec<(i64, String, String)> = holders(&rusqlite::Connection::open(ctx.store.path()).unwrap())
                            .into_iter()
                            .filter(|h| h.2 == code)
                            .collect();
                        for (w, _, _) in ids {
                            let _ = dep::board(&mut ctx, TripRef::code(code.clone()), Who::Worker(w), "36.5");
                        }
                    }
                    dep::depart(&mut ctx, which).map(|_| ())
                }
            };
            match &result {
                Ok(()) => {}
                Err(e) => {
                    prop_assert!(is_rule(e), "{:?} failed outside the rules: {}", st, e);
                    let recorded = matches!(e, OpError::Refused { code, .. }
                        if dep::RECORDED_REFUSALS.contains(code));
                    if !recorded && !matches!(st, Step::Depart { .. }) {
                        prop_assert_eq!(&before, &snapshot(&rusqlite::Connection::open(ctx.store.path()).unwrap()), "{:?} was refused ({}) yet wrote", st, e);
                    }
                }
            }
            let broken = breaches(&rusqlite::Connection::open(ctx.store.path()).unwrap(), &policy);
            prop_assert!(broken.is_empty(), "after {:?} ({:?}): {:?}", st, result.err().map(|e| e.to_string()), broken);
        }
    }
}
