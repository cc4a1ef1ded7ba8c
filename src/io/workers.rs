//! Worker rows of the ledger (台账): identity, home, employer and health certificate, checked
//! cell by cell, plus the one check that spans rows — an ID number may appear only once a file.

use super::columns::{worker as c, WORKERS};
use super::{reject, values, Rejection, Row};
use crate::model::{area, parse_date, IdNumber, Phone};
use crate::store::ledger::Worker;
use std::collections::HashMap;

/// Reads worker rows against the employers already in the ledger.
pub struct WorkerRows<'a> {
    employers: &'a HashMap<String, i64>,
    /// First 17 digits of each accepted ID number (they determine the 18th) → its line.
    first_line: HashMap<u64, u64>,
}

impl<'a> WorkerRows<'a> {
    pub fn new(employers: &'a HashMap<String, i64>) -> Self {
        WorkerRows {
            employers,
            first_line: HashMap::new(),
        }
    }

    pub fn parse(&mut self, row: &Row<'_>) -> Result<Worker, Rejection> {
        let bad = |col: usize, reason: String| reject(row, WORKERS, col, reason);
        let name = values::person_name(row.get(c::NAME)).map_err(|r| bad(c::NAME, r))?;
        let id =
            IdNumber::parse(row.get(c::ID_NUMBER)).map_err(|e| bad(c::ID_NUMBER, e.to_string()))?;
        let phone = match row.get(c::PHONE) {
            "" => String::new(),
            p => Phone::parse(p)
                .map_err(|_| bad(c::PHONE, "not a mobile number: 11 digits, 1[3-9]…".into()))?
                .as_str()
                .to_string(),
        };
        // Without a county cell the ID number's area code tells the home county.
        let county = match row.get(c::COUNTY) {
            "" => area::county_name(id.area_code()).unwrap_or("").to_string(),
            s => values::text(&values::normalise_county(s), 20).map_err(|r| bad(c::COUNTY, r))?,
        };
        let township = values::text(row.get(c::TOWNSHIP), 30).map_err(|r| bad(c::TOWNSHIP, r))?;
        let village = values::text(row.get(c::VILLAGE), 30).map_err(|r| bad(c::VILLAGE, r))?;
        let employer_id = match row.get(c::EMPLOYER) {
            "" => {
                return Err(bad(
                    c::EMPLOYER,
                    "empty: the employer the worker goes to".into(),
                ))
            }
            e => *self.employers.get(&values::firm_name(e)).ok_or_else(|| {
                bad(
                    c::EMPLOYER,
                    "no employer of that name: import employers first".into(),
                )
            })?,
        };
        let date = |col: usize| match row.get(col) {
            "" => Ok(None),
            s => parse_date(s).map(Some).map_err(|e| bad(col, e.to_string())),
        };
        let cert_issued = date(c::CERT_ISSUED)?;
        let cert_valid_until = date(c::CERT_VALID_UNTIL)?;
        if let (Some(issued), Some(until)) = (cert_issued, cert_valid_until) {
            if until < issued {
                return Err(bad(
                    c::CERT_VALID_UNTIL,
                    format!("before the issue date {issued}"),
                ));
            }
        }
        let cert_issuer =
            values::text(row.get(c::CERT_ISSUER), 60).map_err(|r| bad(c::CERT_ISSUER, r))?;
        let key = id_key(&id);
        if let Some(first) = self.first_line.get(&key) {
            return Err(bad(c::ID_NUMBER, format!("same ID number as line {first}")));
        }
        self.first_line.insert(key, row.line);
        Ok(Worker {
            id_number: id.as_str().to_string(),
            name,
            phone,
            county,
            township,
            village,
            employer_id: Some(employer_id),
            cert_issued,
            cert_valid_until,
            cert_issuer,
        })
    }
}

/// The 17 digits before the check character, as a number: a compact key for a million rows.
fn id_key(id: &IdNumber) -> u64 {
    id.as_str().as_bytes()[..17]
        .iter()
        .fold(0u64, |k, d| k * 10 + u64::from(d - b'0'))
}
