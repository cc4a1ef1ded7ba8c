//! `register`: a walk-in — a worker with a valid certificate who is not in the ledger turns up
//! at the gathering point. The typed fields go through the very checks of an imported ledger
//! row (`io::workers`), so a walk-in is an ordinary `registered` worker that the planner and the
//! roster's stand-by find.

use super::{typed, Ctx, OpError, OpResult};
use crate::i18n::Lang;
use crate::io::columns::{worker as c, WORKERS};
use crate::io::workers::WorkerRows;
use crate::io::TypedRow;
use crate::model::mask_id;
use crate::store::{audit, ledger, trips, views, Db};
use serde_json::json;

/// What the officer typed, one text per ledger column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registration {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub county: String,
    pub township: String,
    pub village: String,
    pub employer: String,
    pub cert_issued: String,
    pub cert_valid_until: String,
    pub cert_issuer: String,
}

impl Registration {
    /// The cells in the ledger's column order (`io::columns::WORKERS`).
    fn cells(&self) -> [&str; 10] {
        [
            &self.name,
            &self.id_number,
            &self.phone,
            &self.county,
            &self.township,
            &self.village,
            &self.employer,
            &self.cert_issued,
            &self.cert_valid_until,
            &self.cert_issuer,
        ]
    }
}

/// The free-text columns.
const TEXTS: [usize; 6] = [
    c::NAME,
    c::COUNTY,
    c::TOWNSHIP,
    c::VILLAGE,
    c::EMPLOYER,
    c::CERT_ISSUER,
];

/// Registers one walk-in in one audited transaction and returns their ledger line. A field the
/// ledger would reject is an error naming it; an ID number already in the ledger is an error
/// naming that worker (ID masked).
pub fn register(ctx: &mut Ctx, r: &Registration) -> OpResult<views::WorkerLine> {
    let lang = ctx.lang;
    let cells = r.cells();
    for col in TEXTS {
        typed::text(lang, &WORKERS[col], cells[col])?;
    }
    let row = TypedRow::new(&cells);
    let operator = ctx.operator.clone();
    let tx = ctx.store.begin()?;
    let employers = ledger::employer_ids(&tx)?;
    let parsed = WorkerRows::new(&employers)
        .parse(&row.row())
        .map_err(|bad| typed::rejected(lang, WORKERS, bad))?;
    let w = parsed.worker();
    if let Some(id) = trips::worker_by_id_number(&tx, w.id_number)? {
        return Err(already_there(lang, &tx, id, w.id_number)?);
    }
    let id = ledger::insert_worker(&tx, &w)?;
    audit(
        &tx,
        &operator,
        "register",
        "worker",
        Some(id),
        None,
        Some(&json!({
            "county": w.county,
            "employer_id": w.employer_id,
            "cert_issued": w.cert_issued,
            "cert_valid_until": w.cert_valid_until,
        })),
    )?;
    let line = views::worker(&tx, id)?
        .ok_or_else(|| OpError::Failed(format!("worker #{id} vanished while registering")))?;
    tx.commit()?;
    Ok(line)
}

/// `身份证号 110105********002X 已在台账中：张三（旬阳县 蜀河镇 红花村，宁波舜宇光电，已编排）`
fn already_there(lang: Lang, conn: &Db<'_>, id: i64, id_number: &str) -> OpResult<OpError> {
    let masked = mask_id(id_number);
    let Some(w) = views::worker(conn, id)? else {
        return Ok(typed::field(
            lang,
            &WORKERS[c::ID_NUMBER],
            match lang {
                Lang::Zh => format!("{masked} 已在台账中"),
                Lang::En => format!("{masked} is already in the ledger"),
            },
        ));
    };
    let home = [w.county.as_str(), &w.township, &w.village]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let status = w.status.label(lang);
    Ok(typed::field(
        lang,
        &WORKERS[c::ID_NUMBER],
        match lang {
            Lang::Zh => format!(
                "{masked} 已在台账中：{}（{home}，{}，{status}）",
                w.name, w.employer
            ),
            Lang::En => format!(
                "{masked} is already in the ledger: {} ({home}, {}, {status})",
                w.name, w.employer
            ),
        },
    ))
}
