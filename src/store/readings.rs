//! Temperature readings: every one taken at the door or on a round en route, with who took it
//! and what it decided. Rows are only ever added; the latest is what screens and papers show.

use super::Result;
use crate::model::{ReadingOutcome, ReadingPlace};
use crate::store::Db;
use rusqlite::params;
use serde::Serialize;

pub struct NewReading<'a> {
    pub trip_id: i64,
    pub worker_id: i64,
    pub seat: u32,
    pub at: &'a str,
    pub celsius: f64,
    pub operator: &'a str,
    pub place: ReadingPlace,
    pub outcome: ReadingOutcome,
}

/// Keeps one reading; returns its row id.
pub fn insert(conn: &Db<'_>, r: &NewReading<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO readings (trip_id, worker_id, seat, at, celsius, operator, place, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        r.trip_id,
        r.worker_id,
        r.seat,
        r.at,
        r.celsius,
        r.operator,
        r.place,
        r.outcome
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One stored reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub id: i64,
    pub trip_id: i64,
    pub worker_id: i64,
    pub seat: u32,
    pub at: String,
    pub celsius: f64,
    pub operator: String,
    pub place: ReadingPlace,
    pub outcome: ReadingOutcome,
}

const SELECT: &str =
    "SELECT id, trip_id, worker_id, seat, at, celsius, operator, place, outcome FROM readings";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Reading> {
    Ok(Reading {
        id: r.get(0)?,
        trip_id: r.get(1)?,
        worker_id: r.get(2)?,
        seat: r.get(3)?,
        at: r.get(4)?,
        celsius: r.get(5)?,
        operator: r.get(6)?,
        place: r.get(7)?,
        outcome: r.get(8)?,
    })
}

/// Every reading of one passenger on one trip, in the order they were kept.
pub fn of_passenger(conn: &Db<'_>, trip_id: i64, worker_id: i64) -> Result<Vec<Reading>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE trip_id = ?1 AND worker_id = ?2 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![trip_id, worker_id], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every reading of a trip, in the order they were kept.
pub fn of_trip(conn: &Db<'_>, trip_id: i64) -> Result<Vec<Reading>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE trip_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([trip_id], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
