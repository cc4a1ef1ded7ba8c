//! Keys are data: one table of (command, keys) per screen plus a global one. The key handling,
//! the footer hints and the `?` help are all read from these tables, and `keys.toml` in the
//! config directory can rebind any command.

use crate::i18n::Lang;
use std::collections::BTreeMap;
use std::path::Path;

mod defaults;
mod key;

pub use key::Key;

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
    /// A question with Cancel and Yes (never the global table: its letters answer it).
    Confirm,
    /// A form of typed fields (letters are typed into the field, so only Enter, Esc and the
    /// field keys are bound).
    Form,
    /// A short list to pick from.
    Choice,
}

impl Scope {
    pub const ALL: [Scope; 10] = [
        Scope::Global,
        Scope::Destinations,
        Scope::Workers,
        Scope::Batches,
        Scope::Board,
        Scope::Roster,
        Scope::Stats,
        Scope::Confirm,
        Scope::Form,
        Scope::Choice,
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
            Scope::Confirm => "confirm",
            Scope::Form => "form",
            Scope::Choice => "choice",
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
    Withdraw = "withdraw", "撤销登记", "withdraw", true;
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
    Messages = "messages", "消息记录", "messages", false;
    Choose = "choose", "确定", "choose", false;
    Yes = "yes", "是", "yes", false;
    Cancel = "cancel", "取消", "cancel", false;
    Switch = "switch", "切换", "move", false;
    Save = "save", "保存", "save", false;
    NextField = "next-field", "下一项", "next field", false;
    PrevField = "prev-field", "上一项", "previous field", false;
}

impl Cmd {
    /// Commands that change the screen: they make no sense when only one bus's roster is
    /// offered (attendant mode), so its footer and help leave them out.
    pub fn switches_screen(self) -> bool {
        matches!(
            self,
            Cmd::NextScreen
                | Cmd::PrevScreen
                | Cmd::Destinations
                | Cmd::Workers
                | Cmd::Batches
                | Cmd::Board
                | Cmd::Roster
                | Cmd::Stats
        )
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

    /// The command of a key in one table only (dialogs: the global table does not apply).
    pub fn lookup_in(&self, scope: Scope, key: Key) -> Option<Cmd> {
        self.tables
            .get(&scope)
            .and_then(|t| t.iter().find(|b| b.keys.contains(&key)).map(|b| b.cmd))
    }

    /// The first `n` keys of a command run together, for hints like `←→ 切换` or `↑↓ 选择`.
    pub fn shown_keys(&self, scope: Scope, cmd: Cmd, n: usize) -> String {
        self.tables
            .get(&scope)
            .and_then(|t| t.iter().find(|b| b.cmd == cmd))
            .map(|b| b.keys.iter().take(n).map(|k| k.to_string()).collect())
            .unwrap_or_default()
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

    /// The first key of a command as shown in hints (`p`, `Esc`), "" when it has none: every
    /// hint that names a key takes it from here, so a rebinding in `keys.toml` moves it too.
    pub fn shown(&self, scope: Scope, cmd: Cmd) -> String {
        self.key_for(scope, cmd)
            .map(|k| k.to_string())
            .unwrap_or_default()
    }

    /// Two commands of one table on the same key: the second could never be reached. One
    /// sentence per clash, naming the file, the table, the key and both commands.
    pub fn conflicts(&self, file: &str, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        for (scope, table) in &self.tables {
            for (i, a) in table.iter().enumerate() {
                for b in &table[i + 1..] {
                    if let Some(k) = a.keys.iter().find(|k| b.keys.contains(k)) {
                        out.push(match lang {
                            Lang::Zh => format!(
                                "{file}：[{}] 中 {} 和 {} 都绑定到 {k}：一个键只能对应一个命令",
                                scope.name(),
                                a.cmd.name(),
                                b.cmd.name()
                            ),
                            Lang::En => format!(
                                "{file}: [{}] {} and {} are both bound to {k}: one key, one command",
                                scope.name(),
                                a.cmd.name(),
                                b.cmd.name()
                            ),
                        });
                    }
                }
            }
        }
        out
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
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    fn two_commands_of_one_screen_on_one_key_are_named() {
        assert!(Keymap::default()
            .conflicts("keys.toml", Lang::En)
            .is_empty());
        let text = "[roster]\nrefuse = \"b\"\n";
        let (m, problems) = Keymap::default().with_overrides(text, "keys.toml");
        assert!(problems.is_empty(), "{problems:?}");
        let clash = m.conflicts("keys.toml", Lang::Zh);
        assert_eq!(clash.len(), 1, "{clash:?}");
        assert!(
            clash[0].contains("check-in") && clash[0].contains("refuse"),
            "{clash:?}"
        );
        assert!(
            clash[0].contains("[roster]") && clash[0].contains(" b"),
            "{clash:?}"
        );
        // The same key on two screens is no clash.
        let (m, _) = Keymap::default().with_overrides("[board]\nopen = \"x\"\n", "k");
        assert!(m.conflicts("k", Lang::En).is_empty());
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
