//! The lines above the roster's list: the trip and its state, when it leaves or left and is
//! expected, who is aboard to call, the counts (which add up to the list), the employers.

use super::roster::State;
use super::roster_map::legend;
use crate::console::screen::Env;
use crate::console::widgets::{dim, employer_counts, fit, trip_status_label, trip_status_style};
use crate::i18n::Lang;
use crate::store::trips::PassengerRow;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// Segments laid out left to right, a new line started when the next does not fit `width`.
fn flow(segments: Vec<Span<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Vec<Span<'static>>> = vec![vec![]];
    let mut used = 0;
    for seg in segments.into_iter().filter(|s| !s.content.is_empty()) {
        let w = seg.content.width();
        if used > 0 && used + w > width {
            lines.push(vec![]);
            used = 0;
        }
        let seg = if used == 0 {
            Span::styled(seg.content.trim_start().to_string(), seg.style)
        } else {
            seg
        };
        used += seg.content.width();
        if let Some(last) = lines.last_mut() {
            last.push(seg);
        }
    }
    lines.into_iter().map(Line::from).collect()
}

/// The lines above the list. The attendant's name is never cut: when it does not fit beside
/// the times it leads the employers' line; at narrow widths the counts take two lines.
pub fn head_lines(
    s: &State,
    env: &Env<'_>,
    trip: &crate::store::trips::TripInfo,
    c: &crate::ops::departure::RosterCounts,
    time: String,
    width: u16,
    with_legend: bool,
) -> Vec<Line<'static>> {
    let l = env.lang;
    let zh = l == Lang::Zh;
    let width = width as usize;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let plate = format!("{} ", trip.plate);
    let status = trip_status_label(trip.status, zh);
    let rest = width.saturating_sub(plate.width() + status.width());
    let mut lines = vec![Line::from(vec![
        Span::styled(plate, bold),
        Span::styled(status, trip_status_style(trip.status)),
        Span::raw(fit(
            &format!(" · {} → {}{}", trip.code, trip.province, trip.city),
            rest,
        )),
    ])];
    // When it left (or leaves), when it is expected at the gate, who is aboard to call.
    let eta = s
        .eta
        .map(|e| {
            format!(
                " · {} {}",
                l.pick("预计到达", "expected"),
                crate::clock::screen(e, env.day)
            )
        })
        .unwrap_or_default();
    let crew = format!("{} {}", l.pick("随车", "attendant"), trip.attendant);
    let phone = format!(" {}", trip.attendant_phone);
    let crew_beside = time.width() + eta.width() + 3 + crew.width() + phone.width() <= width;
    let mut second = vec![Span::raw(time), Span::styled(eta, bold)];
    if crew_beside {
        second.push(Span::raw(format!(" · {crew}{phone}")));
    }
    lines.push(Line::from(second));
    let narrow = !with_legend;
    let gap = if narrow { " " } else { "  " };
    let seg = |label: &str, n: u32, style: Style| Span::styled(format!("{label} {n}{gap}"), style);
    let mut counts = vec![
        seg(l.pick("应到", "expected"), c.expected, Style::default()),
        seg(
            l.pick("已登车", "boarded"),
            c.boarded,
            Style::default().fg(Color::Green),
        ),
        seg(
            l.pick("拒载", "refused"),
            c.refused,
            Style::default().fg(Color::Red),
        ),
        seg(l.pick("未到", "no-show"), c.no_show, dim()),
    ];
    if c.recheck > 0 {
        counts.push(seg(
            l.pick("复测", "re-check"),
            c.recheck,
            Style::default()
                .fg(Color::Magenta)
                .add_modifier(Modifier::BOLD),
        ));
    }
    if c.observation > 0 {
        counts.push(seg(
            l.pick("留观", "observation"),
            c.observation,
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    counts.push(Span::styled(
        format!("{} {}", l.pick("待查验", "missing"), c.unchecked()),
        if c.unchecked() > 0 {
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        },
    ));
    counts.push(Span::styled(
        super::roster::round_note(s, env),
        Style::default().fg(Color::Yellow),
    ));
    lines.extend(flow(counts, width));
    let mut fourth = Vec::new();
    if !crew_beside {
        // The name whole; the phone when it fits too. On its own line when the head has room
        // (no legend, counts on one line), else ahead of the employers.
        let mut who = crew;
        let own_line = !with_legend && lines.len() <= 3;
        let room_left = if own_line {
            width
        } else {
            width.saturating_sub(16)
        };
        if who.width() + phone.width() <= room_left {
            who.push_str(&phone);
        }
        if own_line {
            lines.push(Line::from(who));
        } else {
            fourth.push(Span::raw(format!("{who} · ")));
        }
    }
    let label = format!("{} ", l.pick("企业", "employers"));
    let used: usize = fourth.iter().map(|s| s.content.width()).sum();
    let room = width.saturating_sub(used + label.width());
    fourth.push(Span::styled(label, dim()));
    fourth.push(Span::raw(employer_counts(
        &employers_of(&s.passengers),
        room,
    )));
    lines.push(Line::from(fourth));
    if with_legend {
        lines.push(legend(l, width));
    }
    lines
}

/// Employers on the roster with their passengers holding a seat, the largest first (the board
/// counts them the same way).
pub fn employers_of(passengers: &[PassengerRow]) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for p in passengers {
        let n = u32::from(p.status.holds_seat());
        match out.iter_mut().find(|(e, _)| *e == p.employer) {
            Some((_, count)) => *count += n,
            None => out.push((p.employer.clone(), n)),
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}
