//! Drawing the roster: the counts line that is always visible, the seat map drawn as the coach
//! is (2+2 rows, aisle, back row of five; observation rows and spacing-blocked seats shown),
//! and the passenger list beside it.

use super::roster::State;
use super::{col, draw_table, note, num, title, title_within};
use crate::console::keymap::{Cmd, Scope};
use crate::console::screen::Env;
use crate::console::screens::board::countdown;
use crate::console::widgets::{
    dim, employer_counts, fit, id_tail, seat_status_label, seat_status_style, trip_status_label,
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
use unicode_width::UnicodeWidthStr;

pub struct Areas {
    pub head: Rect,
    pub map: Option<Rect>,
    pub list: Rect,
}

/// Below this list width the list drops the village and shows the ID's last four.
const COMPACT_LIST: u16 = 58;

/// Width of the seat map pane: row label, 5 seat cells of 3 columns, borders.
const MAP_WIDTH: u16 = 21;

/// The body is wide enough for the seat map beside the list (below it, the map and its legend
/// are left out: the list is what a phone in portrait needs).
pub fn shows_map(body: Rect) -> bool {
    body.width >= 64
}

/// Lines above the list: trip, times, counts, employers, and the legend when the map shows.
/// At narrow widths the counts may take two lines.
pub fn head_height(body: Rect) -> u16 {
    if shows_map(body) {
        5
    } else {
        5.min(body.height / 3)
    }
}

pub fn areas(body: Rect) -> Areas {
    let [head, rest] =
        Layout::vertical([Constraint::Length(head_height(body)), Constraint::Min(0)]).areas(body);
    if shows_map(body) {
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

pub fn seat_map_lines(s: &State, env: &Env<'_>) -> Vec<Line<'static>> {
    let Some(trip) = &s.trip else { return vec![] };
    let coach = Coach::new(trip.rated_seats, &env.policy);
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

pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State, env: &Env<'_>) {
    let l = env.lang;
    let zh = l == Lang::Zh;
    let a = areas(area);
    let Some(which) = &s.which else {
        let block = Block::bordered().title(l.pick(" 名单 ", " Roster "));
        let board = env.keymap.shown(Scope::Global, Cmd::Board);
        let open = env.keymap.shown(Scope::Board, Cmd::Open);
        let text = match l {
            Lang::Zh => format!("未选车辆：在发车屏（{board}）选车按 {open}，或输入 :bus 车牌"),
            Lang::En => {
                format!("no bus chosen: {open} on a bus of the board ({board}), or :bus PLATE")
            }
        };
        return note(f, area, block, &text);
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
            crate::clock::screen_text(t, env.day)
        ),
        None => format!(
            "{} {}",
            crate::clock::screen_text(&trip.departure, env.day),
            countdown(&trip.departure, env.now, l)
                .map(|(t, _)| t)
                .unwrap_or_default()
        ),
    };
    let head = head_lines(s, env, trip, &c, time, area.width, a.map.is_some());
    let head: Vec<Line> = head.into_iter().take(a.head.height as usize).collect();
    f.render_widget(Paragraph::new(head), a.head);
    if let Some(map) = a.map {
        let block = Block::bordered().title(format!(
            " {} {} ",
            l.pick("座位", "seats"),
            trip.rated_seats
        ));
        let inner = block.inner(map);
        f.render_widget(block, map);
        f.render_widget(Paragraph::new(seat_map_lines(s, env)), inner);
    }
    // The list holds those expected and those whose seat was freed (refused, no-show): said
    // so, the two numbers add up to the list's length.
    let freed = c.refused + c.no_show;
    let label = l.pick("乘客", "Passengers").to_string();
    let long = match l {
        Lang::Zh => format!(
            "{}（应到 {} + 已空出 {freed}）",
            s.passengers.len(),
            c.expected
        ),
        Lang::En => format!(
            "{} ({} expected + {freed} freed)",
            s.passengers.len(),
            c.expected
        ),
    };
    let fits = title(&[label.clone(), long.clone()]).width() + 3 <= a.list.width as usize;
    let count = if s.find.is_empty() && freed > 0 && fits {
        long
    } else {
        format!("{}/{}", s.shown.len(), s.passengers.len())
    };
    let filter = if s.find.is_empty() {
        format!(
            "{} {}",
            env.keymap.shown(Scope::Global, Cmd::Filter),
            l.pick(
                "按姓名、证号或手机后4位、座位查找",
                "find by name, ID or phone last 4, seat",
            )
        )
    } else {
        format!("{} {}", l.pick("查找", "find"), s.find)
    };
    let block = Block::bordered().title(title_within(a.list.width, &[label, count, filter]));
    if s.shown.is_empty() {
        return draw_elsewhere(f, a.list, block, s, env);
    }
    let wide = a.list.width >= 90;
    // A phone in portrait: seat, name, the ID's last four (what is checked against the card),
    // the latest reading and the status; no village.
    let full = [
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
    let narrow = a.list.width < COMPACT_LIST
        || super::fitting(&full, a.list.width.saturating_sub(2)).contains(&false);
    let mut cols = if narrow {
        vec![
            num(l.pick("座", "st"), 2),
            col(l.pick("姓名", "name"), Constraint::Fill(1)),
            col(l.pick("尾号", "ID"), Constraint::Length(5)),
            num(l.pick("体温", "temp"), 4),
            col(
                l.pick("状态", "status"),
                Constraint::Length(if zh { 9 } else { 13 }),
            ),
        ]
    } else {
        full.into()
    };
    if wide {
        cols.insert(4, col(l.pick("企业", "employer"), Constraint::Fill(2)));
    }
    draw_table(f, a.list, block, &cols, s.shown.len(), &s.list, |i| {
        let p = &s.passengers[s.shown[i]];
        let id = match &s.revealed {
            Some((w, full)) if *w == p.worker_id => {
                Span::styled(full.clone(), Style::default().fg(Color::Red))
            }
            _ if narrow => Span::raw(p.id_number.as_deref().map(id_tail).unwrap_or_default()),
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
        let temp = Span::raw(p.temperature.map(|t| format!("{t:.1}")).unwrap_or_default());
        let status = Span::styled(status, status_style);
        let seat = Span::raw(p.seat.to_string());
        let name = Span::raw(p.name.clone());
        if narrow {
            return (vec![seat, name, id, temp, status], Style::default());
        }
        (
            vec![seat, name, id, Span::raw(p.village.clone()), temp, status]
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
fn head_lines(
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
        format!("{} {}", l.pick("待查验", "missing"), c.missing),
        if c.missing > 0 {
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
        lines.push(legend(l));
    }
    lines
}

/// Nobody on this bus matches the search: who does on the day's other buses, with bus and seat
/// (`上错车？张伟 610928********1003 在 陕G21005 1座`), else a plain "no match".
fn draw_elsewhere(f: &mut Frame<'_>, area: Rect, block: Block<'_>, s: &State, env: &Env<'_>) {
    let l = env.lang;
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
        let short = if width < 50 { id_tail } else { mask_id };
        let id = e.id_number.as_deref().map(short).unwrap_or_default();
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
