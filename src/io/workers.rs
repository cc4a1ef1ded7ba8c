//! Worker rows of the ledger (台账): identity, home, employer and health certificate, checked
//! cell by cell, plus the one check that spans rows — an ID number may appear only once a file.

use super::columns::{worker as c, WORKERS};
use super::{reject, values, Reason, Rejection, Row};
use crate::model::records::{self as ledger, WorkerRef};
use crate::model::{area, parse_date, IdNumber, Phone};
use chrono::NaiveDate;

/// Reads worker rows against the employers already in the ledger.
pub struct WorkerRows<'a> {
    employers: &'a ledger::FastMap<String, i64>,
    /// First 17 digits of each accepted ID number (they determine the 18th) → its line.
    first_line: ledger::FastMap<u64, u64>,
}

impl<'a> WorkerRows<'a> {
    pub fn new(employers: &'a ledger::FastMap<String, i64>) -> Self {
        WorkerRows {
            employers,
            first_line: ledger::FastMap::default(),
        }
    }

    pub fn parse(&mut self, row: &Row<'_>) -> Result<ParsedWorker, Rejection> {
        let bad = |col: usize, reason: Reason| reject(row, WORKERS, col, reason);
        let mut out = ParsedWorker::default();
        let name = values::person_name(row.get(c::NAME)).map_err(|r| bad(c::NAME, r))?;
        let id = IdNumber::parse(row.get(c::ID_NUMBER)).map_err(|e| bad(c::ID_NUMBER, e.into()))?;
        out.push(id.as_str());
        out.push(&name);
        match row.get(c::PHONE) {
            "" => out.push(""),
            p => out.push(
                Phone::parse(p)
                    .map_err(|_| bad(c::PHONE, Reason::NotMobile))?
                    .as_str(),
            ),
        }
        // Without a county cell the ID number's area code tells the home county.
        match row.get(c::COUNTY) {
            "" => out.push(area::county_name(id.area_code()).unwrap_or("")),
            s => out.push(
                &values::text(&values::normalise_county(s), 20).map_err(|r| bad(c::COUNTY, r))?,
            ),
        }
        out.push(&values::text(row.get(c::TOWNSHIP), 30).map_err(|r| bad(c::TOWNSHIP, r))?);
        out.push(&values::text(row.get(c::VILLAGE), 30).map_err(|r| bad(c::VILLAGE, r))?);
        out.push(&values::text(row.get(c::CERT_ISSUER), 60).map_err(|r| bad(c::CERT_ISSUER, r))?);
        out.employer_id = match row.get(c::EMPLOYER) {
            "" => return Err(bad(c::EMPLOYER, Reason::EmptyEmployer)),
            // Exact spelling first: the usual case, and no allocation per row.
            e => Some(
                *(self.employers.get(e))
                    .or_else(|| self.employers.get(&values::firm_name(e)))
                    .ok_or_else(|| bad(c::EMPLOYER, Reason::NoEmployer))?,
            ),
        };
        let date = |col: usize| match row.get(col) {
            "" => Ok(None),
            s => parse_date(s).map(Some).map_err(|e| bad(col, e.into())),
        };
        out.cert_issued = date(c::CERT_ISSUED)?;
        out.cert_valid_until = date(c::CERT_VALID_UNTIL)?;
        if let (Some(issued), Some(until)) = (out.cert_issued, out.cert_valid_until) {
            if until < issued {
                return Err(bad(c::CERT_VALID_UNTIL, Reason::BeforeIssue { issued }));
            }
        }
        let key = ledger::id_key(id.as_str()).unwrap_or_default();
        if let Some(first) = self.first_line.get(&key) {
            return Err(bad(c::ID_NUMBER, Reason::SameIdNumber { first: *first }));
        }
        self.first_line.insert(key, row.line);
        Ok(out)
    }
}

/// A worker row as read: its seven texts in one buffer (one allocation per row).
#[derive(Debug, Default)]
pub struct ParsedWorker {
    text: String,
    ends: [u32; 7],
    filled: usize,
    employer_id: Option<i64>,
    cert_issued: Option<NaiveDate>,
    cert_valid_until: Option<NaiveDate>,
}

impl ParsedWorker {
    fn push(&mut self, s: &str) {
        if self.text.capacity() == 0 {
            self.text.reserve(128);
        }
        self.text.push_str(s);
        if let Some(end) = self.ends.get_mut(self.filled) {
            *end = self.text.len() as u32;
            self.filled += 1;
        }
    }

    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..self.ends[i] as usize).unwrap_or("")
    }

    pub fn worker(&self) -> WorkerRef<'_> {
        WorkerRef {
            id_number: self.part(0),
            name: self.part(1),
            phone: self.part(2),
            county: self.part(3),
            township: self.part(4),
            village: self.part(5),
            cert_issuer: self.part(6),
            employer_id: self.employer_id,
            cert_issued: self.cert_issued,
            cert_valid_until: self.cert_valid_until,
        }
    }
}
