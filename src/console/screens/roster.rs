//! Roster: one bus's trip for its attendant — the passengers and their seats, found by name,
//! last four of the ID or seat number. The departure-day actions live in `roster_actions`.

use super::roster_view::find_matches;
use super::table_height;
use crate::console::action::{Load, Reply, Request};
use crate::console::app::{Effect, Env, ScreenState};
use crate::console::keymap::Cmd;
use crate::console::popup::{FormKind, Popup};
use crate::console::widgets::ListState;
use crate::store::trips::{PassengerRow, TripInfo};
use chrono::NaiveDate;

#[derive(Debug, Default)]
pub struct State {
    /// The bus shown (attendant mode opens on it and never changes it).
    pub plate: Option<String>,
    /// The day the bus was opened for (from the board), else its trip under way.
    pub day: Option<NaiveDate>,
    pub trip: Option<TripInfo>,
    pub passengers: Vec<PassengerRow>,
    pub last_round: Option<String>,
    pub loaded: bool,
    /// The shown trip is the one the departure-day actions act on.
    pub actionable: bool,
    pub find: String,
    /// Indexes into `passengers` matching `find`.
    pub shown: Vec<usize>,
    pub list: ListState,
    pub revealed: Option<(i64, String)>,
}

/// Replies to writes made from the roster (boarding, refusals, departure …).
pub fn is_write_reply(r: &Reply) -> bool {
    matches!(r, Reply::RosterDone { .. })
}

impl State {
    pub fn new(bus: Option<String>) -> State {
        State {
            plate: bus,
            ..Default::default()
        }
    }

    /// Shows another bus (from the board or `:bus`).
    pub fn open(&mut self, plate: String, day: Option<NaiveDate>) -> Vec<Effect> {
        if self.plate.as_deref() != Some(plate.as_str()) || self.day != day {
            *self = State {
                plate: Some(plate),
                day,
                ..Default::default()
            };
        }
        vec![]
    }

    pub fn list_height(env: &Env<'_>) -> usize {
        table_height(super::roster_view::areas(env.body).list)
    }

    fn refresh_shown(&mut self, env: &Env<'_>) {
        self.shown = find_matches(&self.passengers, &self.find);
        self.list.clamp(self.shown.len(), State::list_height(env));
    }

    pub fn selected(&self) -> Option<&PassengerRow> {
        self.passengers.get(*self.shown.get(self.list.selected)?)
    }
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        let Some(plate) = self.plate.clone() else {
            return vec![];
        };
        let _ = env;
        vec![Effect::Send(Request::Load(Load::Roster {
            plate,
            day: self.day,
        }))]
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        if let Some(effects) = self.action(cmd, env) {
            return Some(effects);
        }
        let before = self.list.selected;
        if self
            .list
            .apply(cmd, self.shown.len(), State::list_height(env))
        {
            if self.list.selected != before {
                self.revealed = None;
            }
            return Some(vec![]);
        }
        None
    }

    fn filter(&mut self, text: &str, env: &Env<'_>) -> Vec<Effect> {
        self.find = text.to_string();
        self.list.selected = 0;
        self.revealed = None;
        self.refresh_shown(env);
        vec![]
    }

    fn filter_text(&self) -> String {
        self.find.clone()
    }

    fn form(&mut self, kind: FormKind, values: Vec<String>, env: &Env<'_>) -> Vec<Effect> {
        self.submit(kind, values, env)
    }

    fn reply(&mut self, r: &Reply, env: &Env<'_>) -> Vec<Effect> {
        let mine = |plate: &String| self.plate.as_deref() == Some(plate.as_str());
        match r {
            Reply::Standby {
                plate,
                seat,
                candidates,
            } if mine(plate) => {
                return self.offer_standby(plate, *seat, candidates, env.lang);
            }
            Reply::RosterDone {
                plate,
                message,
                details,
            } if mine(plate) => {
                let mut out = vec![Effect::Flash(message.clone())];
                if !details.is_empty() {
                    out.push(Effect::Popup(Popup::Info {
                        title: message.clone(),
                        lines: details.clone(),
                    }));
                }
                return out;
            }
            Reply::Revealed { id, id_number }
                if self.passengers.iter().any(|p| p.worker_id == *id) =>
            {
                self.revealed = Some((*id, id_number.clone()));
                return vec![];
            }
            _ => {}
        }
        if let Reply::Roster {
            plate,
            trip,
            passengers,
            last_round,
            actionable,
        } = r
        {
            if self.plate.as_deref() == Some(plate.as_str()) {
                self.actionable = *actionable;
                let keep = self.selected().map(|p| p.passenger_id);
                self.trip = trip.as_deref().cloned();
                self.passengers = passengers.clone();
                self.last_round = last_round.clone();
                self.loaded = true;
                self.refresh_shown(env);
                if let Some(pos) = keep.and_then(|id| {
                    self.shown
                        .iter()
                        .position(|&i| self.passengers[i].passenger_id == id)
                }) {
                    self.list.selected = pos;
                    self.list.clamp(self.shown.len(), State::list_height(env));
                }
            }
        }
        vec![]
    }

    fn resized(&mut self, env: &Env<'_>) -> Vec<Effect> {
        self.list.clamp(self.shown.len(), State::list_height(env));
        vec![]
    }
}

pub fn reason_label(reason: &str, zh: bool) -> &str {
    if !zh {
        return reason;
    }
    match reason {
        "fever" => "发热",
        "certificate" => "证明无效",
        "identity" => "身份不符",
        "no-show" => "未到",
        other => other,
    }
}

/// A reminder once a departed bus has gone the policy's interval without a temperature round.
pub fn round_note(app: &crate::console::app::App) -> String {
    let s = &app.roster;
    let Some(trip) = &s.trip else {
        return String::new();
    };
    if crate::ops::departure::round_due(trip, s.last_round.as_deref(), app.now, &app.policy) {
        format!(
            "  ⚠ {}",
            app.lang
                .pick("已到测温时间（t）", "temperature round due (t)")
        )
    } else {
        String::new()
    }
}
