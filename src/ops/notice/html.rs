//! The advance notice as a print-ready HTML page, one destination province per A4 page, on the
//! manifests' page style. Self-contained (no script, link, image or font URL); every text from
//! the ledger is escaped, hidden characters shown as their code.

use super::{paper, Contact, Notice, NoticeDoc, NoticeTrip};
use crate::i18n::Lang;
use crate::model::Policy;
use crate::ops::export::{
    escape as e, name_phone, open_document, open_page, open_table, PAPER_STYLE,
};
use chrono::Datelike;
use std::fmt::Write;

/// What the notice adds to the manifests' page.
const NOTICE_STYLE: &str = r#"
.intro { margin: 0 0 3mm; }
.trip { margin: 0 0 4mm; }
.trip h2 { font-size: 11pt; margin: 0 0 1.5mm; break-after: avoid; page-break-after: avoid; }
.gates { margin-bottom: 1.5mm; }
.firm { margin: 1.5mm 0 0.8mm; font-weight: bold; break-after: avoid; page-break-after: avoid; }
.eta { font-weight: bold; }
.trip .info th { width: 21mm; white-space: nowrap; }
"#;

/// One HTML document holding every province's notice.
pub fn notice_html(doc: &NoticeDoc, policy: &Policy, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut h = String::new();
    let title = l(
        "返岗务工人员点对点包车抵达预告",
        "Advance notice of point-to-point buses",
    );
    open_document(&mut h, lang, title, &[PAPER_STYLE, NOTICE_STYLE]);
    for n in &doc.notices {
        province_page(&mut h, doc, n, policy, lang);
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn contact(c: &Contact) -> String {
    name_phone(&c.name, &c.phone)
}

/// The page of one province (`.bus` is the manifests' one-page section).
fn province_page(h: &mut String, doc: &NoticeDoc, n: &Notice, policy: &Policy, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let counties = n
        .counties
        .iter()
        .map(|c| e(c))
        .collect::<Vec<_>>()
        .join(l("、", ", "));
    let sizes = match lang {
        Lang::Zh => format!("车辆 {} 辆，人员 {} 人", n.buses, n.people),
        Lang::En => format!("{} buses, {} people", n.buses, n.people),
    };
    open_page(
        h,
        l(
            "返岗务工人员点对点包车抵达预告",
            "Advance notice of point-to-point buses",
        ),
        [
            (l("致", "To"), &e(&n.province)),
            (l("发车日期", "leaving on"), &doc.date.to_string()),
            (l("出发地", "from"), &counties),
        ],
        &sizes,
    );
    let intro = match lang {
        Lang::Zh => format!(
            "{counties}于{}月{}日组织返岗务工人员乘坐点对点包车前往贵省，现将车辆、随车人员、预计到达时间和接收企业通报如下，请做好接收和防疫准备。",
            doc.date.month(),
            doc.date.day()
        ),
        Lang::En => format!(
            "Workers returning to their jobs leave {counties} on {} by point-to-point chartered bus for your province. The buses, their crews, the expected arrival and the receiving employers follow; please be ready to receive them.",
            doc.date
        ),
    };
    let _ = writeln!(h, "<p class=\"intro\">{intro}</p>");
    for (i, t) in n.trips.iter().enumerate() {
        trip_block(h, i + 1, t, lang);
    }
    let pace = match lang {
        Lang::Zh => format!(
            "预计到达按平均时速 {} 公里、每连续行驶 {} 小时休息 {} 分钟估算，已发车的按实际发车时间计算；途中情况以随车人员告知为准。",
            policy.avg_speed_kmh, policy.rest_every_hours, policy.rest_minutes
        ),
        Lang::En => format!(
            "Expected arrival at an average {} km/h with a {}-minute rest after every {} hours of driving, from the actual departure once the bus has left; the attendant aboard knows best on the way.",
            policy.avg_speed_kmh, policy.rest_minutes, policy.rest_every_hours
        ),
    };
    let line = "<span class=\"line\"></span>";
    let colon = l("：", ": ");
    let _ = writeln!(
        h,
        "<p class=\"summary\">{pace}</p>\n<table class=\"sign\">\n\
         <tr><td>{}{colon}{line}</td><td>{}{colon}{line}</td></tr>\n\
         <tr><td>{}{colon}{line}</td><td>{}{colon}{line}</td></tr>\n</table>",
        l("发送单位（盖章）", "Sent by (stamp)"),
        l("联系人", "Contact"),
        l("联系电话", "Phone"),
        l("发送时间", "Sent at"),
    );
    let _ = writeln!(
        h,
        "<p class=\"note\">{}{}</p>\n</section>",
        l(
            "本预告含联系人电话，仅用于返岗接收和疫情防控，请勿外传。",
            "This notice holds contacts' phones for the reception and epidemic control only: do not pass it on. "
        ),
        if doc.revealed {
            l(
                "附乘客名单含完整身份证号，导出已记录审计日志，用后销毁。",
                "The passenger lists hold full ID numbers; the export is in the audit log. Destroy after use.",
            )
        } else {
            ""
        }
    );
}

fn trip_block(h: &mut String, n: usize, t: &NoticeTrip, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let dash = "—".to_string();
    let or_dash = |s: String| if s.is_empty() { dash.clone() } else { s };
    let _ = writeln!(
        h,
        "<div class=\"trip\">\n<h2>{n}. {} · {} {} · {} {} · {}</h2>",
        e(&t.plate),
        l("车次", "trip"),
        e(&t.trip),
        l("目的地", "to"),
        e(&t.city),
        t.status.label(lang)
    );
    let drivers = t.drivers.iter().map(contact).collect::<Vec<_>>().join("；");
    let attendant = t.attendant.as_ref().map(contact).unwrap_or_default();
    let people = match lang {
        Lang::Zh => format!("{} 人", t.people),
        Lang::En => t.people.to_string(),
    };
    let km = if t.distance_km == 0 {
        dash.clone()
    } else {
        format!("{} {}", t.distance_km, l("公里", "km"))
    };
    let _ = write!(
        h,
        "<table class=\"info\">\n\
         <tr><th>{}</th><td>{}</td><th>{}</th><td>{}</td></tr>\n\
         <tr><th>{}</th><td>{}</td><th>{}</th><td>{}</td></tr>\n\
         <tr><th>{}</th><td>{}</td><th>{}</th><td>{}</td></tr>\n\
         <tr><th>{}</th><td>{}</td><th>{}</th><td>{}</td></tr>\n\
         <tr><th>{}</th><td colspan=\"3\" class=\"eta\">{}</td></tr>\n\
         </table>\n",
        l("运输公司", "Operator"),
        or_dash(e(&t.operator)),
        l("人数", "People"),
        people,
        l("驾驶员", "Drivers"),
        or_dash(drivers),
        l("随车人员", "Attendant"),
        or_dash(attendant),
        l("集合地点", "Gathering"),
        or_dash(e(&t.gathering_point)),
        l("里程", "Distance"),
        km,
        l("计划发车", "Planned"),
        e(&paper(Some(&t.departure))),
        l("实际发车", "Left at"),
        or_dash(e(&paper(t.departed_at.as_deref()))),
        l("预计到达", "Expected"),
        or_dash(e(&paper(t.eta.as_deref()))),
    );
    open_table(
        h,
        "gates",
        &[
            (44, l("接收企业", "Employer")),
            (62, l("地址", "Address")),
            (24, l("接收联系人", "Contact")),
            (44, l("联系电话", "Phone")),
            (16, l("人数", "People")),
        ],
    );
    for g in &t.employers {
        let _ = writeln!(
            h,
            "<tr><td class=\"wrap\">{}</td><td class=\"wrap\">{}</td><td>{}</td><td class=\"mono\">{}</td><td class=\"num\">{}</td></tr>",
            e(&g.name),
            e(&format!("{}{}", g.city, g.address)),
            e(&g.contact),
            e(&g.contact_phone),
            g.people
        );
    }
    if t.employers.is_empty() {
        let _ = writeln!(
            h,
            "<tr><td colspan=\"5\">{}</td></tr>",
            l("（无乘车人员）", "(no passengers)")
        );
    }
    h.push_str("</tbody>\n</table>\n");
    for g in &t.employers {
        let Some(list) = &g.passengers else { continue };
        let _ = writeln!(
            h,
            "<p class=\"firm\">{} {}</p>",
            e(&g.name),
            match lang {
                Lang::Zh => format!("乘客名单（{} 人）", list.len()),
                Lang::En => format!("passengers ({})", list.len()),
            }
        );
        open_table(
            h,
            "pax",
            &[
                (14, l("座位", "Seat")),
                (46, l("姓名", "Name")),
                (70, l("身份证号", "ID number")),
                (60, l("手机号", "Phone")),
            ],
        );
        for p in list {
            let _ = writeln!(
                h,
                "<tr><td class=\"num\">{}</td><td class=\"name wrap\">{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td></tr>",
                p.seat,
                e(&p.name),
                e(&p.id_number),
                e(&p.phone)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_notice_is_still_a_document_that_loads_nothing() {
        let doc = NoticeDoc {
            date: chrono::NaiveDate::from_ymd_opt(2020, 2, 21).unwrap(),
            revealed: false,
            notices: vec![],
        };
        let h = notice_html(&doc, &Policy::default(), Lang::Zh);
        assert!(h.starts_with("<!DOCTYPE html>") && h.ends_with("</html>\n"));
        for remote in ["http:", "https:", "<script", "<link", "<img", "url("] {
            assert!(!h.contains(remote), "{remote}");
        }
    }
}
