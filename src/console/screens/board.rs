//! Departure board: the day's buses in departure order with destination, status, a live
//! countdown and boarded/expected; Enter opens a bus's roster.

use super::{col, contains, draw_table, note, num, table_height, title};
use crate::console::action::{BoardRow, Load, Reply, Request};
use crate::console::app::{App, Effect, Env, ScreenState};
use crate::console::keymap::Cmd;
use crate::console::widgets::{bar, trip_status_label, trip_status_style, ListState};
use crate::i18n::Lang;
use crate::model::TripStatus;
use chrono::{NaiveDate, NaiveDateTime};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Block;
use ratatui::Frame;

#[derive(Debug, Default)]
pub struct State {
    pub day: Option<NaiveDate>,
    pub rows: Option<Vec<BoardRow>>,
    pub shown: Vec<usize>,
    pub filter: String,
    pub list: ListState,
}

impl State {
    fn refresh_shown(&mut self, env: &Env<'_>) {
        let Some(rows) = &self.rows else { return };
        let needle = self.filter.to_lowercase();
        self.shown = (0..rows.len())
            .filter(|&i| {
                let r = &rows[i];
                contains(&r.trip.plate, &needle)
                    || contains(&r.trip.batch_code, &needle)
                    || contains(&r.trip.city, &needle)
                    || contains(&r.trip.province, &needle)
                    || r.employers.iter().any(|e| contains(e, &needle))
            })
            .collect();
        self.list.clamp(self.shown.len(), table_height(env.body));
    }

    pub fn selected(&self) -> Option<&BoardRow> {
        self.rows
            .as_ref()?
            .get(*self.shown.get(self.list.selected)?)
    }
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        vec![Effect::Send(Request::Load(Load::Board { day: env.day }))]
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        match cmd {
            Cmd::Open => {
                let plate = self.selected()?.trip.plate.clone();
                Some(vec![Effect::OpenBus(plate, Some(env.day))])
            }
            Cmd::PrevDay | Cmd::NextDay => {
                let day = if cmd == Cmd::PrevDay {
                    env.day.pred_opt()?
                } else {
                    env.day.succ_opt()?
                };
                Some(vec![Effect::SetDay(day)])
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
        if let Reply::Board { day, rows } = r {
            if *day == env.day {
                self.day = Some(*day);
                self.rows = Some(rows.clone());
                self.refresh_shown(env);
            }
        }
        vec![]
    }

    fn resized(&mut self, env: &Env<'_>) -> Vec<Effect> {
        self.list.clamp(self.shown.len(), table_height(env.body));
        vec![]
    }
}

/// `1:23:45` until departure, `+0:05:00` when late; departed and arrived buses show the time.
pub fn countdown(departure: &str, now: NaiveDateTime) -> Option<(String, bool)> {
    let at = NaiveDateTime::parse_from_str(departure, "%Y-%m-%dT%H:%M").ok()?;
    let secs = (at - now).num_seconds();
    let a = secs.unsigned_abs();
    let text = format!(
        "{}{}:{:02}:{:02}",
        if secs < 0 { "+" } else { "" },
        a / 3600,
        a / 60 % 60,
        a % 60
    );
    Some((text, secs < 0))
}

fn hhmm(t: &str) -> &str {
    t.get(11..16).unwrap_or(t)
}

pub fn draw(f: &mut Frame<'_>, area: Rect, app: &App) {
    let s = &app.board;
    let l = app.lang;
    let zh = l == Lang::Zh;
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
    let block = Block::bordered().title(title(&[
        format!("{} {}", l.pick("发车", "Departures"), app.day),
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
        app.now.format("%H:%M:%S").to_string(),
        if s.filter.is_empty() {
            String::new()
        } else {
            format!("{} {}", l.pick("筛选", "filter"), s.filter)
        },
    ]));
    let Some(rows) = &s.rows else {
        return note(
            f,
            area,
            block,
            l.pick("读取当日车辆…", "loading the day's buses…"),
        );
    };
    if s.shown.is_empty() {
        let text = if rows.is_empty() {
            l.pick(
                "当日没有车辆：在批次屏（3）编排",
                "no bus on this day: plan one on the Batches screen (3)",
            )
        } else {
            l.pick("没有符合筛选的车辆", "no bus matches the filter")
        };
        return note(f, area, block, text);
    }
    let wide = area.width >= 110;
    let mut cols = vec![
        col(l.pick("时间", "time"), Constraint::Length(5)),
        col(l.pick("车牌", "plate"), Constraint::Length(9)),
        col(l.pick("目的地", "destination"), Constraint::Fill(1)),
        col(
            l.pick("状态", "status"),
            Constraint::Length(if zh { 6 } else { 9 }),
        ),
        num(l.pick("倒计时", "countdown"), 9),
        num(l.pick("登车/应到", "in/due"), 9),
        num(l.pick("未到", "miss"), 4),
        // Fevers found en route: passengers aboard under observation.
        num(l.pick("留观", "obs"), 4),
    ];
    if wide {
        cols.insert(2, col(l.pick("批次", "batch"), Constraint::Length(16)));
        cols.push(col("", Constraint::Length(12)));
    }
    draw_table(f, area, block, &cols, s.shown.len(), &s.list, |i| {
        let r = &rows[s.shown[i]];
        let t = &r.trip;
        let c = &r.counts;
        let due = c.expected;
        let (clock, late) = match t.status {
            TripStatus::Planned | TripStatus::Boarding => {
                countdown(&t.departure, app.now).unwrap_or_default()
            }
            TripStatus::Departed => (
                format!(
                    "{} {}",
                    l.pick("发", "dep"),
                    t.departed_at.as_deref().map(hhmm).unwrap_or("")
                ),
                false,
            ),
            TripStatus::Arrived => (
                format!(
                    "{} {}",
                    l.pick("到", "arr"),
                    t.arrived_at.as_deref().map(hhmm).unwrap_or("")
                ),
                false,
            ),
            TripStatus::Cancelled => (String::new(), false),
        };
        let clock_style = if late {
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        let missing_style = if c.missing > 0 && late {
            Style::default().fg(Color::Red)
        } else {
            Style::default()
        };
        let dest = format!("{} {}", t.city, r.employers.join("、"));
        let mut cells = vec![
            Span::raw(hhmm(&t.departure).to_string()),
            Span::raw(t.plate.clone()),
            Span::raw(dest),
            Span::styled(trip_status_label(t.status, zh), trip_status_style(t.status)),
            Span::styled(clock, clock_style),
            Span::raw(format!("{}/{}", c.boarded, due)),
            Span::styled(c.missing.to_string(), missing_style),
            Span::styled(
                c.observation.to_string(),
                if c.observation > 0 {
                    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
                } else {
                    Style::default()
                },
            ),
        ];
        if wide {
            cells.insert(2, Span::raw(t.batch_code.clone()));
            cells.push(Span::styled(
                bar(c.boarded as u64, due as u64, 12),
                Style::default().fg(Color::Green),
            ));
        }
        (cells, Style::default())
    });
}
