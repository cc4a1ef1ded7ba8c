//! A short list to pick from (a refusal reason, a stand-by worker): each option carries its
//! request, so picking is the confirmation; the numbers drawn before the options pick too.

use super::Look;
use super::{centered, hint, PopupOutcome};
use crate::console::action::Request;
use crate::console::keymap::{Cmd, Key, Keymap, Scope};
use crate::console::widgets::{dim, fit, selected_style};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// A short list to pick from (a refusal reason, a stand-by worker); each option carries the
/// request it makes, so picking is the explicit confirmation.
#[derive(Debug)]
pub struct Choice {
    pub title: String,
    pub options: Vec<(String, Request)>,
    pub selected: usize,
}

impl Choice {
    pub(super) fn key(&mut self, k: KeyEvent, keymap: &Keymap) -> PopupOutcome {
        let c = self;
        match (keymap.lookup_in(Scope::Choice, Key::from_event(&k)), k.code) {
            (Some(Cmd::Cancel), _) => PopupOutcome::Close,
            (Some(Cmd::Down), _) => {
                c.selected = (c.selected + 1).min(c.options.len().saturating_sub(1));
                PopupOutcome::Keep
            }
            (Some(Cmd::Up), _) => {
                c.selected = c.selected.saturating_sub(1);
                PopupOutcome::Keep
            }
            // The numbers the options are drawn with.
            (None, KeyCode::Char(d @ '1'..='9')) => {
                let i = d as usize - '1' as usize;
                match c.options.get(i) {
                    Some((_, r)) => PopupOutcome::Submit(r.clone()),
                    None => PopupOutcome::Keep,
                }
            }
            (Some(Cmd::Choose), _) => match c.options.get(c.selected) {
                Some((_, r)) => PopupOutcome::Submit(r.clone()),
                None => PopupOutcome::Close,
            },
            _ => PopupOutcome::Keep,
        }
    }

    pub(super) fn draw(&self, f: &mut Frame<'_>, area: Rect, look: &Look<'_>) {
        let c = self;
        let lang = look.lang;
        let width = c
            .options
            .iter()
            .map(|(o, _)| o.width() + 6)
            .max()
            .unwrap_or(0)
            .max(c.title.width() + 4);
        let visible = (area.height.saturating_sub(4) as usize).max(1);
        let rect = centered(
            area,
            width.clamp(30, 78) as u16,
            c.options.len().min(visible) as u16 + 3,
        );
        f.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(format!(" {} ", c.title))
            .border_style(Style::default().fg(Color::Yellow));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let first = c.selected.saturating_sub(visible.saturating_sub(1));
        let mut lines: Vec<Line> = c
            .options
            .iter()
            .enumerate()
            .skip(first)
            .take(visible)
            .map(|(i, (label, _))| {
                let text = format!(
                    "{} {}",
                    if i < 9 {
                        (i + 1).to_string()
                    } else {
                        " ".into()
                    },
                    label
                );
                let style = if i == c.selected {
                    selected_style()
                } else {
                    Style::default()
                };
                Line::from(Span::styled(fit(&text, inner.width as usize), style))
            })
            .collect();
        let keys = &look.keymap;
        let updown = format!(
            "{}{}",
            keys.shown_keys(Scope::Choice, Cmd::Up, 1),
            keys.shown_keys(Scope::Choice, Cmd::Down, 1)
        );
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    "{updown} {} · {}",
                    lang.pick("选择", "choose"),
                    hint(
                        keys,
                        Scope::Choice,
                        &[(Cmd::Choose, 1), (Cmd::Cancel, 1)],
                        lang
                    )
                ),
                inner.width as usize,
            ),
            dim(),
        )));
        f.render_widget(Paragraph::new(lines), inner);
    }
}
