//! The attendant's roster driven through `App::update`: find, check in, refuse, no-show,
//! stand-by, depart, en-route actions and arrival, checked on screen and in the database.

mod console_support;

use console_support::Session;
use crossterm::event::KeyCode;
use zhitong::console::action::{Request, Write};
use zhitong::console::app::Screen;
use zhitong::i18n::Lang;
use zhitong::ops::TripRef;

fn attendant() -> Session {
    Session::open(Lang::Zh, 100, 30, Some("陕G21000"))
}

fn seat_status(s: &Session, seat: u32) -> String {
    s.query(&format!(
        "SELECT status FROM passengers WHERE trip_id = 1 AND seat = {seat} ORDER BY id DESC LIMIT 1"
    ))
}

#[test]
fn opens_on_the_bus_and_offers_only_its_roster() {
    let mut s = attendant();
    assert_eq!(s.app.screen, Screen::Roster);
    let text = s.screen();
    assert!(text.contains("随车 陕G21000"), "{text}");
    assert!(text.contains("应到 10"), "{text}");
    assert!(text.contains("待查验 5"), "{text}");
    // Screen keys do nothing in attendant mode, and another bus cannot be opened.
    s.keys("2");
    assert_eq!(s.app.screen, Screen::Roster);
    s.key(KeyCode::Tab);
    assert_eq!(s.app.screen, Screen::Roster);
    s.keys(":bus 陕G21001");
    s.enter();
    assert!(
        s.flash().contains("随车模式只显示 陕G21000"),
        "{}",
        s.flash()
    );
    assert!(!s.screen().contains("1 目的地"));
}

#[test]
fn find_by_name_last_four_and_seat_then_check_in() {
    let mut s = attendant();
    s.find("林涛");
    assert_eq!(s.app.roster.shown.len(), 1);
    s.keys("b");
    s.keys("36.6");
    s.enter();
    assert!(
        s.app.popup.is_none(),
        "the form closes once boarding is recorded"
    );
    assert_eq!(seat_status(&s, 16), "boarded");
    assert!(s.flash().contains("林涛 已登车"), "{}", s.flash());
    assert!(s.screen().contains("已登车 6"));
    // Last four of the ID (with a final X) and a seat number find the same way.
    s.find("075x");
    assert_eq!(s.app.roster.selected().map(|p| p.seat), Some(17));
    s.find("20");
    assert_eq!(s.app.roster.selected().map(|p| p.seat), Some(20));
}

#[test]
fn a_typing_error_keeps_the_form_open_and_writes_nothing() {
    let mut s = attendant();
    s.find("20");
    s.keys("b365");
    s.enter();
    let text = s.screen();
    assert!(s.app.popup.is_some(), "the form stays for a correction");
    assert!(text.contains("365"), "{text}");
    assert_eq!(seat_status(&s, 20), "planned");
    s.key(KeyCode::Backspace);
    s.key(KeyCode::Backspace);
    s.key(KeyCode::Backspace);
    s.keys("36.5");
    s.enter();
    assert!(s.app.popup.is_none());
    assert_eq!(seat_status(&s, 20), "boarded");
}

#[test]
fn fever_is_rechecked_then_refused_and_the_seat_can_go_to_a_stand_by() {
    let mut s = attendant();
    s.find("075X");
    s.keys("b37.9");
    s.enter();
    assert!(s.app.popup.is_none(), "a recorded re-check closes the form");
    assert!(s.flash().contains("复测"), "{}", s.flash());
    assert_eq!(seat_status(&s, 17), "recheck");
    let text = s.screen();
    assert!(text.contains("复测") && text.contains("37.9"), "{text}");
    // After the rest (none under this policy) the new reading is still high: refused.
    s.ctx.policy.recheck_wait_minutes = 0;
    s.keys("b38.0");
    s.enter();
    assert!(s.app.popup.is_none(), "a recorded refusal closes the form");
    assert!(s.flash().contains("发热"), "{}", s.flash());
    assert_eq!(seat_status(&s, 17), "refused");
    let text = s.screen();
    assert!(text.contains("拒载 2"), "{text}");
    // s on the refused row offers stand-by workers of the same employer for that seat.
    s.keys("s");
    let text = s.screen();
    assert!(text.contains("候补 → 座 17"), "{text}");
    s.enter();
    assert_eq!(seat_status(&s, 17), "planned");
    let standby: i64 = s.query(
        "SELECT standby FROM passengers WHERE trip_id = 1 AND seat = 17 AND status = 'planned'",
    );
    assert_eq!(standby, 1);
    assert!(s.flash().starts_with("候补 "), "{}", s.flash());
}

#[test]
fn depart_is_refused_while_someone_is_unaccounted_then_goes() {
    let mut s = attendant();
    s.keys("D");
    // Focus starts on Cancel: Enter does nothing.
    s.enter();
    assert!(s.app.popup.is_none());
    let status: String = s.query("SELECT status FROM trips WHERE id = 1");
    assert_eq!(status, "boarding");
    s.keys("D");
    s.key(KeyCode::Right);
    s.enter();
    assert!(s.flash().contains("未核验"), "{}", s.flash());
    assert_eq!(
        s.query::<String>("SELECT status FROM trips WHERE id = 1"),
        "boarding"
    );
    for seat in ["16", "17", "20", "21"] {
        s.find(seat);
        s.keys("b36.5");
        s.enter();
    }
    s.find("24");
    s.keys("n");
    let text = s.screen();
    assert!(
        text.contains("马伟 610922********1000 · 24 未到？"),
        "{text}"
    );
    s.keys("y");
    assert_eq!(seat_status(&s, 24), "no-show");
    s.esc();
    s.keys("D");
    let text = s.screen();
    assert!(
        text.contains("陕G21000（旬阳-20200221-01-1）发车？已登车 9 人"),
        "{text}"
    );
    s.keys("y");
    assert_eq!(
        s.query::<String>("SELECT status FROM trips WHERE id = 1"),
        "departed"
    );
    assert!(s.flash().contains("已发车"), "{}", s.flash());
    // Door actions are closed now.
    s.find("1003");
    s.keys("n");
    s.keys("y");
    assert!(s.flash().contains("名单已关闭"), "{}", s.flash());
}

#[test]
fn en_route_round_stop_observation_and_arrival() {
    let mut s = attendant();
    for seat in ["16", "17", "20", "21", "24"] {
        s.find(seat);
        s.keys("b36.5");
        s.enter();
    }
    s.esc();
    s.keys("D");
    s.keys("y");
    assert_eq!(
        s.query::<String>("SELECT status FROM trips WHERE id = 1"),
        "departed"
    );
    // Round: one field per passenger aboard; the second one has a fever.
    s.keys("t");
    s.keys("36.4");
    s.key(KeyCode::Tab);
    s.keys("38.1");
    s.enter();
    let text = s.screen();
    assert!(text.contains("体温 38.1 °C：已标记留观"), "{text}");
    s.esc();
    // The roster row says so at once: the latest reading and the 留观 mark.
    let text = s.screen();
    assert!(text.contains("38.1 留观"), "{text}");
    assert!(text.contains("留观 1"), "{text}");
    let rounds: i64 =
        s.query("SELECT count(DISTINCT at) FROM trip_events WHERE trip_id = 1 AND kind = 'round'");
    assert_eq!(rounds, 1);
    // Move the feverish passenger (seat 4) to the observation rows.
    s.find("4");
    s.keys("o38.1");
    s.enter();
    assert!(s.flash().contains("移至留观座"), "{}", s.flash());
    let obs: u32 = s.query("SELECT seat FROM passengers p JOIN workers w ON w.id = p.worker_id WHERE p.trip_id = 1 AND w.name = '陈洋' AND p.status = 'boarded'");
    assert!(obs >= 37, "moved to a rear seat, got {obs}");
    // A stop with a wrong headcount is logged and flagged.
    s.keys("h");
    s.keys("秦岭服务区");
    s.key(KeyCode::Tab);
    s.keys("9");
    s.enter();
    assert!(s.flash().contains("点名 9 人，名单 10 人"), "{}", s.flash());
    s.esc();
    // Arrival with the receiver's name: a summary dialog.
    s.keys("A");
    s.keys("周主任");
    s.enter();
    let text = s.screen();
    assert!(text.contains("交接 10 人 / 登车 10 人"), "{text}");
    assert!(text.contains("发热 1"), "{text}");
    assert!(
        text.contains(&format!("留观：座 {obs} 陈洋 38.1 °C")),
        "{text}"
    );
    assert_eq!(
        s.query::<String>("SELECT status FROM trips WHERE id = 1"),
        "arrived"
    );
    assert_eq!(
        s.query::<String>("SELECT receiver FROM trips WHERE id = 1"),
        "周主任"
    );
}

#[test]
fn reveal_is_one_key_and_audited() {
    let mut s = attendant();
    s.find("1003");
    let full: String = s.query("SELECT id_number FROM workers WHERE name = '张伟'");
    assert!(!s.screen().contains(&full), "masked before");
    s.keys("R");
    assert!(s.screen().contains(&full));
    let audits: i64 = s.query("SELECT count(*) FROM audit WHERE action = 'reveal'");
    assert_eq!(audits, 1);
    s.esc();
    assert!(
        !s.screen().contains(&full),
        "hidden again once the list changes"
    );
}

#[test]
fn u_undoes_a_door_decision_with_a_reason_but_not_a_fever_refusal() {
    let mut s = attendant();
    // Boarded by mistake: u asks for the reason, then the passenger is to be checked again.
    s.find("林涛");
    s.keys("b36.6");
    s.enter();
    assert_eq!(seat_status(&s, 16), "boarded");
    s.keys("u");
    let text = s.screen();
    assert!(
        text.contains("撤销 林涛") && text.contains("已登车"),
        "{text}"
    );
    // Without a reason the form stays open.
    s.enter();
    assert!(s.app.popup.is_some(), "a reason is required");
    assert_eq!(seat_status(&s, 16), "boarded");
    s.keys("认错人");
    s.enter();
    assert!(s.app.popup.is_none(), "{}", s.screen());
    assert_eq!(seat_status(&s, 16), "planned");
    assert!(s.flash().contains("林涛 已撤销（认错人）"), "{}", s.flash());
    let why: String = s.query(
        "SELECT r.text FROM audit a JOIN reasons r ON r.id = json_extract(a.after, '$.reason_id')
         WHERE a.action = 'undo' AND a.entity = 'passenger' ORDER BY a.id DESC LIMIT 1",
    );
    assert_eq!(why, "认错人");
    // Like every roster write, the undo names the trip on screen by its code, not the plate.
    let code = s.app.roster.trip.as_ref().unwrap().code.clone();
    assert!(
        s.log.iter().any(|r| matches!(
            r,
            Request::Write(Write::Undo { trip: TripRef::Code(c), reason, .. })
                if *c == code && reason == "认错人"
        )),
        "{:?}",
        s.log
    );
    // A reason with a hidden character is refused like any free text: the form stays open,
    // says why, and nothing is undone.
    s.keys("b36.6");
    s.enter();
    assert_eq!(seat_status(&s, 16), "boarded");
    s.keys("u");
    s.keys("认错\u{202e}人");
    s.enter();
    assert!(s.app.popup.is_some(), "the form stays for a correction");
    assert!(
        s.flash().contains("原因") && s.flash().contains("U+202E"),
        "{}",
        s.flash()
    );
    assert_eq!(seat_status(&s, 16), "boarded");
    assert_eq!(s.query::<i64>("SELECT COUNT(*) FROM reasons"), 1);
    s.key(KeyCode::Esc);
    // The sample's fever refusal (seat 12) is not undone this way: no reason is asked for.
    s.find("12");
    s.keys("u");
    assert!(s.app.popup.is_none());
    assert!(s.flash().contains("发热结论不能撤销"), "{}", s.flash());
    assert_eq!(seat_status(&s, 12), "refused");
}

#[test]
fn a_fever_moves_one_from_unchecked_to_recheck_and_the_counts_still_add_up() {
    let mut s = attendant();
    assert!(s.screen().contains("待查验 5"), "{}", s.screen());
    s.find("林涛");
    s.keys("b");
    s.keys("38.2");
    s.enter();
    assert_eq!(seat_status(&s, 16), "recheck");
    let text = s.screen();
    // 应到 10 = 已登车 5 + 复测 1 + 待查验 4.
    assert!(text.contains("复测 1"), "{text}");
    assert!(text.contains("待查验 4"), "{text}");
    s.keys("D");
    let confirm = s.screen();
    assert!(confirm.contains("复测 1 · 待查验 4"), "{confirm}");
}
