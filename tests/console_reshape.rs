//! Reshaping from the console, driven through `App::update` on the sample ledger: `X` asks for
//! a reason, then asks "取消 陕G21000 — N 人？" with the focus on Cancel; `S` lists the
//! coaches that can stand in; `m` lists where a passenger can go, then the seats.

mod console_support;

use console_support::Session;
use crossterm::event::KeyCode;
use zhitong::console::popup::Popup;
use zhitong::i18n::Lang;

fn officer() -> Session {
    Session::open(Lang::Zh, 100, 30, None)
}

fn trip_of_bus(s: &Session) -> (String, String) {
    s.query::<String>(
        "SELECT b.plate || ' ' || t.status FROM trips t JOIN buses b ON b.id = t.bus_id WHERE t.id = 1",
    )
    .split_once(' ')
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .unwrap()
}

#[test]
fn cancel_asks_for_a_reason_then_names_the_bus_with_focus_on_cancel() {
    let mut s = officer();
    s.find("陕G21000");
    s.keys("X");
    assert!(s.screen().contains("取消车次 陕G21000"), "{}", s.screen());
    // No reason: the form says so and stays.
    s.enter();
    assert!(s.screen().contains("请写明取消原因"), "{}", s.screen());
    s.keys("车辆故障");
    s.enter();
    let text = s.screen();
    // 5 aboard and 5 still due hold a seat.
    assert!(text.contains("取消 陕G21000 — 10 人？"), "{text}");
    match &s.app.popup {
        Some(Popup::Confirm(c)) => assert!(!c.focus_yes, "focus starts on Cancel"),
        other => panic!("expected a confirmation, got {other:?}"),
    }
    // Enter on Cancel: nothing happens.
    s.enter();
    assert!(s.app.popup.is_none());
    assert_eq!(trip_of_bus(&s).1, "boarding");
    // Asked again and confirmed.
    s.keys("X");
    s.keys("车辆故障");
    s.enter();
    s.key(KeyCode::Right);
    s.enter();
    assert_eq!(trip_of_bus(&s).1, "cancelled");
    assert!(s.flash().contains("已取消 陕G21000"), "{}", s.flash());
    assert!(
        s.screen().contains("已取消"),
        "the board shows it cancelled"
    );
    let back: i64 = s.query(
        "SELECT count(*) FROM workers WHERE employer_id = 1 AND status = 'registered'
           AND cert_issued = '2020-02-18'",
    );
    assert!(back >= 10, "passengers back in the pool: {back}");
}

#[test]
fn swap_lists_free_coaches_and_keeps_the_trip() {
    let mut s = officer();
    s.find("陕G21000");
    s.keys("S");
    let text = s.screen();
    assert!(
        text.contains("换车 陕G21000（旬阳-20200221-01-1，10 人）"),
        "{text}"
    );
    // 陕G33333 is the one free coach of the fleet; 陕G21001 is on the road.
    assert!(text.contains("陕G33333 45座 可载 18"), "{text}");
    assert!(!text.contains("陕G21001 53座"), "{text}");
    s.enter();
    assert!(s.screen().contains("换车 陕G21000 → 陕G33333（10 人）"));
    s.keys("发动机故障");
    s.enter();
    assert!(
        s.app.popup.is_none(),
        "the form closes once the swap is written"
    );
    assert_eq!(trip_of_bus(&s), ("陕G33333".into(), "boarding".into()));
    assert!(
        s.flash()
            .contains("旬阳-20200221-01-1：陕G21000 → 陕G33333"),
        "{}",
        s.flash()
    );
    // The board lists the trip under its new plate.
    s.find("");
    assert!(s.screen().contains("陕G33333"), "{}", s.screen());
}

#[test]
fn move_from_a_roster_row_offers_the_buses_then_the_seats() {
    let mut s = Session::open(Lang::Zh, 100, 30, Some("陕G21000"));
    // A passenger still due at the door (seat 20 in the sample).
    s.find("20");
    let before: i64 = s.query(
        "SELECT seat FROM passengers WHERE trip_id = 1 AND seat = 20 AND status = 'planned'",
    );
    assert_eq!(before, 20);
    s.keys("m");
    let text = s.screen();
    assert!(text.contains("调车"), "{text}");
    assert!(text.contains("本车换座 · 陕G21000"), "{text}");
    s.enter();
    let text = s.screen();
    assert!(
        text.contains("选座位") && text.contains("靠近同乡"),
        "{text}"
    );
    s.enter();
    let moved: i64 = s.query(
        "SELECT count(*) FROM passengers WHERE trip_id = 1 AND seat = 20 AND status = 'planned'",
    );
    assert_eq!(moved, 0, "seat 20 is free again");
    assert!(s.flash().contains("调至 陕G21000"), "{}", s.flash());
    // A passenger refused at the door holds no seat: nothing to move.
    let seat: i64 = s.query("SELECT seat FROM passengers WHERE trip_id = 1 AND status = 'refused'");
    s.find(&seat.to_string());
    assert!(s
        .app
        .roster
        .selected()
        .is_some_and(|p| !p.status.holds_seat()));
    s.keys("m");
    assert!(s.flash().contains("不占座位"), "{}", s.flash());
    assert!(s.app.popup.is_none());
}

#[test]
fn an_employer_changed_after_planning_is_flagged_on_destinations_and_batches() {
    let mut s = officer();
    // The boarding trip's batch was planned for employer 1 as it was; then its gate moved.
    zhitong::store::reshape::remember_employer(&s.ctx.store.db(), 1, 1).unwrap();
    let name: String = s.query("SELECT name FROM employers WHERE id = 1");
    rusqlite::Connection::open(s.ctx.store.path())
        .unwrap()
        .execute(
            "UPDATE employers SET city = '绍兴市', address = '柯桥区' WHERE id = 1",
            [],
        )
        .unwrap();
    s.keys("1");
    s.find(&name);
    let text = s.screen();
    assert!(text.contains(&format!("⚠ {name}")), "{text}");
    assert!(text.contains("编排后信息已变更"), "{text}");
    s.keys("3");
    let text = s.screen();
    assert!(text.contains("⚠ "), "{text}");
    assert!(
        text.contains("批次 旬阳-20200221-01 编排后信息已变更"),
        "{text}"
    );
    // Put back as planned, the flags go.
    rusqlite::Connection::open(s.ctx.store.path())
        .unwrap()
        .execute_batch(
            "UPDATE employers SET (city, address) = (SELECT city, address FROM planned_employers
                 WHERE batch_id = 1 AND employer_id = 1) WHERE id = 1",
        )
        .unwrap();
    s.ctrl('l');
    assert!(!s.screen().contains("编排后信息已变更"), "{}", s.screen());
}
