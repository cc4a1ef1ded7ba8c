//! Packs, in SQL: a pack's identity (its `meta` rows), the journal of acts done in it and the
//! passenger records as the ledger had them; building a pack from the ledger is `pack/copy.rs`,
//! and what a ledger merged from packs is `pack/merged.rs`.

mod copy;
mod merged;

pub use copy::{attach, detach, fill};
pub use merged::{
    audit_merge, forget_pack, last_applied_change, mark as mark_merged, merged, packs_of_trip,
    packs_to_purge, passenger_changed_at, passenger_record, passenger_state, passenger_states,
    record_pack, MergedEvent, PassengerState,
};

use super::ledger::{meta, set_meta};
use super::Result;
use crate::store::Db;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;

/// What makes a database file a pack, kept in its `meta` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackInfo {
    /// This pack (random); a refresh gives the new file a new one.
    pub id: String,
    /// The ledger it came from (`meta.ledger_id` there).
    pub ledger: String,
    pub trip_id: i64,
    /// The trip's code, `旬阳-20200221-01-1`.
    pub trip: String,
    pub plate: String,
    /// Salt of the ID-number digests (hex, one per pack).
    pub salt: String,
    pub made_at: String,
    pub made_by: String,
    /// The policy the office worked under (TOML): the pack decides by the same rules.
    pub policy: String,
    /// Set when a refresh replaced this file: no act may be recorded in it any more.
    pub superseded: Option<String>,
}

const LEDGER_ID: &str = "ledger_id";

/// The `meta` keys of a pack, in the order of `PackInfo`'s fields.
const KEYS: [&str; 9] = [
    "pack_id",
    "pack_ledger",
    "pack_trip_id",
    "pack_trip",
    "pack_plate",
    "pack_salt",
    "pack_made_at",
    "pack_made_by",
    "pack_policy",
];
const SUPERSEDED: &str = "pack_superseded";

/// This ledger's id (every ledger has one from migration 009 on; a pack has none).
pub fn ledger_id(conn: &Db<'_>) -> Result<Option<String>> {
    meta(conn, LEDGER_ID)
}

/// The pack's identity, or `None` for a ledger.
pub fn info(conn: &Db<'_>) -> Result<Option<PackInfo>> {
    let mut v = Vec::with_capacity(KEYS.len());
    for k in KEYS {
        match meta(conn, k)? {
            Some(s) => v.push(s),
            None => return Ok(None),
        }
    }
    let mut v = v.into_iter();
    let mut next = || v.next().unwrap_or_default();
    Ok(Some(PackInfo {
        id: next(),
        ledger: next(),
        trip_id: next().parse().unwrap_or(0),
        trip: next(),
        plate: next(),
        salt: next(),
        made_at: next(),
        made_by: next(),
        policy: next(),
        superseded: meta(conn, SUPERSEDED)?,
    }))
}

/// The pack's identity read from a file without changing it (no migration, no journal mode):
/// `None` for anything that is not a pack, SQLite or not.
pub fn info_of_file(path: &std::path::Path) -> Option<PackInfo> {
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ok()?;
    info(&Db(&conn)).ok().flatten()
}

/// Whether the file behind `conn` is a pack, read before migrations (a new or older file
/// answers false): a pack keeps a rollback journal instead of a write-ahead log, so that the
/// one file is the whole pack whenever it is copied.
pub fn is_pack_file(conn: &Db<'_>) -> bool {
    cached_meta(conn, "pack_ledger").ok().flatten().is_some()
}

/// From now on the file is a pack: one file, no write-ahead log beside it (as `Store::open`
/// sets for a file that `is_pack_file`).
pub fn keep_rollback_journal(conn: &Db<'_>) -> Result<()> {
    conn.execute_batch("PRAGMA journal_mode = DELETE;")?;
    Ok(())
}

/// A `meta` value through a cached statement: these two are asked on every door act.
fn cached_meta(conn: &Db<'_>, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Writes the pack's identity; the ledger id the new file was given by its migrations goes.
pub fn write_info(conn: &Db<'_>, p: &PackInfo) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [LEDGER_ID])?;
    let values = [
        p.id.clone(),
        p.ledger.clone(),
        p.trip_id.to_string(),
        p.trip.clone(),
        p.plate.clone(),
        p.salt.clone(),
        p.made_at.clone(),
        p.made_by.clone(),
        p.policy.clone(),
    ];
    for (k, v) in KEYS.iter().zip(values) {
        set_meta(conn, k, &v)?;
    }
    Ok(())
}

/// Marks the pack as replaced by a refresh (at `at`): acts are refused in it from then on.
pub fn set_superseded(conn: &Db<'_>, at: &str) -> Result<()> {
    set_meta(conn, SUPERSEDED, at)
}

/// When a refresh replaced this pack, if it did.
pub fn superseded(conn: &Db<'_>) -> Result<Option<String>> {
    meta(conn, SUPERSEDED)
}

/// The salt of a pack's ID-number digests; `None` in a ledger.
pub fn salt(conn: &Db<'_>) -> Result<Option<String>> {
    cached_meta(conn, "pack_salt")
}

/// A random id (128 bits from SQLite's generator, seeded by the system), in hex.
pub fn random_id(conn: &Db<'_>) -> Result<String> {
    Ok(conn.query_row("SELECT lower(hex(randomblob(16)))", [], |r| r.get(0))?)
}

/// Row id of a worker by the digest of their ID number (packs).
pub fn worker_by_digest(conn: &Db<'_>, digest: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM workers WHERE id_digest = ?1")?
        .query_row([digest], |r| r.get(0))
        .optional()?)
}

/// One act for the journal.
pub struct NewEntry<'a> {
    pub at: &'a str,
    pub operator: &'a str,
    /// `board`, `refuse`, `undo`, `round`, `readings`, `stop`, `observe`, `depart`, `arrive`.
    pub kind: &'a str,
    pub trip_id: i64,
    pub worker_id: Option<i64>,
    pub seat: Option<u32>,
    /// The act's arguments as JSON (temperature, reason, headcount …).
    pub args: &'a str,
}

/// Appends one act to the journal with a new random event id; returns the id.
pub fn append(conn: &Db<'_>, e: &NewEntry<'_>) -> Result<String> {
    let event = random_id(conn)?;
    insert_entry(conn, &event, e, None, None)?;
    Ok(event)
}

/// The journal's one INSERT: an act under its event id, and what a merge made of it.
fn insert_entry(
    conn: &Db<'_>,
    event: &str,
    e: &NewEntry<'_>,
    merged: Option<&str>,
    note: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO journal (event, at, operator, kind, trip_id, worker_id, seat, args, merged,
                              merge_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        event,
        e.at,
        e.operator,
        e.kind,
        e.trip_id,
        e.worker_id,
        e.seat,
        e.args,
        merged,
        note
    ])?;
    Ok(())
}

/// One act recorded in a pack.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub seq: i64,
    pub event: String,
    pub at: String,
    pub operator: String,
    pub kind: String,
    pub trip_id: i64,
    pub worker_id: Option<i64>,
    pub seat: Option<u32>,
    pub args: String,
    /// For acts carried over by a refresh: `applied` or `conflict`.
    pub merged: Option<String>,
    pub merge_note: Option<String>,
}

/// The journal in the order the acts were done.
pub fn entries(conn: &Db<'_>) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, event, at, operator, kind, trip_id, worker_id, seat, args, merged, merge_note
         FROM journal ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Entry {
            seq: r.get(0)?,
            event: r.get(1)?,
            at: r.get(2)?,
            operator: r.get(3)?,
            kind: r.get(4)?,
            trip_id: r.get(5)?,
            worker_id: r.get(6)?,
            seat: r.get(7)?,
            args: r.get(8)?,
            merged: r.get(9)?,
            merge_note: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Copies an act of the pack a refresh replaces into the new one, with the same event id (so
/// that a merge of the new pack knows it) and what the ledger made of it.
pub fn carry(conn: &Db<'_>, e: &Entry, merged: Option<&str>, note: Option<&str>) -> Result<()> {
    let act = NewEntry {
        at: &e.at,
        operator: &e.operator,
        kind: &e.kind,
        trip_id: e.trip_id,
        worker_id: e.worker_id,
        seat: e.seat,
        args: &e.args,
    };
    insert_entry(conn, &e.event, &act, merged, note)
}

/// The passenger records' `changed_at` as the ledger had them when the pack was made.
pub fn base(conn: &Db<'_>) -> Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached("SELECT passenger_id, changed_at FROM pack_base")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A worker's name by row id.
pub fn worker_name(conn: &Db<'_>, worker_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM workers WHERE id = ?1")?
        .query_row([worker_id], |r| r.get(0))
        .optional()?)
}
