//! Drawing the roster: the head (`roster_head`) always visible, the seat map (`roster_map`)
//! when the terminal is wide enough, and the passenger list — on a phone seat, name, the ID's
//! last four, the latest reading and the status.

use super::roster::State;
use super::{col, draw_table, note, num, title, title_within};
use crate::console::keymap::{Cmd, Scope};
use crate::console::screen::{Env, View};
use crate::console::screens::board::countdown;
use crate::console::widgets::{dim, fit, id_tail, seat_status_label, seat_status_style};
use crate::i18n::Lang;
use crate::model::{mask_id, SeatStatus};
use crate::store::trips::PassengerRow;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

pub struct Areas {
    pub head: Rect,
    pub map: Option<Rect>,
    pub list: Rect,
}

/// Below this list width the list drops the village and shows the ID's last four.
pub const COMPACT_LIST: u16 = 58;

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

impl Widget for View<'_, super::roster::State> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        draw(buf, area, self.state, self.env);
    }
}

fn draw(buf: &mut Buffer, area: Rect, s: &State, env: &Env<'_>) {
    let l = env.lang;
    let zh = l == Lang::Zh;
    let a = areas(area);
    let Some(which) = &s.which else {
        let block = Block::bordered().title(l.pick(" 名单 ", " Roster "));
        let board = env.keymap.shown(Scope::Global, Cmd::Board);
        let open = env.keymap.shown(Scope::Board, Cmd::Open);
        let c = env.keymap.shown(Scope::Global, Cmd::CommandLine);
        let text = match l {
            Lang::Zh => format!("未选车辆：在发车屏（{board}）选车按 {open}，或输入 `{c}bus 车牌`"),
            Lang::En => {
                format!("no bus chosen: {open} on a bus of the board ({board}), or {c}bus PLATE")
            }
        };
        return note(buf, area, block, &text);
    };
    let Some(trip) = &s.trip else {
        let block = Block::bordered().title(format!(" {which} "));
        let text = if s.loaded {
            l.pick("该车没有行程", "this bus has no trip")
        } else {
            l.pick("读取名单…", "loading the roster…")
        };
        return note(buf, area, block, text);
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
    let head = super::roster_head::head_lines(s, env, trip, &c, time, area.width, a.map.is_some());
    let head: Vec<Line> = head.into_iter().take(a.head.height as usize).collect();
    Paragraph::new(head).render(a.head, buf);
    if let Some(map) = a.map {
        let block = Block::bordered().title(format!(
            " {} {} ",
            l.pick("座位", "seats"),
            trip.rated_seats
        ));
        let inner = block.inner(map);
        block.render(map, buf);
        Paragraph::new(super::roster_map::seat_map_lines(s, env)).render(inner, buf);
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
        return draw_elsewhere(buf, a.list, block, s, env);
    }
    let wide = a.list.width >= 90;
    // A phone in portrait: seat, name, the ID's last four (what is checked against the card),
    // the latest reading and the status; no village.
    // The status column as wide as its longest text (a refusal with its reason), so none is cut.
    let status_w = |least: u16| {
        s.shown
            .iter()
            .map(|&i| status_cell(&s.passengers[i], l).0.width() as u16)
            .max()
            .unwrap_or(0)
            .clamp(least, 18)
    };
    let full = [
        num(l.pick("座", "seat"), 4),
        col(l.pick("姓名", "name"), Constraint::Length(8)),
        col(l.pick("身份证号", "ID number"), Constraint::Length(18)),
        col(l.pick("村", "village"), Constraint::Fill(1)),
        num(l.pick("体温", "temp"), 5),
        col(
            l.pick("状态", "status"),
            Constraint::Length(status_w(if zh { 10 } else { 13 })),
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
                Constraint::Length(status_w(if zh { 9 } else { 13 })),
            ),
        ]
    } else {
        full.into()
    };
    if wide {
        cols.insert(4, col(l.pick("企业", "employer"), Constraint::Fill(2)));
    }
    draw_table(buf, a.list, block, &cols, s.shown.len(), &s.list, |i| {
        let p = &s.passengers[s.shown[i]];
        let id = match &s.revealed {
            // Revealed: in red; on a phone its last four (the whole number was in a dialog).
            Some((w, full)) if *w == p.worker_id && narrow => {
                Span::styled(id_tail(full), Style::default().fg(Color::Red))
            }
            Some((w, full)) if *w == p.worker_id => {
                Span::styled(full.clone(), Style::default().fg(Color::Red))
            }
            _ if narrow => Span::raw(p.id_number.as_deref().map(id_tail).unwrap_or_default()),
            _ => Span::raw(p.id_number.as_deref().map(mask_id).unwrap_or_default()),
        };
        let (status, status_style) = status_cell(p, l);
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

/// A passenger's status as the list shows it: the seat's state, `·候补` for a stand-by, the
/// reason of a refusal, 留观 for someone aboard under observation (what the attendant must see).
fn status_cell(p: &PassengerRow, l: Lang) -> (String, Style) {
    let zh = l == Lang::Zh;
    let mut status = seat_status_label(p.status, zh).to_string();
    if p.standby {
        status.push_str(l.pick("·候补", "·sb"));
    }
    if let Some(r) = &p.refused_reason {
        if p.status == SeatStatus::Refused {
            status = format!(
                "{}·{}",
                seat_status_label(p.status, zh),
                super::roster::reason_label(r, l)
            );
        }
    }
    let observed = p.observation_at.is_some() && p.status == SeatStatus::Boarded;
    if observed {
        return (
            l.pick("留观", "observation").to_string(),
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        );
    }
    (status, seat_status_style(p.status))
}

/// Nobody on this bus matches the search: who does on the day's other buses, with bus and seat
/// (`上错车？张伟 610928********1003 在 陕G21005 1座`), else a plain "no match".
fn draw_elsewhere(buf: &mut Buffer, area: Rect, block: Block<'_>, s: &State, env: &Env<'_>) {
    let l = env.lang;
    let found = s
        .elsewhere
        .as_ref()
        .filter(|(q, _)| *q == s.find.trim())
        .map(|(_, found)| found.as_slice())
        .unwrap_or(&[]);
    if found.is_empty() {
        return note(
            buf,
            area,
            block,
            l.pick("没有匹配的乘客", "no passenger matches"),
        );
    }
    let inner = block.inner(area);
    block.render(area, buf);
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
    Paragraph::new(lines).render(inner, buf);
}
