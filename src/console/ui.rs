//! The frame around the screens: the tab line, the status bar (database, operator, day, counts,
//! transient messages), the footer of keys built from the keymap, the input line, dialogs,
//! and a one-line notice when the window is too small to draw anything useful.

use super::app::{App, Prompt, Screen};
use super::keymap::{Cmd, Key, Scope};
use super::popup::{self, skip_columns, Popup};
use super::screen::{Env, View};
use super::widgets::{fit, thousands};
use crate::i18n::Lang;
use crate::model::{SeatStatus, TripStatus};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Below this the screens are not drawn (nothing would be readable), only a notice.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

fn rows(size: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(size)
}

/// The screen's own area inside the frame (also used by `update` to size lists).
pub fn body(size: Rect) -> Rect {
    rows(size)[1]
}

/// On the roster the footer offers what applies now, in this order: the keys for the selected
/// passenger, then the trip's own (depart; on the road round, stop, arrive), then the
/// officer's reshaping keys. `None`: not offered now (the help lists them all).
fn roster_rank(cmd: Cmd, app: &App) -> Option<u8> {
    let Some(trip) = app.roster.trip.as_ref() else {
        return Some(2);
    };
    let row = app.roster.selected().map(|p| p.status);
    let is = |want: &[SeatStatus]| row.is_some_and(|s| want.contains(&s));
    let when = |on: bool, rank: u8| on.then_some(rank);
    use SeatStatus::{Boarded, NoShow, Planned, Recheck, Refused};
    match trip.status {
        TripStatus::Planned | TripStatus::Boarding => match cmd {
            Cmd::CheckIn => when(is(&[Planned, Recheck, NoShow]), 0),
            Cmd::Refuse => when(is(&[Planned, Recheck]), 0),
            Cmd::NoShow => when(is(&[Planned]), 0),
            Cmd::Undo => when(is(&[Boarded, Refused, NoShow]), 0),
            Cmd::Standby => Some(if is(&[Refused, NoShow]) { 0 } else { 2 }),
            Cmd::Depart => Some(1),
            Cmd::Move | Cmd::Swap | Cmd::CancelTrip => Some(3),
            _ => None,
        },
        TripStatus::Departed => match cmd {
            Cmd::Round | Cmd::Stop | Cmd::Arrive => Some(1),
            Cmd::Observe => {
                let under = app
                    .roster
                    .selected()
                    .is_some_and(|p| p.observation_at.is_some());
                when(is(&[Boarded]) && !under, 1)
            }
            // A breakdown on the road: another coach.
            Cmd::Swap => Some(3),
            _ => None,
        },
        TripStatus::Arrived | TripStatus::Cancelled => None,
    }
}

/// On the Batches screen a proposal under review puts its apply key first (and only then is
/// it offered), then planning again, the days, the coach keys.
fn batches_rank(cmd: Cmd, app: &App) -> Option<u8> {
    let reviewing = app.batches.proposal.is_some();
    match cmd {
        Cmd::Apply => reviewing.then_some(0),
        Cmd::Plan => Some(1),
        Cmd::PrevDay | Cmd::NextDay => Some(2),
        _ => Some(3),
    }
}

/// Below this width the footer keeps only `?` of the global keys for sure: the screen's keys
/// for the moment come first, the others follow if there is room.
const NARROW_FOOTER: u16 = 60;

pub fn draw(f: &mut Frame<'_>, app: &App) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = app.lang.pick("窗口太小", "window too small");
        let line = Rect::new(
            area.x,
            area.y + area.height / 2,
            area.width,
            area.height.min(1),
        );
        f.render_widget(
            Paragraph::new(fit(text, area.width as usize)).centered(),
            line,
        );
        return;
    }
    let [tabs, body, status, footer] = rows(area);
    draw_tabs(f, tabs, app);
    // Each screen is a widget over its own state and what every screen may read, nothing else.
    let env = app.env();
    let env = &env;
    match app.screen {
        Screen::Destinations => draw_view(f, &app.destinations, env, body),
        Screen::Workers => draw_view(f, &app.workers, env, body),
        Screen::Batches => draw_view(f, &app.batches, env, body),
        Screen::Board => draw_view(f, &app.board, env, body),
        Screen::Roster => draw_view(f, &app.roster, env, body),
        Screen::Stats => draw_view(f, &app.stats, env, body),
    }
    draw_status(f, status, app);
    match &app.prompt {
        Some(p) => draw_prompt(f, footer, p),
        None => draw_footer(f, footer, app),
    }
    match &app.popup {
        Some(Popup::Help { scroll }) => super::help::draw(f, body, *scroll, app),
        Some(p) => {
            let look = popup::Look {
                lang: app.lang,
                keymap: &app.keymap,
            };
            popup::draw(f, body, p, &look)
        }
        None => {}
    }
}

/// A screen drawn as the widget over its own state.
fn draw_view<'a, S>(f: &mut Frame<'_>, state: &'a S, env: &'a Env<'a>, area: Rect)
where
    View<'a, S>: ratatui::widgets::Widget,
{
    f.render_widget(View { state, env }, area);
}

fn draw_tabs(f: &mut Frame<'_>, area: Rect, app: &App) {
    let l = app.lang;
    let mut spans = vec![Span::styled(
        " 直通车 ",
        Style::default().fg(Color::Black).bg(Color::Yellow),
    )];
    if let Some(which) = &app.attendant {
        // The plate the attendant knows, and the trip it is.
        // The trip code only when it fits beside the clock (the roster's head shows it too).
        let room = (area.width as usize).saturating_sub(8 + 7 + 6);
        let shown = match (&app.roster.plate, &app.roster.trip) {
            (Some(plate), Some(t)) if plate.width() + 1 + t.code.width() <= room => {
                format!("{plate} {}", t.code)
            }
            (Some(plate), _) => plate.clone(),
            _ => which.to_string(),
        };
        spans.push(Span::styled(
            format!(" {} {shown} ", l.pick("随车", "attendant")),
            Style::default().add_modifier(Modifier::BOLD),
        ));
    } else {
        // On a narrow terminal the other screens show only their numbers.
        let full: usize = Screen::ALL
            .iter()
            .map(|s| s.title(l).width() + 4)
            .sum::<usize>()
            + 8;
        let short = full > area.width as usize;
        for (i, s) in Screen::ALL.iter().enumerate() {
            let text = if short && *s != app.screen {
                format!(" {} ", i + 1)
            } else {
                format!(" {} {} ", i + 1, s.title(l))
            };
            let style = if *s == app.screen {
                Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
            } else {
                Style::default()
            };
            spans.push(Span::styled(text, style));
        }
    }
    let clock = app.now.format(" %H:%M ").to_string();
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let gap = (area.width as usize).saturating_sub(used + clock.width());
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(clock, Style::default().fg(Color::DarkGray)));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(f: &mut Frame<'_>, area: Rect, app: &App) {
    let l = app.lang;
    let bar = Style::default().bg(Color::Blue).fg(Color::White);
    let mut left = format!(" {} │ {} │ {}", app.db_name, app.operator, app.day);
    if app.day != app.today {
        left.push_str(l.pick("（非当日）", " (not today)"));
    }
    if app.readonly {
        left.push_str(l.pick(" │ 只读", " │ read-only"));
    }
    let counts = app.counts.as_ref().map(|c| match l {
        Lang::Zh => format!(
            " │ 台账 {} · 已排 {} · 当日 {} 车",
            thousands(c.workers),
            thousands(c.planned),
            c.trips_today
        ),
        Lang::En => format!(
            " │ {} workers · {} planned · {} buses",
            thousands(c.workers),
            thousands(c.planned),
            c.trips_today
        ),
    });
    // Work under way: this console's long job, or a write waiting for another terminal's.
    let busy = app.job.clone().or_else(|| {
        app.waiting_for_database().map(|s| match l {
            Lang::Zh => format!("等待数据库… {s} 秒（另一终端正在写入）"),
            Lang::En => format!("waiting for the database… {s} s (another terminal is writing)"),
        })
    });
    // A message wins over the counts when both do not fit.
    let flash_w = app.flash.as_ref().map_or(0, |f| f.text.width() + 3)
        + busy.as_ref().map_or(0, |b| b.width() + 3);
    if let Some(c) = counts.filter(|c| left.width() + c.width() + flash_w <= area.width as usize) {
        left.push_str(&c);
    }
    // On a phone a message takes the whole bar while it shows.
    if app.flash.is_some() && area.width < NARROW_FOOTER {
        left.clear();
    }
    let mut spans = vec![Span::styled(left, bar)];
    if let Some(b) = busy {
        spans.push(Span::styled(" ", bar));
        spans.push(Span::styled(
            format!(" {b} "),
            Style::default().bg(Color::Yellow).fg(Color::Black),
        ));
    }
    if let Some(flash) = &app.flash {
        let style = if flash.error {
            Style::default()
                .bg(Color::Red)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().bg(Color::Green).fg(Color::Black)
        };
        // A message longer than the room left is cut with the key of the message log, where
        // it is whole.
        let used: usize = spans.iter().map(|s| s.content.width()).sum::<usize>() + 3;
        let room = (area.width as usize).saturating_sub(used);
        let text = if flash.text.width() > room {
            let key = app.keymap.shown(Scope::Global, Cmd::Messages);
            let more = match l {
                Lang::Zh => format!(" ⟶ {key} 看全文"),
                Lang::En => format!(" ⟶ {key} for all"),
            };
            format!(
                "{}{more}",
                fit(&flash.text, room.saturating_sub(more.width()))
            )
        } else {
            flash.text.clone()
        };
        spans.push(Span::styled(" ", bar));
        spans.push(Span::styled(format!(" {text} "), style));
    }
    let line = fit_spans(spans, area.width as usize, bar);
    f.render_widget(Paragraph::new(line).style(bar), area);
}

/// Cuts a line of spans to `width` columns; the last span is cut first so a message shows
/// as much as fits.
fn fit_spans(spans: Vec<Span<'static>>, width: usize, fill: Style) -> Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = s.content.width();
        if used + w <= width {
            used += w;
            out.push(s);
        } else {
            let rest = width.saturating_sub(used);
            if rest > 0 {
                out.push(Span::styled(fit(&s.content, rest), s.style));
            }
            used = width;
            break;
        }
    }
    out.push(Span::styled(" ".repeat(width.saturating_sub(used)), fill));
    Line::from(out)
}

/// The footer's hints: the screen's keys first, but the global ones (`?` help above all)
/// always keep their place at the end — when space runs out, screen hints are dropped. On a
/// narrow terminal only `?` is kept for sure, and the other global keys follow if they fit.
fn draw_footer(f: &mut Frame<'_>, area: Rect, app: &App) {
    let l = app.lang;
    let narrow = area.width < NARROW_FOOTER;
    // Narrow: the key against its word (`t测温`), one space between hints.
    let hint = |k: &Key, cmd: Cmd| {
        let label = if narrow && l == Lang::Zh {
            cmd.label(l).to_string()
        } else if narrow {
            format!(" {}", cmd.label(l))
        } else {
            format!(" {} ", cmd.label(l))
        };
        vec![
            Span::styled(format!(" {k}"), Style::default().fg(Color::Yellow)),
            Span::raw(label),
        ]
    };
    let hints = |scope: Scope| -> Vec<(Cmd, Vec<Span<'static>>)> {
        let mut shown: Vec<(u8, Cmd, Vec<Span<'static>>)> = app
            .keymap
            .bindings(scope)
            .iter()
            .filter(|b| b.footer)
            .filter(|b| app.attendant.is_none() || !b.cmd.switches_screen())
            .filter_map(|b| {
                let rank = match scope {
                    Scope::Roster => roster_rank(b.cmd, app)?,
                    Scope::Batches => batches_rank(b.cmd, app)?,
                    _ => 0,
                };
                Some((rank, b.cmd, hint(b.keys.first()?, b.cmd)))
            })
            .collect();
        shown.sort_by_key(|(rank, _, _)| *rank);
        shown.into_iter().map(|(_, c, h)| (c, h)).collect()
    };
    let width = |h: &[Span<'_>]| h.iter().map(|s| s.content.width()).sum::<usize>();
    let (kept, spare): (Vec<_>, Vec<_>) = hints(Scope::Global)
        .into_iter()
        .partition(|(c, _)| !narrow || *c == Cmd::Help);
    let mut room = (area.width as usize).saturating_sub(kept.iter().map(|(_, h)| width(h)).sum());
    let mut spans = Vec::new();
    for (_, h) in hints(app.scope()) {
        let w = width(&h);
        if w > room {
            break;
        }
        room -= w;
        spans.extend(h);
    }
    for (_, h) in spare {
        let w = width(&h);
        if w <= room {
            room -= w;
            spans.extend(h);
        }
    }
    spans.extend(kept.into_iter().flat_map(|(_, h)| h));
    let line = fit_spans(spans, area.width as usize, Style::default());
    f.render_widget(Paragraph::new(line), area);
}

fn draw_prompt(f: &mut Frame<'_>, area: Rect, p: &Prompt) {
    let (sign, input) = match p {
        Prompt::Filter(i) => ("/", i),
        Prompt::Command(i) => (":", i),
    };
    let width = (area.width as usize).saturating_sub(2);
    let scroll = input.visual_scroll(width);
    let shown = skip_columns(input.value(), scroll);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(sign, Style::default().fg(Color::Yellow)),
            Span::raw(fit(&shown, width)),
        ])),
        area,
    );
    let x = area.x + 1 + (input.visual_cursor().saturating_sub(scroll)).min(width) as u16;
    f.set_cursor_position((x, area.y));
}
