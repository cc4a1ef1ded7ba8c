//! Figures of the day and since the first departure: the `stats` command, its JSON contract and
//! the statistics screen's data (by province, county, employer, day), plus the daily bulletin.

mod bulletin;
mod names;

pub use bulletin::{bulletin, bulletin_text};
pub use names::short_province;

use super::arrival::{self, OverdueTrip};
use super::{Ctx, OpResult};
use crate::clock;
use crate::model::{self as m, NoticeMark, TripStatus};
use crate::store::notices::{self, NoticeSent};
use crate::store::stats::{self as q, Load, OtherMeans};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// The advance notices recorded as sent for the trips of `date`, in the order they went.
    pub notices: Vec<NoticeSent>,
}

/// One employer's figures: the store's counts, as they are.
pub type EmployerStats = crate::store::stats::EmployerCounts;

/// One trip of the day: the day's own, and earlier ones still on the road or arriving that day.
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
    /// RFC 3339 with offset, or null.
    pub departed_at: Option<String>,
    pub arrived_at: Option<String>,
    pub arrived_count: Option<u32>,
    /// The trip's code, `旬阳-20200221-01-1`.
    pub trip: String,
    /// The day it leaves (an earlier day for a trip that arrives on this one).
    pub date: NaiveDate,
    /// Expected arrival, RFC 3339 with offset: from the planned departure until the bus
    /// leaves, then from the actual one; null when no distance is known or cancelled.
    pub eta: Option<String>,
    /// Route length: the farthest factory gate among its employers, km (0: not known).
    pub distance_km: u32,
    /// On the road past the expected arrival and `overdue_margin_hours`.
    pub overdue: bool,
    /// When its destination province was first told (RFC 3339), or null.
    pub notified_at: Option<String>,
    /// `sent`, `late` (told after the bus left), `missing`; null once handed over or cancelled.
    pub notice: Option<NoticeMark>,
}

/// The statistics screen's data: what left on one day and since the first departure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub date: NaiveDate,
    pub first_departure: Option<NaiveDate>,
    pub day: Scope,
    pub cumulative: Scope,
    pub by_day: Vec<DayRow>,
    /// The advance notices sent for the trips of `date`.
    pub notices: Vec<NoticeSent>,
    /// Destination provinces of the day's trips not told yet.
    pub notice_pending: Vec<String>,
    /// Buses on the road past their expected arrival and the margin, now.
    pub overdue: Vec<OverdueTrip>,
}

/// Totals over a span of days, and the same people split three ways.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Scope {
    pub batches: u32,
    pub buses: u32,
    /// Passengers who boarded a bus that has left.
    pub people: u32,
    /// Buses handed over at the factory gate within the span (counted on the day of arrival,
    /// whenever they left), and the people they carried.
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
    let conn = &ctx.store.db();
    let days = ctx.policy.cert_validity_days;
    let ledger = q::ledger_counts(conn, date, days)?;
    let by_employer = ledger.by_employer;
    let distances = notices::distances_for_day(conn, date)?;
    let mut told: BTreeMap<NaiveDate, HashMap<String, String>> = BTreeMap::new();
    let now = clock::now();
    let counts = q::trip_counts(conn, date)?;
    for t in &counts {
        if let std::collections::btree_map::Entry::Vacant(e) = told.entry(t.date) {
            e.insert(notices::first_sent_on(conn, t.date)?);
        }
    }
    let trips = counts
        .into_iter()
        .map(|t| {
            let distance_km = distances.get(&t.trip_id).copied().unwrap_or(0);
            let eta = arrival::eta(
                t.status,
                &t.departure,
                t.departed_at.as_deref(),
                distance_km,
                &ctx.policy,
            );
            let notified_at = told.get(&t.date).and_then(|m| m.get(&t.province)).cloned();
            let notice = NoticeMark::of(
                t.status,
                notified_at.as_deref().and_then(clock::parse_stored),
                t.departed_at.as_deref().and_then(clock::parse_stored),
            );
            TripStats {
                eta: eta.map(clock::stamp),
                distance_km,
                overdue: m::arrival::is_overdue(t.status, eta, now, &ctx.policy),
                notified_at,
                notice,
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
                trip: t.code,
                date: t.date,
            }
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
        by_status: ledger.by_status,
        first_departure: f.first_departure,
        day: f.day,
        cumulative: f.cumulative,
        by_day: f.by_day,
        notices: f.notices,
    })
}

/// What left on `date` and since the first departure, by province, county, employer and day,
/// with the day's notices and the buses overdue now.
pub fn figures(ctx: &Ctx, date: NaiveDate) -> OpResult<Figures> {
    figures_at(ctx, date, clock::now())
}

/// [`figures`] with the buses overdue at `now` (the console's own clock).
pub fn figures_at(
    ctx: &Ctx,
    date: NaiveDate,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> OpResult<Figures> {
    let conn = &ctx.store.db();
    let loads = q::loads_until(conn, date)?;
    let others = q::other_means_until(conn, date)?;
    let mut f = build_figures(date, &loads, &others);
    f.notices = notices::sent_on(conn, date)?;
    f.notice_pending = notices::provinces_on(conn, date)?
        .into_iter()
        .filter(|p| !f.notices.iter().any(|n| n.province == *p))
        .collect();
    f.overdue = arrival::overdue_trips(conn, &ctx.policy, date, now)?;
    Ok(f)
}

/// Pure aggregation of the loads, kept apart from SQL so the arithmetic is tested directly.
/// One pass: a city's ten days are tens of thousands of loads.
fn build_figures(date: NaiveDate, loads: &[Load], others: &[OtherMeans]) -> Figures {
    let mut day = Acc::default();
    let mut cumulative = Acc::default();
    let mut days: BTreeMap<NaiveDate, (HashSet<i64>, HashSet<i64>, u32, u32)> = BTreeMap::new();
    for l in loads {
        cumulative.add(l);
        if l.date == date {
            day.add(l);
        }
        // An arrival counts on the day it happened, whenever the bus left.
        match l.arrived_on {
            Some(a) if a == date => {
                day.arrive(l);
                cumulative.arrive(l);
            }
            Some(a) if a < date => cumulative.arrive(l),
            _ => {}
        }
        let d = days.entry(l.date).or_default();
        d.0.insert(l.trip_id);
        d.1.insert(l.batch_id);
        d.2 += l.people;
    }
    for o in others {
        days.entry(o.date).or_default().3 += o.people;
    }
    let mut day = day.finish();
    day.other_means = others
        .iter()
        .filter(|o| o.date == date)
        .map(|o| o.people)
        .sum();
    let mut cumulative = cumulative.finish();
    cumulative.other_means = others.iter().map(|o| o.people).sum();
    Figures {
        date,
        first_departure: loads.iter().map(|l| l.date).min(),
        day,
        cumulative,
        by_day: days
            .into_iter()
            .map(|(d, (trips, batches, people, other_means))| DayRow {
                date: d,
                batches: batches.len() as u32,
                buses: trips.len() as u32,
                people,
                other_means,
            })
            .collect(),
        notices: Vec::new(),
        notice_pending: Vec::new(),
        overdue: Vec::new(),
    }
}

/// Running totals of one scope while the loads stream past.
#[derive(Default)]
struct Acc<'a> {
    trips: HashSet<i64>,
    batches: HashSet<i64>,
    arrived: HashSet<i64>,
    people: u32,
    arrived_people: u32,
    province: HashMap<&'a str, GroupAcc>,
    county: HashMap<&'a str, GroupAcc>,
    employer: HashMap<&'a str, GroupAcc>,
}

#[derive(Default)]
struct GroupAcc {
    people: u32,
    trips: HashSet<i64>,
    batches: HashSet<i64>,
}

impl<'a> Acc<'a> {
    fn arrive(&mut self, l: &Load) {
        self.arrived.insert(l.trip_id);
        self.arrived_people += l.people;
    }

    fn add(&mut self, l: &'a Load) {
        self.trips.insert(l.trip_id);
        self.batches.insert(l.batch_id);
        self.people += l.people;
        for (map, key) in [
            (&mut self.province, l.province.as_str()),
            (&mut self.county, l.county.as_str()),
            (&mut self.employer, l.employer.as_str()),
        ] {
            let g = map.entry(key).or_default();
            g.people += l.people;
            g.trips.insert(l.trip_id);
            g.batches.insert(l.batch_id);
        }
    }

    fn finish(self) -> Scope {
        Scope {
            batches: self.batches.len() as u32,
            buses: self.trips.len() as u32,
            people: self.people,
            arrived_buses: self.arrived.len() as u32,
            arrived_people: self.arrived_people,
            other_means: 0,
            by_province: groups(self.province),
            by_county: groups(self.county),
            // A bus that left empty has no employer; it is a bus, not a destination.
            by_employer: groups(self.employer)
                .into_iter()
                .filter(|g| !g.name.is_empty())
                .collect(),
        }
    }
}

/// Most people first, then by name, so the order never depends on hashing.
fn groups(map: HashMap<&str, GroupAcc>) -> Vec<Group> {
    let mut out: Vec<Group> = map
        .into_iter()
        .map(|(name, g)| Group {
            name: name.to_string(),
            people: g.people,
            buses: g.trips.len() as u32,
            batches: g.batches.len() as u32,
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
            arrived_on: (day < 21).then(|| d(day + 1)),
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

    #[test]
    fn an_overnight_trip_arrives_on_the_day_it_arrives() {
        // Left on the 21st with 20 people, handed over on the 22nd.
        let mut overnight = load(5, 21, 4, "浙江省", "甲", 20);
        overnight.arrived_on = Some(d(22));
        let loads = vec![overnight];
        let f = build_figures(d(21), &loads, &[]);
        assert_eq!((f.day.buses, f.day.people), (1, 20));
        assert_eq!((f.day.arrived_buses, f.cumulative.arrived_buses), (0, 0));
        let f = build_figures(d(22), &loads, &[]);
        assert_eq!(
            (f.day.buses, f.day.people),
            (0, 0),
            "it left the day before"
        );
        assert_eq!((f.day.arrived_buses, f.day.arrived_people), (1, 20));
        assert_eq!(f.cumulative.arrived_buses, 1);
        let f = build_figures(d(23), &loads, &[]);
        assert_eq!((f.day.arrived_buses, f.cumulative.arrived_people), (0, 20));
    }
}
