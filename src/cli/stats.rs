//! `zhitong stats [--date D] [--json] [--bulletin]`: the day's figures as JSON, a readable table,
//! or the bulletin text.

use super::*;
use crate::ops::stats::{self, short_province, Group, Scope, Stats};
use unicode_width::UnicodeWidthStr;

pub fn run(ctx: &mut Ctx, args: &StatsArgs) -> OpResult<Exit> {
    let date = match &args.date {
        Some(d) => crate::model::parse_date(d).map_err(|e| super::date_usage(e, ctx.lang))?,
        None => ctx.today,
    };
    if args.bulletin {
        let lang = paper_lang();
        let text = stats::bulletin(ctx, date, lang)?;
        if args.json {
            let obj = serde_json::json!({ "date": date, "bulletin": text });
            println!("{obj}");
        } else {
            println!("{text}");
        }
        return Ok(Exit::Ok);
    }
    let s = stats::stats(ctx, date)?;
    if args.json {
        let text = serde_json::to_string(&s).map_err(|e| OpError::Failed(e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", human(&s, ctx.lang));
    }
    Ok(Exit::Ok)
}

/// Papers that leave the console (the bulletin, manifests) are official Chinese texts: English
/// only when `--lang en` is typed on this command line, whatever the locale says.
pub(super) fn paper_lang() -> Lang {
    Cli::try_parse_from(std::env::args_os())
        .ok()
        .and_then(|c| c.lang)
        .unwrap_or(Lang::Zh)
}

/// Employers shown in the table; the rest are counted.
const EMPLOYER_ROWS: usize = 30;

/// The readable form: headline counts, the day's buses, employers, destinations.
pub fn human(s: &Stats, lang: Lang) -> String {
    let l = |zh, en| lang.pick(zh, en);
    let mut out = String::new();
    out += &format!(
        "{}  {} {}  {} {}  {} {}  {} {}\n\n",
        s.date,
        l("台账人数", "workers"),
        s.workers,
        l("企业", "employers"),
        s.employers,
        l("车辆", "buses"),
        s.buses,
        l("当日可出行", "eligible on the day"),
        s.eligible
    );
    out += &scope_line(l("当日", "on the day"), &s.day, lang);
    if let Some(first) = s.first_departure {
        let label = format!("{} {first}", l("累计，首发", "since first departure"));
        out += &scope_line(&label, &s.cumulative, lang);
    }
    out += "\n";

    if !s.trips.is_empty() {
        out += &format!("{}\n", l("当日车次", "Buses of the day"));
        let head = [
            l("车牌", "plate"),
            l("车次", "trip"),
            l("目的地", "destination"),
            l("状态", "status"),
            l("预计到达", "eta"),
            l("通知", "notice"),
            l("应到", "expected"),
            l("已登车", "boarded"),
            l("拒绝", "refused"),
            l("未到", "no-show"),
            l("未检", "missing"),
        ];
        let rows: Vec<Vec<String>> = s
            .trips
            .iter()
            .map(|t| {
                vec![
                    t.plate.clone(),
                    t.trip.clone(),
                    format!("{}{}", short_province(&t.province), t.city),
                    if t.overdue {
                        l("超时未到", "overdue").to_string()
                    } else {
                        t.status.label(lang).to_string()
                    },
                    t.eta
                        .as_deref()
                        .map(|e| crate::clock::screen_text(e, s.date))
                        .unwrap_or_default(),
                    notice_label(t.notice, lang).to_string(),
                    t.expected.to_string(),
                    t.boarded.to_string(),
                    t.refused.to_string(),
                    t.no_show.to_string(),
                    t.missing.to_string(),
                ]
            })
            .collect();
        out += &table(&head, &rows, 6);
        out += "\n";
    }

    if !s.by_employer.is_empty() {
        out += &format!("{}\n", l("企业", "Employers"));
        let head = [
            l("企业", "employer"),
            l("目的地", "destination"),
            l("需求", "expected"),
            l("登记", "registered"),
            l("可出行", "eligible"),
            l("已安排", "planned"),
            l("已出发", "departed"),
            l("已抵达", "arrived"),
            l("其他方式", "other means"),
        ];
        // Most workers first; a city has thousands of employers and --json lists them all.
        let mut employers: Vec<&stats::EmployerStats> = s.by_employer.iter().collect();
        employers.sort_by(|a, b| {
            b.registered
                .cmp(&a.registered)
                .then_with(|| a.name.cmp(&b.name))
        });
        let rows: Vec<Vec<String>> = employers
            .iter()
            .take(EMPLOYER_ROWS)
            .map(|e| {
                vec![
                    e.name.clone(),
                    format!("{}{}", short_province(&e.province), e.city),
                    e.expected.to_string(),
                    e.registered.to_string(),
                    e.eligible.to_string(),
                    e.planned.to_string(),
                    e.departed.to_string(),
                    e.arrived.to_string(),
                    e.other_means.to_string(),
                ]
            })
            .collect();
        out += &table(&head, &rows, 2);
        if employers.len() > EMPLOYER_ROWS {
            out += &match lang {
                Lang::Zh => format!(
                    "……另有 {} 家企业（--json 列出全部）\n",
                    employers.len() - EMPLOYER_ROWS
                ),
                Lang::En => format!(
                    "… and {} more employers (--json lists them all)\n",
                    employers.len() - EMPLOYER_ROWS
                ),
            };
        }
        out += "\n";
    }

    if !s.day.by_province.is_empty() {
        out += &format!(
            "{}\n",
            l("当日目的地省份", "Destination provinces of the day")
        );
        out += &groups(&s.day.by_province, lang);
    }
    out
}

/// The board's words for a trip whose destination was not told before it left.
pub fn notice_label(mark: Option<crate::model::NoticeMark>, lang: Lang) -> &'static str {
    use crate::model::NoticeMark;
    match mark {
        Some(NoticeMark::Missing) => lang.pick("未通知", "no notice"),
        Some(NoticeMark::Late) => lang.pick("迟通知", "late notice"),
        Some(NoticeMark::Sent) | None => "",
    }
}

fn scope_line(label: &str, sc: &Scope, lang: Lang) -> String {
    let l = |zh, en| lang.pick(zh, en);
    format!(
        "{label}: {} {}  {} {}  {} {}  {} {}/{}  {} {}\n",
        l("车辆", "buses"),
        sc.buses,
        l("批次", "batches"),
        sc.batches,
        l("人数", "people"),
        sc.people,
        l("已抵达车辆/人数", "arrived buses/people"),
        sc.arrived_buses,
        sc.arrived_people,
        l("其他方式", "other means"),
        sc.other_means
    )
}

fn groups(gs: &[Group], lang: Lang) -> String {
    let head = [
        lang.pick("名称", "name"),
        lang.pick("人数", "people"),
        lang.pick("车辆", "buses"),
        lang.pick("批次", "batches"),
    ];
    let rows: Vec<Vec<String>> = gs
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                g.people.to_string(),
                g.buses.to_string(),
                g.batches.to_string(),
            ]
        })
        .collect();
    table(&head, &rows, 1)
}

/// Columns padded by display width (a Chinese character takes two); columns from `numeric_from`
/// on are right-aligned.
fn table(head: &[&str], rows: &[Vec<String>], numeric_from: usize) -> String {
    let mut widths: Vec<usize> = head.iter().map(|h| h.width()).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let parts: Vec<String> = cells
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                let fill = " ".repeat(w.saturating_sub(c.width()));
                if i >= numeric_from {
                    format!("{fill}{c}")
                } else {
                    format!("{c}{fill}")
                }
            })
            .collect();
        format!("{}\n", parts.join("  ").trim_end())
    };
    let mut out = line(&mut head.iter().copied());
    for r in rows {
        out += &line(&mut r.iter().map(String::as_str));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_by_display_width() {
        let t = table(
            &["企业", "人数"],
            &[
                vec!["宁波甬达电器有限公司".into(), "12".into()],
                vec!["ABC".into(), "3".into()],
            ],
            1,
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[1].width(), lines[2].width());
        assert!(lines[2].ends_with("   3"), "{t}");
    }
}
