//! The ledger's side of packs: each pack event once merged (applied, or not with its reason),
//! and the packs made from the ledger, where they were written.

use super::super::Result;
use crate::store::{rules, Db};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// A pack event as the ledger recorded its merge. Row ids and codes only, never names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergedEvent {
    pub event: String,
    pub pack: String,
    pub trip_id: i64,
    pub seq: i64,
    pub kind: String,
    pub worker_id: Option<i64>,
    pub seat: Option<u32>,
    pub road_at: String,
    pub road_operator: String,
    pub merged_at: String,
    pub merged_by: String,
    /// `applied` or `conflict`.
    pub outcome: String,
    /// Why it was not applied: a stable code (`moved`, `office_later`, `trip_cancelled` …).
    pub reason: Option<String>,
    /// The passenger record's `changed_at` right after the event was applied.
    pub changed_at: Option<String>,
}

/// Records one event as merged; an event already recorded stays as it was (returns false).
pub fn mark(conn: &Db<'_>, m: &MergedEvent) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT OR IGNORE INTO merged_events (event, pack, trip_id, seq, kind, worker_id, seat,
                 road_at, road_operator, merged_at, merged_by, outcome, reason, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            m.event,
            m.pack,
            m.trip_id,
            m.seq,
            m.kind,
            m.worker_id,
            m.seat,
            m.road_at,
            m.road_operator,
            m.merged_at,
            m.merged_by,
            m.outcome,
            m.reason,
            m.changed_at
        ])?
        == 1)
}

/// How an event was merged, if it was.
pub fn merged(conn: &Db<'_>, event: &str) -> Result<Option<MergedEvent>> {
    Ok(conn
        .prepare_cached(
            "SELECT event, pack, trip_id, seq, kind, worker_id, seat, road_at, road_operator,
                    merged_at, merged_by, outcome, reason, changed_at
             FROM merged_events WHERE event = ?1",
        )?
        .query_row([event], |r| {
            Ok(MergedEvent {
                event: r.get(0)?,
                pack: r.get(1)?,
                trip_id: r.get(2)?,
                seq: r.get(3)?,
                kind: r.get(4)?,
                worker_id: r.get(5)?,
                seat: r.get(6)?,
                road_at: r.get(7)?,
                road_operator: r.get(8)?,
                merged_at: r.get(9)?,
                merged_by: r.get(10)?,
                outcome: r.get(11)?,
                reason: r.get(12)?,
                changed_at: r.get(13)?,
            })
        })
        .optional()?)
}

/// The passenger record's `changed_at` as the last applied pack event of this worker on this
/// trip left it: a different one now means the office changed the record since.
pub fn last_applied_change(conn: &Db<'_>, trip_id: i64, worker_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT changed_at FROM merged_events
             WHERE trip_id = ?1 AND worker_id = ?2 AND outcome = 'applied'
               AND changed_at IS NOT NULL
             ORDER BY merged_at DESC, rowid DESC LIMIT 1",
        )?
        .query_row(params![trip_id, worker_id], |r| r.get(0))
        .optional()?)
}

/// Records a pack made from this ledger (its absolute path, when, by whom).
pub fn record_pack(
    conn: &Db<'_>,
    id: &str,
    trip_id: i64,
    path: &str,
    at: &str,
    by: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO packs (id, trip_id, path, made_at, made_by) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, trip_id, path, at, by])?;
    Ok(())
}

/// The packs made of a trip, oldest first: (pack id, path).
pub fn packs_of_trip(conn: &Db<'_>, trip_id: i64) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, path FROM packs WHERE trip_id = ?1 ORDER BY made_at, id")?;
    let rows = stmt.query_map([trip_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The audit line of a merged event: who merged it and when (the clock stands at the road's
/// time while an event is replayed, so the merge's own time is given here).
pub fn audit_merge(
    conn: &Db<'_>,
    at: &str,
    operator: &str,
    seq: i64,
    after: &serde_json::Value,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit (at, operator, action, entity, entity_id, before, after)
         VALUES (?1, ?2, 'merge', 'pack-event', ?3, NULL, ?4)",
    )?
    .execute(params![at, operator, seq, after.to_string()])?;
    Ok(())
}

/// The `changed_at` of a worker's record on a trip: the one holding a seat, else the latest.
pub fn passenger_changed_at(conn: &Db<'_>, trip_id: i64, worker_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT changed_at FROM passengers WHERE trip_id = ?1 AND worker_id = ?2
             ORDER BY status IN {holds} DESC, id DESC LIMIT 1",
            holds = rules::HOLDS.as_str()
        ))?
        .query_row(params![trip_id, worker_id], |r| r.get(0))
        .optional()?)
}

/// The record id and `changed_at` of a worker's record on a trip (as `passenger_changed_at`).
pub fn passenger_record(
    conn: &Db<'_>,
    trip_id: i64,
    worker_id: i64,
) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT id, changed_at FROM passengers WHERE trip_id = ?1 AND worker_id = ?2
             ORDER BY status IN {holds} DESC, id DESC LIMIT 1",
            holds = rules::HOLDS.as_str()
        ))?
        .query_row(params![trip_id, worker_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Packs of trips whose data a purge with this cutoff removes (arrived, or cancelled, before
/// it): (pack id, path).
pub fn packs_to_purge(conn: &Db<'_>, cutoff: chrono::NaiveDate) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.path FROM packs p JOIN trips t ON t.id = p.trip_id
         WHERE (t.status = 'arrived' AND substr(COALESCE(t.arrived_at, t.date), 1, 10) < ?1)
            OR (t.status = 'cancelled' AND t.date < ?1)
         ORDER BY p.made_at, p.id",
    )?;
    let rows = stmt.query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Forgets a pack once its file is gone.
pub fn forget_pack(conn: &Db<'_>, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM packs WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Where a worker stands on a trip: status, refusal reason, seat.
pub type PassengerState = (String, Option<String>, u32);

/// Where a worker stands on a trip: the record holding a seat, else the latest. A merge
/// compares the office's with the pack's.
pub fn passenger_state(
    conn: &Db<'_>,
    trip_id: i64,
    worker_id: i64,
) -> Result<Option<PassengerState>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT status, refused_reason, seat FROM passengers
             WHERE trip_id = ?1 AND worker_id = ?2
             ORDER BY status IN {holds} DESC, id DESC LIMIT 1",
            holds = rules::HOLDS.as_str()
        ))?
        .query_row(params![trip_id, worker_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

/// `passenger_state` of every worker of a trip, by worker row id.
pub fn passenger_states(
    conn: &Db<'_>,
    trip_id: i64,
) -> Result<std::collections::HashMap<i64, PassengerState>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT worker_id, status, refused_reason, seat FROM passengers WHERE trip_id = ?1
         ORDER BY worker_id, status IN {holds} DESC, id DESC",
        holds = rules::HOLDS.as_str()
    ))?;
    let rows = stmt.query_map([trip_id], |r| {
        Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
    })?;
    let mut out = std::collections::HashMap::new();
    for row in rows {
        let (worker, state) = row?;
        out.entry(worker).or_insert(state);
    }
    Ok(out)
}
