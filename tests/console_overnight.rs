//! The console the morning after: last night's buses on the board in their own section, the
//! attendant's `--bus` opening the trip still on the road, the temperature-round reminder
//! running on across midnight, and applying a plan that changed since it was reviewed.

mod console_support;
#[path = "fixtures/trips/mod.rs"]
mod fixture;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use console_support::Session;
use crossterm::event::KeyCode;
use fixture::Ledger;
use zhitong::clock;
use zhitong::console::action::Action;
use zhitong::console::app::Screen;
use zhitong::i18n::Lang;
use zhitong::model::{SeatStatus, TripStatus};
use zhitong::ops::departure as dep;
use zhitong::ops::TripRef;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, d).unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

#[test]
fn the_morning_after_the_board_lists_the_buses_still_on_the_road() {
    let l = Ledger::new(20, 5, &["陕G21000", "陕G21001", "陕G21002"]);
    let (far, near) = l.day_one();
    let Ledger { dir, db } = l;
    let mut s = Session::open_on(dir, db, Lang::Zh, 120, 40, None, day(22));
    assert_eq!(s.app.screen, Screen::Board);
    let text = s.screen();
    assert!(text.contains("前几日的车次（未到达） · 2 辆"), "{text}");
    for plate in &far {
        assert!(text.contains(plate.as_str()), "{text}");
    }
    assert!(
        !text.contains(near.as_str()),
        "handed over yesterday: {text}"
    );
    // Another day's times carry their date; the day's own section is empty.
    assert!(text.contains("发 02-21 07:05"), "{text}");
    assert!(text.contains("当日没有车辆"), "{text}");
    // Enter opens that trip, and its actions are offered (it is still open).
    s.enter();
    assert_eq!(s.app.screen, Screen::Roster);
    let trip = s.app.roster.trip.clone().expect("the trip on screen");
    assert_eq!(trip.plate, far[0]);
    assert_eq!(trip.date, day(21));
    assert!(s.app.roster.actionable);
    // In English the board says so too.
    s.app.lang = Lang::En;
    s.keys("4");
    assert!(
        s.screen()
            .contains("Earlier days, not yet arrived · 2 buses"),
        "{}",
        s.screen()
    );
}

#[test]
fn the_attendant_opens_the_trip_on_the_road_and_rounds_run_past_midnight() {
    let l = Ledger::new(20, 5, &["陕G21000", "陕G21001", "陕G21002"]);
    let (far, _) = l.day_one();
    let Ledger { dir, db } = l;
    // `zhitong --bus PLATE` on day 2: the bus's open trip, which left on day 1 (at 80×24).
    let mut s = Session::open_on(dir, db, Lang::Zh, 80, 24, Some(&far[0]), day(22));
    assert_eq!(s.app.screen, Screen::Roster);
    let trip = s.app.roster.trip.clone().expect("the trip on the road");
    assert_eq!((trip.date, trip.status), (day(21), TripStatus::Departed));
    assert!(s
        .screen()
        .contains(&format!("随车 {} {}", far[0], trip.code)));
    assert!(s.screen().contains("发车 02-21 07:05"), "{}", s.screen());
    // On the road the head says when it left, with its day, when it is expected (on the day
    // shown: the time alone), and still names the attendant at 80 columns (the planned time
    // gave way).
    let text = s.screen();
    assert!(
        text.contains("发车 02-21 07:05 · 预计到达 12:05 · 随车 刘干事"),
        "{text}"
    );
    // On the road the footer offers the round, not the door.
    let footer = text.lines().last().unwrap_or("");
    assert!(
        footer.contains("t 测温") && !footer.contains("b 登车"),
        "{text}"
    );
    // Left at 07:05, no round yet: at 01:00 the next night one is overdue.
    s.act(Action::Tick(at("2020-02-22T01:00")));
    assert!(s.screen().contains("已到测温时间"), "{}", s.screen());
    // A round at 00:30 (the clock of this thread, as the attendant's console would read it).
    clock::set_thread(Some(
        DateTime::parse_from_rfc3339("2020-02-22T00:30:00+08:00").unwrap(),
    ));
    let aboard: Vec<(i64, String)> = s
        .app
        .roster
        .passengers
        .iter()
        .filter(|p| p.status == SeatStatus::Boarded)
        .map(|p| (p.worker_id, "36.6".to_string()))
        .collect();
    dep::temperature_round(&mut s.ctx, TripRef::code(&trip.code), &aboard).unwrap();
    clock::set_thread(None);
    let reload = s.app.load_screen();
    s.run(reload);
    s.act(Action::Tick(at("2020-02-22T04:29")));
    assert!(!s.screen().contains("已到测温时间"), "{}", s.screen());
    s.act(Action::Tick(at("2020-02-22T04:30")));
    assert!(s.screen().contains("已到测温时间"), "{}", s.screen());
}

#[test]
fn applying_a_plan_that_changed_shows_the_new_one_and_writes_nothing() {
    let l = Ledger::new(20, 5, &["陕G21000", "陕G21001", "陕G21002"]);
    let Ledger { dir, db } = l;
    let mut s = Session::open_on(dir, db, Lang::Zh, 120, 40, None, day(21));
    s.keys(":plan 2020-02-21");
    s.enter();
    let reviewed = s.app.batches.proposal.as_ref().unwrap().review.clone();
    assert_eq!(reviewed.placed, 25);
    s.keys("a");
    assert!(
        s.screen()
            .contains(&format!("方案指纹 {}", reviewed.fingerprint)),
        "the confirmation names what is applied: {}",
        s.screen()
    );
    s.esc();
    // Another terminal: a worker bound for 绍兴 goes by train.
    let worker: i64 = s.query(&format!(
        "SELECT id FROM workers WHERE id_number = '{}'",
        fixture::id(100)
    ));
    dep::mark_other_means(&mut s.ctx, worker, "火车", day(21)).unwrap();
    s.keys("a");
    s.key(KeyCode::Right);
    s.enter();
    assert_eq!(
        s.query::<i64>("SELECT count(*) FROM trips"),
        0,
        "nothing written"
    );
    let text = s.screen();
    assert!(text.contains("编排方案已变，未写入"), "{text}");
    assert!(text.contains("新方案：24 人"), "{text}");
    let now = s.app.batches.proposal.as_ref().unwrap().review.clone();
    assert_eq!(now.placed, 24, "the new proposal is on screen");
    assert_ne!(now.fingerprint, reviewed.fingerprint);
    // Reviewed again, it is applied as shown.
    s.esc();
    s.keys("a");
    s.key(KeyCode::Right);
    s.enter();
    assert!(s.flash().contains("已编排"), "{}", s.flash());
    assert_eq!(
        s.query::<i64>("SELECT count(*) FROM passengers"),
        24,
        "{}",
        s.screen()
    );
}

#[test]
fn a_fever_found_on_a_round_names_the_observation_key_of_keys_toml() {
    use zhitong::console::keymap::Keymap;
    let l = Ledger::new(20, 5, &["陕G21000", "陕G21001", "陕G21002"]);
    let (far, _) = l.day_one();
    let Ledger { dir, db } = l;
    let mut s = Session::open_on(dir, db, Lang::Zh, 80, 24, Some(&far[0]), day(22));
    let (m, problems) =
        Keymap::default().with_overrides("[roster]\nobserve = \"O\"\n", "keys.toml");
    assert!(problems.is_empty(), "{problems:?}");
    s.app.keymap = m;
    s.keys("t");
    assert!(s.app.popup.is_some(), "the round's form opens");
    s.keys("38.2");
    s.enter();
    let text = s.screen();
    assert!(text.contains("已标记留观，按 O 移至留观区"), "{text}");
}
