//! Manifests (乘车人员名单): the passenger list of each bus, as CSV for spreadsheets and as
//! print-ready HTML, with ID numbers masked unless an audited reveal asks otherwise.

mod csv;
mod html;
mod road;

pub use self::csv::{manifest_csv, neutralise, CsvEncoding};
pub use self::html::{escape, manifest_html, STYLE as PAPER_STYLE};
pub(crate) use self::html::{name_phone, open_document, open_page, open_table};
pub use self::road::{EnRoute, EnRouteKind, Tally};

use super::{trip_ref, Ctx, OpError, OpResult, TripRef};
use crate::i18n::Lang;
use crate::model::{mask_id, mask_phone, HealthCertificate, SeatStatus, TripStatus};
use crate::store::trips::{self, PassengerRow, TripInfo};
use crate::store::{self, stats as q, Db};
use chrono::NaiveDate;

/// Which buses a manifest covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestScope {
    /// One bus: its one open trip, whatever its date.
    Bus(String),
    /// One trip, by its code.
    Trip(String),
    /// Every bus of the day that is not cancelled.
    Date(NaiveDate),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestFormat {
    Csv,
    Html,
}

/// One bus's manifest, ready to print: personal fields are already masked (or revealed).
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub trip_id: i64,
    /// The trip's code, `旬阳-20200221-01-1`.
    pub trip: String,
    pub plate: String,
    pub batch: String,
    pub date: NaiveDate,
    pub status: TripStatus,
    pub county: String,
    pub province: String,
    pub city: String,
    pub gathering_point: String,
    /// Planned departure, `2020-02-21 07:00`.
    pub departure: String,
    pub departed_at: Option<String>,
    pub arrived_at: Option<String>,
    /// Who received the passengers at the factory gate, and how many were counted there.
    pub receiver: Option<String>,
    pub arrived_count: Option<u32>,
    pub operator: String,
    pub crew: Vec<CrewMember>,
    pub gates: Vec<GateLine>,
    pub passengers: Vec<ManifestLine>,
    /// The whole roster counted, also those no longer listed once the bus has left.
    pub tally: Tally,
    /// Rounds, fevers found on the road, moves to the observation rows, stops.
    pub log: Vec<EnRoute>,
    /// Full ID numbers are shown (the reveal was audited).
    pub revealed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrewRole {
    Driver,
    Attendant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrewMember {
    pub role: CrewRole,
    pub name: String,
    /// Masked.
    pub phone: String,
}

/// A factory gate the bus delivers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateLine {
    pub employer: String,
    pub address: String,
    pub contact: String,
    /// Masked.
    pub contact_phone: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ManifestLine {
    pub seat: u32,
    pub name: String,
    /// Masked unless revealed; empty once purged.
    pub id_number: String,
    /// Always masked.
    pub phone: String,
    pub township: String,
    pub village: String,
    pub employer: String,
    pub cert_issued: Option<NaiveDate>,
    /// Last valid day, derived from the policy when the certificate gives none.
    pub cert_valid_until: Option<NaiveDate>,
    /// The latest reading, door or round.
    pub temperature: Option<f64>,
    pub status: SeatStatus,
    pub standby: bool,
    pub refused_reason: Option<String>,
    /// Under observation after a fever found en route.
    pub observation: bool,
    /// The seat in the observation rows the passenger was moved to, if moved.
    pub observation_seat: Option<u32>,
    /// This passenger's fevers found on the road and moves, oldest first.
    pub en_route: Vec<EnRoute>,
}

impl Manifest {
    pub fn route(&self) -> String {
        format!("{} → {}{}", self.county, self.province, self.city)
    }
}

/// Loads the manifests of `scope`. With `reveal`, full ID numbers are put in and one audit row
/// per bus is written first; a read-only database refuses that before anything is shown.
pub fn manifests(ctx: &mut Ctx, scope: &ManifestScope, reveal: bool) -> OpResult<Vec<Manifest>> {
    let validity = ctx.policy.cert_validity_days;
    if !reveal {
        return load(&ctx.store.db(), scope, false, validity, ctx.lang);
    }
    if ctx.store.is_readonly() {
        return Err(OpError::Failed(
            ctx.lang
                .pick(
                    "显示完整身份证号（--reveal）须写入审计日志，只读数据库（--readonly）无法写入：未导出任何内容。请去掉 --reveal，或不用 --readonly 打开。",
                    "--reveal is recorded in the audit log, which a read-only database (--readonly) cannot write: nothing was exported. Drop --reveal, or open the database without --readonly.",
                )
                .to_string(),
        ));
    }
    let operator = ctx.operator.clone();
    let tx = ctx.store.begin()?;
    let out = load(&tx, scope, true, validity, ctx.lang)?;
    for m in &out {
        let after = serde_json::json!({
            "what": "manifest",
            "id_numbers": m.passengers.len(),
        });
        store::audit(
            &tx,
            &operator,
            "reveal",
            "trip",
            Some(m.trip_id),
            None,
            Some(&after),
        )?;
    }
    tx.commit()?;
    Ok(out)
}

/// Loads, renders and returns the file's bytes: what `export manifest` writes.
pub fn export_manifest(
    ctx: &mut Ctx,
    scope: &ManifestScope,
    format: ManifestFormat,
    encoding: CsvEncoding,
    reveal: bool,
    lang: Lang,
) -> OpResult<Vec<u8>> {
    let ms = manifests(ctx, scope, reveal)?;
    match format {
        ManifestFormat::Csv => manifest_csv(&ms, lang, encoding),
        ManifestFormat::Html => Ok(manifest_html(&ms, lang).into_bytes()),
    }
}

fn load(
    conn: &Db<'_>,
    scope: &ManifestScope,
    reveal: bool,
    validity: u32,
    lang: Lang,
) -> OpResult<Vec<Manifest>> {
    let trips = match scope {
        ManifestScope::Bus(input) => {
            let plate = trip_ref::bus_plate_arg(conn, input, lang)?;
            vec![trip_ref::resolve(conn, &TripRef::bus(plate), lang)?]
        }
        ManifestScope::Trip(code) => vec![trip_ref::resolve(conn, &TripRef::code(code), lang)?],
        ManifestScope::Date(d) => {
            let ts: Vec<TripInfo> = trips::trips_on(conn, *d)?
                .into_iter()
                .filter(|t| t.status != TripStatus::Cancelled)
                .collect();
            if ts.is_empty() {
                return Err(OpError::Failed(format!(
                    "no bus runs on {d}: there is no manifest to export"
                )));
            }
            ts
        }
    };
    trips
        .into_iter()
        .map(|t| manifest_of(conn, t, reveal, validity))
        .collect()
}

/// Who is on the paper: before boarding the roster as planned; while boarding every record with
/// its state; once the bus has left, exactly those who boarded.
fn listed(boarding_started: bool, trip: TripStatus, p: &PassengerRow) -> bool {
    match trip {
        TripStatus::Departed | TripStatus::Arrived => p.status == SeatStatus::Boarded,
        _ if boarding_started => true,
        _ => p.status.holds_seat(),
    }
}

fn manifest_of(conn: &Db<'_>, t: TripInfo, reveal: bool, validity: u32) -> OpResult<Manifest> {
    let roster = trips::roster(conn, t.trip_id)?;
    let events = store::departure::events(conn, t.trip_id)?;
    let started =
        t.status == TripStatus::Boarding || roster.iter().any(|p| p.status != SeatStatus::Planned);
    let passengers: Vec<ManifestLine> = roster
        .iter()
        .filter(|p| listed(started, t.status, p))
        .map(|p| {
            let mut l = line(p, reveal, validity);
            l.en_route = road::passenger_log(&events, p.worker_id);
            l.observation_seat = road::observation_seat(&l.en_route);
            l
        })
        .collect();
    let mut employer_ids: Vec<i64> = Vec::new();
    for p in roster.iter().filter(|p| listed(started, t.status, p)) {
        if let Some(id) = p.employer_id.filter(|id| !employer_ids.contains(id)) {
            employer_ids.push(id);
        }
    }
    let gates = q::gates(conn, &employer_ids)?
        .into_iter()
        .map(|g| GateLine {
            employer: g.name,
            address: g.address,
            contact: g.contact,
            contact_phone: mask_phone(&g.contact_phone),
        })
        .collect();
    let mut crew = Vec::new();
    for (role, name, phone) in [
        (CrewRole::Driver, &t.driver1, &t.driver1_phone),
        (CrewRole::Driver, &t.driver2, &t.driver2_phone),
        (CrewRole::Attendant, &t.attendant, &t.attendant_phone),
    ] {
        if !name.is_empty() {
            crew.push(CrewMember {
                role,
                name: name.clone(),
                phone: if phone.is_empty() {
                    String::new()
                } else {
                    mask_phone(phone)
                },
            });
        }
    }
    Ok(Manifest {
        trip_id: t.trip_id,
        trip: t.code,
        plate: t.plate,
        batch: t.batch_code,
        date: t.date,
        status: t.status,
        county: t.county,
        province: t.province,
        city: t.city,
        gathering_point: t.gathering_point,
        departure: minutes(&t.departure),
        departed_at: t.departed_at.as_deref().map(minutes),
        arrived_at: t.arrived_at.as_deref().map(minutes),
        receiver: t.receiver,
        arrived_count: t.arrived_count,
        operator: t.operator,
        crew,
        gates,
        passengers,
        tally: Tally::of(&roster),
        log: road::trip_log(&events),
        revealed: reveal,
    })
}

/// `2020-02-21T07:12:40+08:00` → `2020-02-21 07:12`: a paper shows minutes.
fn minutes(stamp: &str) -> String {
    crate::clock::paper_text(stamp)
}

fn line(p: &PassengerRow, reveal: bool, validity: u32) -> ManifestLine {
    let cert = HealthCertificate {
        issued: p.cert_issued,
        valid_until: p.cert_valid_until,
        issuer: String::new(),
    };
    let id_number = match &p.id_number {
        Some(id) if reveal => id.clone(),
        Some(id) => mask_id(id),
        None => String::new(),
    };
    ManifestLine {
        seat: p.seat,
        name: p.name.clone(),
        id_number,
        phone: if p.phone.is_empty() {
            String::new()
        } else {
            mask_phone(&p.phone)
        },
        township: p.township.clone(),
        village: p.village.clone(),
        employer: p.employer.clone(),
        cert_issued: p.cert_issued,
        cert_valid_until: cert.last_valid_day(validity),
        temperature: p.temperature,
        status: p.status,
        standby: p.standby,
        refused_reason: p.refused_reason.clone(),
        observation: p.status == SeatStatus::Boarded && p.observation_at.is_some(),
        observation_seat: None,
        en_route: Vec::new(),
    }
}

/// A passenger's state in words, with the reason of a refusal and the stand-by mark.
pub fn status_words(l: &ManifestLine, lang: Lang) -> String {
    let base = match l.status {
        SeatStatus::Planned => lang.pick("待检", "to check"),
        SeatStatus::Recheck => lang.pick("复测", "re-check"),
        SeatStatus::Boarded => lang.pick("已登车", "boarded"),
        SeatStatus::Refused => lang.pick("拒绝登车", "refused"),
        SeatStatus::NoShow => lang.pick("未到", "no-show"),
    };
    let mut s = base.to_string();
    if l.status == SeatStatus::Refused {
        if let Some(r) = &l.refused_reason {
            let why = match r.as_str() {
                "fever" => lang.pick("发热", "fever"),
                "certificate" => lang.pick("健康证明无效", "certificate"),
                "identity" => lang.pick("身份不符", "identity"),
                other => other,
            };
            s += lang.pick("（", " (");
            s += why;
            s += lang.pick("）", ")");
        }
    }
    if l.standby {
        s += lang.pick("（候补）", " (stand-by)");
    }
    if l.observation {
        s += lang.pick("（留观）", " (observation)");
    }
    s
}

/// A passenger's en-route entries in one cell: `10:05 途中发热 38.1 °C（14座）；10:07 …`, the
/// day shown for an entry after the trip's own day (`02-22 01:30 …`).
pub fn en_route_words(l: &ManifestLine, day: NaiveDate, lang: Lang) -> String {
    l.en_route
        .iter()
        .map(|e| road::words(e, lang, Some(day)))
        .collect::<Vec<_>>()
        .join(lang.pick("；", "; "))
}

/// One entry of the trip's log in words, with its date.
pub fn log_words(e: &EnRoute, lang: Lang) -> String {
    road::words(e, lang, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: SeatStatus) -> PassengerRow {
        PassengerRow {
            passenger_id: 1,
            trip_id: 1,
            worker_id: 1,
            seat: 1,
            status,
            standby: false,
            temperature: None,
            boarded_at: None,
            refused_reason: None,
            name: "甲".into(),
            id_number: Some("61092819761225250X".into()),
            phone: "13812345678".into(),
            county: String::new(),
            township: String::new(),
            village: String::new(),
            employer_id: None,
            employer: String::new(),
            cert_issued: None,
            cert_valid_until: None,
            observation_at: None,
        }
    }

    #[test]
    fn who_is_listed_follows_the_trip() {
        use SeatStatus::*;
        let on = |started, trip, s| listed(started, trip, &row(s));
        assert!(on(false, TripStatus::Planned, Planned));
        assert!(!on(false, TripStatus::Planned, Refused));
        assert!(on(true, TripStatus::Boarding, Refused));
        assert!(on(true, TripStatus::Boarding, NoShow));
        assert!(on(true, TripStatus::Departed, Boarded));
        assert!(!on(true, TripStatus::Departed, Refused));
        assert!(!on(true, TripStatus::Arrived, NoShow));
    }

    #[test]
    fn a_line_is_masked_unless_revealed() {
        let masked = line(&row(SeatStatus::Boarded), false, 7);
        assert_eq!(masked.id_number, "610928********250X");
        assert_eq!(masked.phone, "138****5678");
        let full = line(&row(SeatStatus::Boarded), true, 7);
        assert_eq!(full.id_number, "61092819761225250X");
        assert_eq!(
            full.phone, "138****5678",
            "phones stay masked even on a reveal"
        );
    }
}
