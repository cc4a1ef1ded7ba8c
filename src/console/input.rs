//! Keys and pasted text reaching the console: the open dialog first, then the input line,
//! then the keymap — the current screen's table before the global one.

use super::action::Request;
use super::app::{App, Effect, Prompt, Screen, ScreenState};
use super::commands;
use super::help::{self, HelpKey};
use super::keymap::{Cmd, Key};
use super::popup::{Popup, PopupOutcome};
use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::EventHandler;
use tui_input::Input;

impl App {
    pub(super) fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        if let Some(p) = &mut self.popup {
            p.paste(&clean);
            return vec![];
        }
        match &mut self.prompt {
            Some(Prompt::Filter(input)) => {
                let value = format!("{}{clean}", input.value());
                *input = Input::new(value.clone());
                self.on_screen(|s, env| s.filter(&value, env))
            }
            Some(Prompt::Command(input)) => {
                *input = Input::new(format!("{}{clean}", input.value()));
                vec![]
            }
            None => vec![],
        }
    }

    pub(super) fn on_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        if matches!(self.popup, Some(Popup::Help { .. })) {
            let max = i64::from(help::max_scroll(self, super::ui::body(self.size)));
            match help::key(&self.keymap, Key::from_event(&k)) {
                HelpKey::Close => self.popup = None,
                HelpKey::Scroll(by) => {
                    if let Some(Popup::Help { scroll }) = &mut self.popup {
                        *scroll = (i64::from(*scroll) + i64::from(by)).clamp(0, max) as u16;
                    }
                }
                HelpKey::Ignore => {}
            }
            return vec![];
        }
        if let Some(mut p) = self.popup.take() {
            return match p.key(k, &self.keymap) {
                PopupOutcome::Keep => {
                    self.popup = Some(p);
                    vec![]
                }
                PopupOutcome::Close => vec![],
                PopupOutcome::Submit(request) => vec![Effect::Send(request)],
                PopupOutcome::Form(kind, values) => {
                    let lang = self.lang;
                    let mut effects = match super::screens::reshape::submit(&kind, &values, lang) {
                        Some(effects) => effects,
                        None => self.on_screen(|s, env| s.form(kind, values, env)),
                    };
                    // The form stays open until its write succeeds, so a refused value can be
                    // corrected instead of typed again; a rejected value is shown in the form.
                    let error = effects.iter().find_map(|e| match e {
                        Effect::Error(t) => Some(t.clone()),
                        _ => None,
                    });
                    if let Some(error) = error {
                        effects.retain(|e| !matches!(e, Effect::Error(_)));
                        p.fail(&error);
                        self.popup = Some(p);
                    } else if effects
                        .iter()
                        .any(|e| matches!(e, Effect::Send(Request::Write(_))))
                    {
                        if let Popup::Form(form) = &mut p {
                            form.pending = true;
                        }
                        self.popup = Some(p);
                    }
                    effects
                }
            };
        }
        if self.prompt.is_some() {
            return self.on_prompt_key(k);
        }
        let Some(cmd) = self.keymap.lookup(self.scope(), Key::from_event(&k)) else {
            return vec![];
        };
        // The screen gets first say (Esc leaves a drill-in before it clears a filter …).
        let mut handled = None;
        self.on_screen(|s, env| {
            handled = s.command(cmd, env);
            vec![]
        });
        match handled {
            Some(effects) => effects,
            None => self.global(cmd),
        }
    }

    fn global(&mut self, cmd: Cmd) -> Vec<Effect> {
        let attendant = self.attendant.is_some();
        let screen = match cmd {
            Cmd::Quit => {
                self.quit = true;
                return vec![];
            }
            Cmd::Help => {
                self.popup = Some(Popup::Help { scroll: 0 });
                return vec![];
            }
            Cmd::Filter => {
                let current = self.on_screen_read(|s| s.filter_text());
                self.prompt = Some(Prompt::Filter(Input::new(current)));
                return vec![];
            }
            Cmd::CommandLine => {
                self.prompt = Some(Prompt::Command(Input::default()));
                return vec![];
            }
            Cmd::Refresh => return self.on_screen(|s, env| s.load(env)),
            Cmd::Messages => {
                self.popup = Some(self.message_log());
                return vec![];
            }
            // Esc on the roster, with nothing typed to clear, goes back to where the roster
            // was opened from (the board, a destination, the workers).
            Cmd::Back
                if self.screen == Screen::Roster
                    && self.on_screen_read(|s| s.filter_text()).is_empty() =>
            {
                return match self.came_from.take() {
                    Some(s) if !attendant => vec![Effect::Goto(s)],
                    _ => vec![],
                };
            }
            Cmd::Back => {
                let value = String::new();
                return self.on_screen(|s, env| s.filter(&value, env));
            }
            _ if attendant => return vec![],
            Cmd::NextScreen => Screen::ALL[(self.screen.index() + 1) % Screen::ALL.len()],
            Cmd::PrevScreen => {
                Screen::ALL[(self.screen.index() + Screen::ALL.len() - 1) % Screen::ALL.len()]
            }
            Cmd::Destinations => Screen::Destinations,
            Cmd::Workers => Screen::Workers,
            Cmd::Batches => Screen::Batches,
            Cmd::Board => Screen::Board,
            Cmd::Roster => Screen::Roster,
            Cmd::Stats => Screen::Stats,
            _ => return vec![],
        };
        vec![Effect::Goto(screen)]
    }

    fn on_screen_read<T>(&mut self, f: impl FnOnce(&mut dyn ScreenState) -> T) -> T {
        let mut out = None;
        self.on_screen(|s, _| {
            out = Some(f(s));
            vec![]
        });
        out.unwrap_or_else(|| unreachable!("on_screen always runs its closure"))
    }

    fn on_prompt_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let Some(prompt) = self.prompt.as_mut() else {
            return vec![];
        };
        let (input, is_filter) = match prompt {
            Prompt::Filter(i) => (i, true),
            Prompt::Command(i) => (i, false),
        };
        match k.code {
            KeyCode::Esc => {
                self.prompt = None;
                if is_filter {
                    let value = String::new();
                    return self.on_screen(|s, env| s.filter(&value, env));
                }
                vec![]
            }
            KeyCode::Enter => {
                let value = input.value().to_string();
                self.prompt = None;
                if is_filter {
                    return self.on_screen(|s, env| s.filter_done(&value, env));
                }
                commands::run(self, &value)
            }
            _ => {
                let changed = input.handle_event(&Event::Key(k)).is_some_and(|c| c.value);
                if changed && is_filter {
                    let value = input.value().to_string();
                    return self.on_screen(|s, env| s.filter(&value, env));
                }
                vec![]
            }
        }
    }
}
