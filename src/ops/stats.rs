//! Figures of the day and since the first departure: the `stats` command, its JSON contract and
//! the statistics screen's data (by province, county, employer, day), plus the daily bulletin.

mod bulletin;

pub use bulletin::{bulletin, bulletin_text, short_province};

use super::{Ctx, OpResult};
use crate::model::TripStatus;
use crate::store::stats::{self as q, Load, OtherMeans};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Everything `stats --json` prints. The first keys are the contract of issues 2 and 5; the rest
/// are additions that scripts may use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub date: NaiveDate,
    pub workers: u32,
    pub employers: u32,
    pub buses: u32,
    /// Registered workers whose certificate is valid on `date`.
    pub eligible: u32,
    pub by_employer: Vec<EmployerStats>,
    pub trips: Vec<TripStats>,
    pub by_status: BTreeMap<String, u32>,
    pub first_departure: Option<NaiveDate>,
    /// Buses that left on `date` and the people they carried.
    pub day: Scope,
    /// Since the first departure up to and including `date`.
    pub cumulative: Scope,
    pub by_day: Vec<DayRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmployerStats {
    pub name: String,
    pub registered: u32,
    pub eligible: u32,
    pub province: String,
    pub city: String,
    pub expected: u32,
    pub planned: u32,
    pub boarded: u32,
    pub departed: u32,
    pub arrived: u32,
    pub other_means: u32,
    pub withdrawn: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TripStats {
    pub plate: String,
    pub status: TripStatus,
    pub expected: u32,
    pub boarded: u32,
    pub refused: u32,
    pub no_show: u32,
    pub missing: u32,
    pub standby: u32,
    pub batch: String,
    pub departure: String,
    pub county: String,
    pub province: String,
    pub city: String,
    pub capacity: u32,
    pub departed_at: Option<String>,
    pub arrived_at: Option<String>,
    pub arrived_count: Option<u32>,
}

/// The statistics screen's data: what left on one day and since the first departure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub date: NaiveDate,
    pub first_departure: Option<NaiveDate>,
    pub day: Scope,
    pub cumulative: Scope,
    pub by_day: Vec<DayRow>,
}

/// Totals over a span of days, and the same people split three ways.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Scope {
    pub batches: u32,
    pub buses: u32,
    /// Passengers who boarded a bus that has left.
    pub people: u32,
    pub arrived_buses: u32,
    pub arrived_people: u32,
    /// Workers who went back by their own means (train, car), counted apart from the buses.
    pub other_means: u32,
    /// Destination provinces, most people first.
    pub by_province: Vec<Group>,
    /// Home counties (the batch's origin), most people first.
    pub by_county: Vec<Group>,
    pub by_employer: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub name: String,
    pub people: u32,
    pub buses: u32,
    pub batches: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayRow {
    pub date: NaiveDate,
    pub batches: u32,
    pub buses: u32,
    pub people: u32,
    pub other_means: u32,
}

/// The whole `stats` answer for `date`.
pub fn stats(ctx: &Ctx, date: NaiveDate) -> OpResult<Stats> {
    let conn = &ctx.store.conn;
    let days = ctx.policy.cert_validity_days;
    let ledger = q::ledger_counts(conn, date, days)?;
    let by_employer = q::employer_counts(conn, date, days)?
        .into_iter()
        .map(|e| EmployerStats {
            name: e.name,
            registered: e.registered,
            eligible: e.eligible,
            province: e.province,
            city: e.city,
            expected: e.expected,
            planned: e.planned,
            boarded: e.boarded,
            departed: e.departed,
            arrived: e.arrived,
            other_means: e.other_means,
            withdrawn: e.withdrawn,
        })
        .collect();
    let trips = q::trip_counts(conn, date)?
        .into_iter()
        .map(|t| TripStats {
            plate: t.plate,
            status: t.status,
            expected: t.expected,
            boarded: t.boarded,
            refused: t.refused,
            no_show: t.no_show,
            missing: t.missing,
            standby: t.standby,
            batch: t.batch,
            departure: t.departure,
            county: t.county,
            province: t.province,
            city: t.city,
            capacity: t.capacity,
            departed_at: t.departed_at,
            arrived_at: t.arrived_at,
            arrived_count: t.arrived_count,
        })
        .collect();
    let f = figures(ctx, date)?;
    Ok(Stats {
        date,
        workers: ledger.workers,
        employers: ledger.employers,
        buses: ledger.buses,
        eligible: ledger.eligible,
        by_employer,
        trips,
        by_status: q::workers_by_status(conn)?,
        first_departure: f.first_departure,
        day: f.day,
        cumulative: f.cumulative,
        by_day: f.by_day,
    })
}

/// What left on `date` and since the first departure, by province, county, employer and day.
pub fn figures(ctx: &Ctx, date: NaiveDate) -> OpResult<Figures> {
    let conn = &ctx.store.conn;
    let loads = q::loads_until(conn, date)?;
    let others = q::other_means_until(conn, date)?;
    Ok(build_figures(date, &loads, &others))
}

/// Pure aggregation of the loads, kept apart from SQL so the arithmetic is tested directly.
fn build_figures(date: NaiveDate, loads: &[Load], others: &[OtherMeans]) -> Figures {
    let first_departure = loads.iter().map(|l| l.date).min();
    let today: Vec<&Load> = loads.iter().filter(|l| l.date == date).collect();
    let mut day = scope(&today);
    day.other_means = others
        .iter()
        .filter(|o| o.date == date)
        .map(|o| o.people)
        .sum();
    let all: Vec<&Load> = loads.iter().collect();
    let mut cumulative = scope(&all);
    cumulative.other_means = others.iter().map(|o| o.people).sum();

    let mut days: BTreeSet<NaiveDate> = loads.iter().map(|l| l.date).collect();
    days.extend(others.iter().map(|o| o.date));
    let by_day = days
        .into_iter()
        .map(|d| {
            let of_day: Vec<&Load> = loads.iter().filter(|l| l.date == d).collect();
            let s = scope(&of_day);
            DayRow {
                date: d,
                batches: s.batches,
                buses: s.buses,
                people: s.people,
                other_means: others
                    .iter()
                    .filter(|o| o.date == d)
                    .map(|o| o.people)
                    .sum(),
            }
        })
        .collect();
    Figures {
        date,
        first_departure,
        day,
        cumulative,
        by_day,
    }
}

fn scope(loads: &[&Load]) -> Scope {
    let trips: BTreeSet<i64> = loads.iter().map(|l| l.trip_id).collect();
    let batches: BTreeSet<i64> = loads.iter().map(|l| l.batch_id).collect();
    let arrived: BTreeSet<i64> = loads
        .iter()
        .filter(|l| l.arrived)
        .map(|l| l.trip_id)
        .collect();
    Scope {
        batches: batches.len() as u32,
        buses: trips.len() as u32,
        people: loads.iter().map(|l| l.people).sum(),
        arrived_buses: arrived.len() as u32,
        arrived_people: loads.iter().filter(|l| l.arrived).map(|l| l.people).sum(),
        other_means: 0,
        by_province: group(loads, |l| &l.province),
        by_county: group(loads, |l| &l.county),
        // A bus that left empty has no employer; it is a bus, not a destination.
        by_employer: group(loads, |l| &l.employer)
            .into_iter()
            .filter(|g| !g.name.is_empty())
            .collect(),
    }
}

fn group(loads: &[&Load], key: impl Fn(&Load) -> &String) -> Vec<Group> {
    let mut acc: BTreeMap<&str, (u32, BTreeSet<i64>, BTreeSet<i64>)> = BTreeMap::new();
    for l in loads {
        let e = acc.entry(key(l).as_str()).or_default();
        e.0 += l.people;
        e.1.insert(l.trip_id);
        e.2.insert(l.batch_id);
    }
    let mut out: Vec<Group> = acc
        .into_iter()
        .map(|(name, (people, buses, batches))| Group {
            name: name.to_string(),
            people,
            buses: buses.len() as u32,
            batches: batches.len() as u32,
        })
        .collect();
    out.sort_by(|a, b| b.people.cmp(&a.people).then_with(|| a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 2, day).unwrap()
    }

    fn load(trip: i64, day: u32, batch: i64, prov: &str, emp: &str, people: u32) -> Load {
        Load {
            trip_id: trip,
            date: d(day),
            batch_id: batch,
            arrived: day < 21,
            county: "旬阳县".into(),
            province: prov.into(),
            city: String::new(),
            employer: emp.into(),
            people,
        }
    }

    #[test]
    fn a_two_employer_bus_is_one_bus_and_people_add_up() {
        let loads = vec![
            load(1, 17, 1, "浙江省", "甲", 10),
            load(2, 21, 2, "浙江省", "甲", 12),
            load(2, 21, 2, "浙江省", "乙", 5),
            load(3, 21, 3, "山西省", "丙", 20),
            load(4, 21, 3, "山西省", "", 0),
        ];
        let others = vec![OtherMeans {
            date: d(21),
            county: "旬阳县".into(),
            province: "浙江省".into(),
            people: 4,
        }];
        let f = build_figures(d(21), &loads, &others);
        assert_eq!(f.first_departure, Some(d(17)));
        assert_eq!((f.day.buses, f.day.batches, f.day.people), (3, 2, 37));
        assert_eq!(f.day.other_means, 4);
        assert_eq!((f.cumulative.buses, f.cumulative.people), (4, 47));
        // Most people first; the empty bus counts as a Shanxi bus but not as an employer.
        assert_eq!(f.day.by_province[0].name, "山西省");
        assert_eq!(f.day.by_province[0].buses, 2);
        assert_eq!(f.day.by_province[1].people, 17);
        assert_eq!(f.day.by_employer.len(), 3);
        assert_eq!(f.by_day.len(), 2);
        assert_eq!(f.by_day[1].people, 37);
    }
}
