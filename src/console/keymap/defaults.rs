//! The default tables: every screen's keys, the global ones, and the dialogs'.

use super::{Binding, Cmd, Key, Keymap, Scope};
use crossterm::event::KeyCode;
use std::collections::BTreeMap;

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
                    b(Cmd::Messages, &[c('M')], false),
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
        tables.insert(
            Scope::Confirm,
            vec![
                b(
                    Cmd::Switch,
                    &[k(Left), k(Right), k(Tab), k(BackTab), c('h'), c('l')],
                    false,
                ),
                b(Cmd::Choose, &[k(Enter)], false),
                b(Cmd::Yes, &[c('y')], false),
                b(Cmd::Cancel, &[k(Esc), c('n'), c('q')], false),
            ],
        );
        tables.insert(
            Scope::Form,
            vec![
                b(Cmd::Save, &[k(Enter)], false),
                b(Cmd::NextField, &[k(Tab), k(Down)], false),
                b(Cmd::PrevField, &[k(BackTab), k(Up)], false),
                b(Cmd::Cancel, &[k(Esc)], false),
            ],
        );
        tables.insert(
            Scope::Choice,
            vec![
                b(Cmd::Up, &[k(Up), c('k'), k(BackTab)], false),
                b(Cmd::Down, &[k(Down), c('j'), k(Tab)], false),
                b(Cmd::Choose, &[k(Enter)], false),
                b(Cmd::Cancel, &[k(Esc), c('q')], false),
            ],
        );
        Keymap { tables }
    }
}
