//! The console takes a plate as the command line does: by the end of its number, in lower case;
//! what is not a plate is said in the officer's language.

mod console_support;

use console_support::Session;
use zhitong::console::app::Screen;
use zhitong::i18n::Lang;

#[test]
fn bus_opens_a_roster_by_the_end_of_a_plate() {
    let mut s = Session::open(Lang::Zh, 120, 40, None);
    s.keys(":bus 21001");
    s.enter();
    assert_eq!(s.app.screen, Screen::Roster, "{}", s.flash());
    assert_eq!(s.app.roster.plate.as_deref(), Some("陕G21001"));
    s.keys(":bus 陕X");
    s.enter();
    assert!(s.flash().contains("'陕X' 不是车牌"), "{}", s.flash());
}
