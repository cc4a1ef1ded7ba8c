//! What a plan warns the officer about, kept as data so that the console and the command line
//! can word it in either language.

use crate::i18n::Lang;
use crate::model::TripStatus;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Warning {
    /// Route longer than the policy allows for a single driver.
    OneDriver {
        plate: String,
        km: u32,
        drivers: u32,
        limit: u32,
    },
    /// A bus whose seats the policy leaves none to use (too small for spacing and observation rows).
    NoCapacity { plate: String, rated: u32 },
    /// An employer sent a bus but has nobody eligible to carry that day.
    SentBusIdle { plate: String, employer: String },
    /// Workers bound for a city that no bus could take.
    NoBusFor {
        county: String,
        city: String,
        workers: u32,
    },
    /// A bus that would carry fewer passengers than policy `min_passengers_warn`.
    SmallBus {
        plate: String,
        passengers: u32,
        min: u32,
    },
    /// An employer changed since a batch still under way was planned for it: the gate moved
    /// (province, city or address) or the expected count changed.
    EmployerChanged {
        employer: String,
        batch: String,
        changes: Vec<Change>,
    },
    /// An employer planned (or sent) beyond the workers it expects.
    BeyondExpected {
        employer: String,
        expected: u32,
        planned: u32,
    },
    /// A bus held back: still on a trip, or driving home after one. Free again from
    /// `free_from` (for a trip still open, at the earliest).
    BusBusy {
        plate: String,
        trip: String,
        status: TripStatus,
        arrived_on: Option<NaiveDate>,
        free_from: NaiveDate,
    },
}

impl Warning {
    /// A stable word for scripts (`plan --json` `warnings[].kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Warning::OneDriver { .. } => "one-driver",
            Warning::NoCapacity { .. } => "no-capacity",
            Warning::SentBusIdle { .. } => "sent-bus-idle",
            Warning::NoBusFor { .. } => "no-bus-for",
            Warning::BusBusy { .. } => "bus-busy",
            Warning::SmallBus { .. } => "small-bus",
            Warning::EmployerChanged { .. } => "employer-changed",
            Warning::BeyondExpected { .. } => "beyond-expected",
        }
    }

    /// The bus a warning is about, if one.
    pub fn plate(&self) -> Option<&str> {
        match self {
            Warning::OneDriver { plate, .. }
            | Warning::NoCapacity { plate, .. }
            | Warning::SentBusIdle { plate, .. }
            | Warning::BusBusy { plate, .. }
            | Warning::SmallBus { plate, .. } => Some(plate),
            Warning::NoBusFor { .. }
            | Warning::EmployerChanged { .. }
            | Warning::BeyondExpected { .. } => None,
        }
    }

    /// The employer a warning is about, if one.
    pub fn employer(&self) -> Option<&str> {
        match self {
            Warning::EmployerChanged { employer, .. }
            | Warning::BeyondExpected { employer, .. }
            | Warning::SentBusIdle { employer, .. } => Some(employer),
            _ => None,
        }
    }

    /// The batch a warning is about, if one.
    pub fn batch(&self) -> Option<&str> {
        match self {
            Warning::EmployerChanged { batch, .. } => Some(batch),
            _ => None,
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                Warning::SmallBus {
                    plate,
                    passengers,
                    min,
                },
                Lang::Zh,
            ) => format!("{plate}：只载 {passengers} 人（少于 {min} 人），可考虑并车"),
            (
                Warning::SmallBus {
                    plate,
                    passengers,
                    min,
                },
                Lang::En,
            ) => format!("{plate}: only {passengers} passengers (fewer than {min}); consider merging"),
            (
                Warning::EmployerChanged {
                    employer,
                    batch,
                    changes,
                },
                _,
            ) => {
                let what: Vec<String> = changes.iter().map(|c| c.text(lang)).collect();
                match lang {
                    Lang::Zh => format!(
                        "{employer}：批次 {batch} 编排后信息已变更：{}",
                        what.join("；")
                    ),
                    Lang::En => format!(
                        "{employer} changed after batch {batch} was planned: {}",
                        what.join("; ")
                    ),
                }
            }
            (
                Warning::BeyondExpected {
                    employer,
                    expected,
                    planned,
                },
                Lang::Zh,
            ) => format!("{employer}：已安排 {planned} 人，超过需求人数 {expected} 人"),
            (
                Warning::BeyondExpected {
                    employer,
                    expected,
                    planned,
                },
                Lang::En,
            ) => format!("{employer}: {planned} placed, beyond the {expected} it expects"),
            (
                Warning::BusBusy {
                    plate,
                    trip,
                    arrived_on: Some(arrived),
                    free_from,
                    ..
                },
                Lang::Zh,
            ) => format!("{plate}：车次 {trip} 已于 {arrived} 到达，正在返程，{free_from} 起可再编排"),
            (
                Warning::BusBusy {
                    plate,
                    trip,
                    arrived_on: Some(arrived),
                    free_from,
                    ..
                },
                Lang::En,
            ) => format!(
                "{plate}: back from trip {trip} (arrived {arrived}), driving home; free again from {free_from}"
            ),
            (
                Warning::BusBusy {
                    plate,
                    trip,
                    status,
                    free_from,
                    ..
                },
                Lang::Zh,
            ) => format!(
                "{plate}：车次 {trip} 尚未结束（{}），最早 {free_from} 起可再编排",
                status.label(Lang::Zh)
            ),
            (
                Warning::BusBusy {
                    plate,
                    trip,
                    status,
                    free_from,
                    ..
                },
                Lang::En,
            ) => format!(
                "{plate}: still on trip {trip} ({status}); free again from {free_from} at the earliest"
            ),
            (
                Warning::OneDriver {
                    plate,
                    km,
                    drivers,
                    limit,
                },
                Lang::Zh,
            ) => format!(
                "{plate}：线路 {km} 公里，驾驶员 {drivers} 名——超过 {limit} 公里须两名驾驶员"
            ),
            (
                Warning::OneDriver {
                    plate,
                    km,
                    drivers,
                    limit,
                },
                Lang::En,
            ) => {
                let who = match drivers {
                    0 => "no driver".to_string(),
                    1 => "one driver".to_string(),
                    n => format!("{n} drivers"),
                };
                format!("{plate}: {km} km route, {who} — two required over {limit} km")
            }
            (Warning::NoCapacity { plate, rated }, Lang::Zh) => {
                format!("{plate}：核定 {rated} 座，按现行防疫规则可载 0 人，未使用")
            }
            (Warning::NoCapacity { plate, rated }, Lang::En) => {
                format!("{plate}: {rated} rated seats but capacity 0 under the policy — not used")
            }
            (Warning::SentBusIdle { plate, employer }, Lang::Zh) => {
                format!("{plate}：{employer} 自派车辆，当日无可出行的该企业员工")
            }
            (Warning::SentBusIdle { plate, employer }, Lang::En) => {
                format!("{plate}: sent by {employer}, who has no eligible worker that day")
            }
            (
                Warning::NoBusFor {
                    county,
                    city,
                    workers,
                },
                Lang::Zh,
            ) => format!("{county} → {city}：{workers} 人无车可排"),
            (
                Warning::NoBusFor {
                    county,
                    city,
                    workers,
                },
                Lang::En,
            ) => format!("{county} → {city}: no bus for {workers} workers"),
        }
    }
}

/// One thing about an employer that is not what a plan assumed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Province and city of the gate: the bus goes to the wrong city.
    City {
        was: String,
        now: String,
    },
    Address {
        was: String,
        now: String,
    },
    Expected {
        was: u32,
        now: u32,
    },
}

impl Change {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Change::City { was, now }, Lang::Zh) => {
                format!("城市 {was} → {now}，车辆仍开往 {was}")
            }
            (Change::City { was, now }, Lang::En) => {
                format!("city {was} → {now}, the bus still goes to {was}")
            }
            (Change::Address { was, now }, Lang::Zh) => format!("地址 {was} → {now}"),
            (Change::Address { was, now }, Lang::En) => format!("address {was} → {now}"),
            (Change::Expected { was, now }, Lang::Zh) => format!("需求人数 {was} → {now}"),
            (Change::Expected { was, now }, Lang::En) => format!("expected {was} → {now}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_driver_names_plate_distance_and_rule() {
        let w = Warning::OneDriver {
            plate: "陕G21000".into(),
            km: 1100,
            drivers: 1,
            limit: 400,
        };
        assert_eq!(
            w.text(Lang::En),
            "陕G21000: 1100 km route, one driver — two required over 400 km"
        );
        assert!(w.text(Lang::Zh).contains("两名驾驶员"));
    }
}
