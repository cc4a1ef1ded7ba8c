//! One module per screen: its state, how it answers commands and replies, and how it draws.
//! Views only read the state; scrolling positions are kept by `update`.

pub mod batches;
pub mod batches_review;
pub mod board;
pub mod board_table;
pub mod changes;
pub mod coach;
pub mod destinations;
pub mod reshape;
pub mod roster;
pub mod roster_actions;
pub mod roster_exec;
pub mod roster_view;
pub mod stats;
pub mod workers;

use super::widgets::{dim, fit, header_style, selected_style, ListState};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Row, Table};
use ratatui::Frame;

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
    f: &mut Frame<'_>,
    area: Rect,
    block: Block<'a>,
    cols: &[Col<'_>],
    len: usize,
    list: &ListState,
    mut cells: impl FnMut(usize) -> (Vec<Span<'a>>, Style),
) {
    let inner = block.inner(area);
    let col_w = column_widths(&block, area, cols);
    f.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
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
    f.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        inner,
    );
}

/// The width each column of `draw_table` gets inside `block` over `area` (for cells that fit
/// their content to the room they have).
pub fn column_widths(block: &Block<'_>, area: Rect, cols: &[Col<'_>]) -> Vec<usize> {
    let widths: Vec<Constraint> = cols.iter().map(|c| c.width).collect();
    ratatui::layout::Layout::horizontal(widths)
        .spacing(1)
        .split(block.inner(area))
        .iter()
        .map(|r| r.width as usize)
        .collect()
}

/// A centred grey line for "loading…" and "nothing here".
pub fn note(f: &mut Frame<'_>, area: Rect, block: Block<'_>, text: &str) {
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let y = inner.y + inner.height / 2;
    let line = Rect::new(inner.x, y, inner.width, 1);
    f.render_widget(
        Paragraph::new(Text::from(Span::styled(
            fit(text, inner.width as usize),
            dim(),
        )))
        .centered(),
        line,
    );
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

/// Case-insensitive "contains" for the small in-memory lists.
pub fn contains(hay: &str, needle_lower: &str) -> bool {
    needle_lower.is_empty() || hay.to_lowercase().contains(needle_lower)
}
