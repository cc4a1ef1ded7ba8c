//! The `?` help: the current screen's keys, the keys that work everywhere and the `:` commands,
//! all read from the keymap and the command list. It scrolls with the movement keys and closes
//! on the help key, Esc (back) or quit; other keys are ignored.

use super::app::App;
use super::keymap::{Cmd, Key, Keymap, Scope};
use super::widgets::{dim, fit, pad};
use crate::i18n::Lang;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// What a key does to the open help.
#[derive(Debug, PartialEq, Eq)]
pub enum HelpKey {
    Scroll(i32),
    Close,
    Ignore,
}

/// Read through the global table (the movement keys, `?`, Esc, `q`), so a rebinding in
/// `keys.toml` moves the help's keys too.
pub fn key(keymap: &Keymap, key: Key) -> HelpKey {
    match keymap.lookup(Scope::Global, key) {
        Some(Cmd::Down) => HelpKey::Scroll(1),
        Some(Cmd::Up) => HelpKey::Scroll(-1),
        Some(Cmd::PageDown) => HelpKey::Scroll(10),
        Some(Cmd::PageUp) => HelpKey::Scroll(-10),
        Some(Cmd::Top) => HelpKey::Scroll(i32::MIN / 2),
        Some(Cmd::Bottom) => HelpKey::Scroll(i32::MAX / 2),
        Some(Cmd::Help | Cmd::Back | Cmd::Quit) => HelpKey::Close,
        _ => HelpKey::Ignore,
    }
}

/// The command line's commands (typed after its key, `:` unless rebound): what is typed, and what
/// it does. The attendant has only those marked.
const COMMANDS: [(&str, &str, &str, &str, bool); 9] = [
    (
        "plan 日期 [县区]",
        "plan DATE [COUNTY]",
        "编排该日",
        "plan that day",
        false,
    ),
    (
        "bus 车牌",
        "bus PLATE",
        "打开该车名单",
        "that bus's roster",
        true,
    ),
    (
        "trip 车次",
        "trip CODE",
        "打开该车次名单",
        "that trip's roster",
        true,
    ),
    (
        "date 日期",
        "date DATE",
        "各屏换到该日",
        "show another day",
        true,
    ),
    (
        "batch 批次 时间 [集合点]",
        "batch CODE HH:MM [PLACE]",
        "修改批次时间或集合点",
        "change a batch's time or place",
        false,
    ),
    (
        "coach [车牌]",
        "coach [PLATE]",
        "新增或编辑车辆",
        "add or edit a coach",
        false,
    ),
    (
        "notice-sent 省份 发给谁",
        "notice-sent PROVINCE WHOM",
        "记录当日抵达预告已发出",
        "the day's arrival notice went out",
        false,
    ),
    ("help", "help", "本帮助", "this help", true),
    ("q", "q", "退出", "quit", true),
];

/// Every line of the help, before scrolling, for an inner width of `width` columns.
pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let key_w = if width >= 40 { 16 } else { 10 };
    let mut lines = Vec::new();
    for scope in [app.scope(), Scope::Global] {
        let title = if scope == Scope::Global {
            lang.pick("全局", "Everywhere").to_string()
        } else {
            app.screen.title(lang).to_string()
        };
        lines.push(Line::from(Span::styled(title, bold)));
        for b in app.keymap.bindings(scope) {
            if app.attendant.is_some() && b.cmd.switches_screen() {
                continue;
            }
            let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
            lines.push(Line::from(vec![
                Span::styled(
                    pad(&keys.join(" "), key_w),
                    Style::default().fg(Color::Yellow),
                ),
                Span::raw(fit(b.cmd.label(lang), width.saturating_sub(key_w))),
            ]));
        }
        lines.push(Line::default());
    }
    // The command line's key as bound, before each command of the table.
    let c = app.keymap.shown(Scope::Global, Cmd::CommandLine);
    lines.push(Line::from(Span::styled(
        match lang {
            Lang::Zh => format!("命令行（{c} 后输入，Enter 执行）"),
            Lang::En => format!("Commands (type after {c}, Enter runs)"),
        },
        bold,
    )));
    let cmd_w = 26;
    for (zh, en, what_zh, what_en, attendant) in COMMANDS {
        if app.attendant.is_some() && !attendant {
            continue;
        }
        let typed = format!("{c}{}", lang.pick(zh, en));
        let typed = typed.as_str();
        let what = lang.pick(what_zh, what_en);
        let typed_span = Span::styled(typed.to_string(), Style::default().fg(Color::Yellow));
        if width >= cmd_w + what.width() {
            lines.push(Line::from(vec![
                Span::styled(pad(typed, cmd_w), Style::default().fg(Color::Yellow)),
                Span::raw(what.to_string()),
            ]));
        } else {
            lines.push(Line::from(typed_span));
            lines.push(Line::from(Span::raw(fit(&format!("  {what}"), width))));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        fit(
            lang.pick(
                "按键可在 keys.toml 中修改",
                "Keys can be changed in keys.toml",
            ),
            width,
        ),
        dim(),
    )));
    lines
}

/// The help's frame inside the screen's body.
/// Inside the screen's own border, so neither frame is drawn over the other.
fn rect(body: Rect) -> Rect {
    let width = body.width.saturating_sub(2).min(66);
    let height = body.height.saturating_sub(2);
    Rect::new(
        body.x + (body.width - width) / 2,
        body.y + body.height.min(1),
        width,
        height,
    )
}

/// The furthest the help scrolls: its last line at the bottom of the frame.
pub fn max_scroll(app: &App, body: Rect) -> u16 {
    let r = rect(body);
    let inner_h = r.height.saturating_sub(2) as usize;
    let n = lines(app, r.width.saturating_sub(2) as usize).len();
    n.saturating_sub(inner_h).min(u16::MAX as usize) as u16
}

pub fn draw(f: &mut Frame<'_>, body: Rect, scroll: u16, app: &App) {
    let lang = app.lang;
    let r = rect(body);
    f.render_widget(Clear, r);
    let shown = |cmd: Cmd| {
        app.keymap
            .key_for(Scope::Global, cmd)
            .map(|k| k.to_string())
            .unwrap_or_default()
    };
    let title = match lang {
        Lang::Zh => format!(
            " 帮助 · {}/{} 滚动 · {} 关闭 ",
            shown(Cmd::Down),
            shown(Cmd::Up),
            shown(Cmd::Back)
        ),
        Lang::En => format!(
            " Help · {}/{} scroll · {} closes ",
            shown(Cmd::Down),
            shown(Cmd::Up),
            shown(Cmd::Back)
        ),
    };
    let inner_w = r.width.saturating_sub(2) as usize;
    let block = Block::bordered()
        .title(fit(&title, inner_w))
        .border_style(Style::default().fg(Color::Cyan));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let all = lines(app, inner.width as usize);
    let scroll = scroll.min(max_scroll(app, body)) as usize;
    let visible: Vec<Line> = all
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(visible), inner);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyCode;

    #[test]
    fn help_keys_follow_the_keymap() {
        let m = Keymap::default();
        assert_eq!(key(&m, Key::ch('j')), HelpKey::Scroll(1));
        assert_eq!(key(&m, Key::plain(KeyCode::Up)), HelpKey::Scroll(-1));
        assert_eq!(key(&m, Key::ch('?')), HelpKey::Close);
        assert_eq!(key(&m, Key::plain(KeyCode::Esc)), HelpKey::Close);
        assert_eq!(key(&m, Key::ch('q')), HelpKey::Close);
        assert_eq!(key(&m, Key::ch('x')), HelpKey::Ignore);
        let (m, _) = Keymap::default().with_overrides("[global]\ndown = \"J\"\n", "keys.toml");
        assert_eq!(key(&m, Key::ch('J')), HelpKey::Scroll(1));
        assert_eq!(key(&m, Key::ch('j')), HelpKey::Ignore);
    }
}
