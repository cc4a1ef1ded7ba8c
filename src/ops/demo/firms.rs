//! The demo's employers: the named firms of `assets/employers.csv` first, then generated ones
//! (city + trade name + trade) up to the size asked, each with a share of the workers.

use super::assets::assets;
use super::people::{mobile, surname};
use super::rng::{Rng, Weighted};
use super::LedgerSpec;
use std::collections::HashSet;
use std::io::{self, Write};

pub struct Firm {
    pub name: String,
    pub province: &'static str,
    pub city: &'static str,
    pub address: String,
    pub distance_km: u32,
    pub plate_prefix: &'static str,
    /// Relative share of the ledger's workers: a few big factories, many small ones.
    pub weight: u64,
    pub contact: String,
    pub contact_phone: String,
    pub expected: u32,
    pub mutual_recognition: bool,
}

/// The same list for the same spec: the employer file and the worker file both rely on it.
pub fn firms(spec: &LedgerSpec) -> Vec<Firm> {
    let a = assets();
    let mut rng = Rng::stream(spec.seed, 1);
    let dest_weights = Weighted::new(a.destinations.iter().map(|d| d.weight));
    let mut names = HashSet::new();
    let mut out = Vec::with_capacity(spec.employers);
    for (i, named) in a.firms.iter().take(spec.employers).enumerate() {
        let d = a
            .destinations
            .iter()
            .find(|d| d.city == named.city)
            .or(a.destinations.first());
        names.insert(named.name.to_string());
        out.push(firm(
            &mut rng,
            i,
            named.name.to_string(),
            named.province,
            named.city,
            format!("{}{}", named.city, named.address),
            d.map_or(1000, |d| d.distance_km),
            d.map_or("", |d| d.plate_prefix),
        ));
    }
    while out.len() < spec.employers {
        let d = &a.destinations[dest_weights.sample(&mut rng).min(a.destinations.len() - 1)];
        let trade = rng.pick(&a.trades).unwrap_or("华腾");
        let suffix = rng.pick(&a.trade_suffixes).unwrap_or("电子科技");
        let city = d.city.trim_end_matches('市');
        let mut name = format!("{city}{trade}{suffix}有限公司");
        if !names.insert(name.clone()) {
            // Same trade name twice in one city: real registrations add a branch or a place.
            name = format!("{city}{trade}{suffix}有限公司第{}分厂", out.len());
            names.insert(name.clone());
        }
        let road = rng.pick(&a.trades).unwrap_or("创业");
        let address = format!("{}经济技术开发区{road}路{}号", d.city, 1 + rng.below(300));
        let i = out.len();
        out.push(firm(
            &mut rng,
            i,
            name,
            d.province,
            d.city,
            address,
            d.distance_km,
            d.plate_prefix,
        ));
    }
    let total: u64 = out.iter().map(|f| f.weight).sum::<u64>().max(1);
    for f in &mut out {
        // What the firm asked for: a little more than the ledger will offer it.
        f.expected = ((spec.workers as u64 * f.weight * 11) / (total * 10)) as u32 + 5;
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn firm(
    rng: &mut Rng,
    rank: usize,
    name: String,
    province: &'static str,
    city: &'static str,
    address: String,
    distance: u32,
    plate_prefix: &'static str,
) -> Firm {
    let title = ["经理", "主管", "主任", "部长"][rng.below(4)];
    // Road distance varies a little with the factory's side of the city.
    let jitter = distance / 40;
    Firm {
        name,
        province,
        city,
        address,
        distance_km: distance - jitter + rng.below(2 * jitter as usize + 1) as u32,
        plate_prefix,
        weight: 1_000_000 / (rank as u64 + 8),
        contact: format!("{}{title}", surname(rng)),
        contact_phone: mobile(rng),
        expected: 0,
        mutual_recognition: rng.percent(75),
    }
}

/// `企业名称,省,市,…` with Chinese headers, as a bureau would keep it.
pub fn write_employers_csv(w: impl Write, spec: &LedgerSpec) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "企业名称",
        "省",
        "市",
        "地址",
        "联系人",
        "联系电话",
        "需求人数",
        "距离公里",
        "健康互认",
    ])?;
    let mut firms = firms(spec);
    if spec.workers <= super::fleet::DAY_FLEET_UP_TO {
        // What each firm asked for: a little more than the ledger offers it.
        let mut offered = vec![0u32; firms.len()];
        super::people::each_worker(spec, |d| {
            offered[d.firm] += 1;
            Ok(())
        })?;
        for (f, n) in firms.iter_mut().zip(offered) {
            f.expected = n + n.div_ceil(10) + 5;
        }
    }
    for f in firms {
        out.write_record([
            f.name.as_str(),
            f.province,
            f.city,
            &f.address,
            &f.contact,
            &f.contact_phone,
            &f.expected.to_string(),
            &f.distance_km.to_string(),
            if f.mutual_recognition { "是" } else { "否" },
        ])?;
    }
    out.flush()
}
