//! Statistics: the chosen day's people by destination province, home county and employer as
//! bar charts, every day's totals, and the daily bulletin sentence.

use super::note;
use crate::console::action::{Load, Reply, Request};
use crate::console::app::{App, Effect, Env, ScreenState};
use crate::console::keymap::Cmd;
use crate::console::widgets::{bar, dim, fit, pad, rpad};
use crate::i18n::Lang;
use crate::store::views::{self, DayFigures, StatGroup};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug, Default)]
pub struct State {
    pub day: Option<NaiveDate>,
    pub figures: Option<Box<DayFigures>>,
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        vec![Effect::Send(Request::Load(Load::Stats { day: env.day }))]
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        match cmd {
            Cmd::PrevDay => Some(vec![Effect::SetDay(env.day.pred_opt()?)]),
            Cmd::NextDay => Some(vec![Effect::SetDay(env.day.succ_opt()?)]),
            _ => None,
        }
    }

    fn reply(&mut self, r: &Reply, env: &Env<'_>) -> Vec<Effect> {
        if let Reply::Stats { day, figures } = r {
            if *day == env.day {
                self.day = Some(*day);
                self.figures = Some(figures.clone());
            }
        }
        vec![]
    }
}

/// Lines of `label ████   12`, the value being people sent (or seats given before departure).
fn bars(groups: &[(String, u64)], width: usize, height: usize) -> Vec<Line<'static>> {
    let max = groups.iter().map(|g| g.1).max().unwrap_or(0);
    let label_w = groups
        .iter()
        .map(|g| unicode_width::UnicodeWidthStr::width(g.0.as_str()))
        .max()
        .unwrap_or(0)
        .clamp(4, 14);
    let bar_w = width.saturating_sub(label_w + 8);
    groups
        .iter()
        .take(height)
        .map(|(label, v)| {
            Line::from(vec![
                Span::raw(pad(label, label_w)),
                Span::raw(" "),
                Span::styled(bar(*v, max, bar_w), Style::default().fg(Color::Green)),
                Span::raw(rpad(&v.to_string(), 6)),
            ])
        })
        .collect()
}

fn pane(f: &mut Frame<'_>, area: Rect, name: &str, groups: Vec<(String, u64)>, lang: Lang) {
    let inner_h = area.height.saturating_sub(2) as usize;
    let count = if groups.len() > inner_h {
        format!(" {}/{}", inner_h, groups.len())
    } else {
        String::new()
    };
    let block = Block::bordered().title(format!(" {name}{count} "));
    if groups.is_empty() {
        return note(f, area, block, lang.pick("无", "none"));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    f.render_widget(
        Paragraph::new(bars(&groups, inner.width as usize, inner_h)),
        inner,
    );
}

pub fn draw(f: &mut Frame<'_>, area: Rect, app: &App) {
    let l = app.lang;
    let zh = l == Lang::Zh;
    let block = Block::bordered().title(format!(" {} {} ", l.pick("统计", "Statistics"), app.day));
    let Some(fig) = &app.stats.figures else {
        return note(f, area, block, l.pick("统计中…", "counting…"));
    };
    let [head, grid] = Layout::vertical([Constraint::Length(5), Constraint::Min(0)]).areas(area);
    let t = &fig.total;
    let sent_any = t.sent > 0;
    let inner = block.inner(head);
    f.render_widget(block, head);
    let summary = format!(
        "{} {} · {} {} · {} {} · {} {} · {} {}",
        l.pick("批次", "batches"),
        t.batches,
        l.pick("车辆", "buses"),
        t.buses,
        l.pick("座位", "seats"),
        t.seats,
        l.pick("已输送", "sent"),
        t.sent,
        l.pick("自行返岗", "other means"),
        t.other_means
    );
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(
                views::bulletin(fig, zh),
                Style::default().add_modifier(Modifier::BOLD),
            )),
            Line::from(Span::styled(fit(&summary, inner.width as usize), dim())),
        ])
        .wrap(Wrap { trim: true }),
        inner,
    );
    let value = |g: &StatGroup| if sent_any { g.sent } else { g.seats };
    let groups = |gs: &[StatGroup]| {
        gs.iter()
            .map(|g| (g.key.clone(), value(g)))
            .collect::<Vec<_>>()
    };
    let what = if sent_any {
        l.pick("已输送", "sent")
    } else {
        l.pick("座位", "seats")
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(grid);
    let [a, b] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    let [c, d] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(bottom);
    pane(
        f,
        a,
        &format!("{} · {what}", l.pick("按目的省份", "by province")),
        groups(&fig.by_province),
        l,
    );
    pane(
        f,
        b,
        &format!("{} · {what}", l.pick("按区县", "by county")),
        groups(&fig.by_county),
        l,
    );
    pane(
        f,
        c,
        &format!("{} · {what}", l.pick("按企业", "by employer")),
        groups(&fig.by_employer),
        l,
    );
    let days: Vec<(String, u64)> = fig
        .by_day
        .iter()
        .rev()
        .map(|d| {
            (
                d.date
                    .map(|d| d.format("%m-%d").to_string())
                    .unwrap_or_default(),
                d.sent.max(d.seats),
            )
        })
        .collect();
    pane(f, d, l.pick("按日 · 人数", "by day · people"), days, l);
}
