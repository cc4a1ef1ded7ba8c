//! Destinations: every employer with its province/city and pipeline counts (expected,
//! registered, eligible on the day, planned, boarded, departed, arrived); Enter drills into one
//! employer's card, its buses and its workers.

use super::{contains, table_height};
use crate::console::action::{ChangeNote, Load, Reply, Request};
use crate::console::keymap::Cmd;
use crate::console::screen::{Effect, Env, ScreenState};
use crate::console::widgets::ListState;
use crate::store::views::{DestinationRow, EmployerCard, EmployerTrip, WorkerLine};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Place,
    Name,
    Registered,
    Eligible,
    Planned,
}

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Place => Sort::Name,
            Sort::Name => Sort::Registered,
            Sort::Registered => Sort::Eligible,
            Sort::Eligible => Sort::Planned,
            Sort::Planned => Sort::Place,
        }
    }
    pub(super) fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Sort::Place, true) => "按省市",
            (Sort::Name, true) => "按名称",
            (Sort::Registered, true) => "按登记",
            (Sort::Eligible, true) => "按可发",
            (Sort::Planned, true) => "按已排",
            (Sort::Place, false) => "by place",
            (Sort::Name, false) => "by name",
            (Sort::Registered, false) => "by registered",
            (Sort::Eligible, false) => "by eligible",
            (Sort::Planned, false) => "by planned",
        }
    }
}

#[derive(Debug, Default)]
pub struct Drill {
    pub id: i64,
    pub card: Option<Box<EmployerCard>>,
    pub trips: Vec<EmployerTrip>,
    pub workers: Vec<WorkerLine>,
    pub loaded: bool,
    /// false: the buses pane has the keys; true: the workers pane.
    pub on_workers: bool,
    pub trips_list: ListState,
    pub workers_list: ListState,
}

#[derive(Debug, Default)]
pub struct State {
    pub day: Option<NaiveDate>,
    pub rows: Option<Vec<DestinationRow>>,
    /// Indexes into `rows` after filter and sort.
    pub shown: Vec<usize>,
    pub filter: String,
    pub sort: Sort,
    pub list: ListState,
    pub drill: Option<Drill>,
    /// Changes after planning (an employer's gate or expected count, beyond expected).
    pub changes: Vec<ChangeNote>,
}

impl State {
    fn refresh_shown(&mut self, env: &Env<'_>) {
        let Some(rows) = &self.rows else { return };
        let needle = self.filter.to_lowercase();
        let mut shown: Vec<usize> = (0..rows.len())
            .filter(|&i| {
                let r = &rows[i];
                contains(&r.name, &needle)
                    || contains(&r.province, &needle)
                    || contains(&r.city, &needle)
            })
            .collect();
        match self.sort {
            Sort::Place => {}
            Sort::Name => shown.sort_by(|&a, &b| rows[a].name.cmp(&rows[b].name)),
            Sort::Registered => shown.sort_by_key(|&i| std::cmp::Reverse(rows[i].registered)),
            Sort::Eligible => shown.sort_by_key(|&i| std::cmp::Reverse(rows[i].eligible)),
            Sort::Planned => shown.sort_by_key(|&i| std::cmp::Reverse(rows[i].planned)),
        }
        self.shown = shown;
        self.list.clamp(self.shown.len(), table_height(env.body));
    }

    pub fn selected(&self) -> Option<&DestinationRow> {
        let i = *self.shown.get(self.list.selected)?;
        self.rows.as_ref()?.get(i)
    }

    fn drill_heights(env: &Env<'_>) -> (usize, usize) {
        let [_, panes] = drill_layout(env.body);
        let [a, b] = split_panes(panes);
        (table_height(a), table_height(b))
    }
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        let mut out = vec![
            Effect::Send(Request::Load(Load::Destinations { day: env.day })),
            Effect::Send(Request::Load(Load::Changes)),
        ];
        if let Some(d) = &self.drill {
            out.push(Effect::Send(Request::Load(Load::Employer { id: d.id })));
        }
        out
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        if let Some(d) = &mut self.drill {
            let (th, wh) = State::drill_heights(env);
            return match cmd {
                Cmd::Back => {
                    self.drill = None;
                    Some(vec![])
                }
                Cmd::Focus => {
                    d.on_workers = !d.on_workers;
                    Some(vec![])
                }
                _ if d.on_workers => d
                    .workers_list
                    .apply(cmd, d.workers.len(), wh)
                    .then(Vec::new),
                _ => d.trips_list.apply(cmd, d.trips.len(), th).then(Vec::new),
            };
        }
        match cmd {
            Cmd::Open => {
                let id = self.selected()?.employer_id;
                self.drill = Some(Drill {
                    id,
                    ..Default::default()
                });
                Some(vec![Effect::Send(Request::Load(Load::Employer { id }))])
            }
            Cmd::Sort => {
                self.sort = self.sort.next();
                self.refresh_shown(env);
                self.list.selected = 0;
                Some(vec![Effect::Flash(
                    self.sort
                        .label(env.lang == crate::i18n::Lang::Zh)
                        .to_string(),
                )])
            }
            _ => self
                .list
                .apply(cmd, self.shown.len(), table_height(env.body))
                .then(Vec::new),
        }
    }

    fn filter(&mut self, text: &str, env: &Env<'_>) -> Vec<Effect> {
        self.filter = text.to_string();
        self.list.selected = 0;
        self.refresh_shown(env);
        vec![]
    }

    fn filter_text(&self) -> String {
        self.filter.clone()
    }

    fn reply(&mut self, r: &Reply, env: &Env<'_>) -> Vec<Effect> {
        match r {
            Reply::Changes(notes) => self.changes = notes.clone(),
            Reply::Destinations { day, rows } if *day == env.day => {
                self.day = Some(*day);
                self.rows = Some(rows.clone());
                self.refresh_shown(env);
            }
            Reply::Employer {
                id,
                card,
                trips,
                workers,
            } => {
                if let Some(d) = self.drill.as_mut().filter(|d| d.id == *id) {
                    d.card = card.clone();
                    d.trips = trips.clone();
                    d.workers = workers.clone();
                    d.loaded = true;
                    let (th, wh) = State::drill_heights(env);
                    d.trips_list.clamp(d.trips.len(), th);
                    d.workers_list.clamp(d.workers.len(), wh);
                }
            }
            _ => {}
        }
        vec![]
    }

    fn resized(&mut self, env: &Env<'_>) -> Vec<Effect> {
        self.list.clamp(self.shown.len(), table_height(env.body));
        vec![]
    }
}

pub(super) fn drill_layout(body: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(5), Constraint::Min(0)]).areas(body)
}

pub(super) fn split_panes(area: Rect) -> [Rect; 2] {
    if area.width >= 100 {
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(area)
    } else {
        Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(area)
    }
}
