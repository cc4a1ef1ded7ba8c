//! Departure board: the day's buses in departure order with destination, status, a live
//! countdown, the expected arrival and boarded/expected, flagging buses overdue on the road
//! (超时未到) and destinations not told before departure (未通知); above them, in their own
//! section, the trips of earlier days not yet arrived (the night's buses still on the road).
//! Enter opens a trip's roster.

use super::board_table::draw_trips;
use super::{contains, note, table_height, title, title_within};
use crate::console::action::{BoardRow, Load, Reply, Request};
use crate::console::keymap::{Cmd, Scope};
use crate::console::screen::{Effect, Env, ScreenState, View};
use crate::console::widgets::ListState;
use crate::i18n::Lang;
use crate::model::TripStatus;
use crate::ops::TripRef;
use chrono::{NaiveDate, NaiveDateTime};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::Block;
use ratatui::widgets::Widget;

#[derive(Debug, Default)]
pub struct State {
    pub day: Option<NaiveDate>,
    pub rows: Option<Vec<BoardRow>>,
    /// Trips of earlier days not yet arrived (on the road overnight, or never left).
    pub earlier: Vec<BoardRow>,
    /// Earlier trips matching the filter (indexes into `earlier`); listed first.
    pub shown_earlier: Vec<usize>,
    /// The day's trips matching the filter (indexes into `rows`).
    pub shown: Vec<usize>,
    pub filter: String,
    /// One selection over both sections: earlier trips first, then the day's.
    pub list: ListState,
}

/// Rows the earlier section shows at most before it scrolls.
const EARLIER_ROWS: usize = 4;

fn matches(r: &BoardRow, needle: &str) -> bool {
    contains(&r.trip.plate, needle)
        || contains(&r.trip.code, needle)
        || contains(&r.trip.city, needle)
        || contains(&r.trip.province, needle)
        || r.employers.iter().any(|(e, _)| contains(e, needle))
}

impl State {
    fn len(&self) -> usize {
        self.shown_earlier.len() + self.shown.len()
    }

    fn refresh_shown(&mut self, env: &Env<'_>) {
        let Some(rows) = &self.rows else { return };
        let needle = self.filter.to_lowercase();
        self.shown = (0..rows.len())
            .filter(|&i| matches(&rows[i], &needle))
            .collect();
        self.shown_earlier = (0..self.earlier.len())
            .filter(|&i| matches(&self.earlier[i], &needle))
            .collect();
        self.list.clamp(self.len(), table_height(env.body));
    }

    pub fn selected(&self) -> Option<&BoardRow> {
        let i = self.list.selected;
        match i.checked_sub(self.shown_earlier.len()) {
            None => self.earlier.get(*self.shown_earlier.get(i)?),
            Some(j) => self.rows.as_ref()?.get(*self.shown.get(j)?),
        }
    }
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        vec![Effect::Send(Request::Load(Load::Board { day: env.day }))]
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        match cmd {
            Cmd::Open => {
                let code = self.selected()?.trip.code.clone();
                Some(vec![Effect::OpenTrip(TripRef::code(code))])
            }
            Cmd::Swap | Cmd::CancelTrip => {
                let Some(r) = self.selected() else {
                    return Some(vec![Effect::Error(
                        env.lang.pick("先选中一辆车", "select a bus first").into(),
                    )]);
                };
                let t = &r.trip;
                Some(if cmd == Cmd::Swap {
                    super::reshape::start_swap(&t.code)
                } else {
                    super::reshape::start_cancel(&t.code, &t.plate, r.counts.expected, env.lang)
                })
            }
            // The `:` line prepared for the selected trip's province: the officer types whom
            // the notice went to and presses Enter.
            Cmd::NoticeSent => {
                let province = self.selected()?.trip.province.clone();
                Some(vec![Effect::CommandLine(format!(
                    "notice-sent {province} "
                ))])
            }
            Cmd::PrevDay | Cmd::NextDay => {
                let day = if cmd == Cmd::PrevDay {
                    env.day.pred_opt()?
                } else {
                    env.day.succ_opt()?
                };
                Some(vec![Effect::SetDay(day)])
            }
            _ => {
                let len = self.len();
                self.list
                    .apply(cmd, len, table_height(env.body))
                    .then(Vec::new)
            }
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
        if let Reply::NoticeSent { message } = r {
            return vec![Effect::Flash(message.clone())];
        }
        if let Reply::Board { day, rows, earlier } = r {
            if *day == env.day {
                self.day = Some(*day);
                self.rows = Some(rows.clone());
                self.earlier = earlier.clone();
                self.refresh_shown(env);
            }
        }
        vec![]
    }

    fn resized(&mut self, env: &Env<'_>) -> Vec<Effect> {
        let len = self.len();
        self.list.clamp(len, table_height(env.body));
        vec![]
    }
}

/// `1:23:45` until departure; once the time has passed, how late the bus is in hours and
/// minutes, as officers say it: `晚 1:49` (`late 1:49`). The flag is "late".
pub fn countdown(departure: &str, now: NaiveDateTime, lang: Lang) -> Option<(String, bool)> {
    let at = NaiveDateTime::parse_from_str(departure, "%Y-%m-%dT%H:%M").ok()?;
    let secs = (at - now).num_seconds();
    if secs < 0 {
        let late = secs.unsigned_abs() / 60;
        let text = format!("{} {}:{:02}", lang.pick("晚", "late"), late / 60, late % 60);
        return Some((text, true));
    }
    let a = secs.unsigned_abs();
    Some((
        format!("{}:{:02}:{:02}", a / 3600, a / 60 % 60, a % 60),
        false,
    ))
}

/// The part of one selection that falls in a section of `len` rows starting at `first`, kept on
/// screen in `height` rows (views only read the state; this is a copy).
fn section_list(list: &ListState, first: usize, len: usize, height: usize) -> ListState {
    match list.selected.checked_sub(first).filter(|&i| i < len) {
        Some(i) => ListState {
            selected: i,
            offset: (i + 1).saturating_sub(height.max(1)),
        },
        None => ListState {
            selected: usize::MAX,
            offset: 0,
        },
    }
}

impl Widget for View<'_, State> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        draw(buf, area, self.state, self.env);
    }
}

fn draw(buf: &mut Buffer, area: Rect, s: &State, env: &Env<'_>) {
    let l = env.lang;
    let (buses, people, boarded) = s
        .rows
        .as_ref()
        .map(|r| {
            r.iter()
                .filter(|b| b.trip.status != TripStatus::Cancelled)
                .fold((0, 0, 0), |(n, p, b), row| {
                    (n + 1, p + row.counts.expected, b + row.counts.boarded)
                })
        })
        .unwrap_or_default();
    let block = Block::bordered().title(title_within(
        area.width,
        &[
            format!("{} {}", l.pick("发车", "Departures"), env.day),
            if s.rows.is_some() {
                format!("{buses} {}", l.pick("辆", "buses"))
            } else {
                String::new()
            },
            if s.rows.is_some() {
                format!("{} {boarded}/{people}", l.pick("登车", "boarded"))
            } else {
                String::new()
            },
            env.now.format("%H:%M:%S").to_string(),
            if s.filter.is_empty() {
                String::new()
            } else {
                format!("{} {}", l.pick("筛选", "filter"), s.filter)
            },
        ],
    ));
    let Some(rows) = &s.rows else {
        return note(
            buf,
            area,
            block,
            l.pick("读取当日车辆…", "loading the day's buses…"),
        );
    };
    // Yesterday's buses still on the road come first, in their own section.
    let first = s.shown_earlier.len();
    let area = if first > 0 && area.height >= 12 {
        let height = first.min(EARLIER_ROWS) as u16 + 3;
        let [top, rest] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
        draw_earlier(buf, top, s, env);
        rest
    } else {
        area
    };
    if s.shown.is_empty() {
        let text = if rows.is_empty() {
            let b = env.keymap.shown(Scope::Global, Cmd::Batches);
            match l {
                Lang::Zh => format!("当日没有车辆：在批次屏（{b}）编排"),
                Lang::En => format!("no bus on this day: plan one on the Batches screen ({b})"),
            }
        } else {
            l.pick("没有符合筛选的车辆", "no bus matches the filter")
                .into()
        };
        return note(buf, area, block, &text);
    }
    let list = section_list(&s.list, first, s.shown.len(), table_height(area));
    draw_trips(buf, area, block, env, rows, &s.shown, &list);
}

/// Trips of earlier days not yet arrived: the night's buses on the road, and any that never left.
fn draw_earlier(buf: &mut Buffer, area: Rect, s: &State, env: &Env<'_>) {
    let l = env.lang;
    let block = Block::bordered()
        .border_style(Style::default().fg(Color::Yellow))
        .title(title(&[
            l.pick("前几日的车次（未到达）", "Earlier days, not yet arrived")
                .to_string(),
            format!("{} {}", s.shown_earlier.len(), l.pick("辆", "buses")),
        ]));
    let list = section_list(&s.list, 0, s.shown_earlier.len(), table_height(area));
    draw_trips(buf, area, block, env, &s.earlier, &s.shown_earlier, &list);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_bus_reads_late_by_hours_and_minutes() {
        let at = |h, m, s| {
            NaiveDate::from_ymd_opt(2020, 2, 21)
                .unwrap()
                .and_hms_opt(h, m, s)
                .unwrap()
        };
        let dep = "2020-02-21T07:00";
        assert_eq!(
            countdown(dep, at(8, 49, 35), Lang::Zh),
            Some(("晚 1:49".into(), true))
        );
        assert_eq!(
            countdown(dep, at(8, 49, 35), Lang::En),
            Some(("late 1:49".into(), true))
        );
        assert_eq!(
            countdown(dep, at(6, 40, 0), Lang::Zh),
            Some(("0:20:00".into(), false))
        );
    }
}
