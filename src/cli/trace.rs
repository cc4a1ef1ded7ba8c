//! `zhitong trace --id IDNUM`: the close contacts of one passenger, as a table or as JSON,
//! ID numbers and phones masked unless `--reveal` (audited).

use super::*;
use crate::model::{mask_id, mask_phone};
use crate::ops::trace::{self, Contact, Trace, Why};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

#[derive(Serialize)]
struct TraceJson<'a> {
    worker: i64,
    name: &'a str,
    id_number: String,
    plate: &'a str,
    date: String,
    trip_status: &'static str,
    seat: u32,
    row: u32,
    sealed: bool,
    on_bus: bool,
    contact_rows: u32,
    contacts: Vec<ContactJson<'a>>,
}

#[derive(Serialize)]
struct ContactJson<'a> {
    worker: Option<i64>,
    name: &'a str,
    id_number: Option<String>,
    phone: String,
    seat: Option<u32>,
    row: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
    why: Why,
}

pub fn run(ctx: &mut Ctx, args: &TraceArgs) -> OpResult<Exit> {
    let t = trace::contacts(ctx, &args.id)?;
    if args.reveal {
        trace::record_reveal(ctx, &t)?;
    }
    let reveal = args.reveal;
    let id = |s: &str| if reveal { s.to_string() } else { mask_id(s) };
    let phone = |s: &str| if reveal { s.to_string() } else { mask_phone(s) };
    if args.json {
        let obj = TraceJson {
            worker: t.worker,
            name: &t.name,
            id_number: id(&t.id_number),
            plate: &t.plate,
            date: t.date.format("%Y-%m-%d").to_string(),
            trip_status: t.trip_status.as_str(),
            seat: t.seat,
            row: t.row,
            sealed: t.sealed,
            on_bus: t.on_bus,
            contact_rows: t.contact_rows,
            contacts: t
                .contacts
                .iter()
                .map(|c| ContactJson {
                    worker: c.worker,
                    name: &c.name,
                    id_number: c.id_number.as_deref().map(id),
                    phone: phone(&c.phone),
                    seat: c.seat,
                    row: c.row,
                    role: c.role,
                    why: c.why,
                })
                .collect(),
        };
        let text = serde_json::to_string(&obj).map_err(|e| OpError::Failed(e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", human(&t, ctx.lang, &id, &phone));
    }
    Ok(Exit::Ok)
}

fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

fn why_text(c: &Contact, lang: Lang) -> &'static str {
    match (c.why, c.role, lang) {
        (Why::Seat, _, l) => l.pick("邻座", "seat"),
        (Why::SealedBus, _, l) => l.pick("同车（全封闭）", "sealed bus"),
        (Why::Crew, Some("attendant"), l) => l.pick("随车人员", "attendant"),
        (Why::Crew, _, l) => l.pick("驾驶员", "driver"),
    }
}

fn human(
    t: &Trace,
    lang: Lang,
    id: &dyn Fn(&str) -> String,
    phone: &dyn Fn(&str) -> String,
) -> String {
    let mut out = format!(
        "{} {} ({}) — {} {}, {} {}, {} {}\n",
        t.plate,
        t.date.format("%Y-%m-%d"),
        t.trip_status.label(lang),
        t.name,
        id(&t.id_number),
        lang.pick("座位", "seat"),
        t.seat,
        lang.pick("排", "row"),
        t.row,
    );
    if t.sealed {
        out.push_str(lang.pick(
            "全封闭空调车：全车乘客均为密切接触者\n",
            "Sealed air-conditioned coach: everyone on the bus counts\n",
        ));
    }
    if !t.on_bus {
        out.push_str(lang.pick(
            "该乘客未乘坐此车（已拒载或未到）：无密切接触者\n",
            "This passenger was not on the bus (refused or no-show): no close contacts\n",
        ));
        return out;
    }
    out.push_str(&if t.sealed {
        lang.pick(
            "密切接触者：全车及乘务人员\n",
            "Close contacts: the whole bus and the crew\n",
        )
        .to_string()
    } else {
        format!(
            "{} ±{} {}\n",
            lang.pick("密切接触者：", "Close contacts:"),
            t.contact_rows,
            lang.pick("排及乘务人员", "rows and the crew")
        )
    });
    out.push_str(&format!(
        "  {} {} {} {} {} {}\n",
        pad(lang.pick("座位", "seat"), 5),
        pad(lang.pick("排", "row"), 4),
        pad(lang.pick("姓名", "name"), 10),
        pad(lang.pick("身份证号", "ID number"), 19),
        pad(lang.pick("电话", "phone"), 12),
        lang.pick("原因", "why")
    ));
    for c in &t.contacts {
        out.push_str(&format!(
            "  {} {} {} {} {} {}\n",
            pad(&c.seat.map(|s| s.to_string()).unwrap_or_default(), 5),
            pad(&c.row.map(|s| s.to_string()).unwrap_or_default(), 4),
            pad(&c.name, 10),
            pad(&c.id_number.as_deref().map(id).unwrap_or_default(), 19),
            pad(&phone(&c.phone), 12),
            why_text(c, lang)
        ));
    }
    out.push_str(&match lang {
        Lang::Zh => format!("共 {} 名密切接触者\n", t.contacts.len()),
        Lang::En => format!("{} close contacts\n", t.contacts.len()),
    });
    out
}
