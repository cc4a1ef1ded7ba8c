//! Reshaping the day from the console, as an operator would, on the sample ledger: a walk-in
//! registered from the Workers screen and seated by a stand-by, a coach added and edited from
//! the Batches screen, where a worker sits, a roster search that names the right bus, the
//! filter's new keys, and a bus with two employers at 80×24.

mod console_support;

use console_support::Session;
use crossterm::event::KeyCode;
use zhitong::console::app::Screen;
use zhitong::console::popup::Popup;
use zhitong::i18n::Lang;

/// A valid ID number of 旬阳县 born on `birth` (YYYYMMDD) with sequence `seq`.
fn id_number(birth: &str, seq: u32) -> String {
    let birth = chrono::NaiveDate::parse_from_str(birth, "%Y%m%d").expect("YYYYMMDD");
    let seq = u16::try_from(seq).expect("a sequence under 1000");
    zhitong::model::IdNumber::compose("610928", birth, seq)
        .expect("a valid ID number")
        .as_str()
        .to_string()
}

/// Types `values` into the open form, one field after another.
fn fill(s: &mut Session, values: &[&str]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.key(KeyCode::Tab);
        }
        s.keys(v);
    }
}

/// The form's fields that carry an error, with it.
fn field_errors(s: &Session) -> Vec<(String, String)> {
    match &s.app.popup {
        Some(Popup::Form(f)) => f
            .fields
            .iter()
            .filter_map(|x| x.error.clone().map(|e| (x.key.to_string(), e)))
            .collect(),
        _ => vec![],
    }
}

fn workers_named(s: &Session, name: &str) -> i64 {
    rusqlite::Connection::open(s.ctx.store.path())
        .unwrap()
        .query_row(
            "SELECT count(*) FROM workers WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_walk_in_is_registered_from_the_form_and_seated_by_a_stand_by() {
    let mut s = Session::open(Lang::Zh, 80, 24, None);
    s.keys("2n");
    assert!(s.screen().contains("登记新工人"), "{}", s.screen());
    let id = id_number("19920517", 31);
    let typed = [
        "杨柳",
        id.as_str(),
        "1371234567",
        "旬阳",
        "蜀河镇",
        "蜀河村",
        "宁波舜宇光电有限公司",
        "2020-02-19",
        "2020-02-25",
    ];
    fill(&mut s, &typed);
    s.enter();
    // One digit short: the form stays open, the reason under the phone, nothing written.
    assert_eq!(
        field_errors(&s),
        vec![(
            "phone".to_string(),
            "不是手机号：应为 1[3-9] 开头的 11 位数字".to_string()
        )]
    );
    let screen = s.screen();
    assert!(screen.contains("↑ 不是手机号"), "{screen}");
    assert_eq!(workers_named(&s, "杨柳"), 0);
    // The write was answered: the status bar does not go on waiting for the database.
    let later = s.app.now + chrono::Duration::seconds(30);
    s.act(zhitong::console::action::Action::Tick(later));
    assert_eq!(s.app.waiting_for_database(), None, "{}", s.screen());
    // The cursor was put on the phone: add the missing digit.
    s.keys("8");
    s.enter();
    assert!(s.app.popup.is_none(), "{}", s.screen());
    assert_eq!(workers_named(&s, "杨柳"), 1);
    assert!(s.flash().contains("已登记 杨柳"), "{}", s.flash());
    // The list shows the walk-in (filtered on the name), ID masked.
    let screen = s.screen();
    assert!(screen.contains("杨柳"), "{screen}");
    assert!(!screen.contains(&id), "{screen}");
    assert!(screen.contains(&format!("{}********{}", &id[..6], &id[14..])));

    // The same ID number again: refused beside the ID field, naming 杨柳.
    s.esc();
    s.keys("n");
    let mut again = typed;
    again[2] = "13712345678";
    fill(&mut s, &again);
    s.enter();
    let errors = field_errors(&s);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "id_number");
    assert!(errors[0].1.contains("杨柳"), "{errors:?}");
    s.esc();
    assert_eq!(workers_named(&s, "杨柳"), 1);

    // On 陕G21000 a refused passenger freed seat 12: the stand-by offers the walk-in.
    s.keys(":bus 陕G21000");
    s.enter();
    s.find("12");
    s.keys("s");
    let Some(Popup::Choice(c)) = &s.app.popup else {
        panic!("no stand-by choice: {}", s.screen());
    };
    let pick = c
        .options
        .iter()
        .position(|(label, _)| label.starts_with("杨柳"))
        .expect("the walk-in among the stand-bys");
    s.keys(&(pick + 1).to_string());
    let seat: u32 = rusqlite::Connection::open(s.ctx.store.path())
        .unwrap()
        .query_row(
            "SELECT p.seat FROM passengers p JOIN workers w ON w.id = p.worker_id
             WHERE w.name = '杨柳' AND p.status = 'planned'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(seat, 12);
    // The Workers screen says where the walk-in now sits.
    s.keys("2");
    s.find("杨柳");
    let screen = s.screen();
    assert!(screen.contains("陕G21000·12"), "{screen}");
}

#[test]
fn the_workers_screen_shows_bus_and_seat_and_the_filter_finds_new_keys() {
    let mut s = Session::open(Lang::Zh, 120, 40, None);
    s.keys("2");
    s.find("黄勇");
    let screen = s.screen();
    assert!(screen.contains("陕G21001·1"), "{screen}");
    assert!(
        screen.contains("已发车 陕G21001 1座（石泉-20200221-01-1）"),
        "{screen}"
    );
    // Pinyin initials: hy finds 黄勇 (and any other h… y… name), not 张伟.
    s.find("hy");
    let screen = s.screen();
    assert!(
        screen.contains("黄勇") && !screen.contains("张伟"),
        "{screen}"
    );
    // The last four digits of a phone (黄勇's ends 7919).
    s.find("7919");
    assert_eq!(s.app.workers.len(), 1);
    assert!(s.screen().contains("黄勇"));
    // A township: every worker of 五里镇 (汉滨区 东坝村), nobody else.
    s.find("五里镇");
    let n = s.app.workers.len() as i64;
    let expected: i64 = s.query("SELECT count(*) FROM workers WHERE township = '五里镇'");
    assert_eq!(n, expected);
    assert!(n > 0);
}

#[test]
fn a_roster_search_for_a_passenger_of_another_bus_names_bus_and_seat() {
    let mut s = Session::open(Lang::Zh, 80, 24, None);
    s.keys(":bus 陕G21000");
    s.enter();
    assert_eq!(s.app.screen, Screen::Roster);
    // 黄勇 rides 陕G21001, seat 1.
    s.find("黄勇");
    let screen = s.screen();
    assert!(
        screen.contains("上错车？黄勇 610902********0015 在 陕G21001 1座"),
        "{screen}"
    );
    // By the last digits of the ID number too.
    s.find("0015");
    assert!(s.screen().contains("在 陕G21001 1座"), "{}", s.screen());
    // Someone on this bus: listed as usual, no wrong-bus line.
    s.find("张伟");
    let screen = s.screen();
    assert!(
        screen.contains("张伟") && !screen.contains("上错车"),
        "{screen}"
    );
    // Nobody anywhere.
    s.find("查无此人");
    assert!(s.screen().contains("没有匹配的乘客"), "{}", s.screen());
}

#[test]
fn a_coach_is_added_and_edited_from_the_batches_screen() {
    let mut s = Session::open(Lang::Zh, 120, 40, None);
    s.keys("3");
    s.keys("n");
    assert!(s.screen().contains("新增车辆"), "{}", s.screen());
    let coach = [
        "陕G40000",
        "45",
        "旬阳客运",
        "冯师傅",
        "13809150006",
        "",
        "",
        "陈干事",
        "13809150104",
        "旬阳",
        "",
        "否",
    ];
    fill(&mut s, &coach);
    s.enter();
    assert!(s.app.popup.is_none(), "{}", s.screen());
    assert!(s.flash().contains("已新增 陕G40000"), "{}", s.flash());
    let (seats, county): (u32, String) = rusqlite::Connection::open(s.ctx.store.path())
        .unwrap()
        .query_row(
            "SELECT seats, county FROM buses WHERE plate = '陕G40000'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((seats, county.as_str()), (45, "旬阳县"));

    // The same plate again: refused beside the plate.
    s.keys("n");
    fill(&mut s, &coach);
    s.enter();
    let errors = field_errors(&s);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "plate");
    // A bad seat count is refused as the fleet import refuses it.
    s.esc();
    s.keys("n");
    let mut bad = coach;
    bad[0] = "陕G40001";
    bad[1] = "300";
    fill(&mut s, &bad);
    s.enter();
    assert_eq!(
        field_errors(&s),
        vec![("seats".to_string(), "核定座位应在 7–80 之间".to_string())]
    );
    s.esc();

    // The first bus of the day (陕G21000, boarding) in the form: its seats are part of a plan.
    s.keys("c");
    let Some(Popup::Form(f)) = &s.app.popup else {
        panic!("no coach form: {}", s.screen());
    };
    assert_eq!(f.fields[0].input.value(), "陕G21000");
    assert_eq!(f.fields[1].input.value(), "45");
    s.key(KeyCode::Tab);
    s.ctrl('u');
    s.keys("53");
    s.enter();
    let errors = field_errors(&s);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "seats");
    assert!(errors[0].1.contains("有行程"), "{errors:?}");
    // Its crew may change: the second driver (the cursor is on the seats, put back).
    s.ctrl('u');
    s.keys("45");
    for _ in 0..4 {
        s.key(KeyCode::Tab);
    }
    s.ctrl('u');
    s.keys("周师傅");
    s.enter();
    assert!(s.app.popup.is_none(), "{}", s.screen());
    let driver2: String = s.query("SELECT driver2 FROM buses WHERE plate = '陕G21000'");
    assert_eq!(driver2, "周师傅");
    let audited: i64 =
        s.query("SELECT count(*) FROM audit WHERE entity = 'bus' AND action IN ('add', 'edit')");
    assert_eq!(audited, 2);
}

#[test]
fn a_bus_with_two_employers_shows_both_with_their_counts_at_80x24() {
    // One passenger of 陕G21000 works for 太原富士康 instead.
    let (dir, path) = console_support::sample_db();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE workers SET employer_id = 2 WHERE id = (
               SELECT p.worker_id FROM passengers p JOIN trips t ON t.id = p.trip_id
                 JOIN buses b ON b.id = t.bus_id
               WHERE b.plate = '陕G21000' AND p.status = 'planned' ORDER BY p.seat LIMIT 1)",
            [],
        )
        .unwrap();
    let mut s = Session::open_on(
        dir,
        path,
        Lang::Zh,
        80,
        24,
        None,
        console_support::sample::day(),
    );
    let screen = s.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("陕G21000"))
        .expect("the bus on the board");
    // Too narrow for both names: the first, its count, and +1 for the other.
    assert!(row.contains(" 9 +1 "), "{row}");
    s.keys(":bus 陕G21000");
    s.enter();
    let screen = s.screen();
    assert!(
        screen.contains("企业 宁波舜宇光电有限公司 9 · 太原富士康科技工业园 1"),
        "{screen}"
    );
}
