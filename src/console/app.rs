//! The console's whole state and `update(action)`, the one place it changes. Keys are looked up
//! in the keymap, handed to the open dialog, the input line or the current screen; screens
//! answer with effects (requests to the database thread, dialogs, messages).

use super::action::{Action, Load, Reply, Request};
use super::keymap::{Keymap, Scope};
use super::popup::Popup;
pub use super::screen::{Effect, Env, Screen, ScreenState};
use super::screens::{batches, board, destinations, roster, stats, workers};
use super::ui;
use crate::i18n::Lang;
use crate::model::Policy;
use crate::ops::TripRef;
use crate::store::views::StatusCounts;
use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::KeyEventKind;
use ratatui::layout::Rect;
use tui_input::Input;

/// A message in the status bar that clears itself after a few seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    pub at: NaiveDateTime,
}

const FLASH_SECONDS: i64 = 3;

/// How many messages the log keeps.
const MESSAGES_KEPT: usize = 200;

/// The line at the bottom while typing a filter (`/`) or a command (`:`).
#[derive(Debug, Clone)]
pub enum Prompt {
    Filter(Input),
    Command(Input),
}

/// Builds an `Env` from the app's fields (not through `&self`, so a screen's state can be
/// borrowed mutably beside it).
macro_rules! env {
    ($app:expr) => {
        Env {
            lang: $app.lang,
            day: $app.day,
            now: $app.now,
            body: ui::body($app.size),
            policy: &$app.policy,
            keymap: &$app.keymap,
            ledger_size: $app.counts.as_ref().map(|c| c.workers),
        }
    };
}

/// How the console was opened.
pub struct Config {
    pub lang: Lang,
    pub operator: String,
    pub db_name: String,
    pub readonly: bool,
    pub policy: Policy,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
    pub size: Rect,
    pub keymap: Keymap,
    /// Attendant mode: only this trip's roster.
    pub trip: Option<TripRef>,
}

pub struct App {
    pub lang: Lang,
    pub operator: String,
    pub db_name: String,
    pub readonly: bool,
    pub policy: Policy,
    /// The working day the console opened on.
    pub today: NaiveDate,
    /// The day the screens show (`:date`, `[` `]`).
    pub day: NaiveDate,
    pub now: NaiveDateTime,
    pub size: Rect,
    pub keymap: Keymap,
    pub screen: Screen,
    /// Attendant mode: the trip it was opened on.
    pub attendant: Option<TripRef>,
    pub counts: Option<StatusCounts>,
    pub flash: Option<Flash>,
    /// A long job of this console under way (status bar), e.g. "writing batches 3/12".
    pub job: Option<String>,
    /// When the oldest write still unanswered was sent: after a moment the status bar says
    /// the console is waiting for the database (another terminal holds it).
    pub writing_since: Option<NaiveDateTime>,
    pub popup: Option<Popup>,
    pub prompt: Option<Prompt>,
    /// The screen a roster was opened from: Esc on the roster goes back there.
    pub came_from: Option<Screen>,
    /// Every message the status bar showed this session, oldest first (the `M` log: a long one
    /// is cut in the status bar, whole here).
    pub messages: Vec<Flash>,
    pub destinations: destinations::State,
    pub workers: workers::State,
    pub batches: batches::State,
    pub board: board::State,
    pub roster: roster::State,
    pub stats: stats::State,
    pub quit: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
}

impl App {
    /// The app and the loads that fill its first screen (sent after the first frame is drawn).
    pub fn new(cfg: Config) -> (App, Vec<Request>) {
        let screen = if cfg.trip.is_some() {
            Screen::Roster
        } else {
            Screen::Board
        };
        let mut app = App {
            lang: cfg.lang,
            operator: cfg.operator,
            db_name: cfg.db_name,
            readonly: cfg.readonly,
            policy: cfg.policy,
            today: cfg.today,
            day: cfg.today,
            now: cfg.now,
            size: cfg.size,
            keymap: cfg.keymap,
            screen,
            attendant: cfg.trip.clone(),
            counts: None,
            flash: None,
            job: None,
            writing_since: None,
            popup: None,
            prompt: None,
            came_from: None,
            messages: Vec::new(),
            destinations: Default::default(),
            workers: Default::default(),
            batches: Default::default(),
            board: Default::default(),
            roster: roster::State::new(cfg.trip),
            stats: Default::default(),
            quit: false,
            dirty: true,
        };
        let mut requests = vec![Request::Load(Load::Counts { day: app.day })];
        requests.extend(app.load_screen());
        if app.attendant.is_none() {
            requests.push(Request::Load(Load::Index));
        }
        (app, requests)
    }

    pub fn env(&self) -> Env<'_> {
        env!(self)
    }

    pub fn scope(&self) -> Scope {
        self.screen.scope()
    }

    pub fn update(&mut self, action: Action) -> Vec<Request> {
        let effects = match action {
            Action::Key(k) if k.kind == KeyEventKind::Release => return vec![],
            Action::Key(k) => {
                self.dirty = true;
                self.on_key(k)
            }
            Action::Paste(text) => {
                self.dirty = true;
                self.on_paste(&text)
            }
            Action::Resize(w, h) => {
                self.dirty = true;
                self.size = Rect::new(0, 0, w, h);
                self.on_screen(|s, env| s.resized(env))
            }
            Action::Tick(now) => self.on_tick(now),
            Action::Reply(r) => {
                self.dirty = true;
                self.on_reply(r)
            }
        };
        self.apply(effects)
    }

    pub(super) fn apply(&mut self, effects: Vec<Effect>) -> Vec<Request> {
        let mut out = Vec::new();
        for e in effects {
            match e {
                Effect::Send(r) => {
                    if matches!(r, Request::Write(_)) && self.readonly {
                        let msg = self.lang.pick(
                            "只读模式（--readonly）：不能修改",
                            "read-only session (--readonly): nothing can be changed",
                        );
                        if let Some(p) = &mut self.popup {
                            p.fail(msg);
                        }
                        self.error(msg);
                        continue;
                    }
                    if matches!(r, Request::Write(_)) && self.writing_since.is_none() {
                        self.writing_since = Some(self.now);
                    }
                    out.push(r)
                }
                Effect::Popup(p) => self.popup = Some(p),
                Effect::Flash(t) => self.flash(t),
                Effect::Error(t) => self.error(t),
                Effect::Goto(s) => out.extend(self.goto(s)),
                Effect::SetDay(day) => {
                    let effects = self.set_day(day);
                    out.extend(self.apply(effects));
                }
                Effect::CommandLine(text) => {
                    self.prompt = Some(Prompt::Command(Input::new(text)));
                }
                Effect::OpenTrip(which) => {
                    if self.screen != Screen::Roster {
                        self.came_from = Some(self.screen);
                    }
                    let effects = self.roster.open(which);
                    out.extend(self.apply(effects));
                    out.extend(self.goto(Screen::Roster));
                }
            }
        }
        out
    }

    pub fn flash(&mut self, text: impl Into<String>) {
        self.show(text.into(), false);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.show(text.into(), true);
    }

    fn show(&mut self, text: String, error: bool) {
        let f = Flash {
            text,
            error,
            at: self.now,
        };
        if self.messages.len() >= MESSAGES_KEPT {
            self.messages.remove(0);
        }
        self.messages.push(f.clone());
        self.flash = Some(f);
    }

    /// The message log as a dialog, the newest first.
    pub fn message_log(&self) -> Popup {
        let lines = if self.messages.is_empty() {
            vec![self.lang.pick("还没有消息", "no messages yet").to_string()]
        } else {
            self.messages
                .iter()
                .rev()
                .map(|m| format!("{} {}", m.at.format("%H:%M:%S"), m.text))
                .collect()
        };
        Popup::Info {
            title: self.lang.pick("消息记录", "Messages").to_string(),
            lines,
        }
    }

    fn on_tick(&mut self, now: NaiveDateTime) -> Vec<Effect> {
        let minute_changed =
            now.format("%H:%M").to_string() != self.now.format("%H:%M").to_string();
        self.now = now;
        if let Some(f) = &self.flash {
            if (now - f.at).num_seconds() >= FLASH_SECONDS {
                self.flash = None;
                self.dirty = true;
            }
        }
        // The waiting notice counts seconds.
        if self.writing_since.is_some() {
            self.dirty = true;
        }
        // Countdowns tick by the second on the board; elsewhere only the clock's minute shows.
        if self.screen == Screen::Board || self.screen == Screen::Roster || minute_changed {
            self.dirty = true;
        }
        self.on_screen(|s, env| s.tick(env))
    }

    /// Loads whatever the current screen shows (on entering it, on refresh, on changes).
    pub fn load_screen(&mut self) -> Vec<Request> {
        let effects = self.on_screen(|s, env| s.load(env));
        self.apply(effects)
    }

    fn goto(&mut self, screen: Screen) -> Vec<Request> {
        if self.attendant.is_some() && screen != Screen::Roster {
            return vec![];
        }
        self.screen = screen;
        self.load_screen()
    }

    /// Runs `f` on the current screen's state with the shared environment.
    pub(super) fn on_screen(
        &mut self,
        f: impl FnOnce(&mut dyn ScreenState, &Env<'_>) -> Vec<Effect>,
    ) -> Vec<Effect> {
        let env = env!(self);
        let state: &mut dyn ScreenState = match self.screen {
            Screen::Destinations => &mut self.destinations,
            Screen::Workers => &mut self.workers,
            Screen::Batches => &mut self.batches,
            Screen::Board => &mut self.board,
            Screen::Roster => &mut self.roster,
            Screen::Stats => &mut self.stats,
        };
        f(state, &env)
    }

    /// The status bar's notice of a write still waiting for the database, once it has waited
    /// long enough to notice (another terminal's import or plan holds the lock).
    pub fn waiting_for_database(&self) -> Option<i64> {
        let waited = (self.now - self.writing_since?).num_seconds();
        (waited >= 1).then_some(waited)
    }

    fn on_reply(&mut self, r: Reply) -> Vec<Effect> {
        // The answer to one of our writes: it is no longer waiting, and what it changed is
        // reloaded below (our own writes do not move PRAGMA data_version).
        let (wrote, r) = match r {
            Reply::Wrote(answer) => {
                self.writing_since = None;
                (true, *answer)
            }
            other => (false, other),
        };
        match r {
            Reply::Progress(text) => {
                self.job = text;
                vec![]
            }
            Reply::Counts(c) => {
                self.counts = Some(c);
                vec![]
            }
            Reply::DataChanged => {
                let mut effects = vec![Effect::Send(Request::Load(Load::Counts { day: self.day }))];
                effects.extend(self.on_screen(|s, env| s.data_changed(env)));
                effects
            }
            Reply::Failed { message } => {
                if let Some(p) = self.popup.as_mut().filter(|p| p.is_pending()) {
                    p.fail(&message);
                }
                vec![Effect::Error(message)]
            }
            Reply::Invalid {
                field,
                reason,
                message,
            } => {
                if let Some(p) = self.popup.as_mut().filter(|p| p.is_pending()) {
                    p.fail_field(field, &reason, &message);
                }
                vec![Effect::Error(message)]
            }
            Reply::Refused {
                code: _,
                message,
                recorded,
            } => {
                let mut effects = Vec::new();
                if recorded {
                    // The refusal was written (seat freed): the form is done, the roster changed.
                    if self.popup.as_ref().is_some_and(Popup::is_pending) {
                        self.popup = None;
                    }
                    effects.extend(self.on_screen(|s, env| s.load(env)));
                    effects.push(Effect::Send(Request::Load(Load::Counts { day: self.day })));
                } else if let Some(p) = self.popup.as_mut().filter(|p| p.is_pending()) {
                    p.fail(&message);
                }
                effects.push(Effect::Error(message));
                effects
            }
            Reply::Index(ix) => {
                let env = env!(self);
                self.workers.set_index(ix, &env)
            }
            Reply::Reshaped { message, details } => {
                // The dialog's write went through: close it and reload what is shown (our own
                // writes do not move PRAGMA data_version).
                if self.popup.as_ref().is_some_and(Popup::is_pending) {
                    self.popup = None;
                }
                let mut effects = vec![Effect::Flash(message.clone())];
                if !details.is_empty() {
                    effects.push(Effect::Popup(Popup::Info {
                        title: message,
                        lines: details,
                    }));
                }
                effects.push(Effect::Send(Request::Load(Load::Counts { day: self.day })));
                effects.extend(self.on_screen(|s, env| s.data_changed(env)));
                effects
            }
            other => {
                // The reshaping dialogs' answers open the next dialog, whatever the screen.
                if let Some(effects) = super::screens::reshape::offer(&other, self.lang) {
                    return effects;
                }
                let mut effects = Vec::new();
                // A reviewed plan found changed wrote nothing: its new proposal stays shown.
                let wrote = wrote && !matches!(other, Reply::PlanChanged { .. });
                if wrote && self.popup.as_ref().is_some_and(Popup::is_pending) {
                    self.popup = None;
                }
                let env = env!(self);
                // Every screen sees every reply: each ignores what it did not ask for.
                effects.extend(self.destinations.reply(&other, &env));
                effects.extend(self.workers.reply(&other, &env));
                effects.extend(self.batches.reply(&other, &env));
                effects.extend(self.board.reply(&other, &env));
                effects.extend(self.roster.reply(&other, &env));
                effects.extend(self.stats.reply(&other, &env));
                if wrote {
                    // Our own writes do not move PRAGMA data_version: reload what is shown.
                    effects.push(Effect::Send(Request::Load(Load::Counts { day: self.day })));
                    if !matches!(other, Reply::Revealed { .. }) {
                        effects.extend(self.on_screen(|s, env| s.data_changed(env)));
                    }
                }
                effects
            }
        }
    }

    /// `:date` and the day keys: every screen follows the chosen day.
    pub fn set_day(&mut self, day: NaiveDate) -> Vec<Effect> {
        self.day = day;
        let mut effects = vec![Effect::Send(Request::Load(Load::Counts { day }))];
        effects.extend(self.on_screen(|s, env| s.load(env)));
        effects
    }

    pub fn apply_effects(&mut self, effects: Vec<Effect>) -> Vec<Request> {
        self.apply(effects)
    }
}
