//! Roster: one bus's trip for its attendant — the passengers and their seats, found by name,
//! last four of the ID or seat number. The departure-day actions live in `roster_actions`.

use super::roster_view::find_matches;
use super::table_height;
use crate::console::action::{Load, Reply, Request};
use crate::console::keymap::{Cmd, Scope};
use crate::console::popup::{FormKind, Popup};
use crate::console::screen::{Effect, Env, ScreenState};
use crate::console::widgets::ListState;
use crate::i18n::Lang;
use crate::ops::TripRef;
use crate::store::trips::{PassengerRow, SeatedElsewhere, TripInfo};

#[derive(Debug, Default)]
pub struct State {
    /// What is shown: one trip by code (the board, attendant mode, which never changes it) or
    /// a bus's open trip (`:bus`).
    pub which: Option<TripRef>,
    /// The bus shown, once known.
    pub plate: Option<String>,
    pub trip: Option<TripInfo>,
    pub passengers: Vec<PassengerRow>,
    pub last_round: Option<String>,
    /// Expected arrival of the trip shown.
    pub eta: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub loaded: bool,
    /// The shown trip is still open: the departure-day actions may act on it.
    pub actionable: bool,
    pub find: String,
    /// Indexes into `passengers` matching `find`.
    pub shown: Vec<usize>,
    pub list: ListState,
    pub revealed: Option<(i64, String)>,
    /// What the current search matches on the day's other buses, when nobody on this one
    /// matches (the query it answers, and who).
    pub elsewhere: Option<(String, Vec<SeatedElsewhere>)>,
}

impl State {
    pub fn new(which: Option<TripRef>) -> State {
        State {
            plate: match &which {
                Some(TripRef::Bus(p)) => Some(p.clone()),
                _ => None,
            },
            which,
            ..Default::default()
        }
    }

    /// Shows another trip (from the board, `:bus` or `:trip`).
    pub fn open(&mut self, which: TripRef) -> Vec<Effect> {
        if self.which.as_ref() != Some(&which) {
            *self = State::new(Some(which));
        }
        vec![]
    }

    /// What the actions carry: the code of the trip on screen, never the plate (by the time
    /// the action runs, the bus may have another trip).
    pub fn acting_on(&self) -> Option<TripRef> {
        self.trip.as_ref().map(|t| TripRef::code(t.code.clone()))
    }

    /// The reply is about the trip on screen.
    fn shows(&self, code: &str) -> bool {
        self.trip.as_ref().is_some_and(|t| t.code == code)
    }

    pub fn list_height(env: &Env<'_>) -> usize {
        table_height(super::roster_view::areas(env.body).list)
    }

    fn refresh_shown(&mut self, env: &Env<'_>) {
        self.shown = find_matches(&self.passengers, &self.find);
        self.list.clamp(self.shown.len(), State::list_height(env));
    }

    /// Nobody on this trip matches the search: ask who does on the day's other buses (the
    /// attendant may have the wrong bus's list, or the passenger the wrong bus).
    fn look_elsewhere(&mut self) -> Vec<Effect> {
        let query = self.find.trim().to_string();
        if self.elsewhere.as_ref().is_some_and(|(q, _)| *q != query) {
            self.elsewhere = None;
        }
        let Some(trip) = &self.trip else {
            return vec![];
        };
        if query.is_empty() || !self.shown.is_empty() {
            return vec![];
        }
        vec![Effect::Send(Request::Load(Load::Elsewhere {
            trip: trip.code.clone(),
            query,
        }))]
    }

    pub fn selected(&self) -> Option<&PassengerRow> {
        self.passengers.get(*self.shown.get(self.list.selected)?)
    }
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        let Some(which) = self.which.clone() else {
            return vec![];
        };
        let _ = env;
        vec![Effect::Send(Request::Load(Load::Roster { which }))]
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
        self.look_elsewhere()
    }

    fn filter_text(&self) -> String {
        self.find.clone()
    }

    fn form(&mut self, kind: FormKind, values: Vec<String>, env: &Env<'_>) -> Vec<Effect> {
        self.submit(kind, values, env)
    }

    fn reply(&mut self, r: &Reply, env: &Env<'_>) -> Vec<Effect> {
        match r {
            Reply::Standby {
                trip,
                seat,
                candidates,
            } if self.shows(trip) => {
                return self.offer_standby(trip, *seat, candidates, env.lang);
            }
            Reply::RosterDone {
                trip,
                message,
                details,
            } if self.shows(trip) => {
                let mut out = vec![Effect::Flash(message.clone())];
                if !details.is_empty() {
                    out.push(Effect::Popup(Popup::Info {
                        title: message.clone(),
                        lines: details.clone(),
                    }));
                }
                return out;
            }
            Reply::Elsewhere { trip, query, found }
                if self.shows(trip) && *query == self.find.trim() =>
            {
                self.elsewhere = Some((query.clone(), found.clone()));
                return vec![];
            }
            Reply::Revealed { id, id_number }
                if self.passengers.iter().any(|p| p.worker_id == *id) =>
            {
                self.revealed = Some((*id, id_number.clone()));
                // On a phone the list shows only the last four: the whole number in a dialog.
                let list = super::roster_view::areas(env.body).list;
                if list.width < super::roster_view::COMPACT_LIST {
                    let name = self
                        .passengers
                        .iter()
                        .find(|p| p.worker_id == *id)
                        .map(|p| p.name.clone())
                        .unwrap_or_default();
                    return vec![Effect::Popup(Popup::Info {
                        title: name,
                        lines: vec![id_number.clone()],
                    })];
                }
                return vec![];
            }
            _ => {}
        }
        if let Reply::Roster {
            which,
            trip,
            passengers,
            last_round,
            actionable,
            eta,
        } = r
        {
            if self.which.as_ref() == Some(which) {
                self.actionable = *actionable;
                let keep = self.selected().map(|p| p.passenger_id);
                self.trip = trip.as_deref().cloned();
                if let Some(t) = &self.trip {
                    self.plate = Some(t.plate.clone());
                }
                self.passengers = passengers.clone();
                self.last_round = last_round.clone();
                self.eta = *eta;
                self.loaded = true;
                self.refresh_shown(env);
                if self.shown.is_empty() && !self.find.trim().is_empty() {
                    return self.look_elsewhere();
                }
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

/// A stored refusal reason in the user's words (the model's one label; an unknown word as
/// stored).
pub fn reason_label(reason: &str, lang: Lang) -> String {
    reason
        .parse::<crate::model::RefuseReason>()
        .map_or_else(|_| reason.to_string(), |r| r.label(lang).to_string())
}

/// A reminder once a departed bus has gone the policy's interval without a temperature round.
pub fn round_note(s: &State, env: &Env<'_>) -> String {
    let Some(trip) = &s.trip else {
        return String::new();
    };
    if crate::ops::departure::round_due(trip, s.last_round.as_deref(), env.now, env.policy) {
        let key = env.keymap.shown(Scope::Roster, Cmd::Round);
        match env.lang {
            Lang::Zh => format!("  ⚠ 已到测温时间（{key}）"),
            Lang::En => format!("  ⚠ temperature round due ({key})"),
        }
    } else {
        String::new()
    }
}
