//! What a plan warns the officer about, kept as data so that the console and the command line
//! can word it in either language.

use crate::i18n::Lang;

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
}

impl Warning {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
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
