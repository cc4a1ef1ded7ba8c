//! Every screen drawn into ratatui's TestBackend with the Chinese sample ledger at 40×20 (a phone
//! in portrait), 80×24 and 120×40 (and a 20×5 window), compared with reviewed snapshots in
//! `tests/snapshots/`.

mod console_support;

use console_support::Session;
use crossterm::event::KeyCode;
use zhitong::i18n::Lang;

const SIZES: [(u16, u16); 3] = [(40, 20), (80, 24), (120, 40)];

fn snap(name: &str, s: &mut Session) {
    let (w, h) = (s.app.size.width, s.app.size.height);
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), s.screen());
}

fn each_size(name: &str, lang: Lang, bus: Option<&str>, steps: impl Fn(&mut Session)) {
    for (w, h) in SIZES {
        let mut s = Session::open(lang, w, h, bus);
        steps(&mut s);
        snap(name, &mut s);
    }
}

#[test]
fn destinations() {
    each_size("destinations", Lang::Zh, None, |s| s.keys("1"));
    each_size("destinations_drill", Lang::Zh, None, |s| {
        s.keys("1");
        s.find("宁波");
        s.enter();
    });
}

#[test]
fn workers() {
    each_size("workers", Lang::Zh, None, |s| s.keys("2"));
    each_size("workers_filtered", Lang::Zh, None, |s| {
        s.keys("2/张");
    });
    each_size("workers_withdraw_confirm", Lang::Zh, None, |s| {
        s.keys("2");
        s.find("赵霞");
        s.keys("w");
    });
    each_size("workers_edit_form", Lang::Zh, None, |s| {
        s.keys("2");
        s.find("赵霞");
        s.keys("e");
    });
}

#[test]
fn batches() {
    each_size("batches_day", Lang::Zh, None, |s| s.keys("3"));
    each_size("batches_proposal", Lang::Zh, None, |s| {
        s.keys(":plan 2020-02-22");
        s.enter();
    });
}

#[test]
fn board() {
    each_size("board", Lang::Zh, None, |_| {});
    each_size("board_en", Lang::En, None, |_| {});
    // The night after: Zhejiang told, the Taiyuan bus overdue (expected 02-22 00:14) and its
    // province never told.
    for lang in [Lang::Zh, Lang::En] {
        let name = if lang == Lang::Zh {
            "board_overdue"
        } else {
            "board_overdue_en"
        };
        each_size(name, lang, None, |s| {
            s.keys(":notice-sent 浙江 浙江省交通运输厅");
            s.enter();
            let at = chrono::NaiveDate::from_ymd_opt(2020, 2, 22)
                .unwrap()
                .and_hms_opt(2, 20, 0)
                .unwrap();
            s.act(zhitong::console::action::Action::Tick(at));
        });
    }
}

#[test]
fn roster_45_and_53_seat_coaches() {
    each_size("roster_45", Lang::Zh, Some("陕G21000"), |_| {});
    each_size("roster_53", Lang::Zh, Some("陕G21001"), |_| {});
    each_size("roster_check_in_form", Lang::Zh, Some("陕G21000"), |s| {
        s.find("1000");
        s.keys("b");
    });
    each_size("roster_en", Lang::En, Some("陕G21000"), |_| {});
    // The question wraps on a phone; the buttons and the key line stay whole.
    each_size("roster_depart_confirm", Lang::Zh, Some("陕G21000"), |s| {
        s.keys("D")
    });
    each_size(
        "roster_depart_confirm_en",
        Lang::En,
        Some("陕G21000"),
        |s| s.keys("D"),
    );
}

#[test]
fn statistics() {
    each_size("stats", Lang::Zh, None, |s| s.keys("6"));
}

#[test]
fn help_and_command_line() {
    each_size("help", Lang::Zh, None, |s| s.keys("?"));
    each_size("command_line", Lang::Zh, None, |s| {
        s.keys(":plan 2020-02-2")
    });
}

#[test]
fn tiny_window() {
    let mut s = Session::open(Lang::Zh, 20, 5, None);
    snap("tiny", &mut s);
    let mut s = Session::open(Lang::En, 20, 5, Some("陕G21000"));
    snap("tiny_en", &mut s);
    s.key(KeyCode::Down);
}
