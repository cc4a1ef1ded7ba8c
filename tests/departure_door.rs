//! The rules at the bus door, through the same functions the console and the command line call.

#[path = "fixtures/departure/mod.rs"]
mod fixture;

use fixture::{build, id, BUS, OTHER_BUS};
use zhitong::model::{RefuseReason, SeatStatus};
use zhitong::ops::departure::{self as dep, Who};
use zhitong::ops::{OpError, TripRef};
use zhitong::store::trips;

fn code(e: &OpError) -> &str {
    match e {
        OpError::Refused { code, .. } => code.as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn boarding_records_temperature_and_moves_trip_and_worker_on() {
    let f = build(6);
    let mut ctx = f.ctx();
    assert_eq!(f.trip_status(1), "planned");
    let p = dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "36.5").unwrap();
    assert_eq!(
        (p.seat, p.status, p.temperature),
        (1, SeatStatus::Boarded, Some(36.5))
    );
    assert!(p.boarded_at.is_some());
    assert_eq!(f.trip_status(1), "boarding");
    assert_eq!(f.worker_status(&id(100)), "boarded");
    // By seat, with the Celsius sign some phones type.
    let p = dep::board(&mut ctx, BUS, Who::Seat(4), "36.8℃").unwrap();
    assert_eq!(p.worker_id, f.worker_id(&id(101)));
    let c = dep::counts(&trips::roster(&ctx.store.db(), 1).unwrap());
    assert_eq!((c.expected, c.boarded, c.missing), (6, 2, 4));
}

#[test]
fn id_number_typed_in_lower_case_or_full_width_is_found() {
    let f = build(6);
    let mut ctx = f.ctx();
    let typed: String = id(102)
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
        .collect();
    let p = dep::board(&mut ctx, "陕g·21000", Who::IdNumber(&typed), "36.2").unwrap();
    assert_eq!(p.status, SeatStatus::Boarded);
}

#[test]
fn boarding_again_keeps_the_new_reading_and_changes_nothing_else() {
    let f = build(6);
    let mut ctx = f.ctx();
    dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "36.5").unwrap();
    let boards = f.count("SELECT COUNT(*) FROM audit WHERE action = 'board'");
    let again = dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "36.9").unwrap();
    assert_eq!(again.status, SeatStatus::Boarded);
    assert_eq!(again.temperature, Some(36.9), "the latest reading is shown");
    assert_eq!(
        f.count("SELECT COUNT(*) FROM readings WHERE place = 'door'"),
        2,
        "both readings are kept"
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM audit WHERE action = 'board'"),
        boards
    );
}

#[test]
fn a_fever_reading_takes_a_boarded_passenger_off_the_bus() {
    let f = build(6);
    let mut ctx = f.ctx();
    dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "36.5").unwrap();
    let e = dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "38.9").unwrap_err();
    assert_eq!(code(&e), "fever_recheck");
    let p = &trips::roster(&ctx.store.db(), 1).unwrap()[0];
    assert_eq!((p.status, p.temperature), (SeatStatus::Recheck, Some(38.9)));
    assert!(p.status.holds_seat(), "the seat is held for the re-check");
    assert_eq!(f.worker_status(&id(100)), "planned");
    // Still high after the rest: refused.
    ctx.policy.recheck_wait_minutes = 0;
    let e = dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "38.4").unwrap_err();
    assert_eq!(code(&e), "fever");
    let p = &trips::roster(&ctx.store.db(), 1).unwrap()[0];
    assert_eq!((p.status, p.temperature), (SeatStatus::Refused, Some(38.4)));
    assert_eq!(f.worker_status(&id(100)), "refused");
}

#[test]
fn under_the_strict_rule_a_fever_refuses_at_once_and_records_the_refusal() {
    let f = build(6);
    let mut ctx = f.ctx();
    ctx.policy.fever_rechecks = 0;
    let e = dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "37.3").unwrap_err();
    assert_eq!(code(&e), "fever");
    assert!(e.to_string().contains("37.3"), "{e}");
    let p = &trips::roster(&ctx.store.db(), 1).unwrap()[0];
    assert_eq!(p.status, SeatStatus::Refused);
    assert_eq!(p.refused_reason.as_deref(), Some("fever"));
    assert_eq!(p.temperature, Some(37.3));
    assert_eq!(f.worker_status(&id(100)), "refused");
    assert_eq!(
        f.count("SELECT COUNT(*) FROM trip_events WHERE kind = 'fever'"),
        1
    );
    // The seat is free: the seat index no longer holds it.
    assert!(!trips::roster(&ctx.store.db(), 1).unwrap()[0]
        .status
        .holds_seat());
    // Measured again at once: kept, but it decides nothing before the rest is over.
    let e = dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "36.6").unwrap_err();
    assert_eq!(code(&e), "recheck_wait");
    assert!(e.to_string().contains("wait 10 more minute(s)"), "{e}");
    let p = &trips::roster(&ctx.store.db(), 1).unwrap()[0];
    assert_eq!((p.status, p.temperature), (SeatStatus::Refused, Some(36.6)));
    // 37.2 is below the threshold.
    dep::board(&mut ctx, BUS, Who::IdNumber(&id(101)), "37.2").unwrap();
}

#[test]
fn implausible_temperature_is_a_typing_error_and_writes_nothing() {
    let f = build(6);
    let mut ctx = f.ctx();
    for typed in ["365", "3.65", "abc", "43.5", ""] {
        let e = dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), typed).unwrap_err();
        assert!(matches!(e, OpError::Failed(_)), "{typed}: {e:?}");
        assert_eq!(e.exit() as i32, 1);
    }
    assert_eq!(f.count("SELECT COUNT(*) FROM audit"), 0);
    assert_eq!(f.trip_status(1), "planned");
    assert_eq!(f.worker_status(&id(100)), "planned");
}

#[test]
fn certificate_not_valid_on_the_trip_date_refuses() {
    let f = build(6);
    let mut ctx = f.ctx();
    // Index 5 (seat 12) has a certificate issued 2020-02-10: last valid day 2020-02-16.
    let e = dep::board(&mut ctx, BUS, Who::IdNumber(&id(105)), "36.4").unwrap_err();
    assert_eq!(code(&e), "certificate");
    let p = trips::roster(&ctx.store.db(), 1)
        .unwrap()
        .into_iter()
        .find(|p| p.seat == 12)
        .unwrap();
    assert_eq!(p.status, SeatStatus::Refused);
    assert_eq!(p.refused_reason.as_deref(), Some("certificate"));
    assert_eq!(p.temperature, Some(36.4));
}

#[test]
fn wrong_bus_names_the_right_bus_and_seat_and_writes_nothing() {
    let f = build(6);
    let mut ctx = f.ctx();
    let e = dep::board(&mut ctx, OTHER_BUS, Who::IdNumber(&id(101)), "36.5").unwrap_err();
    assert_eq!(code(&e), "wrong-bus");
    assert_eq!(e.to_string(), "wrong bus: go to 陕G21000 seat 4");
    assert_eq!(f.count("SELECT COUNT(*) FROM audit"), 0);
    assert_eq!(f.trip_status(2), "planned");
    let e = dep::refuse(
        &mut ctx,
        OTHER_BUS,
        Who::IdNumber(&id(101)),
        RefuseReason::Identity,
    )
    .unwrap_err();
    assert_eq!(code(&e), "wrong-bus");
}

#[test]
fn nobody_off_the_roster_boards() {
    let f = build(6);
    let mut ctx = f.ctx();
    // In the ledger but on no bus; not in the ledger at all; an empty seat.
    for who in [
        Who::IdNumber(&id(300)),
        Who::IdNumber(&id(400)),
        Who::Seat(2),
    ] {
        let e = dep::board(&mut ctx, BUS, who, "36.5").unwrap_err();
        assert_eq!(code(&e), "not-on-roster", "{who:?}");
    }
    // A mistyped ID number is an input error, not a person.
    let mut bad = id(100);
    bad.replace_range(17.., if bad.ends_with('1') { "2" } else { "1" });
    let e = dep::board(&mut ctx, BUS, Who::IdNumber(&bad), "36.5").unwrap_err();
    assert!(matches!(e, OpError::Failed(_)));
    assert!(
        !e.to_string().contains(&bad[..17]),
        "the typed number is not echoed: {e}"
    );
    let e = dep::board(&mut ctx, "陕G99999", Who::Seat(1), "36.5").unwrap_err();
    assert!(matches!(e, OpError::Failed(_)), "unknown plate: {e:?}");
    assert_eq!(f.count("SELECT COUNT(*) FROM audit"), 0);
}

#[test]
fn refusal_frees_the_seat_and_no_show_is_recorded_apart() {
    let f = build(6);
    let mut ctx = f.ctx();
    let p = dep::refuse(
        &mut ctx,
        BUS,
        Who::IdNumber(&id(100)),
        RefuseReason::Identity,
    )
    .unwrap();
    assert_eq!(
        (p.status, p.refused_reason.as_deref()),
        (SeatStatus::Refused, Some("identity"))
    );
    assert_eq!(f.trip_status(1), "boarding");
    let p = dep::refuse(&mut ctx, BUS, Who::Seat(4), RefuseReason::NoShow).unwrap();
    assert_eq!(
        (p.status, p.refused_reason.as_deref()),
        (SeatStatus::NoShow, Some("no-show"))
    );
    assert_eq!(f.worker_status(&id(101)), "refused");
    // Refusing again keeps the first reason.
    let p = dep::refuse(&mut ctx, BUS, Who::IdNumber(&id(100)), RefuseReason::Fever).unwrap();
    assert_eq!(p.refused_reason.as_deref(), Some("identity"));
    let c = dep::counts(&trips::roster(&ctx.store.db(), 1).unwrap());
    assert_eq!((c.expected, c.refused, c.no_show, c.missing), (4, 1, 1, 4));
}

#[test]
fn a_boarded_passenger_can_be_taken_off_before_departure() {
    let f = build(6);
    let mut ctx = f.ctx();
    dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "36.5").unwrap();
    let p = dep::refuse(
        &mut ctx,
        BUS,
        Who::IdNumber(&id(100)),
        RefuseReason::Identity,
    )
    .unwrap();
    assert_eq!(p.status, SeatStatus::Refused);
    assert_eq!(f.worker_status(&id(100)), "refused");
}

#[test]
fn a_late_no_show_gets_the_seat_back_unless_a_stand_by_took_it() {
    let f = build(6);
    let mut ctx = f.ctx();
    dep::refuse(&mut ctx, BUS, Who::IdNumber(&id(100)), RefuseReason::NoShow).unwrap();
    let p = dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "36.5").unwrap();
    assert_eq!((p.seat, p.status), (1, SeatStatus::Boarded));
    assert_eq!(f.worker_status(&id(100)), "boarded");

    dep::refuse(&mut ctx, BUS, Who::IdNumber(&id(101)), RefuseReason::NoShow).unwrap();
    let sb = f.worker_id(&id(300));
    dep::seat_standby(&mut ctx, BUS, sb, Some(4)).unwrap();
    let e = dep::board(&mut ctx, BUS, Who::IdNumber(&id(101)), "36.5").unwrap_err();
    assert_eq!(code(&e), "seat-taken");
    assert_eq!(f.worker_status(&id(101)), "refused");
}

#[test]
fn closed_trips_refuse_door_actions() {
    let f = build(1);
    let mut ctx = f.ctx();
    dep::board(&mut ctx, BUS, Who::Seat(1), "36.5").unwrap();
    dep::depart(&mut ctx, BUS).unwrap();
    // The door is closed, also for someone aboard: temperatures on the road are rounds.
    let e = dep::board(&mut ctx, BUS, Who::Seat(1), "36.5").unwrap_err();
    assert_eq!(code(&e), "closed");
    let e = dep::refuse(&mut ctx, BUS, Who::Seat(1), RefuseReason::Identity).unwrap_err();
    assert_eq!(code(&e), "closed");
    let sb = f.worker_id(&id(300));
    let e = dep::seat_standby(&mut ctx, BUS, sb, None).unwrap_err();
    assert_eq!(code(&e), "closed");
    f.conn()
        .execute("UPDATE trips SET status = 'cancelled' WHERE id = 2", [])
        .unwrap();
    // A cancelled trip is no open trip of the bus: by plate it is not found (exit 1, naming the
    // plate and the trip); named by its code, its roster is closed.
    let e = dep::board(&mut ctx, OTHER_BUS, Who::IdNumber(&id(200)), "36.5").unwrap_err();
    assert!(matches!(e, OpError::Failed(_)), "{e:?}");
    assert!(
        e.to_string().starts_with("陕G21001 has no open trip")
            && e.to_string().contains("旬阳-20200221-01-2"),
        "{e}"
    );
    let e = dep::board(
        &mut ctx,
        TripRef::code("旬阳-20200221-01-2"),
        Who::IdNumber(&id(200)),
        "36.5",
    )
    .unwrap_err();
    assert_eq!(code(&e), "closed");
}

#[test]
fn every_door_action_is_audited_with_the_operator_and_no_personal_data() {
    let f = build(6);
    let mut ctx = f.ctx();
    dep::board(&mut ctx, BUS, Who::IdNumber(&id(100)), "36.5").unwrap();
    let _ = dep::board(&mut ctx, BUS, Who::IdNumber(&id(101)), "38.1");
    dep::refuse(&mut ctx, BUS, Who::IdNumber(&id(102)), RefuseReason::NoShow).unwrap();
    let conn = f.conn();
    let mut stmt = conn
        .prepare(
            "SELECT operator, action, entity, COALESCE(before,''), COALESCE(after,'') FROM audit",
        )
        .unwrap();
    let rows: Vec<(String, String, String, String, String)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(rows.iter().all(|r| r.0 == "王科长"));
    let has = |action: &str, entity: &str, after: &str| {
        rows.iter()
            .any(|r| r.1 == action && r.2 == entity && r.4.contains(after))
    };
    assert!(has("board", "trip", "boarding"));
    assert!(has("board", "passenger", "boarded"));
    assert!(has("board", "worker", "boarded"));
    assert!(has("recheck", "passenger", "recheck"));
    assert!(has("reading", "passenger", "\"outcome\":\"recheck\""));
    assert!(has("refuse", "worker", "refused"));
    assert!(has("refuse", "passenger", "no-show"));
    let all: String = rows.iter().map(|r| format!("{} {}", r.3, r.4)).collect();
    for person in [
        "张伟",
        "王芳",
        "李娜",
        &id(100)[..],
        &id(101)[..],
        "13800001234",
    ] {
        assert!(!all.contains(person), "audit holds personal data: {person}");
    }
}
