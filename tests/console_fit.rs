//! The console at every size and at the moment it is used: the attendant's roster on a phone
//! (40×20), the footer's keys by the trip's state, the `?` help, Esc back from a roster, and no
//! panic on any terminal, however small.

mod console_support;

use console_support::Session;
use zhitong::console::action::Action;
use zhitong::console::app::Screen;
use zhitong::i18n::Lang;

fn footer(s: &mut Session) -> String {
    s.screen().lines().last().unwrap_or_default().to_string()
}

#[test]
fn the_attendants_roster_on_a_phone_shows_the_ids_last_four_and_the_door_keys() {
    let mut s = Session::open(Lang::Zh, 40, 20, Some("陕G21000"));
    let text = s.screen();
    assert!(text.contains("张伟"), "{text}");
    assert!(
        text.contains("…1003"),
        "the checked digits are shown: {text}"
    );
    assert!(
        !text.contains("610928"),
        "no masked number cut at 40 columns: {text}"
    );
    assert!(text.contains("36.2"), "the latest reading: {text}");
    assert!(text.contains("随车 孙丽"), "the crew's name whole: {text}");
    // A passenger still to board selected: the door's keys for that passenger come first.
    s.find("1000");
    let keys = footer(&mut s);
    assert!(keys.starts_with(" b登车 x拒载 n未到"), "{keys}");
    assert!(keys.contains("?帮助"), "{keys}");
}

#[test]
fn after_departure_the_footer_offers_the_roads_keys_first() {
    for (w, h) in [(40, 20), (80, 24)] {
        let mut s = Session::open(Lang::Zh, w, h, Some("陕G21001"));
        let keys = footer(&mut s);
        let round = keys.find('t').expect("round key shown");
        let arrive = keys.find('A').expect("arrive key shown");
        assert!(round < arrive, "{keys}");
        for door in ["b登车", "b 登车", "D发车", "D 发车", "x拒载", "x 拒载"] {
            assert!(!keys.contains(door), "{w}×{h}: {keys}");
        }
    }
}

#[test]
fn help_lists_the_commands_scrolls_and_closes_on_esc_help_or_quit_only() {
    let mut s = Session::open(Lang::Zh, 80, 24, None);
    s.keys("?");
    let first = s.screen();
    assert!(first.contains("Esc 关闭"), "{first}");
    assert!(!first.contains("任意键"), "{first}");
    for _ in 0..60 {
        s.keys("j");
    }
    let end = s.screen();
    assert!(end.contains(":notice-sent 省份 发给谁"), "{end}");
    assert!(end.contains(":bus 车牌"), "{end}");
    assert!(
        end.contains("keys.toml"),
        "scrolled to the last line: {end}"
    );
    s.keys("k");
    assert_ne!(s.screen(), end, "one line back up from the end");
    s.keys("x");
    assert!(s.app.popup.is_some(), "x means nothing in the help");
    s.keys("?");
    assert!(s.app.popup.is_none(), "? closes it");
    s.keys("?q");
    assert!(
        s.app.popup.is_none() && !s.app.quit,
        "q closes the help, not the console"
    );
}

#[test]
fn esc_on_a_roster_goes_back_to_where_it_was_opened() {
    let mut s = Session::open(Lang::Zh, 120, 40, None);
    assert_eq!(s.app.screen, Screen::Board);
    s.enter();
    assert_eq!(s.app.screen, Screen::Roster);
    s.find("张伟");
    s.esc();
    assert_eq!(s.app.screen, Screen::Roster, "Esc first clears the search");
    s.esc();
    assert_eq!(s.app.screen, Screen::Board, "then goes back to the board");
    // The attendant has nowhere to go back to.
    let mut a = Session::open(Lang::Zh, 40, 20, Some("陕G21000"));
    a.esc();
    assert_eq!(a.app.screen, Screen::Roster);
}

#[test]
fn no_screen_panics_or_overflows_on_any_terminal_size() {
    let sizes = [
        (1, 1),
        (10, 3),
        (20, 5),
        (39, 9),
        (40, 10),
        (44, 20),
        (52, 14),
        (64, 20),
    ];
    for lang in [Lang::Zh, Lang::En] {
        let mut s = Session::open(lang, 80, 24, None);
        let mut a = Session::open(lang, 80, 24, Some("陕G21000"));
        for (w, h) in sizes {
            for key in ["1", "2", "3", "4", "5", "6", "?"] {
                s.act(Action::Resize(w, h));
                s.keys(key);
                let text = s.screen();
                assert_eq!(text.lines().count(), h as usize, "{w}×{h} {key}");
                s.esc();
            }
            a.act(Action::Resize(w, h));
            let text = a.screen();
            assert_eq!(text.lines().count(), h as usize);
            if w >= 40 && h >= 10 {
                assert!(text.contains("陕G21000"), "{w}×{h}: {text}");
            }
        }
    }
}

#[test]
fn a_long_message_is_cut_with_the_key_of_the_log_where_it_is_whole() {
    let mut s = Session::open(Lang::Zh, 80, 24, None);
    s.keys(":bogus");
    s.enter();
    let text = s.screen();
    assert!(text.contains("M 看全文"), "{text}");
    assert!(
        !text.contains("列出全部）"),
        "the end is cut in the status bar: {text}"
    );
    s.keys("M");
    let log = s.screen();
    assert!(log.contains("消息记录"), "{log}");
    assert!(
        log.contains("列出全部）"),
        "the whole message in the log: {log}"
    );
    s.keys("x");
    assert!(s.app.popup.is_none());
}

#[test]
fn dialog_keys_and_their_hints_follow_keys_toml() {
    use zhitong::console::keymap::Keymap;
    let mut s = Session::open(Lang::Zh, 80, 24, Some("陕G21000"));
    let (m, problems) = Keymap::default().with_overrides(
        "[form]\nsave = \"ctrl-s\"\n[confirm]\nyes = \"Y\"\n",
        "keys.toml",
    );
    assert!(problems.is_empty(), "{problems:?}");
    s.app.keymap = m;
    s.find("1000");
    s.keys("b");
    let form = s.screen();
    assert!(form.contains("^s 保存"), "{form}");
    assert!(!form.contains("Enter 保存"), "{form}");
    s.keys("36.4");
    s.enter();
    assert!(s.app.popup.is_some(), "Enter no longer saves");
    s.ctrl('s');
    assert!(s.app.popup.is_none(), "ctrl-s saves");
    assert!(s.screen().contains("马伟"));
    s.keys("D");
    s.keys("y");
    assert!(s.app.popup.is_some(), "y is no longer yes");
}

#[test]
fn a_refusal_with_its_reason_is_never_cut_on_a_phone() {
    let mut s = Session::open(Lang::Zh, 40, 20, Some("陕G21000"));
    s.find("1000");
    s.keys("x");
    assert!(s.screen().contains("健康证明无效"), "{}", s.screen());
    s.keys("2");
    assert!(s.app.popup.is_none(), "picking the reason refuses");
    let text = s.screen();
    assert!(text.contains("马伟"), "{text}");
    assert!(text.contains("拒载·健康证明无效"), "{text}");
    assert!(
        text.contains("…1000"),
        "the ID's last four still shown: {text}"
    );
}

#[test]
fn bus_by_the_end_of_its_plate_opens_that_roster() {
    let mut s = Session::open(Lang::Zh, 80, 24, None);
    s.keys(":bus 21001");
    s.enter();
    assert_eq!(s.app.screen, Screen::Roster);
    let text = s.screen();
    assert!(text.contains("陕G21001 已发车"), "{text}");
    // The end of no plate: said so, naming what was typed.
    s.keys(":bus 77777");
    s.enter();
    let text = s.screen();
    s.keys("M");
    let log = s.screen();
    assert!(log.contains("77777"), "{text}\n{log}");
    assert!(!log.contains("该车没有行程"), "{log}");
}

#[test]
fn a_revealed_id_number_is_shown_whole_on_a_phone() {
    let mut s = Session::open(Lang::Zh, 40, 20, Some("陕G21000"));
    s.find("1000");
    s.keys("R");
    let text = s.screen();
    assert!(text.contains("马伟"), "{text}");
    let full: String =
        s.query("SELECT id_number FROM workers WHERE name = '马伟' AND id_number LIKE '%1000'");
    assert!(text.contains(&full), "the whole number in a dialog: {text}");
    s.keys("x");
    let text = s.screen();
    assert!(
        !text.contains(&full),
        "closed, the list shows the last four again: {text}"
    );
    assert!(text.contains("…1000"), "{text}");
}

#[test]
fn what_to_press_on_an_empty_day_follows_keys_toml_and_is_read_whole_on_a_phone() {
    use zhitong::console::keymap::Keymap;
    let mut s = Session::open(Lang::En, 40, 20, None);
    let (m, problems) = Keymap::default().with_overrides(
        "[global]\nbatches = \"B\"\ncommand = \";\"\n[batches]\nplan = \"P\"\n",
        "keys.toml",
    );
    assert!(problems.is_empty(), "{problems:?}");
    s.app.keymap = m;
    // The day after the sample's: nothing planned, no bus.
    s.keys("]");
    let board = s.screen();
    assert!(
        board.contains("no bus on this day: plan one on the"),
        "{board}"
    );
    assert!(board.contains("Batches screen (B)"), "{board}");
    s.keys("B");
    let batches = s.screen();
    assert!(
        batches.contains("nothing planned for this day: press P"),
        "{batches}"
    );
    s.keys("a");
    let refused = s.screen();
    assert!(
        refused.contains("press P first"),
        "apply without a proposal names the plan key: {refused}"
    );
    // The command line's key, in the roster's note and in the help.
    s.keys("5");
    assert!(s.screen().contains(";bus PLATE"), "{}", s.screen());
    s.act(Action::Resize(120, 60));
    s.keys("?");
    let help = s.screen();
    assert!(help.contains("Commands (type after ;"), "{help}");
    assert!(
        help.contains(";bus PLATE") && !help.contains(":bus"),
        "{help}"
    );
}
