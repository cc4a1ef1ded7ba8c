//! A small form of typed fields that stays open until its write succeeds: a refused field shows
//! why under it, long forms (a round of 26) scroll.

use super::Look;
use super::{centered, hint, skip_columns, FormKind, PopupOutcome};
use crate::console::keymap::{Cmd, Key, Keymap, Scope};
use crate::console::widgets::{dim, fit, pad};
use crossterm::event::{Event, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;
use tui_input::backend::crossterm::EventHandler;
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

#[derive(Debug)]
pub struct Field {
    pub label: String,
    pub input: Input,
    /// The field's key as the checks name it (`phone`, `plate` …); "" for forms without keys.
    pub key: &'static str,
    /// Why the last submission refused this field, shown under it.
    pub error: Option<String>,
}

#[derive(Debug)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub kind: FormKind,
    pub note: Option<String>,
    pub error: Option<String>,
    /// Submitted; waiting for the database's answer.
    pub pending: bool,
}

impl Form {
    pub fn new(title: String, kind: FormKind, fields: Vec<(String, String)>) -> Form {
        Form {
            title,
            fields: fields
                .into_iter()
                .map(|(label, value)| Field {
                    label,
                    input: Input::new(value),
                    key: "",
                    error: None,
                })
                .collect(),
            focus: 0,
            kind,
            note: None,
            error: None,
            pending: false,
        }
    }

    /// A form whose fields carry the keys the checks use, so a refusal lands beside its field.
    pub fn keyed(
        title: String,
        kind: FormKind,
        fields: Vec<(&'static str, String, String)>,
    ) -> Form {
        let keys: Vec<&'static str> = fields.iter().map(|(k, _, _)| *k).collect();
        let mut form = Form::new(
            title,
            kind,
            fields.into_iter().map(|(_, l, v)| (l, v)).collect(),
        );
        for (field, key) in form.fields.iter_mut().zip(keys) {
            field.key = key;
        }
        form
    }

    pub(super) fn key(&mut self, k: KeyEvent, keymap: &Keymap) -> PopupOutcome {
        let f = self;
        match keymap.lookup_in(Scope::Form, Key::from_event(&k)) {
            Some(Cmd::Cancel) => PopupOutcome::Close,
            _ if f.pending => PopupOutcome::Keep,
            Some(Cmd::NextField) => {
                f.focus = (f.focus + 1) % f.fields.len().max(1);
                PopupOutcome::Keep
            }
            Some(Cmd::PrevField) => {
                f.focus = (f.focus + f.fields.len().max(1) - 1) % f.fields.len().max(1);
                PopupOutcome::Keep
            }
            Some(Cmd::Save) => {
                f.error = None;
                f.fields.iter_mut().for_each(|x| x.error = None);
                PopupOutcome::Form(
                    f.kind.clone(),
                    f.fields
                        .iter()
                        .map(|x| x.input.value().to_string())
                        .collect(),
                )
            }
            _ => {
                if let Some(field) = f.fields.get_mut(f.focus) {
                    field.input.handle_event(&Event::Key(k));
                }
                PopupOutcome::Keep
            }
        }
    }

    pub(super) fn draw(&self, f: &mut Frame<'_>, area: Rect, look: &Look<'_>) {
        let form = self;
        let lang = look.lang;
        let label_w = form
            .fields
            .iter()
            .map(|x| x.label.width())
            .max()
            .unwrap_or(0)
            .max(4);
        let width = (label_w + 40)
            .max(form.title.width() + 4)
            .min(area.width as usize) as u16;
        let inner_w = width.saturating_sub(2) as usize;
        // Long messages wrap; the fields scroll when there are more than fit (a round of 26).
        let error_lines = form
            .error
            .as_ref()
            .map_or(0, |e| e.width().div_ceil(inner_w.max(1)));
        let fixed = u16::from(form.note.is_some()) + error_lines as u16 + 2;
        let room = area.height.saturating_sub(fixed + 2).max(1) as usize;
        // Each field is a line, and a refused field one more under it for the reason.
        let field_lines: Vec<(usize, bool)> = form
            .fields
            .iter()
            .enumerate()
            .flat_map(|(i, x)| {
                std::iter::once((i, false)).chain(x.error.is_some().then_some((i, true)))
            })
            .collect();
        let visible = field_lines.len().clamp(1, room);
        let focus_line = field_lines
            .iter()
            .position(|&(i, _)| i == form.focus)
            .unwrap_or(0);
        let focus_end = focus_line
            + usize::from(
                form.fields
                    .get(form.focus)
                    .is_some_and(|x| x.error.is_some()),
            );
        let first = (focus_end + 1).saturating_sub(visible).min(focus_line);
        let rect = centered(area, width, visible as u16 + fixed + 2);
        f.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(format!(" {} ", form.title))
            .border_style(Style::default().fg(Color::Cyan));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let field_w = (inner.width as usize).saturating_sub(label_w + 2).max(1);
        let mut lines = Vec::new();
        if let Some(n) = &form.note {
            lines.push(Line::from(Span::styled(
                fit(n, inner.width as usize),
                dim(),
            )));
        }
        for &(i, is_error) in field_lines.iter().skip(first).take(visible) {
            let field = &form.fields[i];
            if is_error {
                let reason = field.error.as_deref().unwrap_or("");
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(label_w + 2)),
                    Span::styled(
                        fit(&format!("↑ {reason}"), field_w),
                        Style::default().fg(Color::Red),
                    ),
                ]));
                continue;
            }
            let scroll = field.input.visual_scroll(field_w.saturating_sub(1));
            let shown: String = skip_columns(field.input.value(), scroll);
            let mut style = if i == form.focus {
                Style::default().add_modifier(Modifier::UNDERLINED)
            } else {
                Style::default()
            };
            let mut label_style = Style::default();
            if field.error.is_some() {
                style = style.fg(Color::Red);
                label_style = label_style.fg(Color::Red);
            }
            lines.push(Line::from(vec![
                Span::styled(pad(&field.label, label_w), label_style),
                Span::raw("  "),
                Span::styled(pad(&shown, field_w), style),
            ]));
        }
        lines.push(Line::default());
        if let Some(e) = &form.error {
            lines.push(Line::from(Span::styled(
                e.clone(),
                Style::default().fg(Color::Red),
            )));
        }
        let hint = if form.pending {
            lang.pick("保存中…", "saving…").to_string()
        } else {
            hint(
                look.keymap,
                Scope::Form,
                &[(Cmd::Save, 1), (Cmd::NextField, 1), (Cmd::Cancel, 1)],
                lang,
            )
        };
        lines.push(Line::from(Span::styled(hint, dim())));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        if let Some(field) = form.fields.get(form.focus) {
            let scroll = field.input.visual_scroll(field_w.saturating_sub(1));
            let x =
                inner.x + (label_w + 2 + field.input.visual_cursor().saturating_sub(scroll)) as u16;
            let y = inner.y + u16::from(form.note.is_some()) + (focus_line - first) as u16;
            if x < inner.right() && y < inner.bottom() && !form.pending {
                f.set_cursor_position((x, y));
            }
        }
    }
}
