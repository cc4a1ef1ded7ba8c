//! A trip's later stages: stand-bys in freed seats, departure, the road, arrival, other means.

#[path = "fixtures/departure/mod.rs"]
mod fixture;

use chrono::NaiveDateTime;
use fixture::{build, day, id, BUS, OTHER_BUS};
use zhitong::model::{Policy, RefuseReason, SeatStatus, TripStatus};
use zhitong::ops::departure::{self as dep, Who};
use zhitong::ops::{OpError, TripRef};
use zhitong::store::trips;

fn code(e: &OpError) -> &str {
    match e {
        OpError::Refused { code, .. } => code.as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A stored time (RFC 3339 with offset) as the wall clock read it.
fn at(s: &str) -> NaiveDateTime {
    zhitong::clock::parse_stored(s).unwrap().naive_local()
}

#[test]
fn stand_by_candidates_are_eligible_same_employer_and_unplaced() {
    let f = build(6);
    let ctx = f.ctx();
    let c = dep::standby_candidates(&ctx, BUS).unwrap();
    let ids: Vec<&str> = c.iter().map(|c| c.id_number.as_str()).collect();
    // 300–303 only: 310's certificate has expired, 320 and 330 work elsewhere.
    let mut want = vec![id(300), id(301), id(302), id(303)];
    want.sort();
    let mut got: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    got.sort();
    assert_eq!(got, want);
    assert!(c.iter().all(|c| c.employer == "宁波电子"));
    let other: Vec<String> = dep::standby_candidates(&ctx, OTHER_BUS)
        .unwrap()
        .into_iter()
        .map(|c| c.id_number)
        .collect();
    assert_eq!(other, vec![id(330)]);
}

#[test]
fn a_stand_by_takes_a_freed_seat_and_then_boards_like_anyone() {
    let f = build(18);
    let mut ctx = f.ctx();
    // The strict rule: the first fever reading refuses (no re-check).
    ctx.policy.fever_rechecks = 0;
    let sb = f.worker_id(&id(300));
    // The bus is full (18 of 18).
    let e = dep::seat_standby(&mut ctx, BUS, sb, None).unwrap_err();
    assert_eq!(code(&e), "full");
    let _ = dep::board(&mut ctx, BUS, Who::Seat(8), "38.0");
    let p = dep::seat_standby(&mut ctx, BUS, sb, None).unwrap();
    assert_eq!(
        (p.seat, p.status, p.standby),
        (8, SeatStatus::Planned, true)
    );
    assert_eq!(f.worker_status(&id(300)), "planned");
    assert!(!dep::standby_candidates(&ctx, BUS)
        .unwrap()
        .iter()
        .any(|c| c.worker_id == sb));
    let p = dep::board(&mut ctx, BUS, Who::IdNumber(&id(300)), "36.4").unwrap();
    assert_eq!(p.status, SeatStatus::Boarded);
    // A second stand-by cannot have the seat: it is held again.
    let e = dep::seat_standby(&mut ctx, BUS, f.worker_id(&id(301)), Some(8)).unwrap_err();
    assert_eq!(code(&e), "full");
}

#[test]
fn stand_by_seats_keep_the_spacing_and_observation_rules() {
    let f = build(6);
    let mut ctx = f.ctx();
    let sb = f.worker_id(&id(300));
    for (seat, why) in [(2, "spacing"), (45, "observation"), (46, "no such seat")] {
        let e = dep::seat_standby(&mut ctx, BUS, sb, Some(seat)).unwrap_err();
        assert_eq!(code(&e), "seat-not-allowed", "{seat}");
        assert!(e.to_string().contains(why), "{e}");
    }
    let e = dep::seat_standby(&mut ctx, BUS, sb, Some(1)).unwrap_err();
    assert_eq!(code(&e), "seat-taken");
    // Without a seat: the first free allowed one from the front (seats 1–12 are rostered).
    let p = dep::seat_standby(&mut ctx, BUS, sb, None).unwrap();
    assert_eq!(p.seat, 13);
    let p = dep::seat_standby(&mut ctx, BUS, f.worker_id(&id(301)), Some(17)).unwrap();
    assert_eq!(p.seat, 17);
}

#[test]
fn ineligible_stand_bys_are_refused() {
    let f = build(6);
    let mut ctx = f.ctx();
    // The strict rule: the first fever reading refuses (no re-check).
    ctx.policy.fever_rechecks = 0;
    let e = dep::seat_standby(&mut ctx, BUS, f.worker_id(&id(310)), None).unwrap_err();
    assert_eq!(code(&e), "certificate");
    let e = dep::seat_standby(&mut ctx, BUS, f.worker_id(&id(320)), None).unwrap_err();
    assert_eq!(code(&e), "not-eligible");
    // Already holding a seat on another bus.
    let e = dep::seat_standby(&mut ctx, BUS, f.worker_id(&id(200)), None).unwrap_err();
    assert_eq!(code(&e), "already-placed");
    assert!(e.to_string().contains(OTHER_BUS), "{e}");
    // Refused at the door of this bus: does not come back as a stand-by.
    let _ = dep::board(&mut ctx, BUS, Who::Seat(1), "39.0");
    let e = dep::seat_standby(&mut ctx, BUS, f.worker_id(&id(100)), None).unwrap_err();
    assert_eq!(code(&e), "not-eligible");
    let e = dep::seat_standby(&mut ctx, BUS, 9999, None).unwrap_err();
    assert!(matches!(e, OpError::Failed(_)));
}

#[test]
fn depart_waits_for_everyone_then_closes_the_roster() {
    let f = build(7);
    let mut ctx = f.ctx();
    // The strict rule: the first fever reading refuses (no re-check).
    ctx.policy.fever_rechecks = 0;
    for seat in [1, 4, 5, 8] {
        dep::board(&mut ctx, BUS, Who::Seat(seat), "36.5").unwrap();
    }
    let e = dep::depart(&mut ctx, BUS).unwrap_err();
    assert_eq!(code(&e), "unaccounted");
    assert_eq!(
        e.to_string(),
        "陕G21000 has 3 passenger(s) unaccounted for (seats 9, 12, 13): board them or mark them refused or no-show"
    );
    assert_eq!(f.trip_status(1), "boarding");
    let _ = dep::board(&mut ctx, BUS, Who::Seat(9), "37.9");
    let _ = dep::board(&mut ctx, BUS, Who::Seat(12), "36.5"); // expired certificate
    dep::refuse(&mut ctx, BUS, Who::Seat(13), RefuseReason::NoShow).unwrap();
    let t = dep::depart(&mut ctx, BUS).unwrap();
    assert_eq!(t.status, TripStatus::Departed);
    assert!(t.departed_at.is_some());
    assert_eq!(f.worker_status(&id(100)), "departed");
    assert_eq!(f.worker_status(&id(104)), "refused");
    // The no-show of seat 13 is back in the pool for a later bus; the record here stays.
    assert_eq!(f.worker_status(&id(106)), "registered");
    assert_eq!(
        f.count("SELECT COUNT(*) FROM passengers WHERE trip_id = 1 AND seat = 13 AND status = 'no-show'"),
        1
    );
    assert_eq!(
        f.count(
            "SELECT COUNT(*) FROM audit WHERE action = 'depart' AND entity = 'worker'
             AND after LIKE '%departed%'"
        ),
        4
    );
    assert_eq!(
        f.count(
            "SELECT COUNT(*) FROM audit WHERE action = 'depart' AND entity = 'worker'
             AND after LIKE '%registered%'"
        ),
        1
    );
    let e = dep::depart(&mut ctx, BUS).unwrap_err();
    assert_eq!(code(&e), "closed");
}

#[test]
fn a_bus_nobody_boarded_does_not_leave() {
    let f = build(1);
    let mut ctx = f.ctx();
    dep::refuse(&mut ctx, BUS, Who::Seat(1), RefuseReason::NoShow).unwrap();
    let e = dep::depart(&mut ctx, BUS).unwrap_err();
    assert_eq!(code(&e), "empty");
    assert_eq!(f.trip_status(1), "boarding");
}

#[test]
fn unaccounted_message_names_at_most_five_seats() {
    let f = build(8);
    let mut ctx = f.ctx();
    dep::board(&mut ctx, BUS, Who::Seat(1), "36.5").unwrap();
    let e = dep::depart(&mut ctx, BUS).unwrap_err();
    assert!(e.to_string().contains("7 passenger(s)"), "{e}");
    assert!(e.to_string().contains("(seats 4, 5, 8, 9, 12 …)"), "{e}");
}

#[test]
fn the_road_rounds_stops_and_observation_moves_are_logged() {
    let f = build(3);
    let mut ctx = f.ctx();
    for seat in [1, 4, 5] {
        dep::board(&mut ctx, BUS, Who::Seat(seat), "36.5").unwrap();
    }
    let w = |n| f.worker_id(&id(n));
    // Not before departure.
    let e = dep::stop(&mut ctx, BUS, 3, "服务区").unwrap_err();
    assert_eq!(code(&e), "not-departed");
    let t = dep::depart(&mut ctx, BUS).unwrap();

    let policy = Policy::default();
    let departed = at(t.departed_at.as_deref().unwrap());
    assert!(!dep::round_due(
        &t,
        None,
        departed + chrono::Duration::minutes(239),
        &policy
    ));
    assert!(dep::round_due(
        &t,
        None,
        departed + chrono::Duration::hours(4),
        &policy
    ));

    // A typing error spoils the whole round: nothing logged.
    let bad = [(w(100), "36.6".to_string()), (w(101), "386".to_string())];
    let e = dep::temperature_round(&mut ctx, BUS, &bad).unwrap_err();
    assert!(e.to_string().contains("seat 4"), "{e}");
    assert_eq!(f.count("SELECT COUNT(*) FROM trip_events"), 0);

    let r = dep::temperature_round(
        &mut ctx,
        BUS,
        &[(w(100), "36.6".into()), (w(101), "37.8".into())],
    )
    .unwrap();
    assert_eq!(
        (r.measured, r.boarded, r.not_measured.clone()),
        (2, 3, vec![5])
    );
    assert_eq!(r.fevers.len(), 1);
    assert_eq!((r.fevers[0].seat, r.fevers[0].temperature), (4, 37.8));
    assert_eq!(r.observation_free.len(), 9);
    let last = dep::last_round_at(&ctx, 1).unwrap();
    assert_eq!(last.as_deref(), Some(r.at.as_str()));
    assert!(!dep::round_due(&t, last.as_deref(), at(&r.at), &policy));

    let p = dep::move_to_observation(&mut ctx, BUS, Who::Seat(4), "37.8").unwrap();
    assert_eq!(p.seat, 45, "back row first");
    assert_eq!(p.status, SeatStatus::Boarded);
    let again = dep::move_to_observation(&mut ctx, BUS, Who::Seat(45), "37.6").unwrap();
    assert_eq!(again.seat, 45, "already in the observation rows");

    let s = dep::stop(&mut ctx, BUS, 3, "西安服务区").unwrap();
    assert!(s.matches);
    let s = dep::stop(&mut ctx, BUS, 2, "南阳服务区").unwrap();
    assert!(!s.matches);
    assert_eq!((s.headcount, s.boarded), (2, 3));

    let log = dep::trip_events(&ctx, 1).unwrap();
    let kinds: Vec<&str> = log.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "fever").count(),
        3,
        "round, move and stay in place each log the fever: {kinds:?}"
    );
    let mv = log.iter().find(|e| e.kind == "move").unwrap();
    assert_eq!((mv.seat, mv.note.as_str()), (Some(45), "from seat 4"));
    assert!(log
        .iter()
        .any(|e| e.kind == "stop" && e.note == "南阳服务区" && e.headcount == Some(2)));
    // Nobody boards on the way.
    let e = dep::board(&mut ctx, BUS, Who::IdNumber(&id(300)), "36.5").unwrap_err();
    assert_eq!(code(&e), "not-on-roster");
}

#[test]
fn observation_rows_can_fill_up() {
    let f = build(1);
    let mut ctx = f.ctx();
    dep::board(&mut ctx, BUS, Who::Seat(1), "36.5").unwrap();
    dep::depart(&mut ctx, BUS).unwrap();
    // Others already sit in all nine observation seats (37–45) of the 45-seat coach.
    let conn = f.conn();
    for seat in 37..=45 {
        conn.execute(
            "INSERT INTO workers (name, employer_id) VALUES ('留观', 1)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO passengers (trip_id, worker_id, seat, status, changed_at)
             VALUES (1, ?1, ?2, 'boarded', 't')",
            rusqlite::params![conn.last_insert_rowid(), seat],
        )
        .unwrap();
    }
    let e = dep::move_to_observation(&mut ctx, BUS, Who::Seat(1), "38.2").unwrap_err();
    assert_eq!(code(&e), "observation-full");
}

#[test]
fn arrival_hands_over_and_sums_up() {
    let f = build(7);
    let mut ctx = f.ctx();
    // The strict rule: the first fever reading refuses (no re-check).
    ctx.policy.fever_rechecks = 0;
    let e = dep::arrive(&mut ctx, BUS, Some("陈主管"), None).unwrap_err();
    assert_eq!(code(&e), "not-departed");
    for seat in [1, 4, 5] {
        dep::board(&mut ctx, BUS, Who::Seat(seat), "36.5").unwrap();
    }
    let _ = dep::board(&mut ctx, BUS, Who::Seat(8), "38.5");
    dep::refuse(&mut ctx, BUS, Who::Seat(9), RefuseReason::Identity).unwrap();
    let _ = dep::board(&mut ctx, BUS, Who::Seat(12), "36.5"); // certificate
    dep::refuse(&mut ctx, BUS, Who::Seat(13), RefuseReason::NoShow).unwrap();
    dep::seat_standby(&mut ctx, BUS, f.worker_id(&id(300)), Some(8)).unwrap();
    dep::board(&mut ctx, BUS, Who::Seat(8), "36.1").unwrap();
    dep::depart(&mut ctx, BUS).unwrap();
    let s = dep::arrive(&mut ctx, BUS, Some(" 陈主管 "), None).unwrap();
    assert_eq!(s.receiver.as_deref(), Some("陈主管"));
    assert_eq!((s.boarded, s.headcount, s.headcount_matches), (4, 4, true));
    assert_eq!(
        (s.refused.fever, s.refused.certificate, s.refused.identity),
        (1, 1, 1)
    );
    assert_eq!((s.no_show, s.standby), (1, 1));
    assert_eq!(f.trip_status(1), "arrived");
    assert_eq!(f.worker_status(&id(300)), "arrived");
    assert_eq!(f.worker_status(&id(100)), "arrived");
    assert_eq!(f.worker_status(&id(103)), "refused");
    let t = trips::trip(&ctx.store.db(), 1).unwrap().unwrap();
    assert_eq!(
        (t.receiver.as_deref(), t.arrived_count),
        (Some("陈主管"), Some(4))
    );
    // The bus has no open trip now: by plate, exit 1 naming it; by the trip's code, closed.
    let e = dep::arrive(&mut ctx, BUS, None, None).unwrap_err();
    assert!(matches!(e, OpError::Failed(_)), "{e:?}");
    assert!(
        e.to_string().starts_with("陕G21000 has no open trip"),
        "{e}"
    );
    let e = dep::arrive(&mut ctx, TripRef::code(&t.code), None, None).unwrap_err();
    assert_eq!(code(&e), "closed");
    // The receiver's name stays out of the audit log.
    assert_eq!(
        f.count("SELECT COUNT(*) FROM audit WHERE after LIKE '%陈主管%'"),
        0
    );
}

#[test]
fn arrival_headcount_that_differs_is_kept_and_flagged() {
    let f = build(2);
    let mut ctx = f.ctx();
    dep::board(&mut ctx, BUS, Who::Seat(1), "36.5").unwrap();
    dep::board(&mut ctx, BUS, Who::Seat(4), "36.5").unwrap();
    dep::depart(&mut ctx, BUS).unwrap();
    let s = dep::arrive(&mut ctx, BUS, None, Some(1)).unwrap();
    assert_eq!((s.headcount, s.boarded, s.headcount_matches), (1, 2, false));
}

#[test]
fn other_means_frees_a_planned_seat_and_is_refused_once_aboard() {
    let f = build(3);
    let mut ctx = f.ctx();
    dep::mark_other_means(&mut ctx, f.worker_id(&id(300)), "train", day()).unwrap();
    assert_eq!(f.worker_status(&id(300)), "other-means");
    let (means, date): (String, String) = f
        .conn()
        .query_row(
            "SELECT other_means, other_date FROM workers WHERE id_number = ?1",
            [id(300)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((means.as_str(), date.as_str()), ("train", "2020-02-21"));
    // Rostered on the bus but driving himself: the seat becomes a no-show, free for a stand-by.
    dep::mark_other_means(&mut ctx, f.worker_id(&id(101)), "own car", day()).unwrap();
    let row = trips::roster(&ctx.store.db(), 1)
        .unwrap()
        .into_iter()
        .find(|p| p.seat == 4)
        .unwrap();
    assert_eq!(row.status, SeatStatus::NoShow);
    assert_eq!(f.worker_status(&id(101)), "other-means");
    dep::board(&mut ctx, BUS, Who::Seat(1), "36.5").unwrap();
    let e = dep::mark_other_means(&mut ctx, f.worker_id(&id(100)), "train", day()).unwrap_err();
    assert_eq!(code(&e), "invalid-state");
    let e = dep::mark_other_means(&mut ctx, f.worker_id(&id(301)), "  ", day()).unwrap_err();
    assert!(matches!(e, OpError::Usage(_)));
}

#[test]
fn counts_add_up() {
    let f = build(7);
    let mut ctx = f.ctx();
    dep::board(&mut ctx, BUS, Who::Seat(1), "36.5").unwrap();
    let _ = dep::board(&mut ctx, BUS, Who::Seat(4), "38.0");
    dep::refuse(&mut ctx, BUS, Who::Seat(5), RefuseReason::NoShow).unwrap();
    let roster = trips::roster(&ctx.store.db(), 1).unwrap();
    let c = dep::counts(&roster);
    // Seat 4 is in 复测: holding the seat, not accounted for.
    assert_eq!(
        (c.expected, c.boarded, c.refused, c.no_show, c.missing, c.recheck),
        (6, 1, 0, 1, 5, 1)
    );
    assert_eq!(
        c.boarded + c.missing + c.refused + c.no_show,
        roster.len() as u32
    );
    assert_eq!(dep::counts(&[]), dep::RosterCounts::default());
}
