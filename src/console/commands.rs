//! The `:` command line: `:plan 2020-02-21 [county]`, `:bus 陕G21000`,
//! `:trip 旬阳-20200221-01-1`, `:date 2020-02-21`,
//! `:batch 旬阳-20200221-01 06:30 [gathering point]`, `:coach 陕G21000`,
//! `:notice-sent 浙江 浙江省交通运输厅` (the advance notice of the day shown went out),
//! `:help`, `:q`.

use super::action::{Request, Write};
use super::app::{App, Effect, Screen};
use super::keymap::{Cmd, Scope};
use super::popup::Popup;
use super::screens::batches;
use crate::i18n::Lang;
use crate::model::{parse_date, Plate};
use crate::ops::TripRef;

pub fn run(app: &mut App, line: &str) -> Vec<Effect> {
    let l = app.lang;
    let mut words = line.split_whitespace();
    let Some(cmd) = words.next() else {
        return vec![];
    };
    let arg = words.next();
    let rest: Vec<&str> = words.collect();
    let date = |arg: Option<&str>| -> Result<chrono::NaiveDate, String> {
        let text = arg.ok_or_else(|| {
            l.pick(
                "需要日期，如 2020-02-21",
                "a date is needed, like 2020-02-21",
            )
            .to_string()
        })?;
        parse_date(text).map_err(|e| e.message(l))
    };
    match cmd {
        "q" | "q!" | "quit" | "wq" => {
            app.quit = true;
            vec![]
        }
        "help" | "h" => {
            app.popup = Some(Popup::Help { scroll: 0 });
            vec![]
        }
        "date" | "day" => match date(arg) {
            Ok(d) => vec![Effect::SetDay(d)],
            Err(e) => vec![Effect::Error(e)],
        },
        "plan" if app.attendant.is_none() => match date(arg.or(Some(&app.day.to_string()))) {
            Ok(d) => {
                let county = (!rest.is_empty()).then(|| rest.join(" "));
                let mut out = vec![Effect::SetDay(d), Effect::Goto(Screen::Batches)];
                out.extend(batches::plan_effects(d, county));
                out
            }
            Err(e) => vec![Effect::Error(e)],
        },
        "batch" if app.attendant.is_none() => {
            let (Some(code), Some(time)) = (arg, rest.first()) else {
                return vec![Effect::Error(
                    l.pick(
                        "用法：`:batch 批次号 06:30 [集合点]`（时间写 - 表示不改）",
                        "usage: :batch CODE 06:30 [gathering point] (- keeps the time)",
                    )
                    .into(),
                )];
            };
            let time = (*time != "-").then(|| time.to_string());
            let place = (rest.len() > 1).then(|| rest[1..].join(" "));
            if time.is_none() && place.is_none() {
                return vec![Effect::Error(
                    l.pick("没有要修改的内容", "nothing to change").into(),
                )];
            }
            vec![Effect::Send(Request::Write(Write::EditBatch {
                code: code.to_string(),
                time,
                place,
            }))]
        }
        "coach" if app.attendant.is_none() => {
            let mut out = vec![Effect::Goto(Screen::Batches)];
            out.extend(match arg {
                Some(plate) => super::screens::coach::edit_coach(plate),
                None => super::screens::coach::new_coach(l),
            });
            out
        }
        "notice-sent" | "notice" if app.attendant.is_none() => {
            let (Some(province), false) = (arg, rest.is_empty()) else {
                return vec![Effect::Error(
                    l.pick(
                        "用法：`:notice-sent 省份 发给谁`（如 `:notice-sent 浙江 浙江省交通运输厅`）",
                        "usage: :notice-sent PROVINCE WHOM (like :notice-sent 浙江 浙江省交通运输厅)",
                    )
                    .into(),
                )];
            };
            vec![Effect::Send(Request::Write(Write::NoticeSent {
                date: app.day,
                province: province.to_string(),
                to: rest.join(" "),
            }))]
        }
        "bus" => {
            let Some(text) = arg else {
                let c = app.keymap.shown(Scope::Global, Cmd::CommandLine);
                return vec![Effect::Error(match l {
                    Lang::Zh => format!("需要车牌，如 `{c}bus 陕G21000`"),
                    Lang::En => format!("a plate is needed, like {c}bus 陕G21000"),
                })];
            };
            let plate = match Plate::parse(text) {
                Ok(p) => p.as_str().to_string(),
                // The end of a plate (`21003`): resolved as `--bus` resolves it.
                Err(_) => match crate::model::plate::normalise(text) {
                    key if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric()) => key,
                    _ => {
                        let msg = crate::i18n::Msg::NotAPlate {
                            typed: text.trim().to_string(),
                        };
                        return vec![Effect::Error(msg.text(l))];
                    }
                },
            };
            if app.attendant.is_some() {
                let own = app.roster.plate.clone().unwrap_or_default();
                if !own.ends_with(&plate) {
                    return vec![Effect::Error(match l {
                        Lang::Zh => format!("随车模式只显示 {own}"),
                        Lang::En => format!("attendant mode shows {own} only"),
                    })];
                }
                return vec![Effect::Goto(Screen::Roster)];
            }
            vec![Effect::OpenTrip(TripRef::bus(plate))]
        }
        "trip" => {
            let Some(code) = arg else {
                return vec![Effect::Error(
                    l.pick(
                        "需要车次编号，如 `:trip 旬阳-20200221-01-1`",
                        "a trip code is needed, like :trip 旬阳-20200221-01-1",
                    )
                    .into(),
                )];
            };
            if let Some(own) = &app.attendant {
                if own.to_string() != code {
                    return vec![Effect::Error(match l {
                        Lang::Zh => format!("随车模式只显示车次 {own}"),
                        Lang::En => format!("attendant mode shows trip {own} only"),
                    })];
                }
            }
            vec![Effect::OpenTrip(TripRef::code(code))]
        }
        other => vec![Effect::Error(match l {
            Lang::Zh => format!(
                "未知命令 `:{other}`（可用 `:plan` 日期、`:bus` 车牌、`:trip` 车次、`:date` 日期、`:batch` 批次 时间、`:notice-sent` 省份 发给谁、`:q`；? 列出全部）"
            ),
            Lang::En => {
                format!("unknown command `:{other}` (try `:plan` DATE, `:bus` PLATE, `:trip` CODE, `:date` DATE, `:batch` CODE HH:MM, `:notice-sent` PROVINCE WHOM, `:q`; ? lists them all)")
            }
        })],
    }
}
