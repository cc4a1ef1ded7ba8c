//! Dialogs over the screen: a confirmation (focus starts on Cancel and the question names the
//! object), a small form of typed fields that stays open until its write succeeds, and the help
//! built from the keymap.

use super::action::Request;
use super::app::{App, Effect};
use super::keymap::Scope;
use super::widgets::{dim, fit, pad, selected_style};
use crate::i18n::Lang;
use crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;
use tui_input::backend::crossterm::EventHandler;
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

/// Which screen action a form feeds.
#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    EditWorker {
        id: i64,
    },
    /// Temperature at the door.
    CheckIn {
        worker_id: i64,
    },
    /// Fever en route: temperature, then a seat in the observation rows.
    Observe {
        worker_id: i64,
    },
    /// Reverse the last door decision: the reason, kept in the audit log.
    Undo {
        worker_id: i64,
    },
    /// One field per passenger aboard, in this order.
    Round {
        worker_ids: Vec<i64>,
    },
    Stop,
    Arrive,
    /// A walk-in for the ledger (Workers screen).
    Register,
    /// A coach of the fleet: a new one (`editing` None) or the one with that plate.
    Coach {
        editing: Option<String>,
    },
    /// A substitute coach chosen: the reason and whether the old crew comes along.
    Swap {
        trip: String,
        from: String,
        to: String,
    },
    /// Cancelling a trip: the reason, then a confirmation naming the bus and its passengers.
    CancelTrip {
        trip: String,
        plate: String,
        passengers: u32,
    },
}

/// A short list to pick from (a refusal reason, a stand-by worker); each option carries the
/// request it makes, so picking is the explicit confirmation.
#[derive(Debug)]
pub struct Choice {
    pub title: String,
    pub options: Vec<(String, Request)>,
    pub selected: usize,
}

#[derive(Debug)]
pub struct Confirm {
    pub question: String,
    pub detail: Vec<String>,
    pub yes: String,
    pub focus_yes: bool,
    pub on_yes: Request,
}

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

#[derive(Debug)]
pub enum Popup {
    Confirm(Confirm),
    Form(Form),
    Choice(Choice),
    /// Read-only lines (an arrival summary, a round's findings); any key closes.
    Info {
        title: String,
        lines: Vec<String>,
    },
    Help {
        scroll: u16,
    },
}

pub enum PopupOutcome {
    Keep,
    Close,
    Submit(Vec<Effect>),
    Form(FormKind, Vec<String>),
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
}

impl Popup {
    pub fn key(&mut self, k: KeyEvent, _lang: Lang) -> PopupOutcome {
        match self {
            Popup::Confirm(c) => match k.code {
                KeyCode::Esc | KeyCode::Char('n') | KeyCode::Char('q') => PopupOutcome::Close,
                KeyCode::Left
                | KeyCode::Right
                | KeyCode::Tab
                | KeyCode::BackTab
                | KeyCode::Char('h')
                | KeyCode::Char('l') => {
                    c.focus_yes = !c.focus_yes;
                    PopupOutcome::Keep
                }
                KeyCode::Char('y') => PopupOutcome::Submit(vec![Effect::Send(c.on_yes.clone())]),
                KeyCode::Enter if c.focus_yes => {
                    PopupOutcome::Submit(vec![Effect::Send(c.on_yes.clone())])
                }
                KeyCode::Enter => PopupOutcome::Close,
                _ => PopupOutcome::Keep,
            },
            Popup::Form(f) => match k.code {
                KeyCode::Esc => PopupOutcome::Close,
                _ if f.pending => PopupOutcome::Keep,
                KeyCode::Tab | KeyCode::Down => {
                    f.focus = (f.focus + 1) % f.fields.len().max(1);
                    PopupOutcome::Keep
                }
                KeyCode::BackTab | KeyCode::Up => {
                    f.focus = (f.focus + f.fields.len().max(1) - 1) % f.fields.len().max(1);
                    PopupOutcome::Keep
                }
                KeyCode::Enter => {
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
            },
            Popup::Choice(c) => match k.code {
                KeyCode::Esc | KeyCode::Char('q') => PopupOutcome::Close,
                KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => {
                    c.selected = (c.selected + 1).min(c.options.len().saturating_sub(1));
                    PopupOutcome::Keep
                }
                KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => {
                    c.selected = c.selected.saturating_sub(1);
                    PopupOutcome::Keep
                }
                KeyCode::Char(d @ '1'..='9') => {
                    let i = d as usize - '1' as usize;
                    match c.options.get(i) {
                        Some((_, r)) => PopupOutcome::Submit(vec![Effect::Send(r.clone())]),
                        None => PopupOutcome::Keep,
                    }
                }
                KeyCode::Enter => match c.options.get(c.selected) {
                    Some((_, r)) => PopupOutcome::Submit(vec![Effect::Send(r.clone())]),
                    None => PopupOutcome::Close,
                },
                _ => PopupOutcome::Keep,
            },
            Popup::Info { .. } => PopupOutcome::Close,
            Popup::Help { scroll } => match k.code {
                KeyCode::Down | KeyCode::Char('j') => {
                    *scroll = scroll.saturating_add(1);
                    PopupOutcome::Keep
                }
                KeyCode::Up | KeyCode::Char('k') => {
                    *scroll = scroll.saturating_sub(1);
                    PopupOutcome::Keep
                }
                KeyCode::PageDown => {
                    *scroll = scroll.saturating_add(10);
                    PopupOutcome::Keep
                }
                KeyCode::PageUp => {
                    *scroll = scroll.saturating_sub(10);
                    PopupOutcome::Keep
                }
                _ => PopupOutcome::Close,
            },
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Popup::Form(f) = self {
            if let Some(field) = f.fields.get_mut(f.focus) {
                let v = format!("{}{text}", field.input.value());
                field.input = Input::new(v);
            }
        }
    }

    /// The write behind a form failed: show why and let the operator correct it.
    pub fn fail(&mut self, message: &str) {
        if let Popup::Form(f) = self {
            f.pending = false;
            f.error = Some(message.to_string());
        }
    }

    /// The write behind a form refused one field: the reason goes under that field and the
    /// cursor to it; a form without that field shows the whole message instead.
    pub fn fail_field(&mut self, key: &str, reason: &str, message: &str) {
        let Popup::Form(f) = self else { return };
        f.pending = false;
        match f
            .fields
            .iter()
            .position(|x| !x.key.is_empty() && x.key == key)
        {
            Some(i) => {
                f.fields[i].error = Some(reason.to_string());
                f.focus = i;
            }
            None => f.error = Some(message.to_string()),
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(self, Popup::Form(f) if f.pending)
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

pub fn draw(f: &mut Frame<'_>, area: Rect, popup: &Popup, app: &App) {
    let lang = app.lang;
    match popup {
        Popup::Confirm(c) => {
            let buttons = lang.pick("取消", "Cancel").width() + c.yes.width() + 9;
            let width = (c.question.width())
                .max(c.detail.iter().map(|d| d.width()).max().unwrap_or(0))
                .max(buttons)
                + 4;
            let rect = centered(area, width.clamp(30, 76) as u16, 6 + c.detail.len() as u16);
            f.render_widget(Clear, rect);
            let block = Block::bordered()
                .title(lang.pick(" 请确认 ", " Confirm "))
                .border_style(Style::default().fg(Color::Yellow));
            let inner = block.inner(rect);
            f.render_widget(block, rect);
            let mut lines = vec![Line::from(Span::styled(
                c.question.clone(),
                Style::default().add_modifier(Modifier::BOLD),
            ))];
            lines.extend(c.detail.iter().map(|d| Line::from(d.clone())));
            lines.push(Line::default());
            let cancel = format!(" {} ", lang.pick("取消", "Cancel"));
            let yes = format!(" {} ", c.yes);
            let (cs, ys) = if c.focus_yes {
                (Style::default(), selected_style().fg(Color::Red))
            } else {
                (selected_style(), Style::default().fg(Color::Red))
            };
            lines.push(Line::from(vec![
                Span::styled(cancel, cs),
                Span::raw("   "),
                Span::styled(yes, ys),
            ]));
            lines.push(Line::from(Span::styled(
                lang.pick(
                    "←→ 切换 · Enter 确定 · Esc 取消",
                    "←→ move · Enter choose · Esc cancel",
                ),
                dim(),
            )));
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        Popup::Form(form) => draw_form(f, area, form, lang),
        Popup::Choice(c) => draw_choice(f, area, c, lang),
        Popup::Info { title, lines } => {
            let width = lines
                .iter()
                .map(|l| l.width())
                .max()
                .unwrap_or(0)
                .max(title.width())
                + 4;
            let rect = centered(area, width.clamp(24, 78) as u16, lines.len() as u16 + 3);
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
        Popup::Help { scroll } => draw_help(f, area, *scroll, app),
    }
}

fn draw_form(f: &mut Frame<'_>, area: Rect, form: &Form, lang: Lang) {
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
        lang.pick("保存中…", "saving…")
    } else {
        lang.pick(
            "Enter 保存 · Tab 下一项 · Esc 取消",
            "Enter save · Tab next field · Esc cancel",
        )
    };
    lines.push(Line::from(Span::styled(hint, dim())));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if let Some(field) = form.fields.get(form.focus) {
        let scroll = field.input.visual_scroll(field_w.saturating_sub(1));
        let x = inner.x + (label_w + 2 + field.input.visual_cursor().saturating_sub(scroll)) as u16;
        let y = inner.y + u16::from(form.note.is_some()) + (focus_line - first) as u16;
        if x < inner.right() && y < inner.bottom() && !form.pending {
            f.set_cursor_position((x, y));
        }
    }
}

fn draw_choice(f: &mut Frame<'_>, area: Rect, c: &Choice, lang: Lang) {
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
    lines.push(Line::from(Span::styled(
        lang.pick(
            "↑↓ 选择 · Enter 确定 · Esc 取消",
            "↑↓ choose · Enter pick · Esc cancel",
        ),
        dim(),
    )));
    f.render_widget(Paragraph::new(lines), inner);
}

/// Drops the first `cols` display columns of `s` (horizontal scrolling of an input).
pub fn skip_columns(s: &str, cols: usize) -> String {
    let mut skipped = 0;
    s.chars()
        .skip_while(|c| {
            if skipped >= cols {
                return false;
            }
            skipped += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            true
        })
        .collect()
}

fn draw_help(f: &mut Frame<'_>, area: Rect, scroll: u16, app: &App) {
    let lang = app.lang;
    let rect = centered(area, 64, area.height.saturating_sub(2).max(3));
    f.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(lang.pick(" 帮助 — 按任意键关闭 ", " Help — any key closes "))
        .border_style(Style::default().fg(Color::Cyan));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let mut lines = Vec::new();
    for scope in [app.scope(), Scope::Global] {
        let title = if scope == Scope::Global {
            lang.pick("全局", "Everywhere").to_string()
        } else {
            app.screen.title(lang).to_string()
        };
        lines.push(Line::from(Span::styled(
            title,
            Style::default().add_modifier(Modifier::BOLD),
        )));
        for b in app.keymap.bindings(scope) {
            if app.attendant.is_some() && super::ui::hidden_in_attendant_mode(b.cmd) {
                continue;
            }
            let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
            lines.push(Line::from(vec![
                Span::styled(pad(&keys.join(" "), 16), Style::default().fg(Color::Yellow)),
                Span::raw(b.cmd.label(lang)),
            ]));
        }
        lines.push(Line::default());
    }
    for (zh, en) in [
        (
            "命令行：:plan 日期  :bus 车牌  :date 日期  :q",
            "Commands: :plan DATE  :bus PLATE  :date DATE  :q",
        ),
        (
            "        :notice-sent 省份 发给谁（当日抵达预告已发出）",
            "          :notice-sent PROVINCE WHOM (the notice went out)",
        ),
        (
            "按键可在 keys.toml 中修改",
            "Keys can be changed in keys.toml",
        ),
    ] {
        lines.push(Line::from(Span::styled(lang.pick(zh, en), dim())));
    }
    f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
