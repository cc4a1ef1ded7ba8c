//! Workers: the ledger, filtered as you type through the in-memory index, drawn from a page
//! cache of the visible rows (masked ID and phone, certificate state in colour, the bus and
//! seat of whoever holds one); register a walk-in, edit, withdraw and an audited reveal of one
//! ID number. Drawn by `workers_view`.

use super::table_height;
use crate::console::action::{Load, Reply, Request, Write};
use crate::console::index::{SearchIndex, Selection};
use crate::console::keymap::Cmd;
use crate::console::popup::{Confirm, Form, FormKind, Popup};
use crate::console::screen::{Effect, Env, ScreenState};
use crate::console::widgets::ListState;
use crate::i18n::Lang;
use crate::io::columns::WORKERS;
use crate::model::{mask_id, mask_phone, IdNumber};
use crate::ops::register::Registration;
use crate::ops::worker::WorkerEdit;
use crate::store::views::WorkerLine;
use ratatui::layout::{Constraint, Layout, Rect};
use std::collections::HashMap;
use std::sync::Arc;

/// Rows kept in the page cache before it is emptied (a few screens' worth).
const CACHE_MAX: usize = 4000;

#[derive(Debug, Default)]
pub struct State {
    pub index: Option<Arc<SearchIndex>>,
    pub filter: String,
    pub selection: Selection,
    /// A full ID number was typed: the one worker it names (looked up in the database).
    pub exact: Option<Option<WorkerLine>>,
    pub list: ListState,
    pub cache: HashMap<i64, WorkerLine>,
    /// The one ID number revealed (audited), shown until the selection moves.
    pub revealed: Option<(i64, String)>,
}

/// The list, and the line under it that spells out the selected worker.
pub(super) fn areas(body: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(body)
}

impl State {
    pub fn len(&self) -> usize {
        if let Some(exact) = &self.exact {
            return usize::from(exact.is_some());
        }
        match (&self.selection, &self.index) {
            (_, None) => 0,
            (Selection::All, Some(ix)) => ix.len(),
            (Selection::Rows(r), Some(_)) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Index row of list position `i` (None for the exact-ID line).
    pub(super) fn row(&self, i: usize) -> Option<u32> {
        match &self.selection {
            Selection::All => Some(i as u32),
            Selection::Rows(r) => r.get(i).copied(),
        }
    }

    pub fn id_at(&self, i: usize) -> Option<i64> {
        if let Some(exact) = &self.exact {
            return exact.as_ref().filter(|_| i == 0).map(|w| w.id);
        }
        let ix = self.index.as_ref()?;
        (i < self.len()).then(|| ix.id(self.row(i).unwrap_or(0)))
    }

    pub fn selected_line(&self) -> Option<&WorkerLine> {
        if let Some(Some(w)) = &self.exact {
            return Some(w);
        }
        self.cache.get(&self.id_at(self.list.selected)?)
    }

    fn height(env: &Env<'_>) -> usize {
        table_height(areas(env.body)[0])
    }

    /// Asks for the lines of the visible rows (and a page either side) not yet cached.
    fn page(&mut self, env: &Env<'_>) -> Vec<Effect> {
        let h = State::height(env);
        let start = self.list.offset.saturating_sub(h);
        let end = (self.list.offset + 2 * h.max(1)).min(self.len());
        let ids: Vec<i64> = (start..end)
            .filter_map(|i| self.id_at(i))
            .filter(|id| !self.cache.contains_key(id))
            .collect();
        if ids.is_empty() {
            return vec![];
        }
        vec![Effect::Send(Request::Load(Load::WorkerPage { ids }))]
    }

    fn apply_filter(&mut self, env: &Env<'_>) -> Vec<Effect> {
        self.list = ListState::default();
        self.revealed = None;
        let text = self.filter.trim();
        if text.chars().count() >= 15 {
            if let Ok(id) = IdNumber::parse(text) {
                self.exact = Some(None);
                return vec![Effect::Send(Request::Load(Load::WorkerByIdNumber {
                    id_number: id.as_str().to_string(),
                }))];
            }
        }
        self.exact = None;
        self.selection = match &self.index {
            Some(ix) => ix.filter(text),
            None => Selection::All,
        };
        self.page(env)
    }

    /// A new or rebuilt index: filter again and keep the selected worker selected.
    pub fn set_index(&mut self, ix: Arc<SearchIndex>, env: &Env<'_>) -> Vec<Effect> {
        let keep = self.id_at(self.list.selected);
        let offset_in_view = self.list.selected.saturating_sub(self.list.offset);
        self.index = Some(ix);
        if self.exact.is_some() {
            return vec![];
        }
        self.selection = self
            .index
            .as_ref()
            .map(|ix| ix.filter(&self.filter))
            .unwrap_or_default();
        if let (Some(id), Some(ix)) = (keep, &self.index) {
            let pos = ix.row_of(id).and_then(|row| match &self.selection {
                Selection::All => Some(row as usize),
                Selection::Rows(r) => r.binary_search(&row).ok(),
            });
            if let Some(p) = pos {
                self.list.selected = p;
                self.list.offset = p.saturating_sub(offset_in_view);
            }
        }
        self.list.clamp(self.len(), State::height(env));
        self.page(env)
    }

    fn edit(&self, env: &Env<'_>) -> Vec<Effect> {
        let l = env.lang;
        let Some(w) = self.selected_line() else {
            return vec![Effect::Error(
                l.pick("该行尚未读取，请稍候", "this row is still loading")
                    .into(),
            )];
        };
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut form = Form::new(
            format!(
                "{} {} {}",
                l.pick("编辑", "Edit"),
                w.name,
                w.id_number.as_deref().map(mask_id).unwrap_or_default()
            ),
            FormKind::EditWorker { id: w.id },
            vec![
                (l.pick("手机号", "phone").into(), mask_phone(&w.phone)),
                (l.pick("村", "village").into(), w.village.clone()),
                (
                    l.pick("证明签发日期", "cert issued").into(),
                    date(w.cert_issued),
                ),
                (
                    l.pick("证明有效期至", "cert valid until").into(),
                    date(w.cert_valid_until),
                ),
            ],
        );
        form.note = Some(
            l.pick(
                "手机号保持掩码即不修改；日期如 2020-02-21",
                "leave the masked phone to keep it; dates like 2020-02-21",
            )
            .into(),
        );
        vec![Effect::Popup(Popup::Form(form))]
    }

    /// The walk-in form: the ledger's columns, checked on saving exactly as an imported row.
    fn register(&self, env: &Env<'_>) -> Vec<Effect> {
        let l = env.lang;
        let fields = WORKERS
            .iter()
            .map(|c| {
                let label = match (l, c.key) {
                    (Lang::Zh, "employer") => "企业".to_string(),
                    (Lang::Zh, "cert_issued") => "证明签发日期".to_string(),
                    (Lang::Zh, "cert_valid_until") => "证明有效期至".to_string(),
                    (Lang::Zh, "cert_issuer") => "证明签发单位".to_string(),
                    (Lang::Zh, _) => c.zh.to_string(),
                    (Lang::En, key) => key.replace('_', " "),
                };
                (c.key, label, String::new())
            })
            .collect();
        let mut form = Form::keyed(
            l.pick("登记新工人（现场报名）", "Register a walk-in")
                .into(),
            FormKind::Register,
            fields,
        );
        form.note = Some(
            l.pick(
                "与导入台账同样校验；日期如 2020-02-21",
                "checked as an imported row; dates like 2020-02-21",
            )
            .into(),
        );
        vec![Effect::Popup(Popup::Form(form))]
    }

    fn withdraw(&self, env: &Env<'_>) -> Vec<Effect> {
        let l = env.lang;
        let Some(w) = self.selected_line() else {
            return vec![Effect::Error(
                l.pick("该行尚未读取，请稍候", "this row is still loading")
                    .into(),
            )];
        };
        let who = format!(
            "{} {}",
            w.name,
            w.id_number.as_deref().map(mask_id).unwrap_or_default()
        );
        let mut c = Confirm::new(
            match l {
                Lang::Zh => format!("撤销 {who} 的登记？"),
                Lang::En => format!("Withdraw {who} from the ledger?"),
            },
            l.pick("撤销登记", "Withdraw"),
            Request::Write(Write::Withdraw { id: w.id }),
        );
        c.detail.push(format!("{} · {}", w.village, w.employer));
        vec![Effect::Popup(Popup::Confirm(c))]
    }
}

impl ScreenState for State {
    fn load(&mut self, env: &Env<'_>) -> Vec<Effect> {
        self.cache.clear();
        if let Some(Some(w)) = &self.exact {
            if let Some(id) = &w.id_number {
                return vec![Effect::Send(Request::Load(Load::WorkerByIdNumber {
                    id_number: id.clone(),
                }))];
            }
        }
        self.page(env)
    }

    fn command(&mut self, cmd: Cmd, env: &Env<'_>) -> Option<Vec<Effect>> {
        match cmd {
            Cmd::Register => Some(self.register(env)),
            Cmd::Edit => Some(self.edit(env)),
            Cmd::Withdraw => Some(self.withdraw(env)),
            Cmd::Reveal => {
                let id = self.id_at(self.list.selected)?;
                Some(vec![Effect::Send(Request::Write(Write::RevealId { id }))])
            }
            _ => {
                let before = self.list.selected;
                if !self.list.apply(cmd, self.len(), State::height(env)) {
                    return None;
                }
                if self.list.selected != before {
                    self.revealed = None;
                }
                Some(self.page(env))
            }
        }
    }

    fn filter(&mut self, text: &str, env: &Env<'_>) -> Vec<Effect> {
        if text == self.filter && self.exact.is_none() {
            return vec![];
        }
        self.filter = text.to_string();
        self.apply_filter(env)
    }

    fn filter_text(&self) -> String {
        self.filter.clone()
    }

    fn reply(&mut self, r: &Reply, env: &Env<'_>) -> Vec<Effect> {
        let l = env.lang;
        match r {
            Reply::WorkerPage(lines) => {
                if self.cache.len() + lines.len() > CACHE_MAX {
                    self.cache.clear();
                }
                self.cache.extend(lines.iter().map(|w| (w.id, w.clone())));
                vec![]
            }
            Reply::WorkerByIdNumber { id_number, line } => {
                if self.exact.is_some()
                    && IdNumber::parse(self.filter.trim()).is_ok_and(|i| i.as_str() == id_number)
                {
                    self.exact = Some(line.clone());
                    self.list = ListState::default();
                }
                vec![]
            }
            Reply::Registered(w) => {
                // Show the new worker: the filter on their name, in the index rebuilt with them.
                self.cache.insert(w.id, w.clone());
                self.filter = w.name.clone();
                let mut effects = self.apply_filter(env);
                effects.push(Effect::Send(Request::Load(Load::Index)));
                effects.push(Effect::Flash(match l {
                    Lang::Zh => format!(
                        "已登记 {} {}：编排（3 批次）或在名单上候补（s）可安排座位",
                        w.name,
                        w.id_number.as_deref().map(mask_id).unwrap_or_default()
                    ),
                    Lang::En => format!(
                        "registered {} {}: a plan (3 Batches) or a roster's stand-by (s) seats them",
                        w.name,
                        w.id_number.as_deref().map(mask_id).unwrap_or_default()
                    ),
                }));
                effects
            }
            Reply::Edited(w) => {
                self.cache.insert(w.id, w.clone());
                self.refresh_exact(w);
                vec![Effect::Flash(format!(
                    "{} {}",
                    l.pick("已保存", "saved"),
                    w.name
                ))]
            }
            Reply::Withdrawn(w) => {
                self.cache.insert(w.id, w.clone());
                self.refresh_exact(w);
                vec![Effect::Flash(format!(
                    "{} {}",
                    w.name,
                    l.pick("已撤销登记", "withdrawn")
                ))]
            }
            Reply::Revealed { id, id_number } => {
                self.revealed = Some((*id, id_number.clone()));
                vec![Effect::Flash(
                    l.pick(
                        "已显示完整证号（已记入审计日志）",
                        "full ID shown (recorded in the audit log)",
                    )
                    .into(),
                )]
            }
            _ => vec![],
        }
    }

    fn data_changed(&mut self, env: &Env<'_>) -> Vec<Effect> {
        self.load(env)
    }

    fn resized(&mut self, env: &Env<'_>) -> Vec<Effect> {
        self.list.clamp(self.len(), State::height(env));
        self.page(env)
    }

    fn form(&mut self, kind: FormKind, values: Vec<String>, env: &Env<'_>) -> Vec<Effect> {
        if kind == FormKind::Register {
            let mut v = values.into_iter();
            let mut next = || v.next().unwrap_or_default();
            let registration = Box::new(Registration {
                name: next(),
                id_number: next(),
                phone: next(),
                county: next(),
                township: next(),
                village: next(),
                employer: next(),
                cert_issued: next(),
                cert_valid_until: next(),
                cert_issuer: next(),
            });
            return vec![Effect::Send(Request::Write(Write::Register {
                registration,
            }))];
        }
        let FormKind::EditWorker { id } = kind else {
            return vec![];
        };
        let Some(w) = self
            .cache
            .get(&id)
            .or(self.selected_line().filter(|w| w.id == id))
        else {
            return vec![Effect::Error(
                env.lang
                    .pick("该工人已不在列表中", "this worker is no longer listed")
                    .into(),
            )];
        };
        let mut v = values.into_iter();
        let mut next = || v.next().unwrap_or_default();
        let typed_phone = next();
        // The form shows the phone masked; leaving it masked keeps the stored number.
        let phone = if typed_phone == mask_phone(&w.phone) {
            w.phone.clone()
        } else {
            typed_phone
        };
        let edit = WorkerEdit {
            phone,
            village: next(),
            cert_issued: next(),
            cert_valid_until: next(),
        };
        vec![Effect::Send(Request::Write(Write::EditWorker { id, edit }))]
    }
}

impl State {
    fn refresh_exact(&mut self, w: &WorkerLine) {
        if let Some(Some(e)) = &mut self.exact {
            if e.id == w.id {
                *e = w.clone();
            }
        }
    }
}
