//! The road's rules without a database.

use super::*;

fn trip(status: TripStatus, departed_at: Option<&str>) -> TripInfo {
    TripInfo {
        trip_id: 1,
        code: "旬阳-20200221-01-1".into(),
        batch_id: 1,
        batch_code: "旬阳-20200221-01".into(),
        date: chrono::NaiveDate::from_ymd_opt(2020, 2, 21).unwrap(),
        departure: "2020-02-21T07:00".into(),
        gathering_point: String::new(),
        county: "旬阳县".into(),
        province: "浙江省".into(),
        city: "宁波市".into(),
        bus_id: 1,
        plate: "陕G21000".into(),
        rated_seats: 45,
        rows: 11,
        capacity: 18,
        status,
        sealed: false,
        operator: String::new(),
        driver1: String::new(),
        driver1_phone: String::new(),
        driver2: String::new(),
        driver2_phone: String::new(),
        attendant: String::new(),
        attendant_phone: String::new(),
        departed_at: departed_at.map(str::to_string),
        arrived_at: None,
        receiver: None,
        arrived_count: None,
    }
}

fn t(s: &str) -> NaiveDateTime {
    parse_stamp(s).unwrap()
}

#[test]
fn a_round_is_due_every_interval_while_on_the_road() {
    let p = Policy::default();
    let on_road = trip(TripStatus::Departed, Some("2020-02-21T07:10:00"));
    assert!(!round_due(&on_road, None, t("2020-02-21T11:09:59"), &p));
    assert!(round_due(&on_road, None, t("2020-02-21T11:10:00"), &p));
    // Counted from the last round once there is one.
    let last = Some("2020-02-21T11:15:00");
    assert!(!round_due(&on_road, last, t("2020-02-21T15:14"), &p));
    assert!(round_due(&on_road, last, t("2020-02-21T15:15"), &p));
    let hourly = Policy {
        round_interval_hours: 1,
        ..Policy::default()
    };
    assert!(round_due(&on_road, last, t("2020-02-21T12:15"), &hourly));
}

#[test]
fn the_round_reminder_runs_on_across_midnight() {
    let p = Policy::default();
    let night = trip(TripStatus::Departed, Some("2020-02-21T20:30:00+08:00"));
    let last = Some("2020-02-21T22:10:00+08:00");
    assert!(!round_due(&night, last, t("2020-02-22T02:09:00"), &p));
    assert!(round_due(&night, last, t("2020-02-22T02:10:00"), &p));
    // A second night on the road: still counted from the last round.
    let last = Some("2020-02-22T23:30:00+08:00");
    assert!(round_due(&night, last, t("2020-02-23T03:30:00"), &p));
}

#[test]
fn no_round_before_departure_or_after_arrival_and_unreadable_times_remind() {
    let p = Policy::default();
    let late = t("2020-02-22T07:00");
    assert!(!round_due(
        &trip(TripStatus::Boarding, None),
        None,
        late,
        &p
    ));
    assert!(!round_due(
        &trip(TripStatus::Arrived, Some("2020-02-21T07:10")),
        None,
        late,
        &p
    ));
    assert!(round_due(
        &trip(TripStatus::Departed, Some("early morning")),
        None,
        late,
        &p
    ));
    assert!(round_due(&trip(TripStatus::Departed, None), None, late, &p));
}
