//! What one batch of a proposal assumed about the ledger, read again under the write lock just
//! before the batch is written: a plan is written batch by batch, and another terminal may
//! have written in between. The rule that decides lives in `ops::plan`; these are the reads.

use super::{bus_trips_where, lenient_date, Result};
use crate::model::HealthCertificate;
use crate::plan::BusTrip;
use crate::store::{rules, Db};
use chrono::NaiveDate;
use rusqlite::params_from_iter;

/// Row ids per `IN (…)` list.
const PER_STATEMENT: usize = 500;

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// A worker as the ledger has them now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerNow {
    pub id: i64,
    /// Still `registered` and not purged.
    pub registered: bool,
    /// Holds a seat somewhere (planned, 复测 or boarded).
    pub seated: bool,
    pub county: String,
    pub employer_id: Option<i64>,
    pub cert: HealthCertificate,
}

/// The workers of `ids` that exist, in row-id order.
pub fn workers_now(conn: &Db<'_>, ids: &[i64]) -> Result<Vec<WorkerNow>> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in sorted.chunks(PER_STATEMENT) {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT w.id, w.status = 'registered' AND w.purged = 0,
                    EXISTS (SELECT 1 FROM passengers p WHERE p.worker_id = w.id
                              AND p.status IN {holds}),
                    w.county, w.employer_id, w.cert_issued, w.cert_valid_until
             FROM workers w WHERE w.id IN ({}) ORDER BY w.id",
            marks(chunk.len()),
            holds = rules::HOLDS.as_str(),
        ))?;
        let rows = stmt.query_map(params_from_iter(chunk), |r| {
            Ok(WorkerNow {
                id: r.get(0)?,
                registered: r.get(1)?,
                seated: r.get(2)?,
                county: r.get(3)?,
                employer_id: r.get(4)?,
                cert: HealthCertificate {
                    issued: lenient_date(r.get(5)?),
                    valid_until: lenient_date(r.get(6)?),
                    issuer: String::new(),
                },
            })
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}

/// A bus as the fleet has it now, for a trip on `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusNow {
    pub id: i64,
    pub rated_seats: u32,
    /// Its available date, if any, is `date`.
    pub available: bool,
    /// Already runs a trip (not cancelled) that day.
    pub trip_that_day: bool,
}

/// The buses of `ids` that exist, in row-id order.
pub fn buses_now(conn: &Db<'_>, ids: &[i64], date: NaiveDate) -> Result<Vec<BusNow>> {
    let mut out = Vec::with_capacity(ids.len());
    let day = date.to_string();
    for chunk in ids.chunks(PER_STATEMENT) {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT bus.id, bus.seats, bus.available_date IS NULL OR bus.available_date = ?1,
                    EXISTS (SELECT 1 FROM trips t WHERE t.bus_id = bus.id AND t.date = ?1
                              AND t.status <> 'cancelled')
             FROM buses bus WHERE bus.id IN ({}) ORDER BY bus.id",
            marks(chunk.len())
        ))?;
        let params = std::iter::once(rusqlite::types::Value::from(day.clone()))
            .chain(chunk.iter().map(|&id| rusqlite::types::Value::from(id)));
        let rows = stmt.query_map(params_from_iter(params), |r| {
            Ok(BusNow {
                id: r.get(0)?,
                rated_seats: r.get(1)?,
                available: r.get(2)?,
                trip_that_day: r.get(3)?,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}

/// `plans::bus_trips` of the buses of `ids` only.
pub fn bus_trips_of(conn: &Db<'_>, ids: &[i64]) -> Result<Vec<BusTrip>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(PER_STATEMENT) {
        let filter = format!("h.bus_id IN ({})", marks(chunk.len()));
        out.extend(bus_trips_where(conn, &filter, params_from_iter(chunk))?);
    }
    Ok(out)
}

/// How many of the trips of `ids` are still `planned` (a trip planned earlier that the
/// proposal fills further).
pub fn trips_still_planned(conn: &Db<'_>, ids: &[i64]) -> Result<usize> {
    let mut n = 0;
    for chunk in ids.chunks(PER_STATEMENT) {
        let sql = format!(
            "SELECT count(*) FROM trips WHERE status = 'planned' AND id IN ({})",
            marks(chunk.len())
        );
        n += conn.query_row(&sql, params_from_iter(chunk), |r| r.get::<_, i64>(0))? as usize;
    }
    Ok(n)
}

/// A batch written earlier: its departure and gathering point now (`batch` may change them).
pub fn batch_now(conn: &Db<'_>, id: i64) -> Result<Option<(String, String)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT departure, gathering_point FROM batches WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// `PRAGMA data_version` of this connection: it changes when, and only when, another
/// connection has committed since it was last read.
pub fn data_version(conn: &Db<'_>) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// Tests: (worker, seat, trip code) of every seat held (planned, 复测 or boarded).
#[cfg(test)]
pub(crate) fn held_seats(conn: &Db<'_>) -> Result<Vec<(i64, u32, String)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT p.worker_id, p.seat, t.code FROM passengers p JOIN trips t ON t.id = p.trip_id
         WHERE p.status IN {holds} ORDER BY p.worker_id",
        holds = rules::HOLDS.as_str()
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// The check that lets a plan skip re-reading a batch's facts rests on this: the number
    /// moves for another connection's commit, not for this connection's own commits nor for
    /// a checkpoint copying the log into the file.
    #[test]
    fn data_version_moves_only_for_another_connections_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.db");
        let mut mine = Store::open(&path).unwrap();
        let other = Store::open(&path).unwrap();
        let v0 = data_version(&mine.db()).unwrap();
        let tx = mine.begin().unwrap();
        tx.execute(
            "INSERT INTO employers (name, province, city) VALUES ('甲厂', '浙江省', '宁波市')",
            [],
        )
        .unwrap();
        assert_eq!(data_version(&tx).unwrap(), v0, "inside its own write");
        tx.commit().unwrap();
        assert_eq!(
            data_version(&mine.db()).unwrap(),
            v0,
            "after its own commit"
        );
        other
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .unwrap();
        assert_eq!(data_version(&mine.db()).unwrap(), v0, "after a checkpoint");
        other
            .conn
            .execute(
                "INSERT INTO employers (name, province, city) VALUES ('乙厂', '浙江省', '宁波市')",
                [],
            )
            .unwrap();
        // Seen inside the next write transaction, before anything is read.
        let tx = mine.begin().unwrap();
        assert_ne!(data_version(&tx).unwrap(), v0);
    }
}
