//! The console and the advance notice, without a terminal: the board flags destinations not
//! told and buses overdue as the clock runs, `:notice-sent` records a notice for the day shown,
//! `N` prepares it for the selected trip, and the attendant's console offers none of it.

mod console_support;

use chrono::NaiveDateTime;
use console_support::Session;
use crossterm::event::KeyCode;
use zhitong::console::action::Action;
use zhitong::console::app::Prompt;
use zhitong::i18n::Lang;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn row(screen: &str, plate: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(plate))
        .unwrap_or_else(|| panic!("no row of {plate}:\n{screen}"))
        .to_string()
}

#[test]
fn a_notice_recorded_from_the_command_line_clears_the_flag() {
    let mut s = Session::open(Lang::Zh, 120, 40, None);
    let text = s.screen();
    assert!(row(&text, "陕G21000").contains("未通知"), "{text}");
    assert!(row(&text, "陕G21001").contains("未通知"), "{text}");

    s.keys(":notice-sent 浙江");
    s.enter();
    assert!(s.flash().contains("用法"), "{}", s.flash());
    assert_eq!(s.query::<i64>("SELECT COUNT(*) FROM notices"), 0);

    s.keys(":notice-sent 浙江 浙江省交通运输厅 李处长");
    s.enter();
    assert!(
        s.flash().contains("浙江省 的抵达预告已于")
            && s.flash().contains("浙江省交通运输厅 李处长"),
        "{}",
        s.flash()
    );
    let text = s.screen();
    assert!(!row(&text, "陕G21000").contains("未通知"), "{text}");
    assert!(
        row(&text, "陕G21001").contains("未通知"),
        "Shanxi still: {text}"
    );
    assert_eq!(
        s.query::<String>("SELECT province || ' ' || sent_to || ' ' || operator FROM notices"),
        "浙江省 浙江省交通运输厅 李处长 王科长"
    );
    assert_eq!(
        s.query::<i64>("SELECT COUNT(*) FROM audit WHERE action = 'notice-sent'"),
        1
    );

    // A province no bus goes to that day: said, nothing written.
    s.keys(":notice-sent 北京 北京市");
    s.enter();
    assert!(s.flash().contains("北京"), "{}", s.flash());
    assert_eq!(s.query::<i64>("SELECT COUNT(*) FROM notices"), 1);
}

#[test]
fn n_prepares_the_command_for_the_selected_trip() {
    let mut s = Session::open(Lang::Zh, 80, 24, None);
    s.keys("j");
    s.keys("N");
    match &s.app.prompt {
        Some(Prompt::Command(input)) => assert_eq!(input.value(), "notice-sent 山西省 "),
        other => panic!("no command line: {other:?}"),
    }
    s.keys("太原市人社局");
    s.enter();
    assert_eq!(
        s.query::<String>("SELECT province || ' ' || sent_to FROM notices"),
        "山西省 太原市人社局"
    );
    // `?` lists the key beside the others of the board.
    s.keys("?");
    let text = s.screen();
    assert!(text.contains("N               记录已发预告"), "{text}");
}

#[test]
fn the_board_flags_a_bus_overdue_as_the_clock_runs() {
    let mut s = Session::open(Lang::Zh, 80, 24, None);
    // 陕G21001 left at 08:34 for Taiyuan, expected 02-22 00:14: overdue from 02:14.
    s.act(Action::Tick(at("2020-02-22T02:10")));
    let text = s.screen();
    assert!(!row(&text, "陕G21001").contains("超时未到"), "{text}");
    assert!(row(&text, "陕G21001").contains("02-22 00:14"), "{text}");
    s.act(Action::Tick(at("2020-02-22T02:20")));
    let text = s.screen();
    assert!(row(&text, "陕G21001").contains("超时未到"), "{text}");
    assert!(
        !row(&text, "陕G21000").contains("超时未到"),
        "not left: {text}"
    );
    // English says it too.
    s.app.lang = Lang::En;
    assert!(row(&s.screen(), "陕G21001").contains("overdue"));
}

#[test]
fn the_attendant_console_records_no_notice() {
    let mut s = Session::open(Lang::Zh, 80, 24, Some("陕G21000"));
    s.keys(":notice-sent 浙江 浙江省交通运输厅");
    s.key(KeyCode::Enter);
    assert!(s.flash().contains("未知命令"), "{}", s.flash());
    assert_eq!(s.query::<i64>("SELECT COUNT(*) FROM notices"), 0);
    // The roster shows when the bus is expected at the gate.
    let text = s.screen();
    assert!(text.contains("预计到达 02-22 11:40"), "{text}");
}
