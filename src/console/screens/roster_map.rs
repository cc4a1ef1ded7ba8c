//! The seat map drawn as the coach is: 2+2 rows, the aisle, a back row of five; observation
//! rows and spacing-blocked seats shown; and its legend.

use super::roster::State;
use crate::console::screen::Env;
use crate::console::widgets::dim;
use crate::i18n::Lang;
use crate::model::{Layout as Coach, SeatStatus, SeatUse};
use crate::store::trips::PassengerRow;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// What a seat looks like on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeatView {
    Empty,
    Spacing,
    Observation,
    OverCap,
    Planned,
    /// 复测: a fever reading at the door, the seat held until the re-check.
    Recheck,
    Boarded,
    Standby,
    Refused,
    NoShow,
}

pub fn seat_view(passengers: &[PassengerRow], number: u32, usage: SeatUse) -> SeatView {
    let mut on_seat = passengers.iter().filter(|p| p.seat == number);
    if let Some(p) = on_seat.clone().find(|p| p.status.holds_seat()) {
        return match p.status {
            SeatStatus::Boarded => SeatView::Boarded,
            SeatStatus::Recheck => SeatView::Recheck,
            _ if p.standby => SeatView::Standby,
            _ => SeatView::Planned,
        };
    }
    match on_seat.next_back().map(|p| p.status) {
        Some(SeatStatus::Refused) => SeatView::Refused,
        Some(SeatStatus::NoShow) => SeatView::NoShow,
        _ => match usage {
            SeatUse::Allowed => SeatView::Empty,
            SeatUse::Spacing => SeatView::Spacing,
            SeatUse::Observation => SeatView::Observation,
            SeatUse::OverCap => SeatView::OverCap,
        },
    }
}

fn seat_style(v: SeatView) -> Style {
    let bg = |c: Color| Style::default().bg(c).fg(Color::Black);
    match v {
        SeatView::Empty => Style::default().add_modifier(Modifier::UNDERLINED),
        SeatView::Spacing | SeatView::OverCap => dim(),
        SeatView::Observation => Style::default().fg(Color::Magenta),
        SeatView::Planned => bg(Color::Blue),
        SeatView::Recheck => bg(Color::Magenta),
        SeatView::Boarded => bg(Color::Green),
        SeatView::Standby => bg(Color::Yellow),
        SeatView::Refused => bg(Color::Red),
        SeatView::NoShow => bg(Color::DarkGray),
    }
}

fn seat_text(v: SeatView, number: u32) -> String {
    match v {
        SeatView::Spacing | SeatView::OverCap => " ·".into(),
        SeatView::Observation => " ○".into(),
        _ => format!("{number:>2}"),
    }
}

/// Column offset of a seat cell: 2+2 rows leave an aisle; the back row of five fills it.
fn seat_x(col: u32, back_row: bool) -> u16 {
    let c = col.saturating_sub(1) as u16;
    if back_row || c < 2 {
        c * 3
    } else {
        c * 3 + 3
    }
}

pub fn seat_map_lines(s: &State, env: &Env<'_>) -> Vec<Line<'static>> {
    let Some(trip) = &s.trip else { return vec![] };
    let coach = Coach::new(trip.rated_seats, env.policy);
    let mut lines = vec![Line::from(Span::styled(
        env.lang.pick("   前      门→", "   front  door→"),
        dim(),
    ))];
    for row in 1..=coach.rows {
        let seats: Vec<_> = coach.row_seats(row).collect();
        let back = seats.len() == 5;
        let mut spans = vec![Span::styled(format!("{row:>2} "), dim())];
        let mut x = 0u16;
        for seat in seats {
            let target = seat_x(seat.col, back);
            if target > x {
                spans.push(Span::raw(" ".repeat((target - x) as usize)));
                x = target;
            }
            let v = seat_view(&s.passengers, seat.number, seat.usage);
            spans.push(Span::styled(seat_text(v, seat.number), seat_style(v)));
            spans.push(Span::raw(" "));
            x += 3;
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// The map's legend, in `width` columns: items that do not fit are left out whole.
pub fn legend(lang: Lang, width: usize) -> Line<'static> {
    let item = |v: SeatView, word: &'static str| {
        // A coloured square for the seat states; the map's own marks for the others.
        let (mark, style) = match v {
            SeatView::Spacing | SeatView::Observation => (seat_text(v, 0), seat_style(v)),
            SeatView::Empty => (" □".to_string(), Style::default()),
            _ => (
                " ■".to_string(),
                Style::default().fg(seat_style(v).bg.unwrap_or(Color::Reset)),
            ),
        };
        vec![Span::styled(mark, style), Span::raw(format!(" {word} "))]
    };
    // A seat's state in the model's one word, the same as in the list beside the map.
    let state = |v: SeatView, s: SeatStatus| item(v, s.label(lang));
    let mut used = 0;
    let mut spans = Vec::new();
    for item in [
        state(SeatView::Boarded, SeatStatus::Boarded),
        state(SeatView::Planned, SeatStatus::Planned),
        state(SeatView::Recheck, SeatStatus::Recheck),
        item(SeatView::Standby, lang.pick("候补", "stand-by")),
        state(SeatView::Refused, SeatStatus::Refused),
        state(SeatView::NoShow, SeatStatus::NoShow),
        item(SeatView::Empty, lang.pick("空", "free")),
        item(SeatView::Spacing, lang.pick("隔位", "spacing")),
        item(SeatView::Observation, lang.pick("留观", "observation")),
    ] {
        let w: usize = item.iter().map(|s| s.content.width()).sum();
        if used + w > width {
            break;
        }
        used += w;
        spans.extend(item);
    }
    Line::from(spans)
}
