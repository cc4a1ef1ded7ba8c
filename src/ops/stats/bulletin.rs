//! The daily bulletin (日报) as a county bureau writes it upward, built only from the figures:
//! buses, batches, people by destination province, other means, totals since the first departure.

use super::names::{county_en, province_en, short_province};
use super::{figures, Figures, Group};
use crate::i18n::Lang;
use crate::ops::{Ctx, OpResult};
use chrono::{Datelike, NaiveDate};

/// Provinces named before "等地"; the rest are counted.
const NAMED_PROVINCES: usize = 5;

/// The bulletin for `date` in `lang`.
pub fn bulletin(ctx: &Ctx, date: NaiveDate, lang: Lang) -> OpResult<String> {
    Ok(bulletin_text(&figures(ctx, date)?, lang))
}

/// The bulletin text from figures already loaded (the statistics screen has them).
pub fn bulletin_text(f: &Figures, lang: Lang) -> String {
    let mut s = match lang {
        Lang::Zh => zh(f),
        Lang::En => en(f),
    };
    s += &notices_text(f, lang);
    s += &overdue_text(f, lang);
    s
}

/// The advance notices of the day: to whom each province's went and when, then the provinces
/// not told yet. Nothing when the day has neither.
fn notices_text(f: &Figures, lang: Lang) -> String {
    let mut provinces: Vec<&str> = Vec::new();
    for n in &f.notices {
        if !provinces.contains(&n.province.as_str()) {
            provinces.push(&n.province);
        }
    }
    let sent: Vec<String> = provinces
        .iter()
        .map(|p| {
            let each: Vec<String> = f
                .notices
                .iter()
                .filter(|n| n.province == *p)
                .map(|n| {
                    let at = crate::clock::screen_text(&n.at, f.date);
                    match lang {
                        Lang::Zh => format!("{at} 发给 {}", n.to),
                        Lang::En => format!("{at} to {}", n.to),
                    }
                })
                .collect();
            match lang {
                Lang::Zh => format!("{}（{}）", short_province(p), each.join("；")),
                Lang::En => format!("{} ({})", province_en(p), each.join("; ")),
            }
        })
        .collect();
    let pending: Vec<&str> = f
        .notice_pending
        .iter()
        .map(|p| match lang {
            Lang::Zh => short_province(p),
            Lang::En => province_en(p),
        })
        .collect();
    let mut s = String::new();
    match lang {
        Lang::Zh => {
            if !sent.is_empty() {
                s += &format!("已发送抵达预告：{}。", sent.join("、"));
            }
            if !pending.is_empty() {
                s += &format!("尚未发送抵达预告：{}。", pending.join("、"));
            }
        }
        Lang::En => {
            if !sent.is_empty() {
                s += &format!(" Advance notices sent: {}.", sent.join(", "));
            }
            if !pending.is_empty() {
                s += &format!(
                    " No advance notice yet for {}.",
                    and_list(&pending.iter().map(|p| p.to_string()).collect::<Vec<_>>())
                );
            }
        }
    }
    s
}

/// Buses on the road past their expected arrival, with the attendant and the phone to call.
fn overdue_text(f: &Figures, lang: Lang) -> String {
    if f.overdue.is_empty() {
        return String::new();
    }
    let each: Vec<String> = f
        .overdue
        .iter()
        .map(|o| {
            let eta = crate::clock::screen_text(&o.eta, f.date);
            let who = format!("{} {}", o.attendant, o.attendant_phone);
            match lang {
                Lang::Zh => format!(
                    "{}（车次 {}，开往{}，预计 {} 到达），随车人员 {}",
                    o.plate,
                    o.trip,
                    o.city,
                    eta,
                    who.trim()
                ),
                Lang::En => format!(
                    "{} (trip {}, to {}, expected {}), attendant {}",
                    o.plate,
                    o.trip,
                    o.city,
                    eta,
                    who.trim()
                ),
            }
        })
        .collect();
    match lang {
        Lang::Zh => format!("超时未到{}辆：{}。", f.overdue.len(), each.join("；")),
        Lang::En => format!(
            " Overdue: {}: {}.",
            plural(f.overdue.len() as u32, "bus", "buses"),
            each.join("; ")
        ),
    }
}

fn zh_day(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

fn zh(f: &Figures) -> String {
    let day = &f.day;
    let mut s = String::new();
    if day.buses > 0 {
        let counties: Vec<&str> = day.by_county.iter().map(|g| g.name.as_str()).collect();
        s += &format!(
            "{}，{}开行点对点包车{}辆（{}个批次），{}输送务工人员{}人",
            zh_day(f.date),
            counties.join("、"),
            day.buses,
            day.batches,
            zh_provinces(&day.by_province),
            day.people
        );
        if day.by_province.len() > 1 {
            let parts: Vec<String> = day
                .by_province
                .iter()
                .map(|g| format!("{}{}人", short_province(&g.name), g.people))
                .collect();
            s += &format!("，其中{}", parts.join("、"));
        }
        if day.other_means > 0 {
            s += &format!("；另有{}人通过其他方式返岗", day.other_means);
        }
        s += "。";
    } else if day.other_means > 0 {
        s += &format!(
            "{}，无点对点包车发车；{}人通过其他方式返岗。",
            zh_day(f.date),
            day.other_means
        );
    } else {
        s += &format!("{}，无点对点包车发车。", zh_day(f.date));
    }
    let cum = &f.cumulative;
    match f.first_departure {
        Some(first) => {
            s += &format!(
                "自{}首发以来，累计开行点对点包车{}辆（{}个批次），输送务工人员{}人",
                zh_day(first),
                cum.buses,
                cum.batches,
                cum.people
            );
            if cum.arrived_buses > 0 {
                s += &format!(
                    "，其中{}辆{}人已安全抵达",
                    cum.arrived_buses, cum.arrived_people
                );
            }
            if cum.other_means > 0 {
                s += &format!("；另有{}人通过其他方式返岗", cum.other_means);
            }
            s += "。";
        }
        None if cum.other_means > 0 => {
            s += &format!("累计{}人通过其他方式返岗。", cum.other_means);
        }
        None => {}
    }
    s
}

/// "向浙江输送", "向浙江、山西等地输送", "向浙江、山西、江苏、甘肃、湖南等7个省份输送".
fn zh_provinces(groups: &[Group]) -> String {
    let names: Vec<&str> = groups
        .iter()
        .take(NAMED_PROVINCES)
        .map(|g| short_province(&g.name))
        .collect();
    match groups.len() {
        0 => String::new(),
        1 => format!("向{}", names[0]),
        n if n <= NAMED_PROVINCES => format!("向{}等地", names.join("、")),
        n => format!("向{}等{}个省份", names.join("、"), n),
    }
}

fn en_day(d: NaiveDate) -> String {
    d.format("%-d %B").to_string()
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn en(f: &Figures) -> String {
    let day = &f.day;
    let mut s = String::new();
    if day.buses > 0 {
        let counties: Vec<&str> = day.by_county.iter().map(|g| county_en(&g.name)).collect();
        let provinces: Vec<String> = day
            .by_province
            .iter()
            .take(NAMED_PROVINCES)
            .map(|g| format!("{} ({})", province_en(&g.name), g.people))
            .collect();
        let mut to = and_list(&provinces);
        if day.by_province.len() > NAMED_PROVINCES {
            to = format!(
                "{} and {} other provinces",
                provinces.join(", "),
                day.by_province.len() - NAMED_PROVINCES
            );
        }
        s += &format!(
            "{}: {} ran {} ({}), taking {} to {}",
            en_day(f.date),
            and_list(&counties.iter().map(|c| c.to_string()).collect::<Vec<_>>()),
            plural(
                day.buses,
                "point-to-point chartered bus",
                "point-to-point chartered buses"
            ),
            plural(day.batches, "batch", "batches"),
            plural(day.people, "worker", "workers"),
            to
        );
        if day.other_means > 0 {
            s += &format!("; {} more left by other means", day.other_means);
        }
        s += ".";
    } else {
        s += &format!("{}: no point-to-point bus left", en_day(f.date));
        if day.other_means > 0 {
            s += &format!(
                "; {} left by other means",
                plural(day.other_means, "worker", "workers")
            );
        }
        s += ".";
    }
    let cum = &f.cumulative;
    if let Some(first) = f.first_departure {
        s += &format!(
            " Since the first departure on {}: {} ({}), {}",
            en_day(first),
            plural(cum.buses, "bus", "buses"),
            plural(cum.batches, "batch", "batches"),
            plural(cum.people, "worker", "workers")
        );
        if cum.arrived_buses > 0 {
            s += &format!(
                ", of whom {} arrived safely on {}",
                cum.arrived_people,
                plural(cum.arrived_buses, "bus", "buses")
            );
        }
        if cum.other_means > 0 {
            s += &format!("; {} more by other means", cum.other_means);
        }
        s += ".";
    } else if cum.other_means > 0 {
        s += &format!(
            " In all {} by other means.",
            plural(cum.other_means, "worker", "workers")
        );
    }
    s
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Figures, Scope};
    use super::*;

    fn g(name: &str, people: u32) -> Group {
        Group {
            name: name.into(),
            people,
            buses: 1,
            batches: 1,
        }
    }

    fn seed_day() -> Figures {
        let provinces = [
            ("浙江省", 60),
            ("山西省", 40),
            ("江苏省", 38),
            ("甘肃省", 28),
            ("湖南省", 20),
        ];
        let day = Scope {
            batches: 11,
            buses: 8,
            people: 186,
            other_means: 3,
            by_province: provinces.iter().map(|(n, p)| g(n, *p)).collect(),
            by_county: vec![g("旬阳县", 186)],
            ..Default::default()
        };
        let cumulative = Scope {
            batches: 25,
            buses: 21,
            people: 512,
            arrived_buses: 13,
            arrived_people: 326,
            other_means: 9,
            ..day.clone()
        };
        Figures {
            date: NaiveDate::from_ymd_opt(2020, 2, 21).unwrap(),
            first_departure: NaiveDate::from_ymd_opt(2020, 2, 17),
            day,
            cumulative,
            by_day: vec![],
            notices: vec![],
            notice_pending: vec![],
            overdue: vec![],
        }
    }

    #[test]
    fn chinese_bulletin_reads_like_the_bureau_s() {
        let text = bulletin_text(&seed_day(), Lang::Zh);
        assert!(
            text.starts_with(
                "2月21日，旬阳县开行点对点包车8辆（11个批次），向浙江、山西、江苏、甘肃、湖南等地输送务工人员186人，其中浙江60人"
            ),
            "{text}"
        );
        assert!(text.contains("另有3人通过其他方式返岗。"), "{text}");
        assert!(
            text.contains("自2月17日首发以来，累计开行点对点包车21辆（25个批次），输送务工人员512人，其中13辆326人已安全抵达"),
            "{text}"
        );
    }

    #[test]
    fn english_bulletin_names_provinces_in_english() {
        let text = bulletin_text(&seed_day(), Lang::En);
        assert!(
            text.starts_with("21 February: Xunyang County ran 8 point-to-point chartered buses (11 batches), taking 186 workers to Zhejiang (60), Shanxi (40), Jiangsu (38), Gansu (28) and Hunan (20); 3 more left by other means."),
            "{text}"
        );
        assert!(
            text.contains(
                "Since the first departure on 17 February: 21 buses (25 batches), 512 workers"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_quiet_day_still_gives_the_totals() {
        let mut f = seed_day();
        f.day = Scope::default();
        let text = bulletin_text(&f, Lang::Zh);
        assert!(
            text.starts_with("2月21日，无点对点包车发车。自2月17日首发以来"),
            "{text}"
        );
        f.first_departure = None;
        f.cumulative = Scope::default();
        assert_eq!(bulletin_text(&f, Lang::Zh), "2月21日，无点对点包车发车。");
        assert_eq!(
            bulletin_text(&f, Lang::En),
            "21 February: no point-to-point bus left."
        );
    }

    #[test]
    fn notices_and_overdue_buses_close_the_bulletin() {
        use crate::ops::arrival::OverdueTrip;
        use crate::store::notices::NoticeSent;
        let mut f = seed_day();
        let sent = |prov: &str, at: &str, to: &str| NoticeSent {
            id: 0,
            date: f.date,
            province: prov.into(),
            to: to.into(),
            at: at.into(),
            operator: "王科长".into(),
        };
        f.notices = vec![
            sent("浙江省", "2020-02-21T06:10:00+08:00", "浙江省交通运输厅"),
            sent("山西省", "2020-02-21T06:20:00+08:00", "太原市人社局"),
            sent("浙江省", "2020-02-21T09:00:00+08:00", "宁波市北仑区"),
        ];
        f.notice_pending = vec!["湖南省".into()];
        f.overdue = vec![OverdueTrip {
            trip: "旬阳-20200221-03-1".into(),
            plate: "陕G21002".into(),
            province: "陕西省".into(),
            city: "西安市".into(),
            departed_at: Some("2020-02-21T07:00:00+08:00".into()),
            eta: "2020-02-21T09:00:00+08:00".into(),
            attendant: "郑干事".into(),
            attendant_phone: "13809150103".into(),
        }];
        let text = bulletin_text(&f, Lang::Zh);
        assert!(
            text.ends_with(
                "已发送抵达预告：浙江（06:10 发给 浙江省交通运输厅；09:00 发给 宁波市北仑区）、山西（06:20 发给 太原市人社局）。尚未发送抵达预告：湖南。超时未到1辆：陕G21002（车次 旬阳-20200221-03-1，开往西安市，预计 09:00 到达），随车人员 郑干事 13809150103。"
            ),
            "{text}"
        );
        let text = bulletin_text(&f, Lang::En);
        assert!(
            text.contains(" Advance notices sent: Zhejiang (06:10 to 浙江省交通运输厅; 09:00 to 宁波市北仑区), Shanxi (06:20 to 太原市人社局). No advance notice yet for Hunan. Overdue: 1 bus: 陕G21002 (trip 旬阳-20200221-03-1, to 西安市, expected 09:00), attendant 郑干事 13809150103."),
            "{text}"
        );
        // A quiet day adds nothing.
        assert_eq!(
            bulletin_text(&seed_day(), Lang::Zh),
            zh(&seed_day()),
            "no notice, no overdue bus: the bulletin as before"
        );
    }

    #[test]
    fn one_province_and_many_provinces() {
        assert_eq!(zh_provinces(&[g("浙江省", 3)]), "向浙江");
        let many: Vec<Group> = [
            "浙江省",
            "山西省",
            "江苏省",
            "甘肃省",
            "湖南省",
            "广西壮族自治区",
            "上海市",
        ]
        .iter()
        .map(|n| g(n, 1))
        .collect();
        assert_eq!(
            zh_provinces(&many),
            "向浙江、山西、江苏、甘肃、湖南等7个省份"
        );
        assert_eq!(short_province("广西壮族自治区"), "广西");
        assert_eq!(short_province("上海市"), "上海");
        assert_eq!(short_province("市"), "市");
    }
}
