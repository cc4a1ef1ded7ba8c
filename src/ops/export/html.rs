//! The manifest as a print-ready HTML page: A4, one bus per page, Chinese font stack, signature
//! lines for the attendant and the receiver. Self-contained: no script, link, image or font URL.

use super::{log_words, status_words, CrewRole, Manifest};
use crate::i18n::Lang;
use crate::model::SeatStatus;
use std::fmt::Write;

/// The A4 page of every paper (manifests, the advance notice): margins, fonts, tables.
pub const STYLE: &str = r#"
@page { size: A4 portrait; margin: 12mm 10mm; }
* { box-sizing: border-box; }
body { margin: 0; color: #000; font-size: 10pt; line-height: 1.35;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
    "Hiragino Sans GB", "WenQuanYi Micro Hei", "SimSun", "Songti SC", sans-serif; }
.bus { break-after: page; page-break-after: always; }
.bus:last-child { break-after: auto; page-break-after: auto; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 1mm; letter-spacing: 0.05em; }
.sub { text-align: center; margin: 0 0 4mm; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.6pt solid #000; padding: 1mm 1.4mm; vertical-align: top; }
th { background: #eee; font-weight: bold; text-align: center; }
.pax th { font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.info { margin-bottom: 3mm; }
.pax { table-layout: fixed; }
.pax td.wrap { overflow-wrap: anywhere; }
.pax td.cert { white-space: nowrap; }
.info th { width: 17mm; text-align: left; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.mono { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 8.5pt; white-space: nowrap; }
.off td { color: #555; }
.off td.name { text-decoration: line-through; }
.summary { margin: 3mm 0 0; }
.log, .handover { margin: 1.5mm 0 0; }
.sign { margin-top: 10mm; }
.sign td { border: none; padding: 0 0 7mm; width: 50%; white-space: nowrap; }
.line { display: inline-block; border-bottom: 0.6pt solid #000; width: 40mm; height: 1.2em; }
.short { width: 14mm; }
.note { margin-top: 8mm; font-size: 8pt; border-top: 0.6pt solid #000; padding-top: 1.5mm; }
@media screen {
  body { background: #ddd; }
  .bus { background: #fff; width: 210mm; min-height: 297mm; margin: 0 auto 6mm;
    padding: 12mm 10mm; }
}
"#;

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control, bidi and invisible characters (stored before input was checked) would
            // reorder or hide text on the printed page: shown as their code instead.
            c if c.is_control() || crate::model::text::is_hidden(c) => {
                out.push_str(&format!("[U+{:04X}]", c as u32))
            }
            _ => out.push(c),
        }
    }
    out
}

/// Opens a printed document (the manifests, the notice): its language, title and style sheets.
pub(crate) fn open_document(h: &mut String, lang: Lang, title: &str, styles: &[&str]) {
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<style>",
        lang.pick("zh-CN", "en")
    );
    for style in styles {
        h.push_str(style);
    }
    h.push_str("</style>\n</head>\n<body>\n");
}

/// Opens one printed page (a `.bus` section): its title, then a line of three labelled values
/// (already escaped) and a last word.
pub(crate) fn open_page(h: &mut String, title: &str, labelled: [(&str, &str); 3], last: &str) {
    let _ = write!(
        h,
        "<section class=\"bus\">\n<h1>{title}</h1>\n<p class=\"sub\">"
    );
    for (label, value) in labelled {
        let _ = write!(h, "{label} {value} · ");
    }
    let _ = writeln!(h, "{last}</p>");
}

/// A person on paper: name and phone, escaped, either may be missing.
pub(crate) fn name_phone(name: &str, phone: &str) -> String {
    format!("{} {}", escape(name), escape(phone))
        .trim()
        .to_string()
}

/// Opens a table of the given class: each column's width in mm and its heading, up to the
/// open body.
pub(crate) fn open_table(h: &mut String, class: &str, columns: &[(u32, &str)]) {
    let _ = write!(h, "<table class=\"{class}\">\n<colgroup>");
    for (mm, _) in columns {
        let _ = write!(h, "<col style=\"width:{mm}mm\">");
    }
    h.push_str("</colgroup>\n<thead><tr>");
    for (_, th) in columns {
        let _ = write!(h, "<th>{th}</th>");
    }
    h.push_str("</tr></thead>\n<tbody>\n");
}

/// One HTML document holding every manifest, one bus per printed page.
pub fn manifest_html(ms: &[Manifest], lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut h = String::new();
    let title = l(
        "返岗务工人员点对点包车乘车名单",
        "Point-to-point bus passenger manifest",
    );
    open_document(&mut h, lang, title, &[STYLE]);
    for m in ms {
        bus_page(&mut h, m, lang);
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn bus_page(h: &mut String, m: &Manifest, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let e = escape;
    open_page(
        h,
        l(
            "返岗务工人员点对点包车乘车名单",
            "Point-to-point bus passenger manifest",
        ),
        [
            (l("车牌号", "Bus"), &e(&m.plate)),
            (l("批次", "batch"), &e(&m.batch)),
            (l("车次", "trip"), &e(&m.trip)),
        ],
        m.status.label(lang),
    );

    let crew = |role| {
        m.crew
            .iter()
            .filter(|c| c.role == role)
            .map(|c| name_phone(&c.name, &c.phone))
            .collect::<Vec<_>>()
            .join("；")
    };
    let gates = m
        .gates
        .iter()
        .map(|g| {
            let mut s = e(&g.employer);
            if !g.address.is_empty() {
                s += &format!("（{}）", e(&g.address));
            }
            if !g.contact.is_empty() || !g.contact_phone.is_empty() {
                s += &format!(
                    " {} {} {}",
                    l("联系人", "contact"),
                    e(&g.contact),
                    e(&g.contact_phone)
                );
            }
            s
        })
        .collect::<Vec<_>>()
        .join("<br>");
    let mut times = e(&m.departure);
    if let Some(d) = &m.departed_at {
        times += &format!("；{} {}", l("实际发车", "left at"), e(d));
    }
    if let Some(a) = &m.arrived_at {
        times += &format!("；{} {}", l("抵达", "arrived"), e(a));
    }
    let _ = write!(
        h,
        "<table class=\"info\">\n\
         <tr><th>{}</th><td>{}</td><th>{}</th><td>{}</td></tr>\n\
         <tr><th>{}</th><td>{}</td><th>{}</th><td>{}</td></tr>\n\
         <tr><th>{}</th><td>{}</td><th>{}</th><td>{}</td></tr>\n\
         <tr><th>{}</th><td colspan=\"3\">{}</td></tr>\n\
         </table>\n",
        l("线路", "Route"),
        e(&m.route()),
        l("发车时间", "Departure"),
        times,
        l("集合地点", "Gathering"),
        e(&m.gathering_point),
        l("运输公司", "Operator"),
        e(&m.operator),
        l("驾驶员", "Drivers"),
        crew(CrewRole::Driver),
        l("随车人员", "Attendant"),
        crew(CrewRole::Attendant),
        l("送达企业", "Deliver to"),
        gates
    );

    // Widths in mm add up to the 190 mm between the A4 margins.
    open_table(
        h,
        "pax",
        &[
            (9, l("座位", "No.")),
            (20, l("姓名", "Name")),
            (38, l("身份证号", "ID number")),
            (23, l("手机号", "Phone")),
            (25, l("乡镇/村", "Village")),
            (27, l("企业", "Employer")),
            (18, l("健康证明", "Health cert.")),
            (11, l("体温", "°C")),
            (19, l("状态", "Status")),
        ],
    );
    for p in &m.passengers {
        let off = matches!(p.status, SeatStatus::Refused | SeatStatus::NoShow);
        let cert = match (p.cert_issued, p.cert_valid_until) {
            (Some(i), Some(u)) => format!(
                "{}<br>{} {}",
                i.format("%m-%d"),
                l("至", "to"),
                u.format("%m-%d")
            ),
            (None, Some(u)) => format!("{} {}", l("至", "to"), u.format("%m-%d")),
            (Some(i), None) => i.format("%m-%d").to_string(),
            (None, None) => "—".to_string(),
        };
        let temp = p
            .temperature
            .map(|t| format!("{t:.1}"))
            .unwrap_or_else(|| "—".into());
        let mut status = e(&status_words(p, lang));
        if let Some(seat) = p.observation_seat {
            let _ = write!(status, "<br>{}{seat}", l("留观座 ", "obs. seat "));
        }
        for x in &p.en_route {
            let _ = write!(
                status,
                "<br><small>{}</small>",
                e(&super::road::words(x, lang, Some(m.date)))
            );
        }
        let place = [p.township.as_str(), p.village.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| e(s))
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(
            h,
            "<tr{}><td class=\"num\">{}</td><td class=\"name wrap\">{}</td><td class=\"mono\">{}</td>\
             <td class=\"mono\">{}</td><td class=\"wrap\">{}</td><td class=\"wrap\">{}</td><td class=\"cert\">{}</td>\
             <td class=\"num\">{}</td><td>{}</td></tr>",
            if off { " class=\"off\"" } else { "" },
            p.seat,
            e(&p.name),
            e(&p.id_number),
            e(&p.phone),
            place,
            e(&p.employer),
            cert,
            temp,
            status
        );
    }
    if m.passengers.is_empty() {
        let _ = writeln!(
            h,
            "<tr><td colspan=\"9\">{}</td></tr>",
            l("（无乘车人员）", "(no passengers)")
        );
    }
    h.push_str("</tbody>\n</table>\n");

    // Counted over the whole roster: after departure the list shows only those aboard, but
    // the refusals and no-shows of the morning stay counted.
    let t = &m.tally;
    let (b, c, rc, r, ns, sb, obs) = (
        t.boarded,
        t.to_check,
        t.recheck,
        t.refused(),
        t.no_show,
        t.standby,
        t.observation,
    );
    let (rf, rcert, rid) = (t.refused_fever, t.refused_certificate, t.refused_identity);
    let n = m.passengers.len();
    let summary = match lang {
        Lang::Zh => format!(
            "名单 {n} 人。已登车 {b} 人，待检 {c} 人，复测 {rc} 人；拒绝登车 {r} 人（发热 {rf}，健康证明 {rcert}，身份 {rid}），未到 {ns} 人；候补 {sb} 人；途中留观 {obs} 人。"
        ),
        Lang::En => format!(
            "Listed {n}. Boarded {b}, to check {c}, re-check {rc}; refused {r} (fever {rf}, certificate {rcert}, identity {rid}), no-show {ns}; stand-bys {sb}; under observation en route {obs}."
        ),
    };
    let _ = writeln!(h, "<p class=\"summary\">{summary}</p>");
    if !m.log.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"log\"><b>{}</b>{}</p>",
            l("途中记录：", "En route: "),
            m.log
                .iter()
                .map(|x| e(&log_words(x, lang)))
                .collect::<Vec<_>>()
                .join(l("；", "; "))
        );
    }
    if let Some(a) = &m.arrived_at {
        let receiver = m.receiver.as_deref().unwrap_or("");
        let count = m.arrived_count.map(|n| n.to_string()).unwrap_or_default();
        let _ = writeln!(
            h,
            "<p class=\"handover\">{}</p>",
            match lang {
                Lang::Zh => format!(
                    "交接：{} 于 {} 接收，实收 {} 人。",
                    e(receiver),
                    e(a),
                    count
                ),
                Lang::En => format!(
                    "Handed over at {} to {}, {} counted.",
                    e(a),
                    e(receiver),
                    count
                ),
            }
        );
    }
    let line = "<span class=\"line\"></span>";
    let colon = l("：", ": ");
    let _ = writeln!(
        h,
        "<table class=\"sign\">\n<tr><td>{}{colon}{line}</td><td>{}{colon}{line}</td></tr>\n\
         <tr><td>{}{colon}{line}</td><td>{}{colon}{line}</td></tr>\n\
         <tr><td></td><td>{}{colon}<span class=\"line short\"></span>{}</td></tr>\n</table>",
        l("随车服务人员（签字）", "Attendant (signature)"),
        l("接收人（签字）", "Received by (signature)"),
        l("交接时间", "Handed over at"),
        l("接收时间", "Received at"),
        l("实收人数", "Headcount"),
        l(" 人", "")
    );
    let _ = writeln!(
        h,
        "<p class=\"note\">{}{}</p>\n</section>",
        l(
            "本名单含个人信息，仅用于返岗交接和疫情防控，请妥善保管，不得外传，用后销毁。",
            "This list holds personal data for the hand-over and epidemic control only: keep it safe, do not pass it on, destroy it after use. "
        ),
        if m.revealed {
            l("（含完整身份证号，导出已记录审计日志。）", "(Full ID numbers shown; the export is in the audit log.)")
        } else {
            ""
        }
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<i>\"石门\"</i> & 'x'"),
            "&lt;i&gt;&quot;石门&quot;&lt;/i&gt; &amp; &#39;x&#39;"
        );
        assert_eq!(escape("王\u{202E}五\u{1b}"), "王[U+202E]五[U+001B]");
    }

    #[test]
    fn an_empty_export_is_still_a_document() {
        let h = manifest_html(&[], Lang::Zh);
        assert!(h.starts_with("<!DOCTYPE html>") && h.ends_with("</html>\n"));
    }
}
