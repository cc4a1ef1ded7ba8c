//! The demo fleet: chartered coaches of each county's transport companies, with crews free
//! today, tomorrow or any day, and a few buses that employers send themselves.

use super::assets::assets;
use super::firms::firms;
use super::people::{mobile, person_name};
use super::rng::{Rng, Weighted};
use super::LedgerSpec;
use chrono::Days;
use std::collections::HashSet;
use std::io::{self, Write};

const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Writes `spec.buses` buses (Chinese headers). About 3 % are employers' own buses: their
/// operator is the employer's name and their plate is from the employer's city.
pub fn write_fleet_csv(w: impl Write, spec: &LedgerSpec) -> io::Result<()> {
    let a = assets();
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "车牌号",
        "核定座位",
        "运输公司",
        "驾驶员",
        "驾驶员电话",
        "副驾驶员",
        "副驾驶员电话",
        "随车人员",
        "随车人员电话",
        "出发区县",
        "可用日期",
        "全封闭空调",
    ])?;
    let mut rng = Rng::stream(spec.seed, 4);
    let firms = firms(spec);
    let employer_sent = if firms.is_empty() {
        0
    } else {
        (spec.buses * 3 / 100)
            .max(3)
            .min(spec.buses / 4)
            .min(firms.len())
    };
    let county_w = Weighted::new(a.counties.iter().map(|c| c.weight));
    let model_w = Weighted::new(a.bus_models.iter().map(|m| m.weight));
    let mut plates = HashSet::new();
    for i in 0..spec.buses {
        let county = &a.counties[county_w.sample(&mut rng).min(a.counties.len() - 1)];
        let seats = a.bus_models[model_w.sample(&mut rng).min(a.bus_models.len() - 1)].seats;
        // The biggest employers send their own buses.
        let sender = firms.get(i).filter(|_| i < employer_sent);
        let (operator, prefix) = if let Some(f) = sender {
            (f.name.clone(), f.plate_prefix)
        } else {
            (
                rng.pick(&county.operators)
                    .unwrap_or("安康汽车运输有限公司")
                    .to_string(),
                "陕G",
            )
        };
        let plate = loop {
            let mut p = prefix.to_string();
            if rng.percent(30) {
                p.push(char::from(LETTERS[rng.below(LETTERS.len())]));
                rng.digits(&mut p, 4);
            } else {
                rng.digits(&mut p, 5);
            }
            if plates.insert(p.clone()) {
                break p;
            }
        };
        let driver1 = person_name(&mut rng, true);
        let phone1 = mobile(&mut rng);
        // Long runs need two drivers; most big coaches carry them, small ones rarely.
        let (driver2, phone2) = if seats >= 35 && rng.percent(75) {
            (person_name(&mut rng, true), mobile(&mut rng))
        } else {
            (String::new(), String::new())
        };
        let (attendant, phone3) = if rng.percent(90) {
            let male = rng.percent(40);
            (person_name(&mut rng, male), mobile(&mut rng))
        } else {
            (String::new(), String::new())
        };
        let available = match rng.below(100) {
            0..=44 => spec.today.to_string(),
            45..=79 => (spec.today + Days::new(1)).to_string(),
            _ => String::new(),
        };
        out.write_record([
            plate.as_str(),
            &seats.to_string(),
            &operator,
            &driver1,
            &phone1,
            &driver2,
            &phone2,
            &attendant,
            &phone3,
            county.name,
            &available,
            if rng.percent(60) { "是" } else { "否" },
        ])?;
    }
    out.flush()
}
