//! The advance notice to the receiving side (抵达预告): for each destination province, every bus
//! of the day with its crew and their phones, where and when it leaves, when it is expected and
//! how many passengers go to which employer; and recording that the notice went out
//! (`notice-sent`). Passengers' names, ID numbers and phones only with an audited reveal.

mod csv;
mod html;

pub use self::csv::notice_csv;
pub use self::html::notice_html;

use super::departure::say;
use super::{arrival, Ctx, OpError, OpResult};
use crate::clock;
use crate::i18n::Lang;
use crate::model::{FreeText, SeatStatus, TripStatus};
use crate::store::notices::{self, NoticeSent};
use crate::store::trips::{self, TripInfo};
use crate::store::{self, stats as q, Db};
use chrono::NaiveDate;
use serde::Serialize;

/// Everything `export notice` writes: one notice per destination province.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoticeDoc {
    pub date: NaiveDate,
    /// Passenger lists are included (the reveal was audited).
    pub revealed: bool,
    pub notices: Vec<Notice>,
}

/// The notice to one destination province.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    pub province: String,
    /// Home counties the buses leave from.
    pub counties: Vec<String>,
    pub buses: u32,
    pub people: u32,
    pub trips: Vec<NoticeTrip>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoticeTrip {
    pub trip: String,
    pub plate: String,
    pub status: TripStatus,
    /// The transport company.
    pub operator: String,
    pub drivers: Vec<Contact>,
    pub attendant: Option<Contact>,
    pub county: String,
    pub city: String,
    pub gathering_point: String,
    /// Planned departure, RFC 3339 with offset.
    pub departure: String,
    pub departed_at: Option<String>,
    /// Expected arrival, RFC 3339 with offset; null when no distance is known.
    pub eta: Option<String>,
    pub distance_km: u32,
    pub people: u32,
    pub employers: Vec<NoticeEmployer>,
}

/// A crew member: operational contact, phone in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: String,
    pub phone: String,
}

/// One employer's passengers on one bus, and who receives them at the gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoticeEmployer {
    pub name: String,
    pub city: String,
    pub address: String,
    pub contact: String,
    pub contact_phone: String,
    pub distance_km: u32,
    pub people: u32,
    /// Only with `--reveal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passengers: Option<Vec<NoticePassenger>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticePassenger {
    pub seat: u32,
    pub name: String,
    /// Full (the reveal was audited); empty once purged.
    pub id_number: String,
    pub phone: String,
}

/// The notices of `date` (every destination province, or the one named). With `reveal` the
/// passenger lists are put in and one audit row per bus is written first; a read-only
/// database refuses that before anything is shown.
pub fn notices(
    ctx: &mut Ctx,
    date: NaiveDate,
    province: Option<&str>,
    reveal: bool,
) -> OpResult<NoticeDoc> {
    let lang = ctx.lang;
    if !reveal {
        let notices = load(&ctx.store.db(), &ctx.policy, date, province, false, lang)?;
        return Ok(NoticeDoc {
            date,
            revealed: false,
            notices,
        });
    }
    if ctx.store.is_readonly() {
        return Err(OpError::Failed(
            lang.pick(
                "显示乘客名单（--reveal）须写入审计日志，只读数据库（--readonly）无法写入：未导出任何内容。请去掉 --reveal，或不用 --readonly 打开。",
                "--reveal is recorded in the audit log, which a read-only database (--readonly) cannot write: nothing was exported. Drop --reveal, or open the database without --readonly.",
            )
            .to_string(),
        ));
    }
    let operator = ctx.operator.clone();
    let policy = ctx.policy.clone();
    let tx = ctx.store.begin()?;
    let notices = load(&tx, &policy, date, province, true, lang)?;
    for n in &notices {
        for t in &n.trips {
            let trip_id = trips::trip_by_code(&tx, &t.trip)?.map(|i| i.trip_id);
            let after = serde_json::json!({ "what": "notice", "id_numbers": t.people });
            store::audit(
                &tx,
                &operator,
                "reveal",
                "trip",
                trip_id,
                None,
                Some(&after),
            )?;
        }
    }
    tx.commit()?;
    Ok(NoticeDoc {
        date,
        revealed: true,
        notices,
    })
}

/// Records that the notice of `date` for `province` went out to `to`, now, by the operator
/// (the audit log keeps who; the text of `to` stays where purge can blank it).
pub fn notice_sent(
    ctx: &mut Ctx,
    date: NaiveDate,
    province: &str,
    to: &str,
) -> OpResult<NoticeSent> {
    let lang = ctx.lang;
    let to = super::free_text(lang, FreeText::NoticeTo, to)?;
    let operator = ctx.operator.clone();
    let tx = ctx.store.begin()?;
    let province = resolve_province(&tx, date, province, lang)?;
    let at = clock::now_text();
    let id = notices::insert(&tx, date, &province, &to, &at, &operator)?;
    let after = serde_json::json!({ "date": date, "province": province });
    store::audit(
        &tx,
        &operator,
        "notice-sent",
        "notice",
        Some(id),
        None,
        Some(&after),
    )?;
    tx.commit()?;
    Ok(NoticeSent {
        id,
        date,
        province,
        to,
        at,
        operator,
    })
}

/// The destination province of `date` the officer means: `浙江省` or `浙江` for 浙江省. A name
/// no bus of that day goes to is an error naming the day's destinations.
pub fn resolve_province(
    conn: &Db<'_>,
    date: NaiveDate,
    typed: &str,
    lang: Lang,
) -> OpResult<String> {
    let provinces = notices::provinces_on(conn, date)?;
    if provinces.is_empty() {
        return Err(OpError::Failed(say!(
            lang,
            "{} 没有车辆发车：没有可通知的目的地",
            "no bus leaves on {}: there is no destination to tell",
            date
        )));
    }
    let want = typed.trim();
    let short = super::stats::short_province;
    provinces
        .iter()
        .find(|p| p.as_str() == want || (!want.is_empty() && short(p) == short(want)))
        .cloned()
        .ok_or_else(|| {
            let shown = crate::model::text::visible(want).into_owned();
            let known = provinces.join(lang.pick("、", ", "));
            OpError::Failed(say!(
                lang,
                "{date} 没有车辆开往“{shown}”（当日目的地：{known}）",
                "no bus goes to '{shown}' on {date} (destinations that day: {known})",
            ))
        })
}

fn load(
    conn: &Db<'_>,
    policy: &crate::model::Policy,
    date: NaiveDate,
    province: Option<&str>,
    reveal: bool,
    lang: Lang,
) -> OpResult<Vec<Notice>> {
    let only = province
        .map(|p| resolve_province(conn, date, p, lang))
        .transpose()?;
    let day: Vec<TripInfo> = trips::trips_on(conn, date)?
        .into_iter()
        .filter(|t| t.status != TripStatus::Cancelled)
        .collect();
    if day.is_empty() {
        return Err(OpError::Failed(say!(
            lang,
            "{} 没有车辆发车：没有抵达预告可导出",
            "no bus leaves on {}: there is no notice to export",
            date
        )));
    }
    let mut provinces: Vec<String> = Vec::new();
    for t in &day {
        if !provinces.contains(&t.province) && only.as_ref().is_none_or(|p| *p == t.province) {
            provinces.push(t.province.clone());
        }
    }
    provinces
        .into_iter()
        .map(|province| {
            let mut trips = Vec::new();
            for t in day.iter().filter(|t| t.province == province) {
                trips.push(trip_notice(conn, policy, t, reveal)?);
            }
            let mut counties: Vec<String> = Vec::new();
            for t in &trips {
                if !counties.contains(&t.county) {
                    counties.push(t.county.clone());
                }
            }
            Ok(Notice {
                buses: trips.len() as u32,
                people: trips.iter().map(|t| t.people).sum(),
                province,
                counties,
                trips,
            })
        })
        .collect()
}

/// Who goes: before the bus leaves everyone holding a seat, afterwards those aboard.
fn travelling(trip: TripStatus, seat: SeatStatus) -> bool {
    match trip {
        TripStatus::Departed | TripStatus::Arrived => seat == SeatStatus::Boarded,
        _ => seat.holds_seat(),
    }
}

fn trip_notice(
    conn: &Db<'_>,
    policy: &crate::model::Policy,
    t: &TripInfo,
    reveal: bool,
) -> OpResult<NoticeTrip> {
    let km = notices::trip_distance(conn, t.trip_id)?;
    let roster: Vec<_> = trips::roster(conn, t.trip_id)?
        .into_iter()
        .filter(|p| travelling(t.status, p.status))
        .collect();
    let mut ids: Vec<i64> = roster.iter().filter_map(|p| p.employer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut gates = q::gates(conn, &ids)?;
    gates.sort_by(|a, b| a.name.cmp(&b.name));
    let employers = gates
        .into_iter()
        .map(|g| {
            let theirs: Vec<_> = roster
                .iter()
                .filter(|p| p.employer_id == Some(g.employer_id))
                .collect();
            NoticeEmployer {
                people: theirs.len() as u32,
                passengers: reveal.then(|| {
                    theirs
                        .iter()
                        .map(|p| NoticePassenger {
                            seat: p.seat,
                            name: p.name.clone(),
                            id_number: p.id_number.clone().unwrap_or_default(),
                            phone: p.phone.clone(),
                        })
                        .collect()
                }),
                name: g.name,
                city: g.city,
                address: g.address,
                contact: g.contact,
                contact_phone: g.contact_phone,
                distance_km: g.distance_km,
            }
        })
        .collect();
    let contact = |name: &str, phone: &str| {
        (!name.is_empty()).then(|| Contact {
            name: name.to_string(),
            phone: phone.to_string(),
        })
    };
    Ok(NoticeTrip {
        trip: t.code.clone(),
        plate: t.plate.clone(),
        status: t.status,
        operator: t.operator.clone(),
        drivers: [
            contact(&t.driver1, &t.driver1_phone),
            contact(&t.driver2, &t.driver2_phone),
        ]
        .into_iter()
        .flatten()
        .collect(),
        attendant: contact(&t.attendant, &t.attendant_phone),
        county: t.county.clone(),
        city: t.city.clone(),
        gathering_point: t.gathering_point.clone(),
        departure: clock::normalize(&t.departure),
        departed_at: t.departed_at.clone(),
        eta: arrival::trip_eta(t, km, policy).map(clock::stamp),
        distance_km: km,
        people: roster.len() as u32,
        employers,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeFormat {
    Csv,
    Html,
    Json,
}

/// Loads, renders and returns the file's bytes: what `export notice` writes. Papers (CSV,
/// HTML) speak `lang`; JSON is the same in every language.
pub fn export_notice(
    ctx: &mut Ctx,
    date: NaiveDate,
    province: Option<&str>,
    format: NoticeFormat,
    reveal: bool,
    lang: Lang,
) -> OpResult<Vec<u8>> {
    let doc = notices(ctx, date, province, reveal)?;
    match format {
        NoticeFormat::Csv => notice_csv(&doc, lang),
        NoticeFormat::Html => Ok(notice_html(&doc, &ctx.policy, lang).into_bytes()),
        NoticeFormat::Json => {
            let mut text =
                serde_json::to_string(&doc).map_err(|e| OpError::Failed(e.to_string()))?;
            text.push('\n');
            Ok(text.into_bytes())
        }
    }
}

/// `2020-02-21T07:00:00+08:00` → `2020-02-21 07:00`, empty for none: papers show minutes.
fn paper(t: Option<&str>) -> String {
    t.map(clock::paper_text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_travels_follows_the_departure() {
        use SeatStatus::*;
        assert!(travelling(TripStatus::Planned, Planned));
        assert!(travelling(TripStatus::Boarding, Recheck));
        assert!(!travelling(TripStatus::Boarding, Refused));
        assert!(!travelling(TripStatus::Departed, Planned));
        assert!(travelling(TripStatus::Departed, Boarded));
        assert!(!travelling(TripStatus::Arrived, NoShow));
    }
}
