//! What the app and the screens share, without either knowing the other: which screen is shown,
//! what a screen may ask of the app (`Effect`), what it may read (`Env`), and what every screen
//! answers (`ScreenState`). Screens and their views import this, never `app`.

use super::action::{Reply, Request};
use super::keymap::{Cmd, Keymap, Scope};
use super::popup::{self, Popup};
use crate::i18n::Lang;
use crate::model::Policy;
use crate::ops::TripRef;
use chrono::{NaiveDate, NaiveDateTime};
use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Destinations,
    Workers,
    Batches,
    Board,
    Roster,
    Stats,
}

impl Screen {
    pub const ALL: [Screen; 6] = [
        Screen::Destinations,
        Screen::Workers,
        Screen::Batches,
        Screen::Board,
        Screen::Roster,
        Screen::Stats,
    ];

    pub fn scope(self) -> Scope {
        match self {
            Screen::Destinations => Scope::Destinations,
            Screen::Workers => Scope::Workers,
            Screen::Batches => Scope::Batches,
            Screen::Board => Scope::Board,
            Screen::Roster => Scope::Roster,
            Screen::Stats => Scope::Stats,
        }
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Screen::Destinations => lang.pick("目的地", "Destinations"),
            Screen::Workers => lang.pick("台账", "Workers"),
            Screen::Batches => lang.pick("批次", "Batches"),
            Screen::Board => lang.pick("发车", "Board"),
            Screen::Roster => lang.pick("名单", "Roster"),
            Screen::Stats => lang.pick("统计", "Statistics"),
        }
    }

    pub(super) fn index(self) -> usize {
        Screen::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// What the screens may ask of the app.
#[derive(Debug)]
pub enum Effect {
    Send(Request),
    Popup(Popup),
    Flash(String),
    Error(String),
    Goto(Screen),
    /// Show a trip's roster (by code, or a bus's open trip).
    OpenTrip(TripRef),
    /// Move every screen to another day (`[` `]`, `:date`).
    SetDay(NaiveDate),
    /// Open the `:` line with this text typed (a key that prepares a command).
    CommandLine(String),
}

/// What every screen's handler may read.
pub struct Env<'a> {
    pub lang: Lang,
    pub day: NaiveDate,
    pub now: NaiveDateTime,
    pub body: Rect,
    pub policy: &'a Policy,
    pub keymap: &'a Keymap,
    /// The ledger's size as the status bar counts it (the workers list shows it until its
    /// own index is read).
    pub ledger_size: Option<u64>,
}

/// A screen drawn as a widget: its own state and what every screen may read, nothing else
/// (`impl Widget for View<'_, roster::State>` and so on, in each screen's module).
pub struct View<'a, S> {
    pub state: &'a S,
    pub env: &'a Env<'a>,
}

/// What the app needs from every screen. Default methods do nothing.
pub trait ScreenState {
    /// The requests that fill the screen (on entering it and on refresh).
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect>;
    /// Handles a command; `None` lets the global table handle it.
    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>>;
    /// The filter line changed (live, on every keystroke).
    fn filter(&mut self, _text: &str, _env: &Env<'_>) -> Vec<Effect> {
        vec![]
    }
    /// Enter in the filter line.
    fn filter_done(&mut self, text: &str, env: &Env<'_>) -> Vec<Effect> {
        self.filter(text, env)
    }
    fn filter_text(&self) -> String {
        String::new()
    }
    fn reply(&mut self, _r: &Reply, _env: &Env<'_>) -> Vec<Effect> {
        vec![]
    }
    fn data_changed(&mut self, env: &Env<'_>) -> Vec<Effect> {
        self.load(env)
    }
    fn resized(&mut self, _env: &Env<'_>) -> Vec<Effect> {
        vec![]
    }
    fn tick(&mut self, _env: &Env<'_>) -> Vec<Effect> {
        vec![]
    }
    /// A form this screen opened was submitted.
    fn form(
        &mut self,
        _kind: popup::FormKind,
        _values: Vec<String>,
        _env: &Env<'_>,
    ) -> Vec<Effect> {
        vec![]
    }
}
