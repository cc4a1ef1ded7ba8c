//! What planning a day reads (candidates, employers, free buses, batches and trips already
//! planned) and what applying a plan writes (batches, trips, seats, worker status).

use super::Result;
use crate::model::TripStatus;
use crate::model::{parse_date, HealthCertificate};
use crate::plan::{
    Assumption, BusOffer, BusTrip, Candidate, Destination, ExistingBatch, Expectation, Gate,
    OpenTrip, PlanInput,
};
use crate::store::{rules, Db};
use chrono::NaiveDate;
use rusqlite::{params, Row};

pub mod guard;
mod write;

pub use write::*;

/// Everything the planner needs for `date` (and one origin county when given).
pub fn input(
    conn: &Db<'_>,
    date: NaiveDate,
    county: Option<&str>,
    list_ineligible: bool,
) -> Result<PlanInput> {
    input_with(conn, date, county, list_ineligible, bus_trips(conn)?)
}

/// `input` with the buses' trips already read (a city planned county by county reads them
/// once, not once per county).
pub fn input_with(
    conn: &Db<'_>,
    date: NaiveDate,
    county: Option<&str>,
    list_ineligible: bool,
    bus_trips: Vec<BusTrip>,
) -> Result<PlanInput> {
    let candidates = candidates(conn, county)?;
    let assumed = assumptions(conn)?;
    let mut employers: Vec<i64> = candidates
        .iter()
        .filter_map(|c| c.employer_id)
        .chain(assumed.iter().map(|a| a.employer_id))
        .collect();
    employers.sort_unstable();
    employers.dedup();
    Ok(PlanInput {
        date,
        candidates,
        employers: destinations(conn)?,
        buses: buses_free_on(conn, date, county)?,
        batches: batches_on(conn, date)?,
        open_trips: open_trips(conn, date, county)?,
        bus_trips,
        list_ineligible,
        assumed,
        expectations: expectations(conn, Some(&employers))?,
    })
}

/// What batches still under way assumed about their employers that no longer holds.
pub fn assumptions(conn: &Db<'_>) -> Result<Vec<Assumption>> {
    Ok(super::reshape::stale_assumptions(conn)?
        .into_iter()
        .map(|a| Assumption {
            batch: a.batch_code,
            employer_id: a.employer_id,
            employer: a.employer,
            was: Gate {
                province: a.was_province,
                city: a.was_city,
                address: a.was_address,
                expected: a.was_expected,
            },
            now: Gate {
                province: a.province,
                city: a.city,
                address: a.address,
                expected: a.expected,
            },
        })
        .collect())
}

/// Expected and placed workers of the employers listed (every employer with `None`).
pub fn expectations(
    conn: &Db<'_>,
    employers: Option<&[i64]>,
) -> Result<std::collections::BTreeMap<i64, Expectation>> {
    Ok(super::reshape::placed_counts(conn, employers)?
        .into_iter()
        .map(|(id, expected, placed)| (id, Expectation { expected, placed }))
        .collect())
}

/// A stored date that does not parse counts as no date: the worker then shows as
/// `no-certificate` instead of stopping the whole plan.
fn lenient_date(v: Option<String>) -> Option<NaiveDate> {
    v.as_deref().and_then(|s| parse_date(s).ok())
}

/// Workers who may still be planned: registered and holding no seat.
pub fn candidates(conn: &Db<'_>, county: Option<&str>) -> Result<Vec<Candidate>> {
    // With a county, `w.county = ?1` lets the county index find its workers (the form
    // `?1 IS NULL OR …` would read the whole ledger for each county of a city's plan).
    let filter = match county {
        Some(_) => "w.county = ?1",
        None => "?1 IS NULL",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT w.id, w.name, COALESCE(w.id_number, ''), w.county, w.township, w.village,
                w.employer_id, w.cert_issued, w.cert_valid_until
         FROM workers w
         WHERE {filter} AND w.status = 'registered' AND w.purged = 0
           AND NOT EXISTS (SELECT 1 FROM passengers p
                           WHERE p.worker_id = w.id
                             AND p.status IN {holds})
         ORDER BY w.id",
        holds = rules::HOLDS.as_str()
    ))?;
    // Counted first for a county (cheap through the index): a vector grown by doubling would
    // hold up to twice the candidates' room at its peak, and a large county's is tens of MB.
    let mut out = match county {
        Some(c) => Vec::with_capacity(
            conn.query_row(
                "SELECT count(*) FROM workers WHERE county = ?1 AND status = 'registered'",
                [c],
                |r| r.get::<_, i64>(0),
            )?
            .max(0) as usize,
        ),
        None => Vec::new(),
    };
    let rows = stmt.query_map(params![county], |r| {
        Ok(Candidate {
            id: r.get(0)?,
            name: r.get(1)?,
            id_number: r.get(2)?,
            county: r.get(3)?,
            township: r.get(4)?,
            village: r.get(5)?,
            employer_id: r.get(6)?,
            // Planning never looks at who issued a certificate: not read, a city's worth of
            // names of clinics is tens of MB.
            cert: HealthCertificate {
                issued: lenient_date(r.get(7)?),
                valid_until: lenient_date(r.get(8)?),
                issuer: String::new(),
            },
        })
    })?;
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// Whether registered workers without a home county exist (they are planned as a county of
/// their own, "").
pub fn has_countyless(conn: &Db<'_>) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM workers WHERE county = '' AND status = 'registered')",
        [],
        |r| r.get(0),
    )?)
}

pub fn destinations(conn: &Db<'_>) -> Result<Vec<Destination>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, province, city, MAX(distance_km, 0) FROM employers ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Destination {
            id: r.get(0)?,
            name: r.get(1)?,
            province: r.get(2)?,
            city: r.get(3)?,
            distance_km: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const BUS_COLUMNS: &str = "bus.id, bus.plate, bus.seats, bus.operator,
    (bus.driver1 <> '') + (bus.driver2 <> ''), bus.county, bus.sealed";

fn bus_offer(r: &Row<'_>, at: usize) -> rusqlite::Result<BusOffer> {
    Ok(BusOffer {
        id: r.get(at)?,
        plate: r.get(at + 1)?,
        rated_seats: r.get(at + 2)?,
        operator: r.get(at + 3)?,
        drivers: r.get(at + 4)?,
        county: r.get(at + 5)?,
        sealed: r.get(at + 6)?,
    })
}

/// Buses available on `date` (any day, or that day) that run no trip that day, from `county`
/// or from no county in particular. Whether one is still away on a trip of another day is the
/// planner's call (`bus_trips`).
pub fn buses_free_on(
    conn: &Db<'_>,
    date: NaiveDate,
    county: Option<&str>,
) -> Result<Vec<BusOffer>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {BUS_COLUMNS} FROM buses bus
         WHERE (bus.available_date IS NULL OR bus.available_date = ?1)
           AND (?2 IS NULL OR bus.county = ?2 OR bus.county = '')
           AND NOT EXISTS (SELECT 1 FROM trips t WHERE t.bus_id = bus.id AND t.date = ?1
                             AND t.status <> 'cancelled')
         ORDER BY bus.plate"
    ))?;
    let rows = stmt.query_map(params![date, county], |r| bus_offer(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const BATCH_COLUMNS: &str =
    "b.id, b.code, b.county, b.province, b.city, b.departure, b.gathering_point,
     (SELECT COALESCE(MAX(CAST(substr(t.code, length(b.code) + 2) AS INTEGER)), 0)
      FROM trips t WHERE t.batch_id = b.id)";

/// An `ExistingBatch` from `BATCH_COLUMNS` at the start of a row.
fn batch_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExistingBatch> {
    Ok(ExistingBatch {
        id: r.get(0)?,
        code: r.get(1)?,
        county: r.get(2)?,
        province: r.get(3)?,
        city: r.get(4)?,
        departure: r.get(5)?,
        gathering_point: r.get(6)?,
        last_ordinal: r.get(7)?,
    })
}

pub fn batches_on(conn: &Db<'_>, date: NaiveDate) -> Result<Vec<ExistingBatch>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {BATCH_COLUMNS} FROM batches b WHERE b.date = ?1 ORDER BY b.code"
    ))?;
    let rows = stmt.query_map([date], batch_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Trips of `date` still at `planned`, with the seats and employers they already hold.
pub fn open_trips(conn: &Db<'_>, date: NaiveDate, county: Option<&str>) -> Result<Vec<OpenTrip>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.id, t.batch_id, t.capacity, COALESCE(t.code, ''), {BUS_COLUMNS}
         FROM trips t JOIN batches b ON b.id = t.batch_id JOIN buses bus ON bus.id = t.bus_id
         WHERE t.date = ?1 AND t.status = 'planned' AND (?2 IS NULL OR b.county = ?2)
         ORDER BY b.code, bus.plate"
    ))?;
    let mut trips = stmt
        .query_map(params![date, county], |r| {
            Ok(OpenTrip {
                trip_id: r.get(0)?,
                batch_id: r.get(1)?,
                capacity: r.get(2)?,
                code: r.get(3)?,
                bus: bus_offer(r, 4)?,
                employers: Vec::new(),
                taken_seats: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut seats = conn.prepare_cached(&format!(
        "SELECT p.seat, w.employer_id FROM passengers p JOIN workers w ON w.id = p.worker_id
         WHERE p.trip_id = ?1 AND p.status IN {holds} ORDER BY p.id",
        holds = rules::HOLDS.as_str()
    ))?;
    for t in &mut trips {
        let held = seats.query_map([t.trip_id], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, Option<i64>>(1)?))
        })?;
        for h in held {
            let (seat, employer) = h?;
            t.taken_seats.push(seat);
            if let Some(e) = employer.filter(|e| !t.employers.contains(e)) {
                t.employers.push(e);
            }
        }
    }
    Ok(trips)
}

/// The trips that may keep a bus away from a day's plan: every open trip (planned, boarding,
/// departed) and each bus's latest arrival, with the longest route it carries. A coach that
/// broke down on the road and was swapped out is held by the trip it left as if it had run it
/// (it is far from home and under repair): busy while the trip is open, then until the drive
/// home after the trip's arrival.
pub fn bus_trips(conn: &Db<'_>) -> Result<Vec<BusTrip>> {
    bus_trips_where(conn, "1", [])
}

/// `bus_trips` of one bus.
pub fn bus_trips_of(conn: &Db<'_>, bus: i64) -> Result<Vec<BusTrip>> {
    bus_trips_where(conn, "h.bus_id = ?1", [bus])
}

/// `bus_trips` of the buses for which `filter` (over `h.bus_id`, with `params`) holds.
pub(super) fn bus_trips_where<P: rusqlite::Params>(
    conn: &Db<'_>,
    filter: &str,
    params: P,
) -> Result<Vec<BusTrip>> {
    let mut stmt = conn.prepare_cached(&format!(
        "WITH held (bus_id, trip_id) AS (
             SELECT t.bus_id, t.id FROM trips t
             WHERE t.status IN {open}
                OR (t.status = 'arrived' AND t.id = (
                      SELECT o.id FROM trips o WHERE o.bus_id = t.bus_id AND o.status = 'arrived'
                      ORDER BY o.arrived_at DESC, o.id DESC LIMIT 1))
             UNION
             SELECT c.from_bus_id, c.trip_id FROM trip_changes c
             WHERE c.kind = 'swap' AND c.on_road = 1)
         SELECT h.bus_id, COALESCE(t.code, ''), t.status, t.date, t.arrived_at,
                COALESCE((SELECT MAX(e.distance_km) FROM passengers p
                          JOIN workers w ON w.id = p.worker_id
                          JOIN employers e ON e.id = w.employer_id
                          WHERE p.trip_id = t.id
                            AND p.status IN {holds}), 0)
         FROM held h JOIN trips t ON t.id = h.trip_id
         WHERE ({filter})
         ORDER BY h.bus_id, t.id",
        holds = rules::HOLDS.as_str(),
        open = rules::OPEN.as_str()
    ))?;
    let rows = stmt.query_map(params, |r| {
        let arrived_at: Option<String> = r.get(4)?;
        Ok(BusTrip {
            bus_id: r.get(0)?,
            code: r.get(1)?,
            status: r.get::<_, TripStatus>(2)?,
            date: r.get(3)?,
            // Where the bus was when it arrived: the day written there.
            arrived_on: arrived_at.as_deref().and_then(crate::clock::day_of),
            distance_km: r.get::<_, i64>(5)?.clamp(0, i64::from(u32::MAX)) as u32,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every county named in the ledger, the fleet or the batches, for resolving `--county`.
pub fn counties(conn: &Db<'_>) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT county FROM workers WHERE county <> ''
         UNION SELECT county FROM buses WHERE county <> ''
         UNION SELECT county FROM batches ORDER BY 1",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
