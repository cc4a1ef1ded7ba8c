//! The daily bulletin (日报) as a county bureau writes it upward, built only from the figures:
//! buses, batches, people by destination province, other means, totals since the first departure.

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
    match lang {
        Lang::Zh => zh(f),
        Lang::En => en(f),
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

/// `浙江省` → `浙江`, `广西壮族自治区` → `广西`, `上海市` → `上海`: how bulletins name provinces.
pub fn short_province(name: &str) -> &str {
    const SUFFIXES: &[&str] = &[
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "特别行政区",
        "自治区",
        "省",
        "市",
    ];
    SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .filter(|s| !s.is_empty())
        .unwrap_or(name)
}

fn province_en(name: &str) -> &str {
    const NAMES: &[(&str, &str)] = &[
        ("北京", "Beijing"),
        ("天津", "Tianjin"),
        ("河北", "Hebei"),
        ("山西", "Shanxi"),
        ("内蒙古", "Inner Mongolia"),
        ("辽宁", "Liaoning"),
        ("吉林", "Jilin"),
        ("黑龙江", "Heilongjiang"),
        ("上海", "Shanghai"),
        ("江苏", "Jiangsu"),
        ("浙江", "Zhejiang"),
        ("安徽", "Anhui"),
        ("福建", "Fujian"),
        ("江西", "Jiangxi"),
        ("山东", "Shandong"),
        ("河南", "Henan"),
        ("湖北", "Hubei"),
        ("湖南", "Hunan"),
        ("广东", "Guangdong"),
        ("广西", "Guangxi"),
        ("海南", "Hainan"),
        ("重庆", "Chongqing"),
        ("四川", "Sichuan"),
        ("贵州", "Guizhou"),
        ("云南", "Yunnan"),
        ("西藏", "Tibet"),
        ("陕西", "Shaanxi"),
        ("甘肃", "Gansu"),
        ("青海", "Qinghai"),
        ("宁夏", "Ningxia"),
        ("新疆", "Xinjiang"),
        ("香港", "Hong Kong"),
        ("澳门", "Macao"),
        ("台湾", "Taiwan"),
    ];
    let short = short_province(name);
    NAMES
        .iter()
        .find(|(zh, _)| *zh == short)
        .map(|(_, en)| *en)
        .unwrap_or(name)
}

fn county_en(name: &str) -> &str {
    const NAMES: &[(&str, &str)] = &[
        ("汉滨区", "Hanbin District"),
        ("汉阴县", "Hanyin County"),
        ("石泉县", "Shiquan County"),
        ("宁陕县", "Ningshan County"),
        ("紫阳县", "Ziyang County"),
        ("岚皋县", "Langao County"),
        ("平利县", "Pingli County"),
        ("镇坪县", "Zhenping County"),
        ("旬阳县", "Xunyang County"),
        ("白河县", "Baihe County"),
        ("旬阳市", "Xunyang City"),
    ];
    NAMES
        .iter()
        .find(|(zh, _)| *zh == name)
        .map(|(_, en)| *en)
        .unwrap_or(name)
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
