//! Changes after planning, flagged where they matter: an employer whose gate or expected count
//! changed since its batch was planned, or placed beyond its expected count (`plan::Warning`),
//! marked ⚠ on the Destinations and Batches screens with the selected one spelt out below.

use crate::console::action::ChangeNote;
use crate::i18n::Lang;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

/// Some note matches the row.
pub fn flagged(notes: &[ChangeNote], row: impl Fn(&ChangeNote) -> bool) -> bool {
    notes.iter().any(row)
}

/// The block's bottom line: the selected row's first note, else how many notes there are
/// (`what` names the kind of row to select), else nothing.
pub fn bottom_line(
    notes: &[ChangeNote],
    selected: impl Fn(&ChangeNote) -> bool,
    what: &str,
    l: Lang,
) -> Line<'static> {
    let text = match (notes.iter().find(|c| selected(c)), notes.len()) {
        (Some(c), _) => format!(" ⚠ {} ", c.text),
        (None, 0) => return Line::default(),
        (None, n) => match l {
            Lang::Zh => format!(" ⚠ {n} 条编排后的变更：选中带 ⚠ 的{what}查看 "),
            Lang::En => format!(" ⚠ {n} changes after planning: select a {what} marked ⚠ "),
        },
    };
    Line::from(Span::styled(text, Style::default().fg(Color::Yellow)))
}
