//! Planning through the user actions on a real database file: applying twice adds nothing,
//! re-planning never moves anyone and fills free seats of trips planned earlier first.

#[path = "fixtures/plan/support.rs"]
mod support;

use chrono::NaiveDate;
use rusqlite::params;
use zhitong::i18n::Lang;
use zhitong::model::{IdNumber, Policy};
use zhitong::ops::{plan, Ctx};
use zhitong::store::Store;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 21).unwrap()
}

fn ctx(db: &std::path::Path) -> Ctx {
    Ctx::new(
        Store::open(db).unwrap(),
        "王科长".into(),
        Policy::default(),
        Lang::En,
    )
}

/// (worker, trip, seat) of every held seat.
fn seats(ctx: &Ctx) -> Vec<(i64, i64, u32)> {
    let conn = rusqlite::Connection::open(ctx.store.path()).unwrap();
    let mut stmt = conn.prepare("SELECT worker_id, trip_id, seat FROM passengers WHERE status IN ('planned','boarded') ORDER BY worker_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn add_workers(ctx: &Ctx, employer: &str, n: u16, first_seq: u16) {
    for i in 0..n {
        let birth = NaiveDate::from_ymd_opt(1990, 3, 1).unwrap();
        let id = IdNumber::compose("610928", birth, first_seq + i).unwrap();
        rusqlite::Connection::open(ctx.store.path()).unwrap()
            .execute(
                "INSERT INTO workers (name, id_number, county, township, village, employer_id, cert_issued)
                 VALUES (?1, ?2, '旬阳县', '仙河镇', '桂花村', (SELECT id FROM employers WHERE name = ?3), '2020-02-20')",
                params![format!("新{i}"), id.as_str(), employer],
            )
            .unwrap();
    }
}

#[test]
fn propose_writes_nothing_and_apply_matches_it() {
    let (_d, db) = support::ledger_db();
    let mut c = ctx(&db);
    let proposed = plan::propose(&c, day(), None).unwrap();
    assert!(seats(&c).is_empty());
    let applied = plan::apply(&mut c, day(), None).unwrap();
    let shape = |p: &zhitong::plan::Plan| {
        p.buses()
            .flat_map(|(b, bus)| {
                bus.passengers
                    .iter()
                    .map(move |x| (b.code.clone(), bus.plate.clone(), x.worker, x.seat))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&proposed), shape(&applied));
    assert!(applied.batches.iter().all(|b| b.batch_id.is_some()));
    assert!(applied.buses().all(|(_, b)| b.trip_id.is_some()));
    assert_eq!(seats(&c).len(), applied.placed());
}

#[test]
fn applying_twice_adds_nothing() {
    let (_d, db) = support::ledger_db();
    let mut c = ctx(&db);
    let first = plan::apply(&mut c, day(), Some("旬阳县")).unwrap();
    let held = seats(&c);
    let audit: i64 = rusqlite::Connection::open(c.store.path())
        .unwrap()
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    let second = plan::apply(&mut c, day(), Some("旬阳县")).unwrap();
    assert!(first.placed() > 0);
    assert_eq!(second.placed(), 0);
    assert_eq!(seats(&c), held);
    let audit2: i64 = rusqlite::Connection::open(c.store.path())
        .unwrap()
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audit, audit2);
}

#[test]
fn replanning_never_moves_anyone_and_fills_planned_trips_first() {
    let (_d, db) = support::ledger_db();
    let mut c = ctx(&db);
    plan::apply(&mut c, day(), Some("旬阳")).unwrap();
    let held = seats(&c);
    // 陕G21002 to 宁波 holds 6 of 12: five more 服装厂 workers fit there without a new bus.
    add_workers(&c, "宁波申洲服装厂", 5, 700);
    let again = plan::apply(&mut c, day(), Some("旬阳")).unwrap();
    assert_eq!(again.placed(), 5);
    assert_eq!(again.new_buses(), 0);
    let (batch, bus) = again.buses().next().unwrap();
    assert_eq!(bus.plate, "陕G21002");
    assert!(bus.existing && batch.existing);
    assert_eq!(batch.code, "旬阳-20200221-02");
    let now = seats(&c);
    for s in &held {
        assert!(now.contains(s), "{s:?} moved");
    }
    assert_eq!(now.len(), held.len() + 5);
    let trips: i64 = rusqlite::Connection::open(c.store.path())
        .unwrap()
        .query_row("SELECT COUNT(*) FROM trips", [], |r| r.get(0))
        .unwrap();
    assert_eq!(trips, 5);
}

#[test]
fn new_route_on_replan_continues_the_batch_numbers() {
    let (_d, db) = support::ledger_db();
    let mut c = ctx(&db);
    plan::apply(&mut c, day(), Some("旬阳县")).unwrap();
    rusqlite::Connection::open(c.store.path()).unwrap()
        .execute_batch(
            "INSERT INTO employers (name, province, city, distance_km) VALUES ('深圳华强电子', '广东省', '深圳市', 1500);
             INSERT INTO buses (plate, seats, operator, driver1, driver2, county) VALUES ('陕G21010', 45, '安康汽运', '甲', '乙', '旬阳县');",
        )
        .unwrap();
    add_workers(&c, "深圳华强电子", 3, 800);
    let again = plan::apply(&mut c, day(), Some("旬阳县")).unwrap();
    let codes: Vec<&str> = again.batches.iter().map(|b| b.code.as_str()).collect();
    assert_eq!(codes, ["旬阳-20200221-04"]);
    assert_eq!(again.buses().next().unwrap().1.plate, "陕G21010");
}

#[test]
fn refused_seat_is_free_again_on_replan() {
    let (_d, db) = support::ledger_db();
    let mut c = ctx(&db);
    plan::apply(&mut c, day(), Some("旬阳县")).unwrap();
    // The attendant refuses one passenger of 陕G21000 (苏州): the seat may be given again.
    let (pid, seat): (i64, u32) = rusqlite::Connection::open(c.store.path())
        .unwrap()
        .query_row(
            "SELECT p.id, p.seat FROM passengers p JOIN trips t ON t.id = p.trip_id
             JOIN buses b ON b.id = t.bus_id WHERE b.plate = '陕G21000' ORDER BY p.seat LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    rusqlite::Connection::open(c.store.path())
        .unwrap()
        .execute(
            "UPDATE passengers SET status = 'refused', refused_reason = 'fever' WHERE id = ?1",
            [pid],
        )
        .unwrap();
    // Capacity 18 held 14, now 13: five new 苏州 workers fit, one of them in the freed seat.
    add_workers(&c, "苏州精密机械厂", 5, 900);
    let again = plan::apply(&mut c, day(), Some("旬阳县")).unwrap();
    assert_eq!(again.placed(), 5);
    let bus = again.buses().next().unwrap().1;
    assert_eq!(bus.plate, "陕G21000");
    assert!(bus.passengers.iter().any(|p| p.seat == seat));
    assert_eq!(bus.load(), 18);
}

#[test]
fn two_terminals_applying_at_once_place_everyone_once() {
    let (_d, db) = support::ledger_db();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let db = db.clone();
            std::thread::spawn(move || plan::apply(&mut ctx(&db), day(), None).map(|p| p.placed()))
        })
        .collect();
    let placed: Vec<usize> = runs
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .collect();
    // Both plan the same batches and write them batch by batch; whichever finds a batch taken
    // plans again and places only who is left: together they place everyone, once.
    assert_eq!(placed.iter().sum::<usize>(), 65);
    assert_eq!(seats(&ctx(&db)).len(), 65);
}

/// What a plan places and says, in comparable form: batch, trip, plate, worker, seat.
type Placed = std::collections::BTreeSet<(String, String, String, i64, u32)>;

fn placed(plan: &zhitong::plan::Plan, into: &mut Placed) {
    for (batch, bus) in plan.buses() {
        for p in &bus.passengers {
            into.insert((
                batch.code.clone(),
                bus.trip_code.clone(),
                bus.plate.clone(),
                p.worker,
                p.seat,
            ));
        }
    }
}

#[test]
fn a_city_planned_county_by_county_is_the_plan_of_one_pass() {
    use zhitong::plan::Warning;
    let dir = tempfile::tempdir().unwrap();
    let mut c = ctx(&dir.path().join("city.db"));
    c.today = day();
    // Ten counties, employers in many cities, buses of every county and some of none.
    let spec = zhitong::ops::demo::LedgerSpec::scaled(6000, 7, day());
    zhitong::ops::demo::build(&mut c, &spec).unwrap();
    // The day before, one county's plan was written: those buses (some of them free to leave
    // from any county) are on a trip and held back today.
    let before = day().pred_opt().unwrap();
    let counties: Vec<String> = rusqlite::Connection::open(c.store.path())
        .unwrap()
        .prepare("SELECT DISTINCT county FROM workers WHERE county <> '' ORDER BY 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let yesterday = plan::apply(&mut c, before, Some(&counties[1])).unwrap();
    let away: std::collections::BTreeSet<String> =
        yesterday.buses().map(|(_, b)| b.plate.clone()).collect();
    assert!(!away.is_empty());
    let whole = plan::propose(&c, day(), None).unwrap();
    let (mut one_pass, mut by_county) = (Placed::new(), Placed::new());
    placed(&whole, &mut one_pass);
    let (mut lower_bound, mut unplaced, mut counted) = (0, vec![], 0);
    let mut plates = std::collections::BTreeSet::new();
    let end = plan::propose_each(&c, day(), None, |p| {
        counted += 1;
        placed(&p, &mut by_county);
        plates.extend(p.buses().map(|(_, b)| b.plate.clone()));
        lower_bound += p.lower_bound;
        unplaced.extend(p.unplaced);
        assert!(p.warnings.is_empty(), "said once, at the end");
        Ok(())
    })
    .unwrap();
    assert!(counted >= 5, "{counted} counties");
    assert!(one_pass.len() > 1000, "{} placed", one_pass.len());
    assert_eq!(by_county, one_pass);
    assert_eq!(lower_bound, whole.lower_bound);
    assert_eq!(end.lower_bound, whole.lower_bound);
    let key = |u: &zhitong::plan::Unplaced| (u.reason, u.county.clone(), u.worker);
    let mut a: Vec<_> = unplaced.iter().map(key).collect();
    let mut b: Vec<_> = whole.unplaced.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // The same warnings in the same order, each held-back bus named once; none of them is used.
    assert_eq!(end.warnings, whole.warnings);
    let held: std::collections::BTreeSet<String> = end
        .warnings
        .iter()
        .filter(|w| matches!(w, Warning::BusBusy { .. }))
        .filter_map(|w| w.plate().map(str::to_string))
        .collect();
    assert_eq!(held, away);
    assert!(plates.is_disjoint(&away), "a bus on the road was planned");
    // One fingerprint, made as the counties came: what `plan --apply --expect` compares.
    assert_eq!(end.fingerprint, whole.fingerprint());
}
