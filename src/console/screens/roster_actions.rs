//! The attendant's actions on the roster: each key opens the dialog that names the passenger
//! (or the bus) and turns what was typed into a request; `roster_exec` runs it on the
//! departure-day functions — the same rules as the command line.

use super::roster::State;
use crate::console::action::{Load, Request, Write};
use crate::console::keymap::{Cmd, Scope};
use crate::console::popup::{Choice, Confirm, Form, FormKind, Popup};
use crate::console::screen::{Effect, Env};
use crate::i18n::Lang;
use crate::model::door::{self, DoorState, UndoRefused};
use crate::model::{mask_id, RefuseReason, SeatStatus};
use crate::ops::{departure, TripRef};
use crate::store::trips::PassengerRow;

fn who_label(p: &PassengerRow) -> String {
    format!(
        "{} {} · {}",
        p.name,
        p.id_number.as_deref().map(mask_id).unwrap_or_default(),
        p.seat
    )
}

pub(super) fn say(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

impl State {
    /// The roster's own commands; `None` for anything else.
    pub fn action(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        let l = env.lang;
        let plate = self.plate.clone()?;
        let needs_row = matches!(
            cmd,
            Cmd::CheckIn
                | Cmd::Refuse
                | Cmd::NoShow
                | Cmd::Undo
                | Cmd::Observe
                | Cmd::Reveal
                | Cmd::Move
        );
        if !matches!(
            cmd,
            Cmd::CheckIn
                | Cmd::Refuse
                | Cmd::NoShow
                | Cmd::Undo
                | Cmd::Standby
                | Cmd::Depart
                | Cmd::Round
                | Cmd::Stop
                | Cmd::Observe
                | Cmd::Arrive
                | Cmd::Reveal
                | Cmd::Move
                | Cmd::Swap
                | Cmd::CancelTrip
        ) {
            return None;
        }
        let Some(trip) = self.acting_on() else {
            return Some(vec![Effect::Error(
                l.pick("名单尚未读取", "the roster is not loaded yet")
                    .into(),
            )]);
        };
        if !self.actionable && cmd != Cmd::Reveal {
            return Some(vec![Effect::Error(
                l.pick("这一车次已结束：只能查看", "this trip is over: view only")
                    .into(),
            )]);
        }
        let selected = self.selected().cloned();
        if needs_row && selected.is_none() {
            return Some(vec![Effect::Error(
                l.pick(
                    "先选中一位乘客（/ 查找）",
                    "select a passenger first (/ to find)",
                )
                .into(),
            )]);
        }
        let p = selected.as_ref();
        let popup = match (cmd, p) {
            (Cmd::CheckIn, Some(p)) => {
                let mut form = Form::new(
                    format!("{} {}", l.pick("登车", "Check in"), who_label(p)),
                    FormKind::CheckIn {
                        worker_id: p.worker_id,
                    },
                    vec![(l.pick("体温 °C", "temperature °C").into(), String::new())],
                );
                form.note = Some(p.employer.clone());
                Popup::Form(form)
            }
            (Cmd::Refuse, Some(p)) => {
                let reason = |r: RefuseReason, zh: &str, en: &str| {
                    (
                        l.pick(zh, en).to_string(),
                        Request::Write(Write::Refuse {
                            trip: trip.clone(),
                            worker_id: p.worker_id,
                            reason: r,
                        }),
                    )
                };
                Popup::Choice(Choice {
                    title: format!(
                        "{} {} — {}",
                        l.pick("拒载", "Refuse"),
                        who_label(p),
                        l.pick("原因", "reason")
                    ),
                    options: vec![
                        reason(RefuseReason::Fever, "发热", "fever"),
                        reason(
                            RefuseReason::Certificate,
                            "健康证明无效",
                            "certificate not valid",
                        ),
                        reason(
                            RefuseReason::Identity,
                            "身份不符",
                            "identity does not match",
                        ),
                    ],
                    selected: 0,
                })
            }
            (Cmd::NoShow, Some(p)) => Popup::Confirm(Confirm::new(
                say(
                    l,
                    format!("{} 未到？", who_label(p)),
                    format!("{} did not come?", who_label(p)),
                ),
                l.pick("记为未到", "No-show"),
                Request::Write(Write::Refuse {
                    trip,
                    worker_id: p.worker_id,
                    reason: RefuseReason::NoShow,
                }),
            )),
            (Cmd::Undo, Some(p)) => {
                // Ask for a reason only when there is a decision this may undo.
                let state = DoorState::of(p.status, p.refused_reason.as_deref());
                if let Err(why) = door::undo(state) {
                    return Some(vec![Effect::Error(match why {
                        UndoRefused::FeverDecision => {
                            let b = env.keymap.shown(Scope::Roster, Cmd::CheckIn);
                            say(
                                l,
                                format!("发热结论不能撤销：只有休息后重新测温（{b}）才能改变"),
                                format!("a fever decision is not undone: only a new reading after the rest ({b}) changes it"),
                            )
                        }
                        UndoRefused::Nothing => l
                            .pick(
                                "尚未查验，没有可撤销的记录",
                                "not checked yet: nothing to undo",
                            )
                            .into(),
                    })]);
                }
                let what = match (p.status, p.refused_reason.as_deref()) {
                    (SeatStatus::Refused, Some(r)) => format!(
                        "{}·{}",
                        p.status.label(l),
                        super::roster::reason_label(r, l)
                    ),
                    (s, _) => s.label(l).to_string(),
                };
                let mut form = Form::new(
                    format!("{} {} — {what}", l.pick("撤销", "Undo"), who_label(p)),
                    FormKind::Undo {
                        worker_id: p.worker_id,
                    },
                    vec![(l.pick("原因", "reason").into(), String::new())],
                );
                form.note = Some(
                    l.pick(
                        "撤销后在原座位待重新查验",
                        "back to be checked again, on the same seat",
                    )
                    .into(),
                );
                Popup::Form(form)
            }
            (Cmd::Standby, _) => {
                let seat = p.filter(|p| !p.status.holds_seat()).map(|p| p.seat);
                return Some(vec![Effect::Send(Request::Load(Load::Standby {
                    trip,
                    seat,
                }))]);
            }
            (Cmd::Depart, _) => {
                let c = departure::counts(&self.passengers);
                let mut confirm = Confirm::new(
                    say(
                        l,
                        format!("{plate}（{trip}）发车？已登车 {} 人", c.boarded),
                        format!("Depart {plate} ({trip}) with {} aboard?", c.boarded),
                    ),
                    l.pick("发车", "Depart"),
                    Request::Write(Write::Depart { trip }),
                );
                // 复测 only when someone waits for it, as on the roster's head.
                let (zh_recheck, en_recheck) = if c.recheck > 0 {
                    (
                        format!(" · 复测 {}", c.recheck),
                        format!(" · re-check {}", c.recheck),
                    )
                } else {
                    (String::new(), String::new())
                };
                confirm.detail.push(say(
                    l,
                    format!(
                        "拒载 {} · 未到 {}{zh_recheck} · 待查验 {}",
                        c.refused,
                        c.no_show,
                        c.unchecked()
                    ),
                    format!(
                        "refused {} · no-show {}{en_recheck} · unchecked {}",
                        c.refused,
                        c.no_show,
                        c.unchecked()
                    ),
                ));
                Popup::Confirm(confirm)
            }
            (Cmd::Round, _) => {
                let aboard: Vec<&PassengerRow> = self
                    .passengers
                    .iter()
                    .filter(|p| p.status == SeatStatus::Boarded)
                    .collect();
                if aboard.is_empty() {
                    return Some(vec![Effect::Error(
                        l.pick("车上没有乘客", "nobody aboard").into(),
                    )]);
                }
                let mut form = Form::new(
                    format!("{} {plate}", l.pick("途中测温", "Temperature round")),
                    FormKind::Round {
                        worker_ids: aboard.iter().map(|p| p.worker_id).collect(),
                    },
                    aboard
                        .iter()
                        .map(|p| (format!("{:>2} {}", p.seat, p.name), String::new()))
                        .collect(),
                );
                form.note = Some(
                    l.pick("空着的记为未测", "leave empty when not measured")
                        .into(),
                );
                Popup::Form(form)
            }
            (Cmd::Stop, _) => Popup::Form(Form::new(
                format!("{} {plate}", l.pick("停靠点名", "Stop and headcount")),
                FormKind::Stop,
                vec![
                    (l.pick("地点", "place").into(), String::new()),
                    (l.pick("点名人数", "headcount").into(), String::new()),
                ],
            )),
            (Cmd::Observe, Some(p)) => {
                let mut form = Form::new(
                    format!("{} {}", l.pick("移至留观", "To observation"), who_label(p)),
                    FormKind::Observe {
                        worker_id: p.worker_id,
                    },
                    vec![(l.pick("体温 °C", "temperature °C").into(), String::new())],
                );
                form.note = Some(
                    l.pick(
                        "发热乘客移至后排留观区",
                        "a feverish passenger moves to the rear rows",
                    )
                    .into(),
                );
                Popup::Form(form)
            }
            (Cmd::Arrive, _) => {
                let mut form = Form::new(
                    format!("{} {plate}", l.pick("到达交接", "Arrival hand-over")),
                    FormKind::Arrive,
                    vec![
                        (l.pick("接收人", "receiver").into(), String::new()),
                        (l.pick("交接人数", "headcount").into(), String::new()),
                    ],
                );
                form.note = Some(
                    l.pick(
                        "人数不填即按名单已登车人数；两家企业：甲厂=张三；乙厂=李四",
                        "empty headcount: the roster's count; two employers: A=Zhang; B=Li",
                    )
                    .into(),
                );
                Popup::Form(form)
            }
            (Cmd::Move, Some(p)) => {
                if !p.status.holds_seat() {
                    return Some(vec![Effect::Error(
                        l.pick(
                            "此人已不占座位：不能调车",
                            "this passenger holds no seat: nothing to move",
                        )
                        .into(),
                    )]);
                }
                return Some(super::reshape::start_move(p.worker_id));
            }
            (Cmd::Swap, _) => return Some(super::reshape::start_swap(&trip.to_string())),
            (Cmd::CancelTrip, _) => {
                let n = departure::counts(&self.passengers).expected;
                return Some(super::reshape::start_cancel(
                    &trip.to_string(),
                    &plate,
                    n,
                    l,
                ));
            }
            (Cmd::Reveal, Some(p)) => {
                return Some(vec![Effect::Send(Request::Write(Write::RevealId {
                    id: p.worker_id,
                }))]);
            }
            _ => return None,
        };
        Some(vec![Effect::Popup(popup)])
    }

    /// A roster form was submitted: check what the console can, then send the action.
    pub fn submit(&mut self, kind: FormKind, values: Vec<String>, env: &Env<'_>) -> Vec<Effect> {
        let l = env.lang;
        let Some(trip) = self.acting_on() else {
            return vec![];
        };
        let first = values.first().cloned().unwrap_or_default();
        let number = |s: &str| -> Result<Option<u32>, String> {
            match s.trim() {
                "" => Ok(None),
                t => t.parse().map(Some).map_err(|_| {
                    say(
                        l,
                        format!("人数应为数字：{t}"),
                        format!("headcount must be a number: {t}"),
                    )
                }),
            }
        };
        let write = match kind {
            FormKind::CheckIn { worker_id } => Write::Board {
                trip,
                worker_id,
                temp: first,
            },
            FormKind::Undo { worker_id } => Write::Undo {
                trip,
                worker_id,
                reason: first,
            },
            FormKind::Observe { worker_id } => Write::Observe {
                trip,
                worker_id,
                temp: first,
            },
            FormKind::Round { worker_ids } => Write::Round {
                trip,
                readings: worker_ids
                    .into_iter()
                    .zip(values)
                    .filter(|(_, t)| !t.trim().is_empty())
                    .collect(),
                observe_key: env.keymap.shown(Scope::Roster, Cmd::Observe),
            },
            FormKind::Stop => {
                let headcount = match number(values.get(1).map_or("", String::as_str)) {
                    Ok(Some(n)) => n,
                    Ok(None) => {
                        return vec![Effect::Error(
                            l.pick("请填点名人数", "the headcount is needed").into(),
                        )]
                    }
                    Err(e) => return vec![Effect::Error(e)],
                };
                Write::Stop {
                    trip,
                    headcount,
                    place: first,
                }
            }
            FormKind::Arrive => {
                let headcount = match number(values.get(1).map_or("", String::as_str)) {
                    Ok(n) => n,
                    Err(e) => return vec![Effect::Error(e)],
                };
                let receiver = Some(first.trim().to_string()).filter(|r| !r.is_empty());
                Write::Arrive {
                    trip,
                    receiver,
                    headcount,
                }
            }
            FormKind::EditWorker { .. }
            | FormKind::Register
            | FormKind::Coach { .. }
            | FormKind::Swap { .. }
            | FormKind::CancelTrip { .. } => return vec![],
        };
        vec![Effect::Send(Request::Write(write))]
    }

    /// The stand-by list arrived: offer it (picking one seats them).
    pub fn offer_standby(
        &self,
        trip: &str,
        seat: Option<u32>,
        candidates: &[departure::StandbyCandidate],
        l: Lang,
    ) -> Vec<Effect> {
        if candidates.is_empty() {
            return vec![Effect::Error(
                l.pick(
                    "没有可候补的工人（同企业、证明有效、未编排）",
                    "no stand-by worker (same employer, valid certificate, not placed)",
                )
                .into(),
            )];
        }
        let seat_text = seat
            .map(|s| say(l, format!("座 {s}"), format!("seat {s}")))
            .unwrap_or_else(|| l.pick("空座", "a free seat").into());
        vec![Effect::Popup(Popup::Choice(Choice {
            title: format!("{} → {seat_text}", l.pick("候补", "Stand-by")),
            options: candidates
                .iter()
                .map(|c| {
                    (
                        format!(
                            "{} {} {} · {}",
                            c.name,
                            mask_id(&c.id_number),
                            c.village,
                            c.employer
                        ),
                        Request::Write(Write::SeatStandby {
                            trip: TripRef::code(trip),
                            worker_id: c.worker_id,
                            seat,
                        }),
                    )
                })
                .collect(),
            selected: 0,
        }))]
    }
}
