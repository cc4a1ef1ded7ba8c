//! Statistics: the chosen day's people by destination province, home county and employer as
//! bar charts, every day's totals, and the daily bulletin sentence.

use super::note;
use crate::console::action::{Load, Reply, Request};
use crate::console::keymap::Cmd;
use crate::console::screen::{Effect, Env, ScreenState, View};
use crate::console::widgets::{bar, dim, fit, pad, rpad};
use crate::i18n::Lang;
use crate::ops::stats::{Figures, Group, Scope};
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

#[derive(Debug, Default)]
pub struct State {
    pub day: Option<NaiveDate>,
    pub figures: Option<Box<Figures>>,
    pub bulletin: String,
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        vec![Effect::Send(Request::Load(Load::Stats {
            day: env.day,
            now: env.now,
        }))]
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        match cmd {
            Cmd::PrevDay => Some(vec![Effect::SetDay(env.day.pred_opt()?)]),
            Cmd::NextDay => Some(vec![Effect::SetDay(env.day.succ_opt()?)]),
            _ => None,
        }
    }

    fn reply(&mut self, r: &Reply, env: &Env<'_>) -> Vec<Effect> {
        if let Reply::Stats {
            day,
            figures,
            bulletin,
        } = r
        {
            if *day == env.day {
                self.day = Some(*day);
                self.figures = Some(figures.clone());
                self.bulletin = bulletin.clone();
            }
        }
        vec![]
    }
}

/// Lines of `label ████   12`.
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

fn pane(buf: &mut Buffer, area: Rect, name: &str, groups: Vec<(String, u64)>, lang: Lang) {
    let inner_h = area.height.saturating_sub(2) as usize;
    let count = if groups.len() > inner_h {
        format!(" {}/{}", inner_h, groups.len())
    } else {
        String::new()
    };
    let block = Block::bordered().title(format!(" {name}{count} "));
    if groups.is_empty() {
        return note(buf, area, block, lang.pick("无", "none"));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    Paragraph::new(bars(&groups, inner.width as usize, inner_h)).render(inner, buf);
}

impl Widget for View<'_, State> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        draw(buf, area, self.state, self.env);
    }
}

fn draw(buf: &mut Buffer, area: Rect, s: &State, env: &Env<'_>) {
    let l = env.lang;
    let block = Block::bordered().title(format!(" {} {} ", l.pick("统计", "Statistics"), env.day));
    let Some(fig) = &s.figures else {
        return note(buf, area, block, l.pick("统计中…", "counting…"));
    };
    // The bulletin wraps: give it the lines it needs (up to four) above the two summaries.
    let inner_w = area.width.saturating_sub(2).max(1) as usize;
    let bulletin_lines = unicode_width::UnicodeWidthStr::width(s.bulletin.as_str())
        .div_ceil(inner_w)
        .clamp(1, 4) as u16;
    let [head, grid] =
        Layout::vertical([Constraint::Length(bulletin_lines + 4), Constraint::Min(0)]).areas(area);
    let inner = block.inner(head);
    block.render(head, buf);
    let (d, c) = (&fig.day, &fig.cumulative);
    let line = |name: &str, x: &Scope| {
        format!(
            "{name}  {} {} · {} {} · {} {} · {} {} · {} {}",
            l.pick("批次", "batches"),
            x.batches,
            l.pick("车辆", "buses"),
            x.buses,
            l.pick("输送", "people"),
            x.people,
            l.pick("已到达", "arrived"),
            x.arrived_people,
            l.pick("自行返岗", "other means"),
            x.other_means
        )
    };
    let since = fig
        .first_departure
        .map(|d| format!("{} {d}", l.pick("累计自", "since")))
        .unwrap_or_else(|| l.pick("累计", "in all").to_string());
    let w = inner.width as usize;
    Paragraph::new(vec![
        Line::from(Span::styled(
            s.bulletin.clone(),
            Style::default().add_modifier(Modifier::BOLD),
        )),
        Line::from(Span::styled(fit(&line(l.pick("当日", "day"), d), w), dim())),
        Line::from(Span::styled(fit(&line(&since, c), w), dim())),
    ])
    .wrap(Wrap { trim: true })
    .render(inner, buf);
    let groups = |gs: &[Group]| {
        gs.iter()
            .map(|g| (g.name.clone(), u64::from(g.people)))
            .collect::<Vec<_>>()
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(grid);
    let [a, b] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    let [e, days] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(bottom);
    pane(
        buf,
        a,
        l.pick("当日 · 按目的省份", "day · by province"),
        groups(&d.by_province),
        l,
    );
    pane(
        buf,
        b,
        l.pick("当日 · 按区县", "day · by county"),
        groups(&d.by_county),
        l,
    );
    pane(
        buf,
        e,
        l.pick("当日 · 按企业", "day · by employer"),
        groups(&d.by_employer),
        l,
    );
    let by_day: Vec<(String, u64)> = fig
        .by_day
        .iter()
        .rev()
        .map(|r| (r.date.format("%m-%d").to_string(), u64::from(r.people)))
        .collect();
    pane(
        buf,
        days,
        l.pick("按日 · 输送人数", "by day · people"),
        by_day,
        l,
    );
}
