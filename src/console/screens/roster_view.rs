//! Drawing the roster: the counts line that is always visible, the seat map drawn as the coach
//! is (2+2 rows, aisle, back row of five; observation rows and spacing-blocked seats shown),
//! and the passenger list beside it.

use super::{col, draw_table, note, num, title};
use crate::console::app::App;
use crate::console::screens::board::countdown;
use crate::console::widgets::{
    dim, employer_counts, fit, seat_status_label, seat_status_style, trip_status_label,
    trip_status_style,
};
use crate::i18n::Lang;
use crate::model::{mask_id, Layout as Coach, SeatStatus, SeatUse};
use crate::store::trips::PassengerRow;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

pub struct Areas {
    pub head: Rect,
    pub map: Option<Rect>,
    pub list: Rect,
}

/// Width of the seat map pane: row label, 5 seat cells of 3 columns, borders.
const MAP_WIDTH: u16 = 21;

pub fn areas(body: Rect) -> Areas {
    let [head, rest] = Layout::vertical([Constraint::Length(5), Constraint::Min(0)]).areas(body);
    if body.width >= 64 {
        let [map, list] =
            Layout::horizontal([Constraint::Length(MAP_WIDTH), Constraint::Min(0)]).areas(rest);
        Areas {
            head,
            map: Some(map),
            list,
        }
    } else {
        Areas {
            head,
            map: None,
            list: rest,
        }
    }
}

/// Passengers matching what the attendant typed: a seat number, the end of an ID number
/// (digits, maybe a final X) or of a phone, or part of a name.
pub fn find_matches(passengers: &[PassengerRow], find: &str) -> Vec<usize> {
    let q = find.trim();
    if q.is_empty() {
        return (0..passengers.len()).collect();
    }
    let upper = q.to_uppercase();
    let digits = upper
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || (c == 'X' && i + 1 == upper.len()));
    let seat: Option<u32> = q.parse().ok().filter(|_| q.len() <= 2);
    (0..passengers.len())
        .filter(|&i| {
            let p = &passengers[i];
            if digits {
                seat == Some(p.seat)
                    || (upper.len() >= 3
                        && (p
                            .id_number
                            .as_deref()
                            .is_some_and(|id| id.ends_with(&upper))
                            || p.phone.ends_with(&upper)))
            } else {
                p.name.contains(q)
            }
        })
        .collect()
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

pub fn seat_map_lines(app: &App) -> Vec<Line<'static>> {
    let s = &app.roster;
    let Some(trip) = &s.trip else { return vec![] };
    let coach = Coach::new(trip.rated_seats, &app.policy);
    let mut lines = vec![Line::from(Span::styled(
        app.lang.pick("   前      门→", "   front  door→"),
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

fn legend(lang: Lang) -> Line<'static> {
    let item = |v: SeatView, zh: &'static str, en: &'static str| {
        // A coloured square for the seat states; the map's own marks for the others.
        let (mark, style) = match v {
            SeatView::Spacing | SeatView::Observation => (seat_text(v, 0), seat_style(v)),
            SeatView::Empty => (" □".to_string(), Style::default()),
            _ => (
                " ■".to_string(),
                Style::default().fg(seat_style(v).bg.unwrap_or(Color::Reset)),
            ),
        };
        vec![
            Span::styled(mark, style),
            Span::raw(format!(" {} ", lang.pick(zh, en))),
        ]
    };
    Line::from(
        [
            item(SeatView::Boarded, "已登车", "boarded"),
            item(SeatView::Planned, "待登车", "due"),
            item(SeatView::Recheck, "复测", "re-check"),
            item(SeatView::Standby, "候补", "stand-by"),
            item(SeatView::Refused, "拒载", "refused"),
            item(SeatView::NoShow, "未到", "no-show"),
            item(SeatView::Empty, "空", "free"),
            item(SeatView::Spacing, "隔位", "spacing"),
            item(SeatView::Observation, "留观", "observation"),
        ]
        .concat(),
    )
}

pub fn draw(f: &mut Frame<'_>, area: Rect, app: &App) {
    let s = &app.roster;
    let l = app.lang;
    let zh = l == Lang::Zh;
    let a = areas(area);
    let Some(which) = &s.which else {
        let block = Block::bordered().title(l.pick(" 名单 ", " Roster "));
        return note(
            f,
            area,
            block,
            l.pick(
                "未选车辆：在发车屏（4）选车按 Enter，或输入 :bus 车牌",
                "no bus chosen: Enter on a bus of the board (4), or :bus PLATE",
            ),
        );
    };
    let Some(trip) = &s.trip else {
        let block = Block::bordered().title(format!(" {which} "));
        let text = if s.loaded {
            l.pick("该车没有行程", "this bus has no trip")
        } else {
            l.pick("读取名单…", "loading the roster…")
        };
        return note(f, area, block, text);
    };
    let c = crate::ops::departure::counts(&s.passengers);
    // Once the bus has left, when it left is what matters (the planned time would push it off
    // an 80-column line on the next day).
    let time = match &trip.departed_at {
        Some(t) => format!(
            "{} {}",
            l.pick("发车", "departed"),
            crate::clock::screen_text(t, app.day)
        ),
        None => format!(
            "{} {}",
            crate::clock::screen_text(&trip.departure, app.day),
            countdown(&trip.departure, app.now)
                .map(|(t, _)| t)
                .unwrap_or_default()
        ),
    };
    let head = vec![
        Line::from(vec![
            Span::styled(
                format!("{} ", trip.plate),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                trip_status_label(trip.status, zh),
                trip_status_style(trip.status),
            ),
            Span::raw(fit(
                &format!(" · {} → {}{}", trip.code, trip.province, trip.city),
                area.width.saturating_sub(12) as usize,
            )),
        ]),
        // When it left (or leaves), when it is expected at the gate, who is aboard to call.
        Line::from(vec![
            Span::raw(time),
            Span::styled(
                s.eta
                    .map(|e| {
                        format!(
                            " · {} {}",
                            l.pick("预计到达", "expected"),
                            crate::clock::screen(e, app.day)
                        )
                    })
                    .unwrap_or_default(),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw(fit(
                &format!(
                    " · {} {} {}",
                    l.pick("随车", "attendant"),
                    trip.attendant,
                    trip.attendant_phone
                ),
                area.width.saturating_sub(40) as usize,
            )),
        ]),
        Line::from(vec![
            Span::raw(format!("{} {}  ", l.pick("应到", "expected"), c.expected)),
            Span::styled(
                format!("{} {}  ", l.pick("已登车", "boarded"), c.boarded),
                Style::default().fg(Color::Green),
            ),
            Span::styled(
                format!("{} {}  ", l.pick("拒载", "refused"), c.refused),
                Style::default().fg(Color::Red),
            ),
            Span::styled(
                format!("{} {}  ", l.pick("未到", "no-show"), c.no_show),
                dim(),
            ),
            Span::styled(
                if c.recheck > 0 {
                    format!("{} {}  ", l.pick("复测", "re-check"), c.recheck)
                } else {
                    String::new()
                },
                Style::default()
                    .fg(Color::Magenta)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                if c.observation > 0 {
                    format!("{} {}  ", l.pick("留观", "observation"), c.observation)
                } else {
                    String::new()
                },
                Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!("{} {}", l.pick("待查验", "missing"), c.missing),
                if c.missing > 0 {
                    Style::default()
                        .fg(Color::Yellow)
                        .add_modifier(Modifier::BOLD)
                } else {
                    Style::default()
                },
            ),
            Span::styled(
                super::roster::round_note(app),
                Style::default().fg(Color::Yellow),
            ),
        ]),
        {
            let label = format!("{} ", l.pick("企业", "employers"));
            let room = (area.width as usize).saturating_sub(label.len() + 2);
            Line::from(vec![
                Span::styled(label, dim()),
                Span::raw(employer_counts(&employers_of(&s.passengers), room)),
            ])
        },
        legend(l),
    ];
    f.render_widget(Paragraph::new(head), a.head);
    if let Some(map) = a.map {
        let block = Block::bordered().title(format!(
            " {} {} ",
            l.pick("座位", "seats"),
            trip.rated_seats
        ));
        let inner = block.inner(map);
        f.render_widget(block, map);
        f.render_widget(Paragraph::new(seat_map_lines(app)), inner);
    }
    let block = Block::bordered().title(title(&[
        l.pick("乘客", "Passengers").to_string(),
        format!("{}/{}", s.shown.len(), s.passengers.len()),
        if s.find.is_empty() {
            l.pick(
                "/ 按姓名、证号或手机后4位、座位查找",
                "/ find by name, ID or phone last 4, seat",
            )
            .into()
        } else {
            format!("{} {}", l.pick("查找", "find"), s.find)
        },
    ]));
    if s.shown.is_empty() {
        return draw_elsewhere(f, a.list, block, app);
    }
    let wide = a.list.width >= 90;
    let mut cols = vec![
        num(l.pick("座", "seat"), 4),
        col(l.pick("姓名", "name"), Constraint::Length(8)),
        col(l.pick("身份证号", "ID number"), Constraint::Length(18)),
        col(l.pick("村", "village"), Constraint::Fill(1)),
        num(l.pick("体温", "temp"), 5),
        col(
            l.pick("状态", "status"),
            Constraint::Length(if zh { 10 } else { 13 }),
        ),
    ];
    if wide {
        cols.insert(4, col(l.pick("企业", "employer"), Constraint::Fill(2)));
    }
    draw_table(f, a.list, block, &cols, s.shown.len(), &s.list, |i| {
        let p = &s.passengers[s.shown[i]];
        let id = match &s.revealed {
            Some((w, full)) if *w == p.worker_id => {
                Span::styled(full.clone(), Style::default().fg(Color::Red))
            }
            _ => Span::raw(p.id_number.as_deref().map(mask_id).unwrap_or_default()),
        };
        let mut status = seat_status_label(p.status, zh).to_string();
        if p.standby {
            status.push_str(l.pick("·候补", "·sb"));
        }
        if let Some(r) = &p.refused_reason {
            if p.status == SeatStatus::Refused {
                status = format!(
                    "{}·{}",
                    seat_status_label(p.status, zh),
                    super::roster::reason_label(r, zh)
                );
            }
        }
        // Aboard under observation after a fever en route: that is what the attendant must see.
        let observed = p.observation_at.is_some() && p.status == SeatStatus::Boarded;
        if observed {
            status = l.pick("留观", "observation").to_string();
        }
        let status_style = if observed {
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            seat_status_style(p.status)
        };
        (
            vec![
                Span::raw(p.seat.to_string()),
                Span::raw(p.name.clone()),
                id,
                Span::raw(p.village.clone()),
                Span::raw(p.temperature.map(|t| format!("{t:.1}")).unwrap_or_default()),
                Span::styled(status, status_style),
            ]
            .into_iter()
            .enumerate()
            .flat_map(|(k, span)| {
                let employer = (wide && k == 4).then(|| Span::raw(p.employer.clone()));
                employer.into_iter().chain(std::iter::once(span))
            })
            .collect(),
            Style::default(),
        )
    });
}

/// Nobody on this bus matches the search: who does on the day's other buses, with bus and seat
/// (`上错车？张伟 610928********1003 在 陕G21005 1座`), else a plain "no match".
fn draw_elsewhere(f: &mut Frame<'_>, area: Rect, block: Block<'_>, app: &App) {
    let s = &app.roster;
    let l = app.lang;
    let found = s
        .elsewhere
        .as_ref()
        .filter(|(q, _)| *q == s.find.trim())
        .map(|(_, found)| found.as_slice())
        .unwrap_or(&[]);
    if found.is_empty() {
        return note(
            f,
            area,
            block,
            l.pick("没有匹配的乘客", "no passenger matches"),
        );
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines = vec![Line::from(Span::styled(
        fit(
            l.pick(
                "本车没有此人 · 在其他车上：",
                "not on this bus · seated on another:",
            ),
            width,
        ),
        dim(),
    ))];
    for e in found {
        let id = e.id_number.as_deref().map(mask_id).unwrap_or_default();
        let text = match l {
            Lang::Zh => format!(
                "上错车？{} {id} 在 {} {}座（{}）",
                e.name, e.plate, e.seat, e.trip
            ),
            Lang::En => format!(
                "wrong bus? {} {id} is on {} seat {} ({})",
                e.name, e.plate, e.seat, e.trip
            ),
        };
        lines.push(Line::from(Span::styled(
            fit(&text, width),
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
