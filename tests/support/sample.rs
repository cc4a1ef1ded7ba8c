//! A small, fixed Chinese ledger for the tests and the console's snapshots: departure day
//! 2020-02-21 in Ankang, every certificate state, a boarding, a departed and an arrived bus.
//! Written into the file as another program would, with SQL of its own: the rows are fixed
//! (the snapshots show them), which no sequence of user actions would give.

#![allow(dead_code)]

use chrono::NaiveDate;
use rusqlite::params;
use std::path::Path;
use zhitong::model::{IdNumber, Layout, Policy};
use zhitong::store::Store;

/// The working day the sample is built around.
pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 21).unwrap_or_default()
}

const SURNAMES: &[&str] = &[
    "张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建国", "小红",
];
const VILLAGES: &[(&str, &str, &str)] = &[
    ("610928", "蜀河镇", "蜀河村"),
    ("610928", "吕河镇", "吕河村"),
    ("610928", "棕溪镇", "王院村"),
    ("610922", "城关镇", "红花村"),
    ("610922", "池河镇", "五爱村"),
    ("610902", "五里镇", "东坝村"),
    ("610902", "大河镇", "南沟村"),
    ("610921", "涧池镇", "紫云村"),
];
const EMPLOYERS: &[(&str, &str, &str, u32)] = &[
    ("宁波舜宇光电有限公司", "浙江省", "宁波市", 40),
    ("太原富士康科技工业园", "山西省", "太原市", 30),
    ("苏州立讯精密工业有限公司", "江苏省", "苏州市", 25),
    ("兰州金川新材料有限公司", "甘肃省", "兰州市", 20),
    ("长沙三一重工股份有限公司", "湖南省", "长沙市", 20),
];

fn county_of(area: &str) -> &'static str {
    zhitong::model::area::county_name(area).unwrap_or("")
}

/// A valid ID number of the given area whose last four characters are `last4` when possible.
fn id_number(area: &str, n: u32, last4: Option<&str>) -> String {
    let base = NaiveDate::from_ymd_opt(1975, 1, 1).unwrap_or_default();
    for k in 0..4000 {
        let birth = base + chrono::Duration::days(i64::from((n * 397 + k) % 12000));
        let seq = last4
            .and_then(|l| l[..3].parse::<u16>().ok())
            .unwrap_or((n % 1000) as u16);
        if let Some(id) = IdNumber::compose(area, birth, seq) {
            if last4.is_none_or(|l| id.last4() == l) {
                return id.as_str().to_string();
            }
        }
    }
    String::new()
}

/// One trip of the sample: batch code, home county, employer, bus, departure, state, size.
struct TripSpec {
    code: &'static str,
    county: &'static str,
    employer: i64,
    bus: i64,
    departure: &'static str,
    status: &'static str,
    count: u32,
}

/// Builds the sample in an empty (migrated) database: 5 employers, 120 workers with every
/// certificate state, 4 buses, and three trips (boarding today, departed today, arrived
/// yesterday).
pub fn build(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    // The ledger's own schema, then the rows through a connection of the sample's.
    drop(Store::open(path)?);
    let mut conn = rusqlite::Connection::open(path)?;
    let tx = conn.transaction()?;
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2020, m, day);
    for (i, (name, province, city, expected)) in EMPLOYERS.iter().enumerate() {
        tx.execute(
            "INSERT INTO employers (id, name, province, city, address, contact, contact_phone,
                 expected, distance_km, mutual_recognition)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                i as i64 + 1,
                name,
                province,
                city,
                format!("{city}经济开发区{}号", i * 7 + 3),
                "人事部 刘经理",
                format!("1390915{:04}", 1200 + i),
                expected,
                [1480, 820, 1290, 760, 930][i],
                i % 2 == 0
            ],
        )?;
    }
    for n in 0..120u32 {
        let (area, township, village) = VILLAGES[(n as usize * 5) % VILLAGES.len()];
        let name = if n == 0 {
            "张伟".to_string()
        } else {
            format!(
                "{}{}",
                SURNAMES[(n as usize * 7) % SURNAMES.len()],
                GIVEN[(n as usize * 11) % GIVEN.len()]
            )
        };
        let area = if n == 0 { "610928" } else { area };
        let id = id_number(area, n, (n == 0).then_some("1003"));
        let employer = (n % 5) as i64 + 1;
        // Certificates: most valid, some on their last day, expired, missing or not yet valid.
        let (issued, until) = match n % 9 {
            0..=4 => (d(2, 18), None),
            5 => (d(2, 15), None),
            6 => (d(2, 10), None),
            7 => (None, None),
            _ => (d(2, 22), d(2, 28)),
        };
        tx.execute(
            "INSERT INTO workers (id, id_number, name, phone, county, township, village,
                 employer_id, cert_issued, cert_valid_until, cert_issuer, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                n as i64 + 1,
                id,
                name,
                format!("13{}{:08}", 5 + n % 5, 20_000_000 + n * 7919),
                county_of(area),
                township,
                village,
                employer,
                issued,
                until,
                format!("{township}卫生院"),
                if n == 119 { "withdrawn" } else { "registered" },
            ],
        )?;
    }
    let buses = [
        ("陕G21000", 45, "610928"),
        ("陕G21001", 53, "610922"),
        ("陕GD12345", 45, "610902"),
        ("陕G33333", 45, "610928"),
    ];
    for (i, (plate, seats, area)) in buses.iter().enumerate() {
        tx.execute(
            "INSERT INTO buses (id, plate, seats, operator, driver1, driver1_phone, driver2,
                 driver2_phone, attendant, attendant_phone, county)
             VALUES (?1, ?2, ?3, '安康汽车运输公司', '赵师傅', '13909150001', '钱师傅',
                     '13909150002', '孙丽', '13909150003', ?4)",
            params![i as i64 + 1, plate, seats, county_of(area)],
        )?;
    }
    let policy = Policy::default();
    let trips = [
        TripSpec {
            code: "旬阳-20200221-01",
            county: "旬阳县",
            employer: 1,
            bus: 1,
            departure: "2020-02-21T07:00",
            status: "boarding",
            count: 12,
        },
        TripSpec {
            code: "石泉-20200221-01",
            county: "石泉县",
            employer: 2,
            bus: 2,
            departure: "2020-02-21T08:30",
            status: "departed",
            count: 10,
        },
        TripSpec {
            code: "汉滨-20200220-01",
            county: "汉滨区",
            employer: 3,
            bus: 3,
            departure: "2020-02-20T07:00",
            status: "arrived",
            count: 8,
        },
    ];
    for (i, t) in trips.into_iter().enumerate() {
        let TripSpec {
            code,
            county,
            employer,
            bus,
            departure,
            status,
            count,
        } = t;
        let batch = i as i64 + 1;
        let date = zhitong::model::parse_date(&departure[..10]).unwrap_or_else(|_| day());
        let (_, province, city, _) = EMPLOYERS[employer as usize - 1];
        tx.execute(
            "INSERT INTO batches (id, code, date, county, province, city, departure, gathering_point)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![batch, code, date, county, province, city, departure, format!("{county}政府广场")],
        )?;
        let rated = buses[bus as usize - 1].1;
        let layout = Layout::new(rated, &policy);
        let departed_at = (status != "boarding").then(|| {
            departure
                .replace("T07:00", "T07:04")
                .replace("T08:30", "T08:34")
        });
        tx.execute(
            "INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity, status, departed_at,
                 arrived_at, receiver, arrived_count)
             VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                batch,
                bus,
                date,
                layout.rows,
                layout.capacity(),
                status,
                departed_at,
                (status == "arrived").then_some("2020-02-21T01:30"),
                (status == "arrived").then_some("周主任"),
                (status == "arrived").then_some(count),
            ],
        )?;
        // Workers of this employer with a valid certificate, in ledger order.
        let mut stmt = tx.prepare(
            "SELECT id FROM workers WHERE employer_id = ?1 AND status = 'registered'
               AND cert_issued = '2020-02-18' ORDER BY id LIMIT ?2",
        )?;
        let ids: Vec<i64> = stmt
            .query_map(params![employer, count], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        for (k, (worker, seat)) in ids.iter().zip(layout.allowed()).enumerate() {
            // Today's boarding bus: 5 boarded, one refused for fever, one no-show, the rest due.
            let (seat_status, temp, reason, worker_status) = match (status, k) {
                ("boarding", 0..=4) => ("boarded", Some(36.2 + k as f64 * 0.1), None, "boarded"),
                ("boarding", 5) => ("refused", Some(37.8), Some("fever"), "refused"),
                ("boarding", 6) => ("no-show", None, Some("no-show"), "registered"),
                ("boarding", _) => ("planned", None, None, "planned"),
                ("departed", _) => ("boarded", Some(36.5), None, "departed"),
                _ => ("boarded", Some(36.4), None, "arrived"),
            };
            let boarded_at = departure.replace(":00", ":01");
            tx.execute(
                "INSERT INTO passengers (trip_id, worker_id, seat, status, boarded_at,
                     refused_reason, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    batch,
                    worker,
                    seat.number,
                    seat_status,
                    (seat_status == "boarded").then_some(&boarded_at),
                    reason,
                    departure
                ],
            )?;
            if let Some(t) = temp {
                let outcome = if seat_status == "boarded" {
                    "boarded"
                } else {
                    "fever"
                };
                tx.execute(
                    "INSERT INTO readings (trip_id, worker_id, seat, at, celsius, operator, place,
                         outcome)
                     VALUES (?1, ?2, ?3, ?4, ?5, '随车员', 'door', ?6)",
                    params![batch, worker, seat.number, boarded_at, t, outcome],
                )?;
            }
            tx.execute(
                "UPDATE workers SET status = ?2 WHERE id = ?1",
                params![worker, worker_status],
            )?;
        }
    }
    tx.execute(
        "UPDATE workers SET status = 'other-means', other_means = 'train', other_date = ?1 WHERE id = 119",
        [day()],
    )?;
    tx.commit()?;
    Ok(())
}
