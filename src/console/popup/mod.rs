//! Dialogs over the screen, each kind in its own file: a confirmation (`confirm`), a small
//! form of typed fields that stays open until its write succeeds (`form`), a short list to pick
//! from (`choice`), read-only lines (`info`); the help is `console::help`. Every key a dialog
//! answers and every key its hint line shows comes from the dialog's table in the keymap.

mod choice;
mod confirm;
mod form;
mod info;

pub use choice::Choice;
pub use confirm::Confirm;
pub use form::{Field, Form};

use super::action::Request;
use super::keymap::{Cmd, Keymap, Scope};
use crate::i18n::Lang;
use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::Frame;
use tui_input::Input;

/// Which screen action a form feeds.
#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    EditWorker {
        id: i64,
    },
    /// Temperature at the door.
    CheckIn {
        worker_id: i64,
    },
    /// Fever en route: temperature, then a seat in the observation rows.
    Observe {
        worker_id: i64,
    },
    /// Reverse the last door decision: the reason, kept in the audit log.
    Undo {
        worker_id: i64,
    },
    /// One field per passenger aboard, in this order.
    Round {
        worker_ids: Vec<i64>,
    },
    Stop,
    Arrive,
    /// A walk-in for the ledger (Workers screen).
    Register,
    /// A coach of the fleet: a new one (`editing` None) or the one with that plate.
    Coach {
        editing: Option<String>,
    },
    /// A substitute coach chosen: the reason and whether the old crew comes along.
    Swap {
        trip: String,
        from: String,
        to: String,
    },
    /// Cancelling a trip: the reason, then a confirmation naming the bus and its passengers.
    CancelTrip {
        trip: String,
        plate: String,
        passengers: u32,
    },
}

#[derive(Debug)]
pub enum Popup {
    Confirm(Confirm),
    Form(Form),
    Choice(Choice),
    /// Read-only lines (an arrival summary, a round's findings); any key closes.
    Info {
        title: String,
        lines: Vec<String>,
    },
    Help {
        scroll: u16,
    },
}

pub enum PopupOutcome {
    Keep,
    Close,
    /// The dialog's answer was given: its request goes to the database.
    Submit(Request),
    Form(FormKind, Vec<String>),
}

impl Popup {
    /// A key in the open dialog, read through the dialog's own table of the keymap.
    pub fn key(&mut self, k: KeyEvent, keymap: &Keymap) -> PopupOutcome {
        match self {
            Popup::Confirm(c) => c.key(k, keymap),
            Popup::Form(f) => f.key(k, keymap),
            Popup::Choice(c) => c.key(k, keymap),
            Popup::Info { .. } => PopupOutcome::Close,
            // The help reads its keys from the keymap (`help::key`).
            Popup::Help { .. } => PopupOutcome::Keep,
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Popup::Form(f) = self {
            if let Some(field) = f.fields.get_mut(f.focus) {
                let v = format!("{}{text}", field.input.value());
                field.input = Input::new(v);
            }
        }
    }

    /// The write behind a form failed: show why and let the operator correct it.
    pub fn fail(&mut self, message: &str) {
        if let Popup::Form(f) = self {
            f.pending = false;
            f.error = Some(message.to_string());
        }
    }

    /// The write behind a form refused one field: the reason goes under that field and the
    /// cursor to it; a form without that field shows the whole message instead.
    pub fn fail_field(&mut self, key: &str, reason: &str, message: &str) {
        let Popup::Form(f) = self else { return };
        f.pending = false;
        match f
            .fields
            .iter()
            .position(|x| !x.key.is_empty() && x.key == key)
        {
            Some(i) => {
                f.fields[i].error = Some(reason.to_string());
                f.focus = i;
            }
            None => f.error = Some(message.to_string()),
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(self, Popup::Form(f) if f.pending)
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

/// What drawing a dialog reads besides the dialog: the language and the keymap (its hints).
pub struct Look<'a> {
    pub lang: Lang,
    pub keymap: &'a Keymap,
}

pub fn draw(f: &mut Frame<'_>, area: Rect, popup: &Popup, look: &Look<'_>) {
    match popup {
        Popup::Confirm(c) => c.draw(f, area, look),
        Popup::Form(form) => form.draw(f, area, look),
        Popup::Choice(c) => c.draw(f, area, look),
        Popup::Info { title, lines } => info::draw(f, area, title, lines, look.lang),
        // Drawn by the frame (`ui`), which knows the screen whose keys it lists.
        Popup::Help { .. } => {}
    }
}

/// Rows `lines` take wrapped at `width` columns (each at least one).
fn wrapped_rows<'a>(lines: impl IntoIterator<Item = &'a str>, width: usize) -> usize {
    use unicode_width::UnicodeWidthStr;
    lines
        .into_iter()
        .map(|l| l.width().div_ceil(width.max(1)).max(1))
        .sum()
}

/// Drops the first `cols` display columns of `s` (horizontal scrolling of an input).
pub fn skip_columns(s: &str, cols: usize) -> String {
    let mut skipped = 0;
    s.chars()
        .skip_while(|c| {
            if skipped >= cols {
                return false;
            }
            skipped += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            true
        })
        .collect()
}

/// A dialog's key line from its table: `Enter 保存 · Tab 下一项 · Esc 取消`, each command with its
/// first `n` keys run together (`←→`).
fn hint(keymap: &Keymap, scope: Scope, cmds: &[(Cmd, usize)], lang: Lang) -> String {
    cmds.iter()
        .map(|&(cmd, n)| format!("{} {}", keymap.shown_keys(scope, cmd, n), cmd.label(lang)))
        .collect::<Vec<_>>()
        .join(" · ")
}
