//! The console while another terminal holds the database, or while its own long job runs:
//! the status bar says so, and the screen keeps answering keys.

mod console_support;

use chrono::Duration;
use console_support::Session;
use crossterm::event::KeyCode;
use zhitong::console::action::{Action, Reply, Request, Write};
use zhitong::console::app::Effect;
use zhitong::i18n::Lang;

#[test]
fn a_write_waiting_for_the_database_is_shown_and_the_screen_stays_usable() {
    for (lang, waiting, busy) in [
        (
            Lang::En,
            "waiting for the database… 3 s",
            "the database is busy: 李干事 is importing county.csv",
        ),
        (
            Lang::Zh,
            "等待数据库… 3 秒",
            "数据库正忙：李干事 正在导入 county.csv",
        ),
    ] {
        let mut s = Session::open(lang, 120, 30, None);
        // A write goes to the database thread and is not answered yet (the lock is taken).
        let sent = s
            .app
            .apply_effects(vec![Effect::Send(Request::Write(Write::Withdraw {
                id: 1,
            }))]);
        assert_eq!(sent.len(), 1);
        let now = s.app.now;
        s.app.update(Action::Tick(now + Duration::seconds(3)));
        let screen = s.screen();
        assert!(screen.contains(waiting), "{screen}");
        // Keys still work meanwhile: another screen opens.
        s.key(KeyCode::Char('2'));
        assert!(s.screen().contains(waiting));
        // The answer comes (the database thread marks it as the answer to a write): the
        // database stayed busy past the budget.
        let message = match lang {
            Lang::En => "the database is busy: 李干事 is importing county.csv (since 07:03, 45% done); waited 15 s, nothing was changed: try again shortly",
            Lang::Zh => "数据库正忙：李干事 正在导入 county.csv（07:03 开始，已完成 45%）；已等待 15 秒，未做任何更改，请稍后再试",
        };
        s.act(Action::Reply(Reply::Wrote(Box::new(Reply::Failed {
            message: message.into(),
        }))));
        let screen = s.screen();
        assert!(!screen.contains(waiting), "{screen}");
        assert!(screen.contains(busy), "{screen}");
    }
}

#[test]
fn a_long_job_shows_its_progress_in_the_status_bar_until_it_ends() {
    let mut s = Session::open(Lang::En, 120, 30, None);
    s.act(Action::Reply(Reply::Progress(Some(
        "writing batches 2020-02-21 3/12 (25%)".into(),
    ))));
    assert!(s.screen().contains("writing batches 2020-02-21 3/12 (25%)"));
    s.act(Action::Reply(Reply::Progress(None)));
    assert!(!s.screen().contains("writing batches"));
}
