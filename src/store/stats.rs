//! Counting queries behind `stats`, the daily bulletin and the statistics screen, plus the few
//! extra reads a manifest needs (the employers' gates a bus stops at).

use super::Result;
use crate::model::TripStatus;
use crate::store::{rules, Db};
use chrono::NaiveDate;
use rusqlite::named_params;
use std::collections::{BTreeMap, HashMap};

/// The certificate rule of `HealthCertificate::state_on` (valid or last day) for a registered
/// worker, written in SQL so that a million-row ledger is counted without loading it. The test
/// below keeps it equal to the model's rule. Binds `:day` and `:earliest`, the first issue day
/// still valid on `:day`; plain text comparisons of `YYYY-MM-DD`, no date arithmetic per row.
const ELIGIBLE: &str = "w.status = 'registered'
    AND (w.cert_issued IS NULL OR w.cert_issued <= :day)
    AND COALESCE(w.cert_valid_until >= :day, w.cert_issued >= :earliest)";

/// The earliest issue day whose certificate (without an end date) still covers `day`: a
/// certificate issued on the 15th with 7 days of validity covers the 15th to the 21st.
fn earliest_issue(day: NaiveDate, validity_days: u32) -> NaiveDate {
    day.checked_sub_days(chrono::Days::new(u64::from(validity_days.max(1) - 1)))
        .unwrap_or(NaiveDate::MIN)
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LedgerCounts {
    pub workers: u32,
    pub employers: u32,
    pub buses: u32,
    pub eligible: u32,
    /// Workers per lifecycle state (`registered`, `planned`, … `other-means`).
    pub by_status: BTreeMap<String, u32>,
    /// Per employer, in name order (every employer, even one nobody signed up for).
    pub by_employer: Vec<EmployerCounts>,
}

/// One employer's ledger: how many signed up for it and where they are in their lifecycle.
/// `stats --json` prints it as it is (in this field order), without the row id.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct EmployerCounts {
    #[serde(skip)]
    pub employer_id: i64,
    pub name: String,
    /// Every worker in the ledger naming this employer, whatever their state.
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

/// The ledger's counts on `day` in two passes over the workers: states per employer from the
/// covering index, then the eligible ones from one scan of the table.
pub fn ledger_counts(conn: &Db<'_>, day: NaiveDate, validity_days: u32) -> Result<LedgerCounts> {
    let mut by_employer: Vec<EmployerCounts> = {
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, province, city, expected FROM employers ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(EmployerCounts {
                employer_id: r.get(0)?,
                name: r.get(1)?,
                province: r.get(2)?,
                city: r.get(3)?,
                expected: r.get(4)?,
                ..Default::default()
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let index: HashMap<i64, usize> = by_employer
        .iter()
        .enumerate()
        .map(|(i, e)| (e.employer_id, i))
        .collect();

    let mut out = LedgerCounts::default();
    let mut stmt = conn.prepare_cached(
        "SELECT employer_id, status, COUNT(*) FROM workers GROUP BY employer_id, status",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let employer: Option<i64> = r.get(0)?;
        let status: String = r.get(1)?;
        let n: u32 = r.get(2)?;
        out.workers += n;
        *out.by_status.entry(status.clone()).or_default() += n;
        if let Some(e) = employer
            .and_then(|id| index.get(&id))
            .map(|&i| &mut by_employer[i])
        {
            e.registered += n;
            match status.as_str() {
                "planned" => e.planned += n,
                "boarded" => e.boarded += n,
                "departed" => e.departed += n,
                "arrived" => e.arrived += n,
                "other-means" => e.other_means += n,
                "withdrawn" => e.withdrawn += n,
                _ => {}
            }
        }
    }
    // NOT INDEXED: the planner would walk the employer index and fetch every row out of order,
    // twice as slow as reading the table straight through.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT w.employer_id, COUNT(*) FROM workers w NOT INDEXED WHERE {ELIGIBLE}
         GROUP BY w.employer_id"
    ))?;
    let mut rows =
        stmt.query(named_params! {":day": day, ":earliest": earliest_issue(day, validity_days)})?;
    while let Some(r) = rows.next()? {
        let employer: Option<i64> = r.get(0)?;
        let n: u32 = r.get(1)?;
        out.eligible += n;
        if let Some(&i) = employer.and_then(|id| index.get(&id)) {
            by_employer[i].eligible += n;
        }
    }
    let count = |sql: &str| -> Result<u32> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    out.employers = by_employer.len() as u32;
    out.buses = count("SELECT COUNT(*) FROM buses")?;
    out.by_employer = by_employer;
    Ok(out)
}

/// One bus's day as the county office follows it: who was expected and what became of them.
#[derive(Debug, Clone, PartialEq)]
pub struct TripCounts {
    pub trip_id: i64,
    /// `旬阳-20200221-01-1`
    pub code: String,
    /// The day it leaves.
    pub date: NaiveDate,
    pub plate: String,
    pub status: TripStatus,
    pub batch: String,
    pub departure: String,
    pub county: String,
    pub province: String,
    pub city: String,
    pub capacity: u32,
    /// Passengers holding a seat: boarded + missing (as the roster screen counts them).
    pub expected: u32,
    pub boarded: u32,
    pub refused: u32,
    pub no_show: u32,
    /// Not accounted for yet: planned, or in 复测 (re-check after a fever reading).
    pub missing: u32,
    /// Stand-bys who took a freed seat (counted in `boarded`/`missing` too).
    pub standby: u32,
    /// RFC 3339 with offset.
    pub departed_at: Option<String>,
    pub arrived_at: Option<String>,
    pub arrived_count: Option<u32>,
    /// In 复测 (counted in `missing` too).
    pub recheck: u32,
    /// Aboard and under observation after a fever found en route.
    pub observation: u32,
}

/// The trips of `day`, and those of earlier days that were still on the road that day or
/// arrived on it (a 1,500 km trip leaves one day and arrives the next).
pub fn trip_counts(conn: &Db<'_>, day: NaiveDate) -> Result<Vec<TripCounts>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.id, bus.plate, t.status, b.code, b.departure, b.county, b.province, b.city,
                t.capacity, COALESCE(SUM(p.status IN {holds}), 0),
                COALESCE(SUM(p.status = 'boarded'), 0),
                COALESCE(SUM(p.status = 'refused'), 0),
                COALESCE(SUM(p.status = 'no-show'), 0),
                COALESCE(SUM(p.status IN {undecided}), 0),
                COALESCE(SUM(p.standby = 1 AND p.status IN {holds}), 0),
                t.departed_at, t.arrived_at, t.arrived_count,
                COALESCE(t.code, b.code || '-' || t.id), t.date,
                COALESCE(SUM(p.status = 'recheck'), 0),
                COALESCE(SUM(p.observation_at IS NOT NULL AND p.status = 'boarded'), 0)
         FROM trips t JOIN batches b ON b.id = t.batch_id JOIN buses bus ON bus.id = t.bus_id
              LEFT JOIN passengers p ON p.trip_id = t.id
         WHERE t.date = ?1
            OR (t.date < ?1 AND (t.status = 'departed'
                                 OR (t.status = 'arrived' AND substr(t.arrived_at, 1, 10) >= ?1)))
         GROUP BY t.id ORDER BY t.date, b.departure, b.code, bus.plate",
        holds = rules::HOLDS.as_str(),
        undecided = rules::UNDECIDED.as_str()
    ))?;
    let rows = stmt.query_map([day], |r| {
        Ok(TripCounts {
            trip_id: r.get(0)?,
            plate: r.get(1)?,
            status: r.get(2)?,
            batch: r.get(3)?,
            departure: r.get(4)?,
            county: r.get(5)?,
            province: r.get(6)?,
            city: r.get(7)?,
            capacity: r.get(8)?,
            expected: r.get(9)?,
            boarded: r.get(10)?,
            refused: r.get(11)?,
            no_show: r.get(12)?,
            missing: r.get(13)?,
            standby: r.get(14)?,
            departed_at: r
                .get::<_, Option<String>>(15)?
                .map(|t| crate::clock::normalize(&t)),
            arrived_at: r
                .get::<_, Option<String>>(16)?
                .map(|t| crate::clock::normalize(&t)),
            arrived_count: r.get(17)?,
            code: r.get(18)?,
            date: r.get(19)?,
            recheck: r.get(20)?,
            observation: r.get(21)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// People carried by one bus that has left, for one employer. A bus that left empty gives one
/// load with an empty employer and no people, so it still counts as a bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Load {
    pub trip_id: i64,
    pub date: NaiveDate,
    pub batch_id: i64,
    /// The day it arrived at the factory gate, where it arrived.
    pub arrived_on: Option<NaiveDate>,
    pub county: String,
    pub province: String,
    pub city: String,
    pub employer: String,
    pub people: u32,
}

/// Loads of every bus that departed (or has arrived) on or before `last_day`.
pub fn loads_until(conn: &Db<'_>, last_day: NaiveDate) -> Result<Vec<Load>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.date, t.batch_id, t.status = 'arrived', t.arrived_at, b.county, b.province, b.city,
                COALESCE(e.name, ''), COUNT(p.id)
         FROM trips t JOIN batches b ON b.id = t.batch_id
              LEFT JOIN passengers p ON p.trip_id = t.id AND p.status = 'boarded'
              LEFT JOIN workers w ON w.id = p.worker_id
              LEFT JOIN employers e ON e.id = w.employer_id
         WHERE t.status IN ('departed','arrived') AND t.date <= ?1
         GROUP BY t.id, e.id ORDER BY t.date, t.id, e.name",
    )?;
    let rows = stmt.query_map([last_day], |r| {
        let date: NaiveDate = r.get(1)?;
        let arrived: bool = r.get(3)?;
        let arrived_at: Option<String> = r.get(4)?;
        Ok(Load {
            trip_id: r.get(0)?,
            date,
            batch_id: r.get(2)?,
            // A hand-over whose time cannot be read still happened: on its trip's day at latest.
            arrived_on: arrived.then(|| {
                arrived_at
                    .as_deref()
                    .and_then(crate::clock::day_of)
                    .unwrap_or(date)
            }),
            county: r.get(5)?,
            province: r.get(6)?,
            city: r.get(7)?,
            employer: r.get(8)?,
            people: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Workers who went back by train or their own car, grouped by day, home county and destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherMeans {
    pub date: NaiveDate,
    pub county: String,
    pub province: String,
    pub people: u32,
}

pub fn other_means_until(conn: &Db<'_>, last_day: NaiveDate) -> Result<Vec<OtherMeans>> {
    // Read from the partial index of migration 003 in its own order; provinces are joined here
    // rather than in SQL, which would fetch an employer row per worker.
    let provinces: HashMap<i64, String> = {
        let mut stmt = conn.prepare_cached("SELECT id, province FROM employers")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut stmt = conn.prepare_cached(
        "SELECT w.other_date, w.county, w.employer_id, COUNT(*) FROM workers w
         WHERE w.status = 'other-means' AND w.other_date <= ?1
         GROUP BY w.other_date, w.county, w.employer_id",
    )?;
    let mut acc: BTreeMap<(NaiveDate, String, String), u32> = BTreeMap::new();
    let mut rows = stmt.query([last_day])?;
    while let Some(r) = rows.next()? {
        let employer: Option<i64> = r.get(2)?;
        let province = employer
            .and_then(|id| provinces.get(&id))
            .cloned()
            .unwrap_or_default();
        *acc.entry((r.get(0)?, r.get(1)?, province)).or_default() += r.get::<_, u32>(3)?;
    }
    Ok(acc
        .into_iter()
        .map(|((date, county, province), people)| OtherMeans {
            date,
            county,
            province,
            people,
        })
        .collect())
}

/// Where a bus delivers: an employer's factory gate and who receives there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate {
    pub employer_id: i64,
    pub name: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub contact: String,
    pub contact_phone: String,
    /// From the home county, km; 0 when not known.
    pub distance_km: u32,
}

pub fn gates(conn: &Db<'_>, employer_ids: &[i64]) -> Result<Vec<Gate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, province, city, address, contact, contact_phone, MAX(distance_km, 0)
         FROM employers WHERE id = ?1",
    )?;
    let mut out = Vec::with_capacity(employer_ids.len());
    for id in employer_ids {
        let mut rows = stmt.query_map([id], |r| {
            Ok(Gate {
                employer_id: r.get(0)?,
                name: r.get(1)?,
                province: r.get(2)?,
                city: r.get(3)?,
                address: r.get(4)?,
                contact: r.get(5)?,
                contact_phone: r.get(6)?,
                distance_km: r.get::<_, i64>(7)?.clamp(0, i64::from(u32::MAX)) as u32,
            })
        })?;
        if let Some(g) = rows.next() {
            out.push(g?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HealthCertificate, WorkerStatus};
    use crate::store::Store;

    /// Every combination of issue day, end day and validity, counted in SQL and by the model.
    #[test]
    fn sql_eligibility_is_the_model_rule() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("z.db")).unwrap();
        let d = |n: u32| NaiveDate::from_ymd_opt(2020, 2, n).unwrap();
        let mut certs = Vec::new();
        for issued in [None, Some(10), Some(14), Some(18)] {
            for until in [None, Some(12), Some(16), Some(21)] {
                certs.push(HealthCertificate {
                    issued: issued.map(d),
                    valid_until: until.map(d),
                    issuer: String::new(),
                });
            }
        }
        let mut insert = store
            .conn
            .prepare(
                "INSERT INTO workers (id_number, name, cert_issued, cert_valid_until, status)
                 VALUES (?1, 'w', ?2, ?3, ?4)",
            )
            .unwrap();
        for (i, c) in certs.iter().enumerate() {
            for status in [WorkerStatus::Registered, WorkerStatus::Withdrawn] {
                insert
                    .execute(rusqlite::params![
                        format!("{i}-{status}"),
                        c.issued,
                        c.valid_until,
                        status
                    ])
                    .unwrap();
            }
        }
        for validity in [1, 3, 5, 7, 14] {
            for day in 8..=26 {
                let model = certs
                    .iter()
                    .filter(|c| c.state_on(d(day), validity).allows_travel())
                    .count() as u32;
                let sql = ledger_counts(&store.db(), d(day), validity)
                    .unwrap()
                    .eligible;
                assert_eq!(sql, model, "day {day}, validity {validity}");
            }
        }
    }
}
