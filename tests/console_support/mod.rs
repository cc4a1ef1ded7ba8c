//! Drives the console without a terminal: keys go through `App::update`, every request the
//! app makes runs at once on the database (as the database thread would), and the replies come
//! back as actions — so a test reads like an operator's session.

#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use std::path::PathBuf;
use zhitong::console::action::{Action, Load, Request};
use zhitong::console::app::{App, Config};
use zhitong::console::keymap::Keymap;
use zhitong::console::{ui, worker};
use zhitong::i18n::Lang;
use zhitong::model::Policy;
use zhitong::ops::Ctx;
use zhitong::store::Store;

#[path = "../support/sample.rs"]
pub mod sample;

pub struct Session {
    pub app: App,
    pub ctx: Ctx,
    pub dir: tempfile::TempDir,
    /// Requests made by the app and run, in order (for tests about what was asked).
    pub log: Vec<Request>,
}

pub fn sample_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.db");
    sample::build(&path).unwrap();
    (dir, path)
}

/// 07:30 on the sample's departure day: the first bus is late, the second has left.
pub fn sample_now() -> NaiveDateTime {
    sample::day().and_hms_opt(6, 40, 0).unwrap()
}

impl Session {
    pub fn open(lang: Lang, width: u16, height: u16, bus: Option<&str>) -> Session {
        let (dir, path) = sample_db();
        Session::open_on(dir, path, lang, width, height, bus, sample::day())
    }

    pub fn open_on(
        dir: tempfile::TempDir,
        path: PathBuf,
        lang: Lang,
        width: u16,
        height: u16,
        bus: Option<&str>,
        today: NaiveDate,
    ) -> Session {
        let store = Store::open(&path).unwrap();
        let mut ctx = Ctx::new(store, "王科长".into(), Policy::default(), lang);
        ctx.today = today;
        let (app, initial) = App::new(Config {
            lang,
            operator: ctx.operator.clone(),
            db_name: "sample.db".into(),
            readonly: false,
            policy: ctx.policy.clone(),
            today,
            now: sample_now(),
            size: Rect::new(0, 0, width, height),
            keymap: Keymap::default(),
            trip: bus.map(zhitong::ops::TripRef::bus),
        });
        let mut s = Session {
            app,
            ctx,
            dir,
            log: vec![],
        };
        s.run(initial);
        s
    }

    /// Runs requests (and whatever their replies ask for) until the app is quiet.
    pub fn run(&mut self, mut pending: Vec<Request>) {
        for _ in 0..50 {
            if pending.is_empty() {
                return;
            }
            let batch = worker::newest_loads(std::mem::take(&mut pending));
            for req in batch {
                self.log.push(req.clone());
                let reply = match req {
                    // The index is built on its own thread in the console; here, inline.
                    Request::Load(Load::Index) => {
                        worker::handle(&mut self.ctx, Request::Load(Load::Index))
                    }
                    other => worker::handle(&mut self.ctx, other),
                };
                pending.extend(self.app.update(Action::Reply(reply)));
            }
        }
        panic!("the app kept asking for more after 50 rounds");
    }

    pub fn act(&mut self, a: Action) {
        let reqs = self.app.update(a);
        self.run(reqs);
    }

    pub fn key(&mut self, code: KeyCode) {
        self.act(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn ctrl(&mut self, c: char) {
        self.act(Action::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    /// Types each character as a key press (`"/张伟"` opens the filter and types the name).
    pub fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn enter(&mut self) {
        self.key(KeyCode::Enter);
    }

    pub fn esc(&mut self) {
        self.key(KeyCode::Esc);
    }

    /// `/text` Enter: find or filter on the current screen.
    pub fn find(&mut self, text: &str) {
        self.keys("/");
        self.ctrl('u');
        self.keys(text);
        self.enter();
    }

    /// The screen as text, one line per row (colours dropped).
    pub fn screen(&mut self) -> String {
        let size = self.app.size;
        let mut t = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
        t.draw(|f| ui::draw(f, &self.app)).unwrap();
        let buf = t.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
                out.push_str(sym);
            }
            out.push('\n');
        }
        out
    }

    pub fn flash(&self) -> String {
        self.app
            .flash
            .as_ref()
            .map(|f| f.text.clone())
            .unwrap_or_default()
    }

    pub fn query<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        rusqlite::Connection::open(self.ctx.store.path())
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    }
}
