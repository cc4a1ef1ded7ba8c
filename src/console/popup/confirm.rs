//! A question with Cancel and a named Yes: focus starts on Cancel and the question names the
//! object.

use super::Look;
use super::{centered, hint, wrapped_rows, PopupOutcome};
use crate::console::action::Request;
use crate::console::keymap::{Cmd, Key, Keymap, Scope};
use crate::console::widgets::{dim, selected_style};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

#[derive(Debug)]
pub struct Confirm {
    pub question: String,
    pub detail: Vec<String>,
    pub yes: String,
    pub focus_yes: bool,
    pub on_yes: Request,
}

impl Confirm {
    pub fn new(question: String, yes: &str, on_yes: Request) -> Confirm {
        Confirm {
            question,
            detail: vec![],
            yes: yes.to_string(),
            focus_yes: false,
            on_yes,
        }
    }

    pub(super) fn key(&mut self, k: KeyEvent, keymap: &Keymap) -> PopupOutcome {
        match keymap.lookup_in(Scope::Confirm, Key::from_event(&k)) {
            Some(Cmd::Cancel) => PopupOutcome::Close,
            Some(Cmd::Switch) => {
                self.focus_yes = !self.focus_yes;
                PopupOutcome::Keep
            }
            Some(Cmd::Yes) => PopupOutcome::Submit(self.on_yes.clone()),
            Some(Cmd::Choose) if self.focus_yes => PopupOutcome::Submit(self.on_yes.clone()),
            Some(Cmd::Choose) => PopupOutcome::Close,
            _ => PopupOutcome::Keep,
        }
    }

    pub(super) fn draw(&self, f: &mut Frame<'_>, area: Rect, look: &Look<'_>) {
        let lang = look.lang;
        let buttons = lang.pick("取消", "Cancel").width() + self.yes.width() + 9;
        let width = (self.question.width())
            .max(self.detail.iter().map(|d| d.width()).max().unwrap_or(0))
            .max(buttons)
            + 4;
        // The question and details wrap on a narrow screen: the frame grows with them, so the
        // buttons and the key line are never cut.
        let outer = (width.clamp(30, 76) as u16).min(area.width);
        let text_rows = wrapped_rows(
            std::iter::once(self.question.as_str()).chain(self.detail.iter().map(String::as_str)),
            outer.saturating_sub(2) as usize,
        );
        let hint_line = hint(
            look.keymap,
            Scope::Confirm,
            &[(Cmd::Switch, 2), (Cmd::Choose, 1), (Cmd::Cancel, 1)],
            lang,
        );
        let hint_rows = wrapped_rows([hint_line.as_str()], outer.saturating_sub(2) as usize);
        let rect = centered(area, outer, (text_rows + hint_rows + 4) as u16);
        f.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(lang.pick(" 请确认 ", " Confirm "))
            .border_style(Style::default().fg(Color::Yellow));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let mut lines = vec![Line::from(Span::styled(
            self.question.clone(),
            Style::default().add_modifier(Modifier::BOLD),
        ))];
        lines.extend(self.detail.iter().map(|d| Line::from(d.clone())));
        lines.push(Line::default());
        let cancel = format!(" {} ", lang.pick("取消", "Cancel"));
        let yes = format!(" {} ", self.yes);
        let (cs, ys) = if self.focus_yes {
            (Style::default(), selected_style().fg(Color::Red))
        } else {
            (selected_style(), Style::default().fg(Color::Red))
        };
        lines.push(Line::from(vec![
            Span::styled(cancel, cs),
            Span::raw("   "),
            Span::styled(yes, ys),
        ]));
        lines.push(Line::from(Span::styled(hint_line, dim())));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
