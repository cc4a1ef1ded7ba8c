//! The coach form, opened from the Batches screen (`n` a new coach, `c` the selected bus's
//! coach, `:coach PLATE` any coach): the fleet's columns, checked on saving exactly as a row of
//! the fleet import (`ops::fleet`), each refusal shown beside its field.

use crate::console::action::{Load, Reply, Request, Write};
use crate::console::keymap::{Cmd, Scope};
use crate::console::popup::{Form, FormKind, Popup};
use crate::console::screen::{Effect, Env};
use crate::i18n::Lang;
use crate::io::columns::FLEET;
use crate::ops::fleet::CoachForm;

/// The form's labels: the fleet sheet's headers (Chinese) or keys (English).
fn label(lang: Lang, key: &str, zh: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => key.replace('_', " "),
    }
}

fn form(lang: Lang, editing: Option<String>, values: &CoachForm) -> Form {
    let title = match &editing {
        None => lang.pick("新增车辆", "Add a coach").to_string(),
        Some(p) => format!("{} {p}", lang.pick("编辑车辆", "Edit coach")),
    };
    let fields = FLEET
        .iter()
        .zip(values.cells())
        .map(|(c, v)| (c.key, label(lang, c.key, c.zh), v.to_string()))
        .collect();
    let mut f = Form::keyed(title, FormKind::Coach { editing }, fields);
    f.note = Some(
        lang.pick(
            "与导入车队同样校验；全封闭空调填 是/否；可用日期空着表示每天可用",
            "checked as a fleet import row; sealed yes/no; no available date: any day",
        )
        .into(),
    );
    f
}

/// `n`: an empty form for a coach new to the fleet.
pub fn new_coach(lang: Lang) -> Vec<Effect> {
    vec![Effect::Popup(Popup::Form(form(
        lang,
        None,
        &CoachForm::default(),
    )))]
}

/// `c` and `:coach PLATE`: read the coach, then open the form on it.
pub fn edit_coach(plate: &str) -> Vec<Effect> {
    vec![Effect::Send(Request::Load(Load::Coach {
        plate: plate.to_string(),
    }))]
}

/// The form was submitted: the typed values, in the fleet's column order.
pub fn submit(kind: FormKind, values: Vec<String>) -> Vec<Effect> {
    let FormKind::Coach { editing } = kind else {
        return vec![];
    };
    let mut v = values.into_iter();
    let mut next = || v.next().unwrap_or_default();
    let form = Box::new(CoachForm {
        plate: next(),
        seats: next(),
        operator: next(),
        driver1: next(),
        driver1_phone: next(),
        driver2: next(),
        driver2_phone: next(),
        attendant: next(),
        attendant_phone: next(),
        county: next(),
        available_date: next(),
        sealed: next(),
    });
    vec![Effect::Send(Request::Write(Write::SaveCoach {
        editing,
        form,
    }))]
}

/// The coach read for editing, or the save's outcome.
pub fn reply(r: &Reply, env: &Env<'_>) -> Vec<Effect> {
    let lang = env.lang;
    match r {
        Reply::Coach { plate, bus: None } => {
            let n = env.keymap.shown(Scope::Batches, Cmd::NewCoach);
            vec![Effect::Error(match lang {
                Lang::Zh => format!("车队中没有 {plate}：按 {n} 新增"),
                Lang::En => format!("{plate} is not in the fleet: {n} adds it"),
            })]
        }
        Reply::Coach { bus: Some(bus), .. } => vec![Effect::Popup(Popup::Form(form(
            lang,
            Some(bus.plate.clone()),
            &CoachForm::of(bus, lang),
        )))],
        Reply::CoachSaved(saved) => {
            let plate = &saved.bus.plate;
            vec![Effect::Flash(
                match (lang, saved.new, saved.changed.is_empty()) {
                    (Lang::Zh, true, _) => format!(
                        "已新增 {plate}（{} 座，{}）：编排时可用",
                        saved.bus.seats, saved.bus.county
                    ),
                    (Lang::En, true, _) => format!(
                        "added {plate} ({} seats, {}): plans can use it",
                        saved.bus.seats, saved.bus.county
                    ),
                    (Lang::Zh, false, true) => format!("{plate} 没有改动"),
                    (Lang::En, false, true) => format!("{plate}: nothing changed"),
                    (Lang::Zh, false, false) => format!("已保存 {plate}"),
                    (Lang::En, false, false) => {
                        format!("saved {plate}: {}", saved.changed.join(", "))
                    }
                },
            )]
        }
        _ => vec![],
    }
}
