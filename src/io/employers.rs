//! Employer rows: the firm, its destination (province, city, factory gate), contact, how many
//! workers it expects, the distance from home and whether it recognises the county's certificate.

use super::columns::{employer as c, EMPLOYERS};
use super::{reject, values, Reason, Rejection, Row};
use crate::model::records::Employer;
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Default)]
pub struct EmployerRows {
    first_line: HashMap<String, u64>,
}

impl EmployerRows {
    pub fn parse(&mut self, row: &Row<'_>) -> Result<Employer, Rejection> {
        let bad = |col: usize, reason: Reason| reject(row, EMPLOYERS, col, reason);
        let required = |col: usize, max: usize| match row.get(col) {
            "" => Err(bad(col, Reason::Empty)),
            s => values::text(s, max)
                .map(Cow::into_owned)
                .map_err(|r| bad(col, r)),
        };
        let name = values::firm_name(&required(c::NAME, 60)?);
        let province = values::normalise_province(&required(c::PROVINCE, 20)?);
        let city = required(c::CITY, 20)?;
        let address =
            owned(values::text(row.get(c::ADDRESS), 100)).map_err(|r| bad(c::ADDRESS, r))?;
        let contact =
            owned(values::text(row.get(c::CONTACT), 30)).map_err(|r| bad(c::CONTACT, r))?;
        let contact_phone = match row.get(c::CONTACT_PHONE) {
            "" => String::new(),
            s => values::contact_phone(s).map_err(|r| bad(c::CONTACT_PHONE, r))?,
        };
        let expected = values::parse_count(row.get(c::EXPECTED), 1_000_000)
            .map_err(|r| bad(c::EXPECTED, r))?
            .unwrap_or(0);
        let distance_km = values::parse_km(row.get(c::DISTANCE_KM))
            .map_err(|r| bad(c::DISTANCE_KM, r))?
            .unwrap_or(0);
        let mutual_recognition = match row.get(c::MUTUAL_RECOGNITION) {
            "" => false,
            s => values::parse_bool(s).ok_or_else(|| bad(c::MUTUAL_RECOGNITION, Reason::YesNo))?,
        };
        if let Some(first) = self.first_line.get(&name) {
            return Err(bad(c::NAME, Reason::SameEmployer { first: *first }));
        }
        self.first_line.insert(name.clone(), row.line);
        Ok(Employer {
            name,
            province,
            city,
            address,
            contact,
            contact_phone,
            expected,
            distance_km,
            mutual_recognition,
        })
    }
}

pub(crate) fn owned(v: Result<Cow<'_, str>, Reason>) -> Result<String, Reason> {
    v.map(Cow::into_owned)
}
