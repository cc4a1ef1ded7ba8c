//! The epidemic rules in force (DESIGN §2), loadable from TOML. Every field has the 2020 default,
//! so a policy file only names what it changes (e.g. `load_factor = 0.9` and `spacing = false`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Share of rated seats that may be occupied (MOT 2020: 0.5 for inter-city charters).
    pub load_factor: f64,
    /// Rear rows kept empty as the en-route observation area (留观区).
    pub observation_rows: u32,
    /// One passenger per seat pair, window side (隔位就坐).
    pub spacing: bool,
    /// Temperature at or above which boarding is refused, °C.
    pub fever_threshold: f64,
    /// Days a certificate is valid when it gives no end date (issued + days − 1).
    pub cert_validity_days: u32,
    /// Hours between en-route temperature rounds.
    pub round_interval_hours: u32,
    /// Routes longer than this need two drivers.
    pub two_drivers_over_km: u32,
    /// Most employers one bus may serve (all in one destination city).
    pub max_stops: u32,
    /// Rows either side of a passenger that count as close contacts.
    pub contact_rows: u32,
    /// Days after arrival before personal data is purged.
    pub retention_days: u32,
    /// Default departure time of a batch, `HH:MM`.
    pub departure_time: String,
    /// Gathering point per home county; counties not listed use `default_gathering_point`.
    pub gathering_points: BTreeMap<String, String>,
    pub default_gathering_point: String,
    /// Seconds a command waits for another terminal's write before saying the database is busy.
    pub busy_wait_seconds: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            load_factor: 0.5,
            observation_rows: 2,
            spacing: true,
            fever_threshold: 37.3,
            cert_validity_days: 7,
            round_interval_hours: 4,
            two_drivers_over_km: 400,
            max_stops: 2,
            contact_rows: 3,
            retention_days: 365,
            departure_time: "07:00".into(),
            gathering_points: BTreeMap::new(),
            default_gathering_point: "县政府广场".into(),
            busy_wait_seconds: 15,
        }
    }
}

#[derive(Debug, Error)]
pub enum PolicyError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: field {field}: {message}")]
    Invalid {
        path: String,
        field: &'static str,
        message: String,
    },
}

impl Policy {
    pub fn from_toml(text: &str, path: &str) -> Result<Self, PolicyError> {
        let p: Policy = toml::from_str(text).map_err(|e| PolicyError::Parse {
            path: path.to_string(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        p.validate(path)?;
        Ok(p)
    }

    pub fn load(path: &Path) -> Result<Self, PolicyError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
            path: shown.clone(),
            source,
        })?;
        Self::from_toml(&text, &shown)
    }

    fn validate(&self, path: &str) -> Result<(), PolicyError> {
        let bad = |field, message: &str| {
            Err(PolicyError::Invalid {
                path: path.to_string(),
                field,
                message: message.to_string(),
            })
        };
        // Below 10 % a coach carries nobody or one person: a typing error, not a rule.
        if !(0.1..=1.0).contains(&self.load_factor) {
            return bad("load_factor", "must be between 0.1 and 1.0");
        }
        // A coach has 9–14 rows; more than four empty at the back leaves too few to plan.
        if self.observation_rows > 4 {
            return bad("observation_rows", "must be 0 to 4");
        }
        if !(1..=24).contains(&self.round_interval_hours) {
            return bad("round_interval_hours", "must be 1 to 24");
        }
        if !(35.0..=42.0).contains(&self.fever_threshold) {
            return bad("fever_threshold", "must be between 35.0 and 42.0 °C");
        }
        if self.cert_validity_days == 0 || self.cert_validity_days > 366 {
            return bad("cert_validity_days", "must be 1 to 366");
        }
        if self.max_stops == 0 {
            return bad("max_stops", "must be at least 1");
        }
        if chrono::NaiveTime::parse_from_str(&self.departure_time, "%H:%M").is_err() {
            return bad("departure_time", "must be HH:MM");
        }
        if self.busy_wait_seconds > 3600 {
            return bad("busy_wait_seconds", "must be 0 to 3600");
        }
        Ok(())
    }

    /// How long a write waits for another terminal's before giving up.
    pub fn busy_wait(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.busy_wait_seconds))
    }

    pub fn gathering_point(&self, county: &str) -> &str {
        self.gathering_points
            .get(county)
            .map(String::as_str)
            .unwrap_or(&self.default_gathering_point)
    }

    /// Passengers allowed by the load rule alone: ⌊rated × load factor⌋.
    pub fn load_cap(&self, rated_seats: u32) -> u32 {
        // The small epsilon keeps 45 × 0.9 = 40.5 from flooring to 40.499….
        (f64::from(rated_seats) * self.load_factor + 1e-9).floor() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn defaults_are_design_numbers() {
        let p = Policy::default();
        assert_eq!(p.load_cap(45), 22);
        assert_eq!(p.load_cap(53), 26);
        assert_eq!(p.observation_rows, 2);
        assert_eq!(p.fever_threshold, 37.3);
    }

    #[test]
    fn partial_file_overrides_only_what_it_names() {
        let p = Policy::from_toml("load_factor = 0.9\nspacing = false\n", "low.toml").unwrap();
        assert_eq!(p.load_cap(45), 40);
        assert!(!p.spacing);
        assert_eq!(p.observation_rows, 2);
    }

    #[test]
    fn errors_name_file_and_field() {
        let e = Policy::from_toml("load_factor = 1.5", "p.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.toml: field load_factor: must be between 0.1 and 1.0"
        );
        let e = Policy::from_toml("load_facter = 0.5", "p.toml").unwrap_err();
        assert!(e.to_string().contains("load_facter"), "{e}");
    }

    proptest! {
        #[test]
        fn toml_never_panics(s in "\\PC*") { let _ = Policy::from_toml(&s, "x.toml"); }
    }
}
