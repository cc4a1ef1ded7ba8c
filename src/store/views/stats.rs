//! Figures for the console's statistics screen: one day by province, home county and employer,
//! every day's totals, and the pieces of the daily bulletin sentence.

use super::count;
use crate::store::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

/// One bar of a breakdown: buses, seats given (planned or boarded) and people sent (boarded on
/// a bus that has departed or arrived).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatGroup {
    pub key: String,
    pub buses: u64,
    pub seats: u64,
    pub sent: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayTotal {
    pub date: Option<NaiveDate>,
    pub batches: u64,
    pub buses: u64,
    pub seats: u64,
    pub sent: u64,
    /// Left by train, own car … on that day (counted apart from the buses).
    pub other_means: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayFigures {
    pub date: Option<NaiveDate>,
    pub total: DayTotal,
    pub by_province: Vec<StatGroup>,
    pub by_county: Vec<StatGroup>,
    pub by_employer: Vec<StatGroup>,
    /// Every day with trips, oldest first.
    pub by_day: Vec<DayTotal>,
}

const SEATS: &str = "SUM(p.status IN ('planned','boarded'))";
const SENT: &str = "SUM(p.status = 'boarded' AND t.status IN ('departed','arrived'))";

fn groups(conn: &Connection, key: &str, joins: &str, day: NaiveDate) -> Result<Vec<StatGroup>> {
    let sql = format!(
        "SELECT {key}, count(DISTINCT t.id), COALESCE({SEATS}, 0), COALESCE({SENT}, 0)
         FROM trips t JOIN batches b ON b.id = t.batch_id
              LEFT JOIN passengers p ON p.trip_id = t.id {joins}
         WHERE t.date = ?1 AND t.status <> 'cancelled'
         GROUP BY 1 ORDER BY 4 DESC, 3 DESC, 1"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([day], |r| {
        Ok(StatGroup {
            key: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            buses: count(r, 1)?,
            seats: count(r, 2)?,
            sent: count(r, 3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every day that has trips (and the day asked, even without any), oldest first.
pub fn day_totals(conn: &Connection) -> Result<Vec<DayTotal>> {
    let sql = format!(
        "SELECT t.date, count(DISTINCT t.batch_id), count(DISTINCT t.id),
                COALESCE({SEATS}, 0), COALESCE({SENT}, 0),
                (SELECT count(*) FROM workers w WHERE w.status = 'other-means' AND w.other_date = t.date)
         FROM trips t LEFT JOIN passengers p ON p.trip_id = t.id
         WHERE t.status <> 'cancelled' GROUP BY t.date ORDER BY t.date"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok(DayTotal {
            date: r.get(0)?,
            batches: count(r, 1)?,
            buses: count(r, 2)?,
            seats: count(r, 3)?,
            sent: count(r, 4)?,
            other_means: count(r, 5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn day_figures(conn: &Connection, day: NaiveDate) -> Result<DayFigures> {
    let by_day = day_totals(conn)?;
    let mut total = by_day
        .iter()
        .find(|d| d.date == Some(day))
        .cloned()
        .unwrap_or_default();
    total.date = Some(day);
    if total.buses == 0 {
        total.other_means = conn.query_row(
            "SELECT count(*) FROM workers WHERE status = 'other-means' AND other_date = ?1",
            [day],
            |r| count(r, 0),
        )?;
    }
    Ok(DayFigures {
        date: Some(day),
        total,
        by_province: groups(conn, "b.province", "", day)?,
        by_county: groups(conn, "b.county", "", day)?,
        by_employer: groups(
            conn,
            "e.name",
            "LEFT JOIN workers w ON w.id = p.worker_id LEFT JOIN employers e ON e.id = w.employer_id",
            day,
        )?
        .into_iter()
        .filter(|g| !g.key.is_empty())
        .collect(),
        by_day,
    })
}

/// `浙江省` → `浙江`, `广西壮族自治区` → `广西`, `上海市` → `上海`: the bulletin's short forms.
pub fn short_province(name: &str) -> &str {
    for suffix in [
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "自治区",
        "特别行政区",
        "省",
        "市",
    ] {
        if let Some(s) = name.strip_suffix(suffix) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    name
}

/// The daily bulletin sentence, e.g. "2月21日，旬阳县向浙江、山西等地点对点输送186人（8辆车）。"
pub fn bulletin(f: &DayFigures, zh: bool) -> String {
    let Some(day) = f.date else {
        return String::new();
    };
    use chrono::Datelike;
    let counties: Vec<&str> = f.by_county.iter().map(|g| g.key.as_str()).collect();
    let sent_any = f.total.sent > 0;
    let provinces: Vec<&str> = f
        .by_province
        .iter()
        .filter(|g| if sent_any { g.sent > 0 } else { g.seats > 0 })
        .map(|g| short_province(&g.key))
        .collect();
    let people = if sent_any {
        f.total.sent
    } else {
        f.total.seats
    };
    if people == 0 {
        return if zh {
            format!("{}月{}日，无点对点输送。", day.month(), day.day())
        } else {
            format!("{}: no point-to-point transport.", day.format("%-d %b"))
        };
    }
    let shown = provinces.len().min(5);
    if zh {
        let places = provinces[..shown].join("、");
        let etc = if shown > 1 { "等地" } else { "" };
        let verb = if sent_any {
            "点对点输送"
        } else {
            "计划点对点输送"
        };
        format!(
            "{}月{}日，{}向{}{}{}{}人（{}辆车，{}个批次）。",
            day.month(),
            day.day(),
            counties.join("、"),
            places,
            etc,
            verb,
            people,
            f.total.buses,
            f.total.batches
        )
    } else {
        let places = provinces[..shown].join(", ");
        let etc = if provinces.len() > shown {
            " and elsewhere"
        } else {
            ""
        };
        let verb = if sent_any { "sent" } else { "plan to send" };
        format!(
            "{}: {} {verb} {people} workers point-to-point to {places}{etc} ({} buses, {} batches).",
            day.format("%-d %b"),
            counties.join(", "),
            f.total.buses,
            f.total.batches
        )
    }
}
