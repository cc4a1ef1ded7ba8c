//! The manifest as one flat CSV table (a row per passenger, the bus on every row) that opens in
//! Excel as it is: UTF-8 with a BOM, or GBK for older Chinese Excel, formula-like cells defused.

use super::{en_route_words, status_words, CrewRole, Manifest};
use crate::i18n::Lang;
use crate::ops::{OpError, OpResult};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark, so Excel does not guess the code page.
    #[default]
    Utf8Bom,
    /// GBK as Excel on Chinese Windows reads it. Written as GB18030, its superset, so that a rare
    /// character in a name outside GBK is kept rather than replaced.
    Gbk,
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a leading tab or
/// carriage return) gets a leading apostrophe and is shown as typed.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The columns; the door's two (observation seat, road log) and then `trip` (the trip's code)
/// came last, after the rest, so scripts that count columns still find the others where they
/// were.
fn header(lang: Lang) -> [&'static str; 22] {
    match lang {
        Lang::Zh => [
            "车牌号",
            "批次",
            "日期",
            "线路",
            "计划发车",
            "驾驶员",
            "随车人员",
            "座位号",
            "姓名",
            "身份证号",
            "手机号",
            "乡镇",
            "村",
            "企业",
            "健康证明签发日期",
            "健康证明有效期至",
            "最新体温",
            "状态",
            "车次状态",
            "留观座位",
            "途中记录",
            "车次编号",
        ],
        Lang::En => [
            "plate",
            "batch",
            "date",
            "route",
            "departure",
            "drivers",
            "attendant",
            "seat",
            "name",
            "id_number",
            "phone",
            "township",
            "village",
            "employer",
            "cert_issued",
            "cert_valid_until",
            "temperature",
            "status",
            "trip_status",
            "observation_seat",
            "en_route",
            "trip",
        ],
    }
}

fn crew(m: &Manifest, role: CrewRole) -> String {
    m.crew
        .iter()
        .filter(|c| c.role == role)
        .map(|c| {
            if c.phone.is_empty() {
                c.name.clone()
            } else {
                format!("{} {}", c.name, c.phone)
            }
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The CSV bytes of these manifests, header first.
pub fn manifest_csv(ms: &[Manifest], lang: Lang, encoding: CsvEncoding) -> OpResult<Vec<u8>> {
    let fail = |e: ::csv::Error| OpError::Failed(format!("writing the manifest CSV: {e}"));
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header(lang)).map_err(fail)?;
    for m in ms {
        let drivers = crew(m, CrewRole::Driver);
        let attendant = crew(m, CrewRole::Attendant);
        let trip_status = m.status.label(lang);
        for p in &m.passengers {
            let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let temp = p.temperature.map(|t| format!("{t:.1}")).unwrap_or_default();
            let cells: [String; 22] = [
                m.plate.clone(),
                m.batch.clone(),
                m.date.to_string(),
                m.route(),
                m.departure.clone(),
                drivers.clone(),
                attendant.clone(),
                p.seat.to_string(),
                p.name.clone(),
                p.id_number.clone(),
                p.phone.clone(),
                p.township.clone(),
                p.village.clone(),
                p.employer.clone(),
                date(p.cert_issued),
                date(p.cert_valid_until),
                temp,
                status_words(p, lang),
                trip_status.to_string(),
                p.observation_seat
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                en_route_words(p, m.date, lang),
                m.trip.clone(),
            ];
            w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
                .map_err(fail)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| OpError::Failed(format!("writing the manifest CSV: {e}")))?;
    Ok(match encoding {
        CsvEncoding::Utf8Bom => {
            let mut out = "\u{feff}".as_bytes().to_vec();
            out.extend_from_slice(&bytes);
            out
        }
        CsvEncoding::Gbk => {
            // The text came from `String`s, so it is valid UTF-8.
            let text = String::from_utf8_lossy(&bytes);
            let (enc, _, _) = encoding_rs::GB18030.encode(&text);
            enc.into_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_others_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+86"), "'+86");
        assert_eq!(neutralise("-2+3组"), "'-2+3组");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("王小明"), "王小明");
        assert_eq!(neutralise("36.5"), "36.5");
        assert_eq!(neutralise(""), "");
    }
}
