//! The departure board's table of trips: which columns fit the width (the least useful give way
//! first, never the flags or the expected arrival), and what each visible row shows — the clock,
//! the expected arrival, 超时未到 in its own colour and 未通知 beside it.

use super::board::countdown;
use super::{col, draw_table, num, table_height};
use crate::clock;
use crate::console::action::BoardRow;
use crate::console::screen::Env;
use crate::console::widgets::{
    bar, employer_counts, trip_status_label, trip_status_style, ListState,
};
use crate::i18n::Lang;
use crate::model::arrival::is_overdue;
use crate::model::{NoticeMark, Policy, TripStatus};
use chrono::{NaiveDateTime, TimeZone};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Block;
use unicode_width::UnicodeWidthStr;

fn hhmm(t: &str) -> &str {
    t.get(11..16).unwrap_or(t)
}

/// The moment shown in the clock column: countdown before leaving, else when it left or arrived
/// (`06:42` on the day shown, `02-21 06:42` on another).
fn clock_cell(t: &crate::store::trips::TripInfo, env: &Env<'_>) -> (String, bool) {
    let l = env.lang;
    let stamp = |what: &str, at: &Option<String>| {
        let at = at.as_deref().map(|a| clock::screen_text(a, env.day));
        format!("{what} {}", at.unwrap_or_default())
    };
    match t.status {
        TripStatus::Planned | TripStatus::Boarding => {
            countdown(&t.departure, env.now, l).unwrap_or_default()
        }
        TripStatus::Departed => (stamp(l.pick("发", "dep"), &t.departed_at), false),
        TripStatus::Arrived => (stamp(l.pick("到", "arr"), &t.arrived_at), false),
        TripStatus::Cancelled => (String::new(), false),
    }
}

/// What the board flags on a row: overdue on the road (its own colour, in the status column)
/// and a destination not told before departure. Computed from the row and the clock, by the
/// model's rules.
pub fn row_flags(r: &BoardRow, now: NaiveDateTime, policy: &Policy) -> (bool, Option<NoticeMark>) {
    let overdue = r.eta.is_some_and(|eta| {
        eta.offset()
            .from_local_datetime(&now)
            .earliest()
            .is_some_and(|now| is_overdue(r.trip.status, Some(eta), now, policy))
    });
    let departed = r.trip.departed_at.as_deref().and_then(clock::parse_stored);
    (overdue, NoticeMark::of(r.trip.status, r.notified, departed))
}

fn notice_cell(mark: Option<NoticeMark>, l: Lang) -> Span<'static> {
    match mark {
        Some(NoticeMark::Missing) => Span::styled(
            l.pick("未通知", "unsent"),
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        ),
        Some(NoticeMark::Late) => {
            Span::styled(l.pick("迟通知", "late"), Style::default().fg(Color::Yellow))
        }
        _ => Span::raw(""),
    }
}

/// What a visible row shows beyond its fields: the clock, the expected arrival, the status word
/// and the flags.
struct Shown {
    clock: (String, bool),
    eta: String,
    status: &'static str,
    overdue: bool,
    notice: Option<NoticeMark>,
}

impl Shown {
    fn of(r: &BoardRow, env: &Env<'_>) -> Shown {
        let (overdue, notice) = row_flags(r, env.now, env.policy);
        Shown {
            clock: clock_cell(&r.trip, env),
            eta: r.eta.map(|e| clock::screen(e, env.day)).unwrap_or_default(),
            status: if overdue {
                env.lang.pick("超时未到", "overdue")
            } else {
                trip_status_label(r.trip.status, env.lang == Lang::Zh)
            },
            overdue,
            notice,
        }
    }
}

/// The destination column keeps at least this many columns (a wide board more); below it,
/// the least useful columns go first: the fill bar, the long in/due header, the missing count
/// (in/due tells it), the trip code, then the clock. The flags and the expected arrival
/// always stay.
fn min_dest(inner: u16) -> u16 {
    if inner >= 100 {
        24
    } else {
        12
    }
}

/// Which optional columns fit beside the others at this width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fit {
    bar: bool,
    miss: bool,
    long_due: bool,
    code: bool,
    clock: bool,
}

impl Fit {
    /// `fixed` is the width of the columns that always stay, gaps included.
    fn choose(inner: u16, fixed: u16, wide: bool, clock_width: u16) -> Fit {
        let mut fit = Fit {
            bar: wide,
            miss: true,
            long_due: true,
            code: wide,
            clock: true,
        };
        let used = |f: &Fit| {
            fixed
                + if f.bar { 13 } else { 0 }
                + if f.miss { 5 } else { 0 }
                + if f.long_due { 4 } else { 0 }
                + if f.code { 19 } else { 0 }
                + if f.clock { clock_width + 1 } else { 0 }
        };
        let drops: [fn(&mut Fit); 5] = [
            |f| f.bar = false,
            |f| f.long_due = false,
            |f| f.miss = false,
            |f| f.code = false,
            |f| f.clock = false,
        ];
        for drop in drops {
            if inner.saturating_sub(used(&fit)) >= min_dest(inner) {
                break;
            }
            drop(&mut fit);
        }
        fit
    }
}

pub(super) fn draw_trips(
    buf: &mut Buffer,
    area: Rect,
    block: Block<'_>,
    env: &Env<'_>,
    rows: &[BoardRow],
    shown: &[usize],
    list: &ListState,
) {
    let l = env.lang;
    let zh = l == Lang::Zh;
    let window = list.window(shown.len(), table_height(area));
    // What the visible rows show beyond their fields, worked out once per frame.
    let seen: Vec<Shown> = window
        .clone()
        .map(|i| Shown::of(&rows[shown[i]], env))
        .collect();
    let widest = |w: fn(&Shown) -> usize| seen.iter().map(w).max().unwrap_or(0);
    // `dep 02-21 06:42` when a trip left or arrived on another day than the one shown.
    let clock_width = widest(|s| s.clock.0.width()).clamp(8, 15) as u16;
    // `06:42` on the day shown, `02-22 06:42` (an overnight run) otherwise.
    let eta_width = widest(|s| s.eta.width()).clamp(5, 11) as u16;
    // 超时未到 is wider than the states: only as wide as the rows on screen need.
    let status_width = seen
        .iter()
        .map(|s| s.status.width())
        .max()
        .unwrap_or(0)
        .max(6) as u16;
    // Time, plate, status, eta, in/due (short), obs, notice, and the gaps between these
    // and the destination.
    let fixed = 5 + 9 + status_width + eta_width + 5 + 4 + 6 + 7;
    let fit = Fit::choose(
        area.width.saturating_sub(2),
        fixed,
        area.width >= 110,
        clock_width,
    );
    let mut cols = vec![
        col(l.pick("时间", "time"), Constraint::Length(5)),
        col(l.pick("车牌", "plate"), Constraint::Length(9)),
    ];
    if fit.code {
        cols.push(col(l.pick("车次", "trip"), Constraint::Length(18)));
    }
    cols.push(col(l.pick("目的地", "destination"), Constraint::Fill(1)));
    cols.push(col(
        l.pick("状态", "status"),
        Constraint::Length(status_width),
    ));
    if fit.clock {
        cols.push(num(l.pick("倒计时", "countdown"), clock_width));
    }
    cols.push(num(l.pick("预计到达", "eta"), eta_width));
    cols.push(if fit.long_due {
        num(l.pick("登车/应到", "in/due"), 9)
    } else {
        num(l.pick("登车", "in"), 5)
    });
    if fit.miss {
        cols.push(num(l.pick("未到", "miss"), 4));
    }
    // Fevers found en route: passengers aboard under observation.
    cols.push(num(l.pick("留观", "obs"), 4));
    cols.push(col(l.pick("通知", "notice"), Constraint::Length(6)));
    if fit.bar {
        cols.push(col("", Constraint::Length(12)));
    }
    // Every employer of a bus with its count, fitted to the destination column's width.
    let dest_w = super::column_widths(&block, area, &cols)
        .get(if fit.code { 3 } else { 2 })
        .copied()
        .unwrap_or(0);
    draw_table(buf, area, block, &cols, shown.len(), list, |i| {
        let r = &rows[shown[i]];
        let t = &r.trip;
        let c = &r.counts;
        let due = c.expected;
        // The window drawn is the one measured; a row outside it is worked out on its own.
        let own;
        let sh = match i.checked_sub(window.start).and_then(|k| seen.get(k)) {
            Some(sh) => sh,
            None => {
                own = Shown::of(r, env);
                &own
            }
        };
        let (overdue, notice) = (sh.overdue, sh.notice);
        let (clock, late) = sh.clock.clone();
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
        let room = dest_w.saturating_sub(t.city.width() + 1);
        let dest = format!("{} {}", t.city, employer_counts(&r.employers, room));
        // A trip of another day shows its date instead of the time.
        let time = if t.date == env.day {
            hhmm(&t.departure).to_string()
        } else {
            t.date.format("%m-%d").to_string()
        };
        let status = if overdue {
            Span::styled(
                sh.status,
                Style::default()
                    .fg(Color::White)
                    .bg(Color::Red)
                    .add_modifier(Modifier::BOLD),
            )
        } else {
            Span::styled(trip_status_label(t.status, zh), trip_status_style(t.status))
        };
        let mut cells = vec![Span::raw(time), Span::raw(t.plate.clone())];
        if fit.code {
            cells.push(Span::raw(t.code.clone()));
        }
        cells.push(Span::raw(dest));
        cells.push(status);
        if fit.clock {
            cells.push(Span::styled(clock, clock_style));
        }
        cells.push(Span::styled(
            sh.eta.clone(),
            if overdue {
                Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            },
        ));
        cells.push(Span::raw(format!("{}/{}", c.boarded, due)));
        if fit.miss {
            cells.push(Span::styled(c.missing.to_string(), missing_style));
        }
        cells.push(Span::styled(
            c.observation.to_string(),
            if c.observation > 0 {
                Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            },
        ));
        cells.push(notice_cell(notice, l));
        if fit.bar {
            cells.push(Span::styled(
                bar(c.boarded as u64, due as u64, 12),
                Style::default().fg(Color::Green),
            ));
        }
        (cells, Style::default())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_useful_columns_go_first_and_the_flags_never() {
        let all = Fit::choose(300, 60, true, 9);
        assert_eq!(
            all,
            Fit {
                bar: true,
                miss: true,
                long_due: true,
                code: true,
                clock: true
            }
        );
        // 120 columns: the bar goes before the destination is squeezed.
        let f = Fit::choose(118, 53, true, 9);
        assert!(!f.bar && f.code && f.clock, "{f:?}");
        // 80 columns: the missing count and the long header go, the clock stays.
        let f = Fit::choose(78, 55, false, 9);
        assert!(!f.miss && !f.long_due && f.clock, "{f:?}");
        // Narrower still: the clock goes last.
        let f = Fit::choose(60, 53, false, 9);
        assert!(!f.clock && !f.code, "{f:?}");
    }
}
