//! Fleet rows: chartered coaches and employers' own buses — plate, rated seats, operator, crew
//! with their phones, home county, the day the bus is free and whether it is sealed.

use super::columns::{bus as c, FLEET};
use super::employers::owned;
use super::{reject, values, Reason, Rejection, Row};
use crate::model::records::Bus;
use crate::model::{parse_date, Phone, Plate};
use std::collections::HashMap;

/// Rated seats accepted: from a 7-seat van to a double-deck coach.
const SEATS: std::ops::RangeInclusive<u32> = 7..=80;

#[derive(Default)]
pub struct BusRows {
    first_line: HashMap<String, u64>,
}

impl BusRows {
    pub fn parse(&mut self, row: &Row<'_>) -> Result<Bus, Rejection> {
        let bad = |col: usize, reason: Reason| reject(row, FLEET, col, reason);
        let plate = Plate::parse(row.get(c::PLATE))
            .map_err(|_| bad(c::PLATE, Reason::NotPlate))?
            .as_str()
            .to_string();
        let seats = match values::parse_count(row.get(c::SEATS), 1000) {
            Ok(Some(n)) if SEATS.contains(&n) => n,
            Ok(Some(_)) => {
                return Err(bad(
                    c::SEATS,
                    Reason::SeatsRange {
                        min: *SEATS.start(),
                        max: *SEATS.end(),
                    },
                ))
            }
            Ok(None) => return Err(bad(c::SEATS, Reason::Empty)),
            Err(r) => return Err(bad(c::SEATS, r)),
        };
        let operator =
            owned(values::text(row.get(c::OPERATOR), 60)).map_err(|r| bad(c::OPERATOR, r))?;
        // The first driver is the one crew member every bus has; the others may be missing,
        // but a name without a phone (or the reverse) is half an entry and is refused.
        let crew = |name_col: usize, phone_col: usize, needed: bool| {
            let (name, phone) = (row.get(name_col), row.get(phone_col));
            if name.is_empty() && phone.is_empty() {
                return if needed && row.has(name_col) {
                    Err(bad(name_col, Reason::NoDriver))
                } else {
                    Ok((String::new(), String::new()))
                };
            }
            let name = owned(values::person_name(name)).map_err(|r| bad(name_col, r))?;
            if phone.is_empty() {
                return if row.has(phone_col) {
                    Err(bad(phone_col, Reason::PhoneWithName))
                } else {
                    Ok((name, String::new()))
                };
            }
            let phone = Phone::parse(phone).map_err(|_| bad(phone_col, Reason::NotMobile))?;
            Ok((name, phone.as_str().to_string()))
        };
        let (driver1, driver1_phone) = crew(c::DRIVER1, c::DRIVER1_PHONE, true)?;
        let (driver2, driver2_phone) = crew(c::DRIVER2, c::DRIVER2_PHONE, false)?;
        let (attendant, attendant_phone) = crew(c::ATTENDANT, c::ATTENDANT_PHONE, false)?;
        let county = match row.get(c::COUNTY) {
            "" => return Err(bad(c::COUNTY, Reason::NoCounty)),
            s => owned(values::text(&values::normalise_county(s), 20))
                .map_err(|r| bad(c::COUNTY, r))?,
        };
        let available_date = match row.get(c::AVAILABLE_DATE) {
            "" => None,
            s => Some(parse_date(s).map_err(|e| bad(c::AVAILABLE_DATE, e.into()))?),
        };
        let sealed = match row.get(c::SEALED) {
            "" => false,
            s => values::parse_bool(s).ok_or_else(|| bad(c::SEALED, Reason::YesNo))?,
        };
        if let Some(first) = self.first_line.get(&plate) {
            return Err(bad(c::PLATE, Reason::SamePlate { first: *first }));
        }
        self.first_line.insert(plate.clone(), row.line);
        Ok(Bus {
            plate,
            seats,
            operator,
            driver1,
            driver1_phone,
            driver2,
            driver2_phone,
            attendant,
            attendant_phone,
            county,
            available_date,
            sealed,
        })
    }
}
