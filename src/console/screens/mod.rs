//! One module per screen: its state, how it answers commands and replies, and how it draws.
//! Views only read the state; scrolling positions are kept by `update`.

pub mod batches;
pub mod batches_review;
pub mod batches_view;
pub mod board;
pub mod board_table;
pub mod changes;
pub mod coach;
pub mod destinations;
pub mod destinations_view;
pub mod reshape;
pub mod roster;
pub mod roster_actions;
pub mod roster_exec;
pub mod roster_head;
pub mod roster_map;
pub mod roster_view;
pub mod stats;
pub mod workers;
pub mod workers_view;

use super::widgets::{dim, fit, header_style, selected_style, ListState};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Row, Table, Widget, Wrap};

/// A column of a hand-built table: header, width rule, right-aligned or not.
pub struct Col<'a> {
    pub header: &'a str,
    pub width: Constraint,
    pub right: bool,
}

pub const fn col(header: &str, width: Constraint) -> Col<'_> {
    Col {
        header,
        width,
        right: false,
    }
}
pub const fn num(header: &str, width: u16) -> Col<'_> {
    Col {
        header,
        width: Constraint::Length(width),
        right: true,
    }
}

/// Rows visible in a bordered table with one header line.
pub fn table_height(area: Rect) -> usize {
    area.height.saturating_sub(3) as usize
}

/// Draws a bordered table building rows only for the visible window: `cells(i)` is asked for
/// the rows `list.window(len, height)` and nothing else, whatever `len` is.
pub fn draw_table<'a>(
    buf: &mut Buffer,
    area: Rect,
    block: Block<'a>,
    cols: &[Col<'_>],
    len: usize,
    list: &ListState,
    mut cells: impl FnMut(usize) -> (Vec<Span<'a>>, Style),
) {
    let inner = block.inner(area);
    let keep = fitting(cols, inner.width);
    let col_w = column_widths(&block, area, cols);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let cols: Vec<&Col<'_>> = cols
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .collect();
    let col_w: Vec<usize> = col_w
        .into_iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(w, _)| w)
        .collect();
    let widths: Vec<Constraint> = cols.iter().map(|c| c.width).collect();
    let align = |text: Span<'a>, w: usize, right: bool| -> Span<'a> {
        let content = fit(&text.content, w);
        let style = text.style;
        if right {
            Span::styled(super::widgets::rpad(&content, w), style)
        } else {
            Span::styled(content, style)
        }
    };
    let header = Row::new(
        cols.iter()
            .zip(&col_w)
            .map(|(c, &w)| Line::from(align(Span::raw(c.header.to_string()), w, c.right))),
    )
    .style(header_style());
    let height = inner.height.saturating_sub(1) as usize;
    let rows: Vec<Row<'a>> = list
        .window(len, height)
        .map(|i| {
            let (spans, style) = cells(i);
            let row = Row::new(
                spans
                    .into_iter()
                    .zip(&keep)
                    .filter(|(_, k)| **k)
                    .map(|(s, _)| s)
                    .zip(cols.iter().zip(&col_w))
                    .map(|(s, (c, &w))| Line::from(align(s, w, c.right))),
            );
            if i == list.selected {
                row.style(style.patch(selected_style()))
            } else {
                row.style(style)
            }
        })
        .collect();
    Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .render(inner, buf);
}

/// The width each column of `draw_table` gets inside `block` over `area` (for cells that fit
/// their content to the room they have).
/// Columns the table leaves out get width 0.
pub fn column_widths(block: &Block<'_>, area: Rect, cols: &[Col<'_>]) -> Vec<usize> {
    let inner = block.inner(area);
    let keep = fitting(cols, inner.width);
    let widths: Vec<Constraint> = cols
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c.width)
        .collect();
    let mut shown = ratatui::layout::Layout::horizontal(widths)
        .spacing(1)
        .split(inner)
        .iter()
        .map(|r| r.width as usize)
        .collect::<Vec<_>>()
        .into_iter();
    keep.iter()
        .map(|k| if *k { shown.next().unwrap_or(0) } else { 0 })
        .collect()
}

/// Which columns a table of `width` columns shows: all when they fit; otherwise the right-most
/// are left out until the others fit whole (a fill column needs 6), so that no value — a plate,
/// a count — is squeezed to `…` on a narrow terminal. The first column always stays.
pub fn fitting(cols: &[Col<'_>], width: u16) -> Vec<bool> {
    let need = |c: &Col<'_>| match c.width {
        Constraint::Length(n) | Constraint::Min(n) => n as usize,
        _ => 6,
    };
    let mut keep = vec![true; cols.len()];
    let mut total: usize = cols.iter().map(need).sum::<usize>() + cols.len().saturating_sub(1);
    for i in (1..cols.len()).rev() {
        if total <= width as usize {
            break;
        }
        keep[i] = false;
        total -= need(&cols[i]) + 1;
    }
    keep
}

/// A centred grey note for "loading…" and "nothing here", wrapped on a narrow screen so that
/// the whole sentence can be read (it often says what to do next).
pub fn note(buf: &mut Buffer, area: Rect, block: Block<'_>, text: &str) {
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let wide = unicode_width::UnicodeWidthStr::width(text);
    // Breaking at spaces may take a line more than the width alone says.
    let lines = wide.div_ceil(inner.width as usize) + usize::from(wide > inner.width as usize);
    let height = (lines as u16).clamp(1, inner.height);
    // Centred on the middle row, where a one-line note has always stood.
    let top = (inner.height / 2).saturating_sub((height - 1) / 2);
    let y = inner.y + top.min(inner.height - height);
    Paragraph::new(Text::from(Span::styled(text, dim())))
        .wrap(Wrap { trim: true })
        .centered()
        .render(Rect::new(inner.x, y, inner.width, height), buf);
}

/// `标题 · 12 / 5,000 · 筛选 宁波` style titles.
pub fn title(parts: &[String]) -> String {
    format!(
        " {} ",
        parts
            .iter()
            .filter(|p| !p.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" · ")
    )
}

/// `title` for a frame `width` columns wide: parts that do not fit are left out whole, from the
/// last (the hints go before the counts), so no word is cut at the frame's corner.
pub fn title_within(width: u16, parts: &[String]) -> String {
    let room = (width as usize).saturating_sub(3);
    let mut keep = parts.len();
    loop {
        let t = title(&parts[..keep]);
        if keep <= 1 || unicode_width::UnicodeWidthStr::width(t.as_str()) <= room {
            return t;
        }
        keep -= 1;
    }
}

/// Case-insensitive "contains" for the small in-memory lists.
pub fn contains(hay: &str, needle_lower: &str) -> bool {
    needle_lower.is_empty() || hay.to_lowercase().contains(needle_lower)
}
