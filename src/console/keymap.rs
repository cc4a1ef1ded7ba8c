//! Keys are data: one table of (command, keys) per screen plus a global one. The key handling,
//! the footer hints and the `?` help are all read from these tables, and `keys.toml` in the
//! config directory can rebind any command.

use crate::i18n::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// Where a binding applies. `Global` is consulted after the screen's own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Global,
    Destinations,
    Workers,
    Batches,
    Board,
    Roster,
    Stats,
}

impl Scope {
    pub const ALL: [Scope; 7] = [
        Scope::Global,
        Scope::Destinations,
        Scope::Workers,
        Scope::Batches,
        Scope::Board,
        Scope::Roster,
        Scope::Stats,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Destinations => "destinations",
            Scope::Workers => "workers",
            Scope::Batches => "batches",
            Scope::Board => "board",
            Scope::Roster => "roster",
            Scope::Stats => "stats",
        }
    }
}

macro_rules! commands {
    ($($variant:ident = $name:literal, $zh:literal, $en:literal, $destructive:literal;)+) => {
        /// Everything a key can ask for. The names are what `keys.toml` uses.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Cmd { $($variant),+ }
        impl Cmd {
            pub fn name(self) -> &'static str { match self { $(Cmd::$variant => $name),+ } }
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $(Cmd::$variant => lang.pick($zh, $en)),+ }
            }
            /// Commands that change or remove records: never on Ctrl-d / Ctrl-k / Ctrl-r.
            pub fn destructive(self) -> bool { match self { $(Cmd::$variant => $destructive),+ } }
            pub fn from_name(s: &str) -> Option<Cmd> {
                match s { $($name => Some(Cmd::$variant),)+ _ => None }
            }
        }
    };
}

commands! {
    Quit = "quit", "退出", "quit", false;
    Help = "help", "帮助", "help", false;
    NextScreen = "next-screen", "下一屏", "next screen", false;
    PrevScreen = "prev-screen", "上一屏", "previous screen", false;
    Destinations = "destinations", "目的地", "destinations", false;
    Workers = "workers", "台账", "workers", false;
    Batches = "batches", "批次", "batches", false;
    Board = "board", "发车", "board", false;
    Roster = "roster", "名单", "roster", false;
    Stats = "stats", "统计", "statistics", false;
    Filter = "filter", "筛选", "filter", false;
    CommandLine = "command", "命令", "command", false;
    Up = "up", "上移", "up", false;
    Down = "down", "下移", "down", false;
    Top = "top", "顶部", "top", false;
    Bottom = "bottom", "底部", "bottom", false;
    PageUp = "page-up", "上一页", "page up", false;
    PageDown = "page-down", "下一页", "page down", false;
    Back = "back", "返回", "back", false;
    Open = "open", "打开", "open", false;
    Refresh = "refresh", "刷新", "refresh", false;
    Sort = "sort", "排序", "sort", false;
    PrevDay = "prev-day", "前一天", "previous day", false;
    NextDay = "next-day", "后一天", "next day", false;
    Edit = "edit", "编辑", "edit", true;
    Withdraw = "withdraw", "退出台账", "withdraw", true;
    Reveal = "reveal", "显示证号", "reveal ID", false;
    Plan = "plan", "编排", "plan", false;
    Apply = "apply", "确认编排", "apply plan", true;
    Focus = "focus", "切换面板", "switch pane", false;
    CheckIn = "check-in", "登车", "check in", true;
    Refuse = "refuse", "拒载", "refuse", true;
    NoShow = "no-show", "未到", "no-show", true;
    Standby = "standby", "候补", "stand-by", true;
    Undo = "undo", "撤销", "undo", true;
    Depart = "depart", "发车", "depart", true;
    Round = "round", "测温", "temp round", true;
    Stop = "stop", "停靠点名", "stop", true;
    Observe = "observe", "移至留观", "observation", true;
    Arrive = "arrive", "交接", "arrive", true;
    Register = "register", "登记新工人", "register walk-in", true;
    NewCoach = "new-coach", "新增车辆", "add coach", true;
    EditCoach = "edit-coach", "编辑车辆", "edit coach", true;
    NoticeSent = "notice-sent", "记录已发预告", "notice sent", true;
    Move = "move", "调车", "move", true;
    Swap = "swap", "换车", "swap coach", true;
    CancelTrip = "cancel-trip", "取消车次", "cancel trip", true;
}

/// A key as the tables store it: code plus Ctrl/Alt (Shift is part of the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    pub fn from_event(e: &KeyEvent) -> Key {
        let mut mods = e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match e.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::BackTab => KeyCode::BackTab,
            KeyCode::Tab if e.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            c => c,
        };
        if code == KeyCode::BackTab {
            mods = KeyModifiers::NONE;
        }
        Key { code, mods }
    }

    /// `q`, `G`, `ctrl-c`, `alt-x`, `enter`, `esc`, `tab`, `shift-tab`, `up`, `pgdn`, `f1`, `space` …
    pub fn parse(s: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower
                .strip_prefix("ctrl-")
                .or_else(|| lower.strip_prefix("c-"))
            {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("alt-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                mods |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if mods.is_empty() {
                c
            } else {
                c.to_ascii_lowercase()
            }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "shift-tab" | "backtab" | "s-tab" => KeyCode::BackTab,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                f if f.starts_with('f') => {
                    KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
                }
                _ => return None,
            },
        };
        Some(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("^")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("M-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Backspace => f.write_str("Bksp"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::F(n) => write!(f, "F{n}"),
            _ => f.write_str("?"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub cmd: Cmd,
    pub keys: Vec<Key>,
    /// Shown in the footer (everything is shown in the help).
    pub footer: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    tables: BTreeMap<Scope, Vec<Binding>>,
}

fn b(cmd: Cmd, keys: &[Key], footer: bool) -> Binding {
    Binding {
        cmd,
        keys: keys.to_vec(),
        footer,
    }
}

impl Default for Keymap {
    fn default() -> Keymap {
        use KeyCode::*;
        let k = Key::plain;
        let c = Key::ch;
        let nav = || {
            vec![
                b(Cmd::Up, &[c('k'), k(Up)], false),
                b(Cmd::Down, &[c('j'), k(Down)], false),
                b(Cmd::Top, &[c('g'), k(Home)], false),
                b(Cmd::Bottom, &[c('G'), k(End)], false),
                b(Cmd::PageUp, &[k(PageUp), Key::ctrl('b')], false),
                b(Cmd::PageDown, &[k(PageDown), Key::ctrl('f')], false),
            ]
        };
        let mut tables = BTreeMap::new();
        tables.insert(
            Scope::Global,
            [
                vec![
                    b(Cmd::Help, &[c('?')], true),
                    b(Cmd::Filter, &[c('/')], true),
                    b(Cmd::CommandLine, &[c(':')], true),
                    b(Cmd::Quit, &[c('q'), Key::ctrl('c')], true),
                    b(Cmd::Back, &[k(Esc)], false),
                    b(Cmd::NextScreen, &[k(Tab)], false),
                    b(Cmd::PrevScreen, &[k(BackTab)], false),
                    b(Cmd::Destinations, &[c('1')], false),
                    b(Cmd::Workers, &[c('2')], false),
                    b(Cmd::Batches, &[c('3')], false),
                    b(Cmd::Board, &[c('4')], false),
                    b(Cmd::Roster, &[c('5')], false),
                    b(Cmd::Stats, &[c('6')], false),
                    b(Cmd::Refresh, &[Key::ctrl('l')], false),
                ],
                nav(),
            ]
            .concat(),
        );
        tables.insert(
            Scope::Destinations,
            vec![
                b(Cmd::Open, &[k(Enter)], true),
                b(Cmd::Sort, &[c('s')], true),
                b(Cmd::Focus, &[c('f')], false),
            ],
        );
        tables.insert(
            Scope::Workers,
            vec![
                b(Cmd::Register, &[c('n')], true),
                b(Cmd::Edit, &[c('e')], true),
                b(Cmd::Withdraw, &[c('w')], true),
                b(Cmd::Reveal, &[c('R')], true),
            ],
        );
        tables.insert(
            Scope::Batches,
            vec![
                b(Cmd::PrevDay, &[c('[')], true),
                b(Cmd::NextDay, &[c(']')], true),
                b(Cmd::Plan, &[c('p')], true),
                b(Cmd::Apply, &[c('a')], true),
                // The coach keys before the pane switch: with the day keys, the footer shows them
                // from about 100 columns; `?` lists them at any width.
                b(Cmd::NewCoach, &[c('n')], true),
                b(Cmd::EditCoach, &[c('c')], true),
                b(Cmd::Focus, &[c('f')], true),
            ],
        );
        tables.insert(
            Scope::Board,
            vec![
                b(Cmd::Open, &[k(Enter)], true),
                b(Cmd::PrevDay, &[c('[')], true),
                b(Cmd::NextDay, &[c(']')], true),
                b(Cmd::NoticeSent, &[c('N')], true),
                b(Cmd::Swap, &[c('S')], true),
                b(Cmd::CancelTrip, &[c('X')], true),
            ],
        );
        tables.insert(
            Scope::Roster,
            vec![
                b(Cmd::CheckIn, &[c('b'), k(Enter)], true),
                b(Cmd::Refuse, &[c('x')], true),
                b(Cmd::NoShow, &[c('n')], true),
                b(Cmd::Standby, &[c('s')], true),
                b(Cmd::Undo, &[c('u')], true),
                b(Cmd::Depart, &[c('D')], true),
                b(Cmd::Round, &[c('t')], true),
                b(Cmd::Stop, &[c('h')], true),
                b(Cmd::Observe, &[c('o')], true),
                b(Cmd::Arrive, &[c('A')], true),
                b(Cmd::Move, &[c('m')], true),
                b(Cmd::Swap, &[c('S')], true),
                b(Cmd::CancelTrip, &[c('X')], true),
                b(Cmd::Reveal, &[c('R')], false),
            ],
        );
        tables.insert(
            Scope::Stats,
            vec![
                b(Cmd::PrevDay, &[c('[')], true),
                b(Cmd::NextDay, &[c(']')], true),
            ],
        );
        Keymap { tables }
    }
}

impl Keymap {
    /// The screen's table first, then the global one.
    pub fn lookup(&self, scope: Scope, key: Key) -> Option<Cmd> {
        let find = |s: Scope| {
            self.tables
                .get(&s)
                .and_then(|t| t.iter().find(|b| b.keys.contains(&key)).map(|b| b.cmd))
        };
        find(scope).or_else(|| find(Scope::Global))
    }

    pub fn bindings(&self, scope: Scope) -> &[Binding] {
        self.tables.get(&scope).map(Vec::as_slice).unwrap_or(&[])
    }

    /// First key of a command in a scope (or global), for hints inside dialogs and messages.
    pub fn key_for(&self, scope: Scope, cmd: Cmd) -> Option<Key> {
        [scope, Scope::Global]
            .iter()
            .filter_map(|s| self.tables.get(s))
            .flat_map(|t| t.iter())
            .find(|b| b.cmd == cmd)
            .and_then(|b| b.keys.first().copied())
    }

    /// Reads `keys.toml` over the defaults: `[workers] withdraw = "W"` or `= ["W", "ctrl-w"]`.
    /// Returns the keymap and one human sentence per entry that was ignored.
    pub fn with_overrides(mut self, text: &str, file: &str) -> (Keymap, Vec<String>) {
        let mut problems = Vec::new();
        let doc: toml::Table = match toml::from_str(text) {
            Ok(d) => d,
            Err(e) => {
                problems.push(format!(
                    "{file}: {}",
                    e.to_string().trim().replace('\n', " ")
                ));
                return (self, problems);
            }
        };
        for (section, entries) in doc {
            let Some(scope) = Scope::ALL.into_iter().find(|s| s.name() == section) else {
                problems.push(format!("{file}: [{section}]: unknown screen"));
                continue;
            };
            let Some(entries) = entries.as_table() else {
                problems.push(format!(
                    "{file}: [{section}] must be a table of command = keys"
                ));
                continue;
            };
            for (name, value) in entries {
                let Some(cmd) = Cmd::from_name(name) else {
                    problems.push(format!("{file}: [{section}] {name}: unknown command"));
                    continue;
                };
                let texts: Vec<&str> = match value {
                    toml::Value::String(s) => vec![s.as_str()],
                    toml::Value::Array(a) => a.iter().filter_map(|v| v.as_str()).collect(),
                    _ => vec![],
                };
                let keys: Option<Vec<Key>> = texts.iter().map(|t| Key::parse(t)).collect();
                let Some(keys) = keys.filter(|k| !k.is_empty()) else {
                    problems.push(format!(
                        "{file}: [{section}] {name}: cannot read keys {value}"
                    ));
                    continue;
                };
                let risky = [Key::ctrl('d'), Key::ctrl('k'), Key::ctrl('r')];
                if cmd.destructive() && keys.iter().any(|k| risky.contains(k)) {
                    problems.push(format!(
                        "{file}: [{section}] {name}: Ctrl-d, Ctrl-k and Ctrl-r are never bound to actions that change records"
                    ));
                    continue;
                }
                let table = self.tables.entry(scope).or_default();
                match table.iter_mut().find(|b| b.cmd == cmd) {
                    Some(b) => b.keys = keys,
                    None => table.push(Binding {
                        cmd,
                        keys,
                        footer: false,
                    }),
                }
            }
        }
        (self, problems)
    }

    /// Defaults, overridden by the file if it exists.
    pub fn load(path: &Path) -> (Keymap, Vec<String>) {
        match std::fs::read_to_string(path) {
            Ok(text) => Keymap::default().with_overrides(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Keymap::default(), vec![]),
            Err(e) => (Keymap::default(), vec![format!("{}: {e}", path.display())]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_keys_win_over_global_ones() {
        let m = Keymap::default();
        assert_eq!(m.lookup(Scope::Workers, Key::ch('w')), Some(Cmd::Withdraw));
        assert_eq!(m.lookup(Scope::Workers, Key::ch('q')), Some(Cmd::Quit));
        assert_eq!(
            m.lookup(Scope::Roster, Key::plain(KeyCode::Enter)),
            Some(Cmd::CheckIn)
        );
        assert_eq!(
            m.lookup(Scope::Board, Key::plain(KeyCode::Enter)),
            Some(Cmd::Open)
        );
        assert_eq!(m.lookup(Scope::Workers, Key::ch('z')), None);
    }

    #[test]
    fn parses_and_shows_keys() {
        assert_eq!(Key::parse("ctrl-C"), Some(Key::ctrl('c')));
        assert_eq!(Key::parse("G"), Some(Key::ch('G')));
        assert_eq!(Key::parse("shift-tab"), Some(Key::plain(KeyCode::BackTab)));
        assert_eq!(Key::parse("pgdn"), Some(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("f13"), None);
        assert_eq!(Key::parse("banana"), None);
        assert_eq!(Key::ctrl('c').to_string(), "^c");
        assert_eq!(Key::plain(KeyCode::PageDown).to_string(), "PgDn");
    }

    #[test]
    fn overrides_rebind_and_report_problems() {
        let text = "[workers]\nwithdraw = \"W\"\nedit = [\"E\", \"ctrl-e\"]\nfrobnicate = \"z\"\n\
                    [roster]\ndepart = \"ctrl-d\"\n[nowhere]\nquit = \"x\"\n";
        let (m, problems) = Keymap::default().with_overrides(text, "keys.toml");
        assert_eq!(m.lookup(Scope::Workers, Key::ch('W')), Some(Cmd::Withdraw));
        assert_eq!(m.lookup(Scope::Workers, Key::ch('w')), None);
        assert_eq!(m.lookup(Scope::Workers, Key::ctrl('e')), Some(Cmd::Edit));
        // Depart stays on its default key: Ctrl-d is refused for destructive commands.
        assert_eq!(m.lookup(Scope::Roster, Key::ctrl('d')), None);
        assert_eq!(m.lookup(Scope::Roster, Key::ch('D')), Some(Cmd::Depart));
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems
            .iter()
            .any(|p| p.contains("frobnicate: unknown command")));
        assert!(problems.iter().any(|p| p.contains("[nowhere]")));
    }

    #[test]
    fn defaults_keep_destructive_commands_off_risky_chords() {
        let m = Keymap::default();
        for scope in Scope::ALL {
            for b in m.bindings(scope) {
                if b.cmd.destructive() {
                    for k in &b.keys {
                        assert!(
                            ![Key::ctrl('d'), Key::ctrl('k'), Key::ctrl('r')].contains(k),
                            "{b:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn shift_tab_from_terminals_is_back_tab() {
        let e = KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), Key::plain(KeyCode::BackTab));
        let e = KeyEvent::new(
            KeyCode::Char('C'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Key::from_event(&e), Key::ctrl('c'));
    }
}
