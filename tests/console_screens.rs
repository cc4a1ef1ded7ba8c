//! Each screen's keys driven through `App::update` on the sample ledger (no terminal): what
//! the operator sees and what ends up in the database.

mod console_support;

use console_support::Session;
use crossterm::event::KeyCode;
use zhitong::console::app::Screen;
use zhitong::console::index::Selection;
use zhitong::i18n::Lang;

fn officer() -> Session {
    Session::open(Lang::Zh, 120, 40, None)
}

#[test]
fn number_keys_tab_and_back_tab_move_between_screens() {
    let mut s = officer();
    assert_eq!(s.app.screen, Screen::Board, "opens on the departure board");
    s.keys("1");
    assert_eq!(s.app.screen, Screen::Destinations);
    s.key(KeyCode::Tab);
    assert_eq!(s.app.screen, Screen::Workers);
    s.key(KeyCode::BackTab);
    s.key(KeyCode::BackTab);
    assert_eq!(s.app.screen, Screen::Stats, "Shift-Tab wraps around");
    s.keys("?");
    assert!(s.screen().contains("帮助"));
    s.keys("x");
    assert!(
        s.app.popup.is_some(),
        "a key of no meaning leaves the help open"
    );
    s.esc();
    assert!(s.app.popup.is_none(), "Esc closes the help");
    s.keys("q");
    assert!(s.app.quit);
}

#[test]
fn destinations_sort_filter_and_drill_into_an_employer() {
    let mut s = officer();
    s.keys("1");
    let text = s.screen();
    assert!(text.contains("宁波舜宇光电有限公司"), "{text}");
    assert_eq!(s.app.destinations.shown.len(), 5);
    s.find("宁波");
    assert_eq!(s.app.destinations.shown.len(), 1);
    s.enter();
    let text = s.screen();
    assert!(text.contains("Esc 返回"), "{text}");
    assert!(
        text.contains("陕G21000"),
        "the employer's bus is listed: {text}"
    );
    assert!(text.contains("张伟"), "its workers are listed: {text}");
    // The contact's phone is masked on the card.
    assert!(text.contains("139****1200"), "{text}");
    s.esc();
    assert!(s.app.destinations.drill.is_none());
    s.esc();
    assert_eq!(s.app.destinations.shown.len(), 5, "Esc clears the filter");
    s.keys("s");
    s.keys("s");
    let first = s.app.destinations.selected().map(|r| r.name.clone());
    assert_eq!(s.flash(), "按登记");
    let most = s
        .app
        .destinations
        .rows
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.registered)
        .max();
    assert_eq!(
        s.app.destinations.selected().map(|r| r.registered),
        most,
        "{first:?}"
    );
}

#[test]
fn workers_filter_as_you_type_over_names_id_endings_villages_and_employers() {
    let mut s = officer();
    s.keys("2");
    assert!(
        s.app.workers.index.is_some(),
        "the index is loaded after the first frame"
    );
    s.keys("/张");
    let n_zhang = s.app.workers.len();
    assert!(n_zhang >= 2, "{n_zhang}");
    s.keys("伟");
    assert_eq!(s.app.workers.len(), 1, "every keystroke filters");
    s.enter();
    let text = s.screen();
    assert!(text.contains("610928********1003"), "masked ID: {text}");
    assert!(!text.contains("13500000000"), "phone masked: {text}");
    s.find("1003");
    assert_eq!(s.app.workers.len(), 1);
    s.find("蜀河");
    assert!(s.app.workers.len() > 5);
    s.find("富士康");
    let by_employer = s.app.workers.len();
    let in_db: i64 = s.query("SELECT count(*) FROM workers WHERE employer_id = 2");
    assert_eq!(by_employer as i64, in_db);
    // A full ID number is looked up exactly in the database.
    let full: String = s.query("SELECT id_number FROM workers WHERE id = 7");
    s.find(&full);
    assert_eq!(s.app.workers.len(), 1);
    assert_eq!(s.app.workers.selected_line().map(|w| w.id), Some(7));
    s.esc();
    assert_eq!(s.app.workers.selection, Selection::All);
}

#[test]
fn withdraw_asks_first_naming_the_worker_with_focus_on_cancel() {
    let mut s = officer();
    s.keys("2");
    s.find("赵霞");
    s.keys("w");
    let text = s.screen();
    let masked = {
        let id: String = s.query("SELECT id_number FROM workers WHERE name = '赵霞'");
        format!("{}********{}", &id[..6], &id[14..])
    };
    assert!(
        text.contains(&format!("撤销 赵霞 {masked} 的登记？")),
        "{text}"
    );
    s.enter();
    let status: String = s.query("SELECT status FROM workers WHERE name = '赵霞'");
    assert_eq!(status, "registered", "Enter on the default focus cancels");
    s.keys("w");
    s.key(KeyCode::Right);
    s.enter();
    let status: String = s.query("SELECT status FROM workers WHERE name = '赵霞'");
    assert_eq!(status, "withdrawn");
    assert!(s.screen().contains("已退出"));
    let audit: i64 = s.query("SELECT count(*) FROM audit WHERE action = 'withdraw'");
    assert_eq!(audit, 1);
    // A worker holding a seat cannot be withdrawn.
    s.find("1003");
    s.keys("wy");
    assert!(
        s.flash().contains("只有未编排的工人可以移出台账"),
        "{}",
        s.flash()
    );
}

#[test]
fn edit_validates_with_the_model_and_keeps_the_masked_phone() {
    let mut s = officer();
    s.keys("2");
    s.find("赵霞");
    let phone: String = s.query("SELECT phone FROM workers WHERE name = '赵霞'");
    s.keys("e");
    s.key(KeyCode::Tab);
    s.ctrl('u');
    s.keys("新村");
    s.key(KeyCode::Tab);
    s.ctrl('u');
    s.keys("2020-02-31");
    s.enter();
    assert!(s.app.popup.is_some(), "a bad date keeps the form open");
    assert!(
        s.screen().contains("证明签发日期"),
        "the error names the field"
    );
    s.ctrl('u');
    s.keys("2020/2/19");
    s.enter();
    assert!(s.app.popup.is_none());
    let (village, issued, kept): (String, String, String) =
        rusqlite::Connection::open(s.ctx.store.path())
            .unwrap()
            .query_row(
                "SELECT village, cert_issued, phone FROM workers WHERE name = '赵霞'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
    assert_eq!((village.as_str(), issued.as_str()), ("新村", "2020-02-19"));
    assert_eq!(
        kept, phone,
        "the masked phone left as shown keeps the number"
    );
    let after: String = s.query("SELECT after FROM audit WHERE action = 'edit'");
    assert!(
        !after.contains(&phone) && !after.contains("新村"),
        "no personal data in the audit: {after}"
    );
}

#[test]
fn reveal_shows_one_full_id_and_is_audited() {
    let mut s = officer();
    s.keys("2");
    s.find("赵霞");
    let full: String = s.query("SELECT id_number FROM workers WHERE name = '赵霞'");
    assert!(!s.screen().contains(&full));
    s.keys("R");
    assert!(s.screen().contains(&full));
    assert!(s.flash().contains("审计"));
    let n: i64 =
        s.query("SELECT count(*) FROM audit WHERE action = 'reveal' AND entity = 'worker'");
    assert_eq!(n, 1);
}

#[test]
fn board_lists_the_day_and_enter_opens_the_roster() {
    let mut s = officer();
    let text = s.screen();
    assert!(
        text.contains("陕G21000") && text.contains("陕G21001"),
        "{text}"
    );
    assert!(
        text.contains("0:20:00"),
        "countdown to 07:00 at 06:40: {text}"
    );
    assert!(
        text.contains("发 08:34"),
        "departed bus shows its time: {text}"
    );
    s.enter();
    assert_eq!(s.app.screen, Screen::Roster);
    assert!(s.screen().contains("陕G21000 登车中"));
    s.keys("4[");
    assert_eq!(s.app.day.to_string(), "2020-02-20");
    let text = s.screen();
    assert!(
        text.contains("陕GD12345") && !text.contains("陕G21000"),
        "{text}"
    );
    assert!(text.contains("（非当日）"), "{text}");
    s.keys(":date 2020-02-21");
    s.enter();
    assert_eq!(s.app.day.to_string(), "2020-02-21");
}

#[test]
fn batches_plan_review_and_apply_after_confirmation() {
    let mut s = officer();
    let before: i64 = s.query("SELECT count(*) FROM workers WHERE status = 'planned'");
    s.keys(":plan 2020-02-22");
    s.enter();
    assert_eq!(s.app.screen, Screen::Batches);
    let p = s
        .app
        .batches
        .proposal
        .as_ref()
        .expect("a proposal for review");
    let placed = p.review.placed;
    assert!(placed > 0, "the sample has eligible workers and free buses");
    let text = s.screen();
    assert!(text.contains("编排方案 2020-02-22"), "{text}");
    assert!(text.contains("未安排"), "{text}");
    s.keys("a");
    let text = s.screen();
    assert!(text.contains("编排 2020-02-22（全部区县）"), "{text}");
    s.esc();
    assert_eq!(
        s.query::<i64>("SELECT count(*) FROM workers WHERE status = 'planned'"),
        before
    );
    s.keys("a");
    s.key(KeyCode::Right);
    s.enter();
    let after: i64 = s.query("SELECT count(*) FROM workers WHERE status = 'planned'");
    assert_eq!(after - before, placed as i64);
    assert!(s.flash().contains("已编排"), "{}", s.flash());
    assert!(s.app.batches.proposal.is_none());
    assert!(
        !s.app.batches.trips.as_ref().unwrap().is_empty(),
        "the day's buses are listed now"
    );
}

#[test]
fn statistics_show_the_bulletin_of_the_day() {
    let mut s = officer();
    s.keys("6");
    let text = s.screen();
    assert!(text.contains("2月21日"), "{text}");
    assert!(text.contains("太原富士康"), "{text}");
    s.keys("[");
    assert!(s.screen().contains("2月20日"));
}

#[test]
fn command_line_reports_unknown_commands_and_quits() {
    let mut s = officer();
    s.keys(":frobnicate");
    s.enter();
    assert!(
        s.flash().contains("未知命令 `:frobnicate`"),
        "{}",
        s.flash()
    );
    s.keys(":bus 陕X");
    s.enter();
    assert!(s.flash().contains("陕X"), "{}", s.flash());
    s.keys(":bus 陕g21001");
    s.enter();
    assert_eq!(s.app.screen, Screen::Roster);
    assert_eq!(s.app.roster.plate.as_deref(), Some("陕G21001"));
    s.keys(":q");
    s.enter();
    assert!(s.app.quit);
}

#[test]
fn changes_from_another_terminal_reload_the_visible_screen() {
    let mut s = officer();
    s.keys("4");
    let other = zhitong::store::Store::open(&s.dir.path().join("sample.db")).unwrap();
    rusqlite::Connection::open(other.path())
        .unwrap()
        .execute("UPDATE trips SET status = 'cancelled' WHERE id = 1", [])
        .unwrap();
    s.act(zhitong::console::action::Action::Reply(
        zhitong::console::action::Reply::DataChanged,
    ));
    assert!(s.screen().contains("已取消"));
}

#[test]
fn a_tiny_window_shows_a_notice_and_nothing_panics() {
    let mut s = officer();
    for screen in ["1", "2", "3", "4", "5", "6"] {
        s.keys(screen);
        for (w, h) in [(20, 5), (1, 1), (39, 9), (40, 10), (0, 0)] {
            s.act(zhitong::console::action::Action::Resize(w, h));
            let text = s.screen();
            if (w, h) == (20, 5) {
                assert!(text.contains("窗口太小"), "{text}");
            }
            s.keys("jGkg");
        }
    }
}

#[test]
fn a_read_only_session_changes_nothing_and_says_so() {
    let mut s = officer();
    s.app.readonly = true;
    s.keys("2");
    s.find("赵霞");
    s.keys("wy");
    assert!(s.flash().contains("只读模式"), "{}", s.flash());
    assert_eq!(
        s.query::<String>("SELECT status FROM workers WHERE name = '赵霞'"),
        "registered"
    );
    s.keys("e");
    s.enter();
    assert!(
        s.screen().contains("只读模式"),
        "the form says why it cannot save"
    );
    s.esc();
    s.keys("R");
    let audits: i64 = s.query("SELECT count(*) FROM audit");
    assert_eq!(audits, 0, "not even a reveal");
    assert!(s.screen().contains("只读"), "the status bar shows it");
}

#[test]
fn command_line_changes_a_batch_until_its_bus_has_left() {
    let mut s = officer();
    s.keys(":batch 旬阳-20200221-01 06:30 蜀河镇政府");
    s.enter();
    assert!(
        s.flash()
            .contains("旬阳-20200221-01 改为 2020-02-21 06:30 出发，集合点 蜀河镇政府"),
        "{}",
        s.flash()
    );
    let stored: String = s.query("SELECT departure FROM batches WHERE code = '旬阳-20200221-01'");
    assert_eq!(stored, "2020-02-21T06:30");
    // Keep the time ('-'), change only the place.
    s.keys(":batch 旬阳-20200221-01 - 县体育场");
    s.enter();
    let place: String =
        s.query("SELECT gathering_point FROM batches WHERE code = '旬阳-20200221-01'");
    assert_eq!(place, "县体育场");
    // A batch whose bus has left is history.
    s.keys(":batch 石泉-20200221-01 09:00");
    s.enter();
    assert!(s.flash().contains("已有车辆发车"), "{}", s.flash());
    s.keys(":batch 旬阳-20200221-01");
    s.enter();
    assert!(s.flash().contains("用法"), "{}", s.flash());
}
