//! Batches: the chosen day's buses as planned so far, and the planner's proposal for the day —
//! buses with fill bars, the unplaced workers with their reasons — applied after a
//! confirmation that names the day and the numbers.

use super::batches_review::Review;
use super::table_height;
use crate::console::action::{BoardRow, ChangeNote, Load, Reply, Request, Write};
use crate::console::keymap::{Cmd, Scope};
use crate::console::popup::{Confirm, FormKind, Popup};
use crate::console::screen::{Effect, Env, ScreenState};
use crate::console::widgets::ListState;
use crate::i18n::Lang;
use crate::plan::UnplacedReason;
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use std::sync::Arc;

#[derive(Debug)]
pub struct Proposal {
    pub day: NaiveDate,
    pub county: Option<String>,
    pub review: Arc<Review>,
}

#[derive(Debug, Default)]
pub struct State {
    pub day: Option<NaiveDate>,
    /// The day's buses as planned so far.
    pub trips: Option<Vec<BoardRow>>,
    pub list: ListState,
    pub proposal: Option<Proposal>,
    /// A proposal was asked for and has not come back yet.
    pub planning: bool,
    /// The unplaced list has the keys (else the buses).
    pub on_unplaced: bool,
    pub unplaced_list: ListState,
    /// Changes after planning, flagged on the batches they concern.
    pub changes: Vec<ChangeNote>,
}

/// `:plan DATE [county]` and `p`: ask the planner for the day's proposal.
pub fn plan_effects(day: NaiveDate, county: Option<String>) -> Vec<Effect> {
    vec![Effect::Send(Request::Load(Load::Propose { day, county }))]
}

pub(super) fn panes(body: Rect) -> [Rect; 2] {
    if body.width >= 120 {
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(body)
    } else {
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body)
    }
}

pub fn reason_label(r: UnplacedReason, lang: Lang) -> &'static str {
    match r {
        UnplacedReason::NoBus => lang.pick("无车可排", "no bus"),
        UnplacedReason::NoCertificate => lang.pick("无有效证明", "no valid certificate"),
        UnplacedReason::UnknownEmployer => lang.pick("企业未知", "unknown employer"),
    }
}

impl State {
    /// A proposal to review replaces the day's list, both lists from their tops.
    fn show_proposal(&mut self, day: NaiveDate, county: Option<String>, review: Arc<Review>) {
        self.planning = false;
        self.proposal = Some(Proposal {
            day,
            county,
            review,
        });
        self.list = ListState::default();
        self.unplaced_list = ListState::default();
        self.on_unplaced = false;
    }

    fn bus_count(&self) -> usize {
        match &self.proposal {
            Some(p) => p.review.buses.len(),
            None => self.trips.as_ref().map_or(0, Vec::len),
        }
    }

    /// The plate of the bus the selection is on (a proposed bus, or one of the day's trips).
    fn selected_plate(&self) -> Option<String> {
        match &self.proposal {
            Some(p) => p
                .review
                .buses
                .get(self.list.selected)
                .map(|b| b.plate.clone()),
            None => self
                .trips
                .as_ref()?
                .get(self.list.selected)
                .map(|r| r.trip.plate.clone()),
        }
    }

    fn heights(&self, env: &Env<'_>) -> (usize, usize) {
        if self.proposal.is_some() {
            let [a, b] = panes(env.body);
            // The buses pane gives its last line to the selected bus's details.
            (table_height(a).saturating_sub(1), table_height(b))
        } else {
            (table_height(env.body), 0)
        }
    }

    fn apply_confirm(&self, env: &Env<'_>) -> Vec<Effect> {
        let l = env.lang;
        let Some(p) = self.proposal.as_ref().filter(|p| p.day == env.day) else {
            let p = env.keymap.shown(Scope::Batches, Cmd::Plan);
            return vec![Effect::Error(match l {
                Lang::Zh => format!("先按 {p} 生成当日编排方案"),
                Lang::En => format!("press {p} first for the day's proposal"),
            })];
        };
        if p.review.is_empty() {
            return vec![Effect::Error(
                l.pick("方案中没有可安排的人", "the proposal places nobody")
                    .into(),
            )];
        }
        let (people, buses) = (p.review.placed, p.review.new_buses);
        let scope = p
            .county
            .clone()
            .unwrap_or_else(|| l.pick("全部区县", "all counties").into());
        let mut c = Confirm::new(
            match l {
                Lang::Zh => format!(
                    "编排 {}（{scope}）：{people} 人，新增 {buses} 辆车？",
                    p.day
                ),
                Lang::En => format!(
                    "Plan {} ({scope}): {people} people, {buses} new buses?",
                    p.day
                ),
            },
            l.pick("确认编排", "Apply"),
            Request::Write(Write::ApplyPlan {
                day: p.day,
                county: p.county.clone(),
                fingerprint: p.review.fingerprint.clone(),
            }),
        );
        if p.review.unplaced_total() > 0 {
            c.detail.push(match l {
                Lang::Zh => format!("未安排 {} 人", p.review.unplaced_total()),
                Lang::En => format!("{} left unplaced", p.review.unplaced_total()),
            });
        }
        // What is confirmed is this proposal: if the ledger changed since, nothing is written.
        c.detail.push(match l {
            Lang::Zh => format!("方案指纹 {}", p.review.fingerprint),
            Lang::En => format!("fingerprint {}", p.review.fingerprint),
        });
        vec![Effect::Popup(Popup::Confirm(c))]
    }
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        if self.proposal.as_ref().is_some_and(|p| p.day != env.day) {
            self.proposal = None;
        }
        vec![
            Effect::Send(Request::Load(Load::Board { day: env.day })),
            Effect::Send(Request::Load(Load::Changes)),
        ]
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        let (bh, uh) = self.heights(env);
        match cmd {
            Cmd::PrevDay => Some(vec![Effect::SetDay(env.day.pred_opt()?)]),
            Cmd::NextDay => Some(vec![Effect::SetDay(env.day.succ_opt()?)]),
            Cmd::Plan => {
                self.planning = true;
                let mut out = plan_effects(env.day, None);
                out.push(Effect::Flash(
                    env.lang.pick("正在编排…", "planning…").into(),
                ));
                Some(out)
            }
            Cmd::Apply => Some(self.apply_confirm(env)),
            Cmd::NewCoach => Some(super::coach::new_coach(env.lang)),
            Cmd::EditCoach => Some(match self.selected_plate() {
                Some(plate) => super::coach::edit_coach(&plate),
                None => vec![Effect::Error(
                    env.lang
                        .pick(
                            "先选一辆车，或输入 `:coach 车牌`",
                            "choose a bus first, or type :coach PLATE",
                        )
                        .into(),
                )],
            }),
            Cmd::Focus if self.proposal.is_some() => {
                self.on_unplaced = !self.on_unplaced;
                Some(vec![])
            }
            Cmd::Back if self.proposal.is_some() => {
                self.proposal = None;
                Some(vec![])
            }
            _ if self.on_unplaced && self.proposal.is_some() => {
                let n = self
                    .proposal
                    .as_ref()
                    .map_or(0, |p| p.review.unplaced.len());
                self.unplaced_list.apply(cmd, n, uh).then(Vec::new)
            }
            _ => self.list.apply(cmd, self.bus_count(), bh).then(Vec::new),
        }
    }

    fn reply(&mut self, r: &Reply, env: &Env<'_>) -> Vec<Effect> {
        match r {
            Reply::Board { day, rows, .. } if *day == env.day => {
                self.day = Some(*day);
                self.trips = Some(rows.clone());
                let (bh, _) = self.heights(env);
                self.list.clamp(self.bus_count(), bh);
            }
            Reply::Proposal {
                day,
                county,
                review,
            } if *day == env.day => {
                self.show_proposal(*day, county.clone(), review.clone());
                let a = env.keymap.shown(Scope::Batches, Cmd::Apply);
                let msg = match env.lang {
                    Lang::Zh => format!(
                        "方案：{} 人，{} 辆车；按 {a} 确认编排",
                        review.placed, review.new_buses
                    ),
                    Lang::En => format!(
                        "proposal: {} people, {} buses; press {a} to apply",
                        review.placed, review.new_buses
                    ),
                };
                return vec![Effect::Flash(msg)];
            }
            Reply::PlanApplied { day, message } if *day == env.day => {
                self.proposal = None;
                self.list = ListState::default();
                return vec![Effect::Flash(message.clone())];
            }
            Reply::PlanChanged {
                day,
                county,
                review,
                message,
            } => {
                // Nothing was written: the new proposal replaces the one reviewed, to be read
                // and confirmed again.
                self.show_proposal(*day, county.clone(), review.clone());
                let l = env.lang;
                let a = env.keymap.shown(Scope::Batches, Cmd::Apply);
                let next = match l {
                    Lang::Zh => format!(
                        "新方案：{} 人，新增 {} 辆车；核对后按 {a} 确认编排",
                        review.placed, review.new_buses
                    ),
                    Lang::En => format!(
                        "new proposal: {} people, {} new buses; review it, then press {a} to apply",
                        review.placed, review.new_buses
                    ),
                };
                return vec![
                    Effect::Error(message.clone()),
                    Effect::Popup(Popup::Info {
                        title: l
                            .pick("编排方案已变，未写入", "The plan changed: nothing written")
                            .into(),
                        lines: vec![message.clone(), next],
                    }),
                ];
            }
            Reply::BatchEdited { message } => return vec![Effect::Flash(message.clone())],
            Reply::Coach { .. } | Reply::CoachSaved(_) => return super::coach::reply(r, env),
            Reply::Changes(notes) => self.changes = notes.clone(),
            Reply::Failed { .. } => self.planning = false,
            _ => {}
        }
        vec![]
    }

    fn resized(&mut self, env: &Env<'_>) -> Vec<Effect> {
        let (bh, _) = self.heights(env);
        self.list.clamp(self.bus_count(), bh);
        vec![]
    }

    fn form(&mut self, kind: FormKind, values: Vec<String>, _env: &Env<'_>) -> Vec<Effect> {
        super::coach::submit(kind, values)
    }
}
