//! Drawing the Batches screen: the day's buses with their fill, or a proposal under review
//! beside the workers it could not place and why.

use super::batches::{panes, reason_label, Proposal, State};
use super::batches_review::REASONS;
use super::{col, draw_table, note, num, title_within};
use crate::console::keymap::{Cmd, Scope};
use crate::console::screen::{Env, View};
use crate::console::widgets::{
    bar, dim, employer_counts, fit, trip_status_label, trip_status_style,
};
use crate::i18n::Lang;
use crate::plan::UnplacedReason;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph, Widget};

impl Widget for View<'_, State> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        draw(buf, area, self.state, self.env);
    }
}

fn draw(buf: &mut Buffer, area: Rect, s: &State, env: &Env<'_>) {
    if let Some(p) = s.proposal.as_ref().filter(|p| p.day == env.day) {
        return draw_proposal(buf, area, s, env, p);
    }
    let l = env.lang;
    let zh = l == Lang::Zh;
    let selected_batch = s
        .trips
        .as_ref()
        .and_then(|t| t.get(s.list.selected))
        .map(|r| r.trip.batch_code.as_str());
    let block = Block::bordered()
        .title_bottom(super::changes::bottom_line(
            &s.changes,
            |c| selected_batch.is_some() && c.batch.as_deref() == selected_batch,
            l.pick("车次", "trip"),
            l,
        ))
        .title(title_within(
            area.width,
            &[
                format!("{} {}", l.pick("批次", "Batches"), env.day),
                s.trips
                    .as_ref()
                    .map(|t| format!("{} {}", t.len(), l.pick("辆", "buses")))
                    .unwrap_or_default(),
                if s.planning {
                    l.pick("编排中…", "planning…").into()
                } else {
                    format!(
                        "{} {}",
                        env.keymap.shown(Scope::Batches, Cmd::Plan),
                        l.pick("生成编排方案", "to plan the day")
                    )
                },
            ],
        ));
    let Some(trips) = &s.trips else {
        return note(buf, area, block, l.pick("读取中…", "loading…"));
    };
    if trips.is_empty() {
        let p = env.keymap.shown(Scope::Batches, Cmd::Plan);
        let text = match l {
            Lang::Zh => format!("当日尚未编排：按 {p} 生成方案"),
            Lang::En => format!("nothing planned for this day: press {p}"),
        };
        return note(buf, area, block, &text);
    }
    let cols = [
        col(l.pick("车次", "trip"), Constraint::Length(18)),
        col(l.pick("车牌", "plate"), Constraint::Length(9)),
        col(l.pick("目的地", "destination"), Constraint::Fill(1)),
        num(l.pick("人数/容量", "pax/cap"), 9),
        col("", Constraint::Length(12)),
        col(
            l.pick("状态", "status"),
            Constraint::Length(if zh { 6 } else { 9 }),
        ),
    ];
    draw_table(buf, area, block, &cols, trips.len(), &s.list, |i| {
        let r = &trips[i];
        let seated = r.counts.expected;
        let flagged = super::changes::flagged(&s.changes, |c| {
            c.batch.as_deref() == Some(r.trip.batch_code.as_str())
        });
        (
            vec![
                Span::raw(r.trip.code.clone()),
                Span::raw(r.trip.plate.clone()),
                {
                    let text = format!(
                        "{} {}",
                        r.trip.city,
                        employer_counts(&r.employers, usize::MAX)
                    );
                    if flagged {
                        Span::styled(format!("⚠ {text}"), Style::default().fg(Color::Yellow))
                    } else {
                        Span::raw(text)
                    }
                },
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

fn draw_proposal(buf: &mut Buffer, area: Rect, s: &State, env: &Env<'_>, p: &Proposal) {
    let l = env.lang;
    let r = &p.review;
    let [buses_area, unplaced_area] = panes(area);
    let [table_area, detail_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(buses_area);
    let focus = |on: bool| {
        if on {
            Style::default().fg(Color::Cyan)
        } else {
            Style::default()
        }
    };
    let block = Block::bordered()
        .border_style(focus(!s.on_unplaced))
        .title(title_within(
            table_area.width,
            &[
                format!("{} {}", l.pick("编排方案", "Proposal"), p.day),
                p.county.clone().unwrap_or_default(),
                format!("{} {}", r.placed, l.pick("人", "people")),
                match l {
                    Lang::Zh => format!("新增 {} 辆（至少需 {} 辆）", r.new_buses, r.lower_bound),
                    Lang::En => format!(
                        "{} new buses (at least {} needed)",
                        r.new_buses, r.lower_bound
                    ),
                },
                format!(
                    "{} {} · {} {}",
                    env.keymap.shown(Scope::Batches, Cmd::Apply),
                    l.pick("确认", "apply"),
                    env.keymap.shown(Scope::Batches, Cmd::Back),
                    l.pick("放弃", "drop")
                ),
            ],
        ));
    if r.buses.is_empty() {
        note(
            buf,
            table_area,
            block,
            l.pick("没有可安排的车辆或工人", "no bus or worker to place"),
        );
    } else {
        let cols = [
            col(l.pick("车次", "trip"), Constraint::Length(18)),
            col(l.pick("车牌", "plate"), Constraint::Length(9)),
            col(l.pick("目的地", "destination"), Constraint::Fill(1)),
            num(l.pick("人数/容量", "pax/cap"), 9),
            col("", Constraint::Length(10)),
            col("", Constraint::Length(2)),
        ];
        draw_table(buf, table_area, block, &cols, r.buses.len(), &s.list, |i| {
            let bus = &r.buses[i];
            let warn = if bus.warnings.is_empty() { "" } else { "⚠" };
            (
                vec![
                    Span::raw(bus.trip_code.clone()),
                    Span::raw(bus.plate.clone()),
                    Span::raw(format!("{} {}", bus.city, bus.employers.join("、"))),
                    Span::raw(format!("{}/{}", bus.load, bus.capacity)),
                    Span::styled(
                        bar(bus.load as u64, bus.capacity as u64, 10),
                        Style::default().fg(Color::Blue),
                    ),
                    Span::styled(warn, Style::default().fg(Color::Yellow)),
                ],
                if bus.existing {
                    dim()
                } else {
                    Style::default()
                },
            )
        });
    }
    // The selected bus in full: its employers and what the planner warns about.
    let detail = r
        .buses
        .get(s.list.selected)
        .map(|b| {
            let mut t = format!(" {} {}", b.plate, b.employers.join("、"));
            for w in &b.warnings {
                t.push_str(&format!(" · ⚠ {w}"));
            }
            t
        })
        .or_else(|| r.warnings.first().map(|w| format!(" ⚠ {w}")))
        .unwrap_or_default();
    Paragraph::new(Span::styled(
        fit(&detail, detail_area.width as usize),
        dim(),
    ))
    .render(detail_area, buf);
    let shown = if r.unplaced.len() < r.unplaced_total() {
        format!("{} {}", l.pick("列出", "listing"), r.unplaced.len())
    } else {
        String::new()
    };
    let ub = Block::bordered()
        .border_style(focus(s.on_unplaced))
        .title(title_within(
            unplaced_area.width,
            &[
                format!("{} {}", l.pick("未安排", "Unplaced"), r.unplaced_total()),
                REASONS
                    .iter()
                    .zip(r.unplaced_counts)
                    .filter(|(_, n)| *n > 0)
                    .map(|(reason, n)| format!("{} {n}", reason_label(*reason, l)))
                    .collect::<Vec<_>>()
                    .join(" · "),
                shown,
                format!(
                    "{} {}",
                    env.keymap.shown(Scope::Batches, Cmd::Focus),
                    l.pick("切换", "switch")
                ),
            ],
        ));
    if r.unplaced.is_empty() {
        return note(
            buf,
            unplaced_area,
            ub,
            l.pick("全部安排", "everyone placed"),
        );
    }
    let cols = [
        col(l.pick("姓名", "name"), Constraint::Length(8)),
        col(l.pick("区县", "county"), Constraint::Length(6)),
        col(l.pick("原因", "reason"), Constraint::Fill(1)),
    ];
    draw_table(
        buf,
        unplaced_area,
        ub,
        &cols,
        r.unplaced.len(),
        &s.unplaced_list,
        |i| {
            let u = &r.unplaced[i];
            let style = if u.reason == UnplacedReason::NoBus {
                Style::default().fg(Color::Red)
            } else {
                Style::default()
            };
            (
                vec![
                    Span::raw(u.name.clone()),
                    Span::raw(u.county.clone()),
                    Span::styled(reason_label(u.reason, l), style),
                ],
                Style::default(),
            )
        },
    );
}
