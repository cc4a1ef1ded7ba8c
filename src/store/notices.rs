//! The advance notice to destination provinces (抵达预告): the notices recorded as sent, the
//! day's destination provinces, and a trip's route length, which gives its expected arrival.

use super::Result;
use crate::store::{Db, Tx};
use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use std::collections::HashMap;

/// One notice that went out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeSent {
    #[serde(skip)]
    pub id: i64,
    /// The departure day it covers.
    pub date: NaiveDate,
    pub province: String,
    /// Whom it went to (free text, checked when typed); empty once purged.
    pub to: String,
    /// RFC 3339 with offset.
    pub at: String,
    pub operator: String,
}

/// Records one notice as sent; returns its row id.
pub fn insert(
    tx: &Tx<'_>,
    date: NaiveDate,
    province: &str,
    to: &str,
    at: &str,
    operator: &str,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO notices (date, province, sent_to, at, operator) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![date, province, to, at, operator])?;
    Ok(tx.last_insert_rowid())
}

/// The notices sent for the trips of `date`, in the order they went out.
pub fn sent_on(conn: &Db<'_>, date: NaiveDate) -> Result<Vec<NoticeSent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, date, province, sent_to, at, operator FROM notices
         WHERE date = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([date], |r| {
        Ok(NoticeSent {
            id: r.get(0)?,
            date: r.get(1)?,
            province: r.get(2)?,
            to: r.get(3)?,
            at: crate::clock::normalize(&r.get::<_, String>(4)?),
            operator: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When each province of `date` was first told (RFC 3339 with offset), by province.
pub fn first_sent_on(conn: &Db<'_>, date: NaiveDate) -> Result<HashMap<String, String>> {
    let mut first: HashMap<String, String> = HashMap::new();
    for n in sent_on(conn, date)? {
        let earlier = |old: &String| match (
            crate::clock::parse_stored(old),
            crate::clock::parse_stored(&n.at),
        ) {
            (Some(a), Some(b)) => b < a,
            _ => false,
        };
        match first.get(&n.province) {
            Some(old) if !earlier(old) => {}
            _ => {
                first.insert(n.province.clone(), n.at.clone());
            }
        }
    }
    Ok(first)
}

/// The destination provinces of the trips of `date` that are not cancelled, by name.
pub fn provinces_on(conn: &Db<'_>, date: NaiveDate) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT b.province FROM trips t JOIN batches b ON b.id = t.batch_id
         WHERE t.date = ?1 AND t.status <> 'cancelled' ORDER BY b.province",
    )?;
    let rows = stmt.query_map([date], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A trip's route length: the farthest factory gate among the employers on its roster (the
/// employers the board names for it), in km; 0 when no distance is known.
pub fn trip_distance(conn: &Db<'_>, trip_id: i64) -> Result<u32> {
    let km: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(MAX(e.distance_km), 0) FROM passengers p
                 JOIN workers w ON w.id = p.worker_id JOIN employers e ON e.id = w.employer_id
             WHERE p.trip_id = ?1",
        )?
        .query_row([trip_id], |r| r.get(0))?;
    Ok(km.clamp(0, i64::from(u32::MAX)) as u32)
}

/// [`trip_distance`] of every trip `stats` lists for `day` (its own, and earlier ones on the
/// road or arriving that day), in one grouped read.
pub fn distances_for_day(conn: &Db<'_>, day: NaiveDate) -> Result<HashMap<i64, u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.trip_id, COALESCE(MAX(e.distance_km), 0)
         FROM trips t JOIN passengers p ON p.trip_id = t.id
              JOIN workers w ON w.id = p.worker_id JOIN employers e ON e.id = w.employer_id
         WHERE t.date = ?1
            OR (t.date < ?1 AND (t.status = 'departed'
                                 OR (t.status = 'arrived' AND substr(t.arrived_at, 1, 10) >= ?1)))
         GROUP BY p.trip_id",
    )?;
    let rows = stmt.query_map([day], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?.clamp(0, i64::from(u32::MAX)) as u32,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn the_first_notice_counts_and_every_one_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("z.db")).unwrap();
        let d = NaiveDate::from_ymd_opt(2020, 2, 21).unwrap();
        let tx = s.begin().unwrap();
        for (prov, at) in [
            ("浙江省", "2020-02-21T06:40:00+08:00"),
            ("浙江省", "2020-02-21T06:10:00+08:00"),
            ("江苏省", "2020-02-20T18:00:00+08:00"),
        ] {
            insert(&tx, d, prov, "省交通运输厅", at, "王科长").unwrap();
        }
        tx.commit().unwrap();
        let all = sent_on(&s.db(), d).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].province, "江苏省", "in the order they went out");
        let first = first_sent_on(&s.db(), d).unwrap();
        assert_eq!(first["浙江省"], "2020-02-21T06:10:00+08:00");
        assert_eq!(first.len(), 2);
        assert!(sent_on(&s.db(), d.succ_opt().unwrap()).unwrap().is_empty());
    }
}
