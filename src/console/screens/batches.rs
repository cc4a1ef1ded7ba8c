//! Batches: the chosen day's batches and buses with fill bars; the planner's proposal for the
//! day is reviewed here and applied after a confirmation.

use super::{col, draw_table, note, num, table_height, title};
use crate::console::action::{BoardRow, Load, Reply, Request};
use crate::console::app::{App, Effect, Env, ScreenState};
use crate::console::keymap::Cmd;
use crate::console::widgets::{bar, trip_status_label, trip_status_style, ListState};
use crate::i18n::Lang;
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Span;
use ratatui::widgets::Block;
use ratatui::Frame;

#[derive(Debug, Default)]
pub struct State {
    pub day: Option<NaiveDate>,
    /// The day's buses as planned so far.
    pub trips: Option<Vec<BoardRow>>,
    pub list: ListState,
}

/// Replies to writes made from this screen.
pub fn is_write_reply(_r: &Reply) -> bool {
    false
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        vec![Effect::Send(Request::Load(Load::Board { day: env.day }))]
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        let len = self.trips.as_ref().map_or(0, Vec::len);
        match cmd {
            Cmd::PrevDay => Some(vec![Effect::SetDay(env.day.pred_opt()?)]),
            Cmd::NextDay => Some(vec![Effect::SetDay(env.day.succ_opt()?)]),
            Cmd::Plan | Cmd::Apply => Some(vec![Effect::Error(
                env.lang
                    .pick(
                        "本版本尚无编排功能",
                        "planning is not available in this build",
                    )
                    .into(),
            )]),
            _ => self
                .list
                .apply(cmd, len, table_height(env.body))
                .then(Vec::new),
        }
    }

    fn reply(&mut self, r: &Reply, env: &Env<'_>) -> Vec<Effect> {
        if let Reply::Board { day, rows } = r {
            if *day == env.day {
                self.day = Some(*day);
                self.trips = Some(rows.clone());
                self.list.clamp(rows.len(), table_height(env.body));
            }
        }
        vec![]
    }
}

pub fn draw(f: &mut Frame<'_>, area: Rect, app: &App) {
    let s = &app.batches;
    let l = app.lang;
    let zh = l == Lang::Zh;
    let block = Block::bordered().title(title(&[
        format!("{} {}", l.pick("批次", "Batches"), app.day),
        s.trips
            .as_ref()
            .map(|t| format!("{} {}", t.len(), l.pick("辆", "buses")))
            .unwrap_or_default(),
    ]));
    let Some(trips) = &s.trips else {
        return note(f, area, block, l.pick("读取中…", "loading…"));
    };
    if trips.is_empty() {
        return note(
            f,
            area,
            block,
            l.pick("当日尚未编排", "nothing planned for this day yet"),
        );
    }
    let cols = [
        col(l.pick("批次", "batch"), Constraint::Length(16)),
        col(l.pick("车牌", "plate"), Constraint::Length(9)),
        col(l.pick("目的地", "destination"), Constraint::Fill(1)),
        num(l.pick("人数/容量", "pax/cap"), 9),
        col("", Constraint::Length(12)),
        col(
            l.pick("状态", "status"),
            Constraint::Length(if zh { 6 } else { 9 }),
        ),
    ];
    draw_table(f, area, block, &cols, trips.len(), &s.list, |i| {
        let r = &trips[i];
        let seated = r.counts.expected - r.counts.refused - r.counts.no_show;
        (
            vec![
                Span::raw(r.trip.batch_code.clone()),
                Span::raw(r.trip.plate.clone()),
                Span::raw(format!("{} {}", r.trip.city, r.employers.join("、"))),
                Span::raw(format!("{}/{}", seated, r.trip.capacity)),
                Span::styled(
                    bar(seated as u64, r.trip.capacity as u64, 12),
                    Style::default().fg(Color::Blue),
                ),
                Span::styled(
                    trip_status_label(r.trip.status, zh),
                    trip_status_style(r.trip.status),
                ),
            ],
            Style::default(),
        )
    });
}

/// `:plan DATE [county]`: run the planner for the day and show its proposal for review.
pub fn plan_effects(_day: NaiveDate, _county: Option<String>) -> Vec<Effect> {
    vec![Effect::Error(
        "planning is not available in this build".into(),
    )]
}
