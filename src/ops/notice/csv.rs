//! The advance notice as one flat CSV table for a spreadsheet: a row per employer on each bus,
//! or, with the audited reveal, a row per passenger; the bus and its crew on every row. UTF-8
//! with a BOM for Excel; formula-like cells defused as on the manifests.

use super::{paper, Contact, NoticeDoc, NoticeEmployer, NoticeTrip};
use crate::i18n::Lang;
use crate::ops::export::neutralise;
use crate::ops::{OpError, OpResult};

const COLUMNS: usize = 23;

/// The columns; the passenger's three stay empty without a reveal, so the header is the same
/// either way.
fn header(lang: Lang) -> [&'static str; COLUMNS] {
    match lang {
        Lang::Zh => [
            "目的地省份",
            "车次编号",
            "车牌号",
            "车次状态",
            "运输公司",
            "驾驶员",
            "随车人员",
            "出发区县",
            "集合地点",
            "计划发车",
            "实际发车",
            "预计到达",
            "距离公里",
            "企业",
            "目的城市",
            "企业地址",
            "接收联系人",
            "联系电话",
            "人数",
            "座位号",
            "姓名",
            "身份证号",
            "手机号",
        ],
        Lang::En => [
            "province",
            "trip",
            "plate",
            "trip_status",
            "operator",
            "drivers",
            "attendant",
            "county",
            "gathering_point",
            "departure",
            "departed_at",
            "eta",
            "distance_km",
            "employer",
            "city",
            "address",
            "contact",
            "contact_phone",
            "people",
            "seat",
            "name",
            "id_number",
            "phone",
        ],
    }
}

fn contact(c: &Contact) -> String {
    if c.phone.is_empty() {
        c.name.clone()
    } else {
        format!("{} {}", c.name, c.phone)
    }
}

/// The cells a row repeats for its bus.
fn bus_cells(province: &str, t: &NoticeTrip, lang: Lang) -> Vec<String> {
    vec![
        province.to_string(),
        t.trip.clone(),
        t.plate.clone(),
        t.status.label(lang).to_string(),
        t.operator.clone(),
        t.drivers
            .iter()
            .map(contact)
            .collect::<Vec<_>>()
            .join(" / "),
        t.attendant.as_ref().map(contact).unwrap_or_default(),
        t.county.clone(),
        t.gathering_point.clone(),
        paper(Some(&t.departure)),
        paper(t.departed_at.as_deref()),
        paper(t.eta.as_deref()),
        t.distance_km.to_string(),
    ]
}

fn employer_cells(e: Option<&NoticeEmployer>) -> Vec<String> {
    match e {
        Some(e) => vec![
            e.name.clone(),
            e.city.clone(),
            e.address.clone(),
            e.contact.clone(),
            e.contact_phone.clone(),
            e.people.to_string(),
        ],
        None => vec![String::new(); 5]
            .into_iter()
            .chain(["0".to_string()])
            .collect(),
    }
}

/// The CSV bytes of the notice, UTF-8 with a BOM, header first.
pub fn notice_csv(doc: &NoticeDoc, lang: Lang) -> OpResult<Vec<u8>> {
    let fail = |e: ::csv::Error| OpError::Failed(format!("writing the notice CSV: {e}"));
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header(lang)).map_err(fail)?;
    let mut row = |cells: Vec<String>| -> OpResult<()> {
        debug_assert_eq!(cells.len(), COLUMNS);
        w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
            .map_err(fail)
    };
    for n in &doc.notices {
        for t in &n.trips {
            let bus = bus_cells(&n.province, t, lang);
            if t.employers.is_empty() {
                row([bus.clone(), employer_cells(None), vec![String::new(); 4]].concat())?;
            }
            for e in &t.employers {
                let firm = employer_cells(Some(e));
                match &e.passengers {
                    None => row([bus.clone(), firm, vec![String::new(); 4]].concat())?,
                    Some(list) => {
                        for p in list {
                            let who = vec![
                                p.seat.to_string(),
                                p.name.clone(),
                                p.id_number.clone(),
                                p.phone.clone(),
                            ];
                            row([bus.clone(), firm.clone(), who].concat())?;
                        }
                    }
                }
            }
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| OpError::Failed(format!("writing the notice CSV: {e}")))?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend_from_slice(&bytes);
    Ok(out)
}
