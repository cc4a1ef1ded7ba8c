//! The console's refusals and errors in Chinese: each path an officer or attendant can hit is
//! driven through `App::update` with `--lang zh`, and no message the status bar, the message log
//! or a form shows carries an English word (values quoted from the input, plates, file names
//! and units aside).

mod console_support;
#[path = "support/english.rs"]
mod english;

use console_support::Session;
use english::english_word;
use zhitong::console::popup::Popup;
use zhitong::i18n::Lang;

/// Every message shown so far, and the open form's errors.
fn shown(s: &Session) -> Vec<String> {
    let mut out: Vec<String> = s.app.messages.iter().map(|m| m.text.clone()).collect();
    if let Some(Popup::Form(f)) = &s.app.popup {
        out.extend(f.error.clone());
        out.extend(f.fields.iter().filter_map(|x| x.error.clone()));
    }
    out
}

fn assert_chinese(s: &Session, what: &str) {
    let all = shown(s);
    assert!(!all.is_empty(), "{what}: nothing was said");
    for m in all {
        assert_eq!(english_word(&m), None, "{what}: {m}");
    }
}

#[test]
fn command_line_errors_are_in_chinese() {
    for line in [
        ":date 2020-13-45",
        ":date",
        ":bogus",
        ":bus",
        ":bus 77777",
        ":trip",
        ":trip 没有-20200221-01-1",
        ":batch",
        ":batch 旬阳-20200221-01 - ",
        ":notice-sent",
    ] {
        let mut s = Session::open(Lang::Zh, 80, 24, None);
        s.keys(line);
        s.enter();
        assert_chinese(&s, line);
    }
}

#[test]
fn door_and_ledger_refusals_are_in_chinese() {
    // A temperature that is not one, at the door.
    let mut s = Session::open(Lang::Zh, 80, 24, Some("陕G21000"));
    s.find("1000");
    s.keys("b");
    s.keys("abc");
    s.enter();
    assert_chinese(&s, "temperature abc");
    // Departure while passengers are unaccounted.
    let mut s = Session::open(Lang::Zh, 80, 24, Some("陕G21000"));
    s.keys("D");
    s.keys("y");
    assert_chinese(&s, "depart too early");
    // Nothing to undo on someone not checked yet.
    let mut s = Session::open(Lang::Zh, 80, 24, Some("陕G21000"));
    s.find("1000");
    s.keys("u");
    assert_chinese(&s, "undo before a check");
    // A worker's form: a phone that is no mobile number, then a date that does not exist.
    let mut s = Session::open(Lang::Zh, 120, 40, None);
    s.keys("2");
    s.find("赵霞");
    s.keys("e");
    s.ctrl('u');
    s.keys("12345");
    s.enter();
    assert_chinese(&s, "edit with a bad phone");
    s.ctrl('u');
    s.key(crossterm::event::KeyCode::Tab);
    s.key(crossterm::event::KeyCode::Tab);
    s.ctrl('u');
    s.keys("2020-02-31");
    s.enter();
    assert_chinese(&s, "edit with a date that does not exist");
    // Withdrawing someone who holds a seat.
    let mut s = Session::open(Lang::Zh, 120, 40, None);
    s.keys("2");
    s.find("张伟");
    s.keys("w");
    s.keys("y");
    assert_chinese(&s, "withdraw a seated worker");
}
