//! Read-only lines (an arrival summary, a round's findings, the message log), wrapped and
//! framed as tall as they need; any key closes.

use super::{centered, wrapped_rows};
use crate::console::widgets::dim;
use crate::i18n::Lang;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub(super) fn draw(f: &mut Frame<'_>, area: Rect, title: &str, lines: &[String], lang: Lang) {
    let width = lines
        .iter()
        .map(|l| l.width())
        .max()
        .unwrap_or(0)
        .max(title.width())
        + 4;
    // Long lines wrap: the frame is as tall as the wrapped text (and the screen allow).
    let inner_w = (width.clamp(24, 78) as u16)
        .min(area.width)
        .saturating_sub(2) as usize;
    let rows = wrapped_rows(lines.iter().map(String::as_str), inner_w);
    let rect = centered(
        area,
        width.clamp(24, 78) as u16,
        (rows + 3).min(u16::MAX as usize) as u16,
    );
    f.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(Style::default().fg(Color::Cyan));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let mut text: Vec<Line> = lines.iter().map(|l| Line::from(l.clone())).collect();
    text.push(Line::from(Span::styled(
        lang.pick("按任意键关闭", "any key closes"),
        dim(),
    )));
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}
