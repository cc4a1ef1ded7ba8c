//! The reference data embedded in the binary from `assets/`: Ankang's counties and townships,
//! villages, names, destinations, employers, coach models and operators.

use super::rng::Rng;
use std::sync::OnceLock;

pub struct County {
    pub code: &'static str,
    pub name: &'static str,
    pub weight: u64,
    pub townships: Vec<Township>,
    pub operators: Vec<&'static str>,
}

pub struct Township {
    pub name: &'static str,
    pub villages: Vec<&'static str>,
}

pub struct Destination {
    pub province: &'static str,
    pub city: &'static str,
    pub distance_km: u32,
    pub plate_prefix: &'static str,
    pub weight: u64,
}

pub struct NamedFirm {
    pub name: &'static str,
    pub province: &'static str,
    pub city: &'static str,
    pub address: &'static str,
}

pub struct BusModel {
    pub seats: u32,
    pub weight: u64,
}

pub struct Assets {
    pub counties: Vec<County>,
    pub surnames: Vec<(&'static str, u64)>,
    pub male: Vec<char>,
    pub female: Vec<char>,
    pub destinations: Vec<Destination>,
    pub firms: Vec<NamedFirm>,
    pub trades: Vec<&'static str>,
    pub trade_suffixes: Vec<&'static str>,
    pub bus_models: Vec<BusModel>,
}

/// Data lines of an embedded CSV: `#` comments and the header row left out.
fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').map(str::trim).collect())
}

fn num(s: Option<&&str>) -> u64 {
    s.and_then(|s| s.parse().ok()).unwrap_or(1)
}

pub fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(load)
}

fn load() -> Assets {
    let villages: Vec<&'static str> = include_str!("../../../assets/villages.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let township_rows: Vec<Vec<&'static str>> =
        rows(include_str!("../../../assets/townships.csv")).collect();
    let operator_rows: Vec<Vec<&'static str>> =
        rows(include_str!("../../../assets/operators.csv")).collect();
    let counties = rows(include_str!("../../../assets/counties.csv"))
        .filter(|r| r.len() >= 3)
        .map(|r| {
            let (code, name) = (r[0], r[1]);
            let townships = township_rows
                .iter()
                .filter(|t| t.len() >= 2 && t[0] == name)
                .enumerate()
                .map(|(i, t)| Township {
                    name: t[1],
                    villages: villages_of(code, i, &villages),
                })
                .collect();
            let operators = operator_rows
                .iter()
                .filter(|o| o.len() >= 2 && o[0] == name)
                .map(|o| o[1])
                .collect();
            County {
                code,
                name,
                weight: num(r.get(2)),
                townships,
                operators,
            }
        })
        .collect();
    let mut male = Vec::new();
    let mut female = Vec::new();
    for r in rows(include_str!("../../../assets/given_names.csv")) {
        if let [sex, chars, ..] = r[..] {
            let target = if sex == "m" { &mut male } else { &mut female };
            target.extend(chars.chars());
        }
    }
    let mut trades = Vec::new();
    let mut trade_suffixes = Vec::new();
    for r in rows(include_str!("../../../assets/firm_words.csv")) {
        if let [kind, words, ..] = r[..] {
            let target = if kind == "trade" {
                &mut trades
            } else {
                &mut trade_suffixes
            };
            target.extend(words.split_whitespace());
        }
    }
    Assets {
        counties,
        surnames: rows(include_str!("../../../assets/surnames.csv"))
            .filter(|r| r.len() >= 2)
            .map(|r| (r[0], num(r.get(1))))
            .collect(),
        male,
        female,
        destinations: rows(include_str!("../../../assets/destinations.csv"))
            .filter(|r| r.len() >= 5)
            .map(|r| Destination {
                province: r[0],
                city: r[1],
                distance_km: num(r.get(2)) as u32,
                plate_prefix: r[3],
                weight: num(r.get(4)),
            })
            .collect(),
        firms: rows(include_str!("../../../assets/employers.csv"))
            .filter(|r| r.len() >= 4)
            .map(|r| NamedFirm {
                name: r[0],
                province: r[1],
                city: r[2],
                address: r[3],
            })
            .collect(),
        trades,
        trade_suffixes,
        bus_models: rows(include_str!("../../../assets/buses.csv"))
            .filter(|r| r.len() >= 3)
            .map(|r| BusModel {
                seats: num(r.get(1)) as u32,
                weight: num(r.get(2)),
            })
            .collect(),
    }
}

/// A township's villages: a fixed handful from the pool, the same whatever the demo seed
/// (the map does not change with the ledger).
fn villages_of(county_code: &str, township: usize, pool: &[&'static str]) -> Vec<&'static str> {
    let code: u64 = county_code.parse().unwrap_or(0);
    let mut rng = Rng::stream(code, township as u64);
    let n = 6 + rng.below(5);
    let mut out: Vec<&'static str> = Vec::with_capacity(n);
    while out.len() < n.min(pool.len()) {
        if let Some(v) = rng.pick(pool) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::area;

    #[test]
    fn every_asset_parses_and_is_safe_to_write_unquoted() {
        let a = assets();
        assert_eq!(a.counties.len(), 10);
        for c in &a.counties {
            assert_eq!(area::county_name(c.code), Some(c.name));
            assert!(c.townships.len() >= 7, "{}", c.name);
            assert!(!c.operators.is_empty(), "{}", c.name);
            assert!(c.townships.iter().all(|t| t.villages.len() >= 6));
        }
        let xunyang = a.counties.iter().find(|c| c.name == "旬阳县").unwrap();
        for t in ["城关镇", "蜀河镇", "吕河镇"] {
            assert!(xunyang.townships.iter().any(|x| x.name == t));
        }
        assert!(a.surnames.len() > 90 && a.male.len() > 40 && a.female.len() > 40);
        assert!(a.destinations.len() > 30 && a.firms.len() >= 40);
        assert!(a.trades.len() >= 40 && a.trade_suffixes.len() >= 15);
        assert_eq!(
            a.bus_models.iter().map(|m| m.seats).collect::<Vec<_>>(),
            vec![53, 49, 45, 35, 19]
        );
        for p in [
            "浙江省",
            "山西省",
            "江苏省",
            "甘肃省",
            "湖南省",
            "广东省",
            "福建省",
            "山东省",
        ] {
            assert!(a.firms.iter().any(|f| f.province == p), "{p}");
        }
        // The worker file is written without a CSV writer: no cell may need quoting.
        let texts = a
            .counties
            .iter()
            .flat_map(|c| {
                c.townships
                    .iter()
                    .flat_map(|t| t.villages.iter().chain([&t.name]))
            })
            .chain(a.firms.iter().flat_map(|f| [&f.name, &f.address]));
        for t in texts {
            assert!(!t.contains([',', '"', '\n']), "{t}");
        }
    }
}
