//! People of the demo ledger: Chinese names, valid ID numbers with Ankang area codes, mobiles,
//! and the worker file itself — certificates of varied validity around the working day.

use super::assets::assets;
use super::firms::firms;
use super::rng::{Rng, Weighted};
use super::LedgerSpec;
use crate::model::IdNumber;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};

pub fn surname(rng: &mut Rng) -> &'static str {
    use std::sync::OnceLock;
    static W: OnceLock<Weighted> = OnceLock::new();
    let a = assets();
    let w = W.get_or_init(|| Weighted::new(a.surnames.iter().map(|s| s.1)));
    a.surnames.get(w.sample(rng)).map_or("王", |s| s.0)
}

/// Surname + one or two given-name characters of the person's sex.
pub fn person_name(rng: &mut Rng, male: bool) -> String {
    let a = assets();
    let pool = if male { &a.male } else { &a.female };
    let mut name = surname(rng).to_string();
    let n = if rng.percent(30) { 1 } else { 2 };
    for _ in 0..n {
        name.push(rng.pick(pool).unwrap_or('明'));
    }
    name
}

pub fn mobile(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(11);
    s.push('1');
    s.push(['3', '5', '7', '8', '9'][rng.below(5)]);
    rng.digits(&mut s, 9);
    s
}

const HEADER: &str = "姓名,身份证号,手机号,区县,乡镇,村,意向企业,健康证明签发日期,健康证明有效期至,健康证明签发单位\n";

/// One generated worker, before it is written as a row.
pub struct Drawn<'a> {
    pub name: String,
    pub id: IdNumber,
    pub phone: Option<String>,
    /// Index into `assets().counties`.
    pub county: usize,
    pub township: &'a str,
    pub village: &'a str,
    /// Index into `firms(spec)`.
    pub firm: usize,
    pub issued: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

/// Writes `spec.workers` worker rows (Chinese headers, UTF-8, LF). Deterministic for the spec's
/// seed and working day; every row is valid, and ID numbers are unique.
pub fn write_workers_csv(w: impl Write, spec: &LedgerSpec) -> io::Result<()> {
    let a = assets();
    let mut out = io::BufWriter::with_capacity(256 * 1024, w);
    out.write_all(HEADER.as_bytes())?;
    let firms = firms(spec);
    let mut line = String::with_capacity(256);
    each_worker(spec, |d| {
        line.clear();
        line.push_str(&d.name);
        line.push(',');
        line.push_str(d.id.as_str());
        line.push(',');
        if let Some(p) = &d.phone {
            line.push_str(p);
        }
        let county = a.counties[d.county].name;
        for cell in [county, d.township, d.village, &firms[d.firm].name] {
            line.push(',');
            line.push_str(cell);
        }
        line.push(',');
        if let Some(issued) = d.issued {
            let _ = write!(line, "{issued},");
            if let Some(until) = d.valid_until {
                let _ = write!(line, "{until}");
            }
            line.push(',');
            line.push_str(d.township);
            line.push_str("卫生院");
        } else {
            line.push(',');
        }
        line.push('\n');
        out.write_all(line.as_bytes())
    })?;
    out.flush()
}

/// Generates the ledger's workers in file order, handing each to `emit`: the worker file and
/// the fleet (sized to the day's demand) read the very same people.
///
/// A county's people follow each other to a few partner employers (a county bureau works with
/// the firms its people already work for, about one per 60 workers of the county), and a
/// village leans towards three of them.
pub fn each_worker(
    spec: &LedgerSpec,
    mut emit: impl FnMut(&Drawn<'static>) -> io::Result<()>,
) -> io::Result<()> {
    let a = assets();
    let firms = firms(spec);
    if firms.is_empty() {
        return Ok(());
    }
    let firm_w = Weighted::new(firms.iter().map(|f| f.weight));
    let county_w = Weighted::new(a.counties.iter().map(|c| c.weight));
    let total_weight: u64 = a.counties.iter().map(|c| c.weight).sum::<u64>().max(1);
    let mut partner_rng = Rng::stream(spec.seed, 5);
    let partners: Vec<Vec<usize>> = a
        .counties
        .iter()
        .map(|c| {
            let people = spec.workers as u64 * c.weight / total_weight;
            let k = ((people / 60) as usize).clamp(2, firms.len());
            let mut chosen: Vec<usize> = Vec::with_capacity(k);
            // Weighted draws without repeats; a bounded number of tries keeps it finite.
            for _ in 0..k * 50 {
                if chosen.len() == k {
                    break;
                }
                let f = firm_w.sample(&mut partner_rng).min(firms.len() - 1);
                if !chosen.contains(&f) {
                    chosen.push(f);
                }
            }
            chosen.sort_unstable();
            chosen
        })
        .collect();
    let partner_w: Vec<Weighted> = partners
        .iter()
        .map(|p| Weighted::new(p.iter().map(|&f| firms[f].weight)))
        .collect();
    let partner = |ci: usize, rng: &mut Rng| -> usize {
        let p = &partners[ci];
        p[partner_w[ci].sample(rng).min(p.len() - 1)]
    };
    // Favourite employers of each village, in the order counties/townships/villages are listed.
    let mut fav_rng = Rng::stream(spec.seed, 2);
    let favourites: Vec<Vec<Vec<[usize; 3]>>> = a
        .counties
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            c.townships
                .iter()
                .map(|t| {
                    t.villages
                        .iter()
                        .map(|_| std::array::from_fn(|_| partner(ci, &mut fav_rng)))
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut rng = Rng::stream(spec.seed, 3);
    let mut used: HashSet<u64> = HashSet::with_capacity(spec.workers);
    let today = spec.today;
    for _ in 0..spec.workers {
        let ci = county_w.sample(&mut rng).min(a.counties.len() - 1);
        let county = &a.counties[ci];
        let ti = rng.below(county.townships.len());
        let Some(township) = county.townships.get(ti) else {
            continue;
        };
        let vi = rng.below(township.villages.len());
        let village = township.villages.get(vi).copied().unwrap_or("");
        let firm = if rng.percent(70) {
            favourites[ci][ti][vi][rng.below(3)]
        } else {
            partner(ci, &mut rng)
        };
        let male = rng.percent(65);
        let name = person_name(&mut rng, male);
        let id = unique_id(&mut rng, &mut used, county.code, today, male);
        let phone = rng.percent(97).then(|| mobile(&mut rng));
        let (issued, valid_until) = certificate(&mut rng, today);
        emit(&Drawn {
            name,
            id,
            phone,
            county: ci,
            township: township.name,
            village,
            firm: firm.min(firms.len() - 1),
            issued,
            valid_until,
        })?;
    }
    Ok(())
}

/// Issue and end dates: 7 % none, 8 % expired, 5 % on their last day, the rest valid today
/// and tomorrow; one in ten carries an explicit five-day validity.
fn certificate(rng: &mut Rng, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let r = rng.below(100);
    if r < 7 {
        return (None, None);
    }
    let age = match r {
        7..=14 => 7 + rng.below(4),
        15..=19 => 6,
        _ => rng.below(6),
    };
    let issued = today - Days::new(age as u64);
    let until = rng.percent(10).then(|| issued + Days::new(4));
    (Some(issued), until)
}

/// A valid ID number of the county, unique in the file: workers between 18 and 58.
fn unique_id(
    rng: &mut Rng,
    used: &mut HashSet<u64>,
    area: &str,
    today: NaiveDate,
    male: bool,
) -> IdNumber {
    let area_num: u64 = area.parse().unwrap_or(610902);
    loop {
        let age_days = 18 * 365 + rng.below(40 * 365) as u64;
        let birth = today - Days::new(age_days);
        let seq = (rng.below(500) * 2 + usize::from(male)) as u16;
        let ymd = birth.year() as u64 * 10_000 + u64::from(birth.month() * 100 + birth.day());
        let key = (area_num * 100_000_000 + ymd) * 1000 + u64::from(seq);
        if used.insert(key) {
            if let Some(id) = IdNumber::compose(area, birth, seq) {
                return id;
            }
        }
    }
}
