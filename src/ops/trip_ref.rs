//! Which trip an action is about. A trip may last several days, so "the bus's trip today" is
//! not an answer: `--bus PLATE` means the bus's one open trip whatever its date, and
//! `--trip CODE` names one trip exactly. Every trip action resolves its `TripRef` here.

use super::{OpError, OpResult};
use crate::i18n::{Code, Lang, Msg};
use crate::model::{plate, Plate, TripStatus};
use crate::store::trips::{self, TripInfo};
use crate::store::Db;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TripRef {
    /// The bus's one open trip (planned, boarding or departed), whatever its date.
    Bus(String),
    /// One trip exactly, by its code (`旬阳-20200221-01-1`).
    Code(String),
}

impl TripRef {
    pub fn bus(plate: impl Into<String>) -> TripRef {
        TripRef::Bus(plate.into())
    }

    pub fn code(code: impl Into<String>) -> TripRef {
        TripRef::Code(code.into())
    }
}

impl fmt::Display for TripRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TripRef::Bus(p) | TripRef::Code(p) => f.write_str(p.trim()),
        }
    }
}

/// A plain string names a bus by its plate, as `--bus` does.
impl From<&str> for TripRef {
    fn from(plate: &str) -> TripRef {
        TripRef::Bus(plate.to_string())
    }
}

impl From<&String> for TripRef {
    fn from(plate: &String) -> TripRef {
        TripRef::Bus(plate.clone())
    }
}

impl From<&TripRef> for TripRef {
    fn from(r: &TripRef) -> TripRef {
        r.clone()
    }
}

/// The trip named. A plate with no open trip → `Failed` (exit 1) naming the plate and its last
/// trip; more than one open trip → `Refused{code:"ambiguous_trip"}` listing their codes; an
/// unknown code → `Failed`.
pub fn resolve(conn: &Db<'_>, which: &TripRef, lang: Lang) -> OpResult<TripInfo> {
    match which {
        TripRef::Code(code) => {
            let code = code.trim();
            trips::trip_by_code(conn, code)?
                .ok_or_else(|| OpError::Failed(Msg::NoSuchTrip { code: code.into() }.text(lang)))
        }
        TripRef::Bus(typed) => {
            let plate = bus_plate(conn, typed, lang)?;
            let mut open = trips::open_trips_of_bus(conn, &plate)?;
            match open.len() {
                1 => Ok(open.remove(0)),
                0 => Err(no_open_trip(conn, &plate, lang)?),
                _ => {
                    let list: Vec<String> = open
                        .iter()
                        .map(|t| format!("{} ({})", t.code, status_word(t.status, lang)))
                        .collect();
                    let msg = Msg::SeveralOpenTrips {
                        n: open.len(),
                        plate,
                        trips: list.join(", "),
                    };
                    Err(OpError::refused(Code::AmbiguousTrip, msg.text(lang)))
                }
            }
        }
    }
}

/// The plate of the fleet that the officer means: a whole plate as typed (`陕g·21003`,
/// full-width digits), else the one plate that ends with what was typed (`21003`). A suffix
/// that several plates end with is refused (`ambiguous_plate`) listing them; one that none
/// ends with is returned as typed, for the caller to say there is no such bus.
pub fn bus_plate(conn: &Db<'_>, typed: &str, lang: Lang) -> OpResult<String> {
    plate_among(typed, lang, |key| trips::plates_ending_with(conn, key))
}

/// `bus_plate` with the fleet's plates that end with a key found by `ends_with`.
fn plate_among(
    typed: &str,
    lang: Lang,
    ends_with: impl FnOnce(&str) -> crate::store::Result<Vec<String>>,
) -> OpResult<String> {
    if let Ok(p) = Plate::parse(typed) {
        return Ok(p.to_string());
    }
    let key = plate::normalise(typed);
    if key.is_empty() {
        return Ok(typed.trim().to_string());
    }
    let mut found = ends_with(&key)?;
    match found.len() {
        0 => Ok(typed.trim().to_string()),
        1 => Ok(found.remove(0)),
        n => {
            const SHOWN: usize = 12;
            let mut list = found
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if n > SHOWN {
                list.push_str(" …");
            }
            let msg = Msg::AmbiguousPlate {
                suffix: key,
                n,
                plates: list,
            };
            Err(OpError::refused(Code::AmbiguousPlate, msg.text(lang)))
        }
    }
}

/// `bus_plate` for a command that names a bus only by `--bus`: what is neither a plate nor the
/// end of one is a usage error (exit 2) naming the option.
pub fn bus_plate_arg(conn: &Db<'_>, typed: &str, lang: Lang) -> OpResult<String> {
    plate_or_usage(bus_plate(conn, typed, lang)?, typed, lang)
}

fn plate_or_usage(plate: String, typed: &str, lang: Lang) -> OpResult<String> {
    if Plate::parse(&plate).is_err() {
        let why = Msg::NotAPlate {
            typed: typed.trim().to_string(),
        };
        return Err(OpError::Usage(format!("--bus: {}", why.text(lang))));
    }
    Ok(plate)
}

/// `bus_plate_arg` on the context's database: the console's `--bus` at start.
pub fn plate_of(ctx: &crate::ops::Ctx, typed: &str) -> OpResult<String> {
    let plate = plate_among(typed, ctx.lang, |key| ctx.store.plates_ending_with(key))?;
    plate_or_usage(plate, typed, ctx.lang)
}

fn no_open_trip(conn: &Db<'_>, plate: &str, lang: Lang) -> OpResult<OpError> {
    let plate = plate.to_string();
    let msg = if !trips::bus_exists(conn, &plate)? {
        Msg::NoSuchBus { plate }
    } else if let Some((trip, now)) = trips::swapped_off(conn, &plate)? {
        Msg::SwappedOff { plate, trip, now }
    } else {
        match trips::last_trip_of_bus(conn, &plate)? {
            Some(t) => Msg::NoOpenTrip {
                plate,
                last: t.code,
                status: status_word(t.status, lang),
            },
            None => Msg::NeverPlanned { plate },
        }
    };
    Ok(OpError::Failed(msg.text(lang)))
}

fn status_word(s: TripStatus, lang: Lang) -> &'static str {
    s.label(lang)
}
