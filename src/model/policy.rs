//! The epidemic rules in force (DESIGN §2), loadable from TOML. Every field has the 2020 default,
//! so a policy file only names what it changes (e.g. `load_factor = 0.9` and `spacing = false`).

use super::text::{self, FreeText, TextError};
use crate::i18n::Lang;
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
    /// Re-checks (复测) after a fever reading at the door before the passenger is refused;
    /// 0 is the strict rule: the first fever reading refuses.
    pub fever_rechecks: u32,
    /// Rest before a re-check reading counts, minutes.
    pub recheck_wait_minutes: u32,
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
    /// Kilometres a bus drives home per day after a hand-over: it is free again from the
    /// arrival day + ⌈distance / this⌉.
    pub return_km_per_day: u32,
    /// A bus planned to carry fewer passengers than this is warned about (not forbidden);
    /// 0 turns the warning off.
    pub min_passengers_warn: u32,
    /// Average speed of a coach on the way, km/h (tolls and fuel stops included): with the
    /// distance it gives the expected arrival (预计到达).
    pub avg_speed_kmh: u32,
    /// Hours of driving after which the drivers rest (a full stretch; not counted at arrival).
    pub rest_every_hours: u32,
    /// Length of each rest, minutes.
    pub rest_minutes: u32,
    /// Hours past the expected arrival after which a bus not handed over is overdue (超时未到).
    pub overdue_margin_hours: u32,
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
            fever_rechecks: 1,
            recheck_wait_minutes: 10,
            cert_validity_days: 7,
            round_interval_hours: 4,
            two_drivers_over_km: 400,
            max_stops: 2,
            contact_rows: 3,
            retention_days: 365,
            return_km_per_day: 800,
            min_passengers_warn: 5,
            avg_speed_kmh: 60,
            rest_every_hours: 2,
            rest_minutes: 20,
            overdue_margin_hours: 2,
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
    #[error("{path}:{line}: larger than 1 MB: not a policy file ('{excerpt}')")]
    TooLarge {
        path: String,
        line: usize,
        excerpt: String,
    },
    #[error("{path}: field {field}: {message}")]
    Invalid {
        path: String,
        field: &'static str,
        message: String,
    },
}

impl PolicyError {
    /// The sentence for the user; the parser's own words stay as it gives them.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (PolicyError::Read { path, source }, Lang::Zh) => {
                format!("{path}：无法读取：{}", crate::i18n::os_error(source, lang))
            }
            (PolicyError::Parse { path, message }, Lang::Zh) => format!("{path}：{message}"),
            (
                PolicyError::Invalid {
                    path,
                    field,
                    message,
                },
                Lang::Zh,
            ) => format!("{path}：字段 {field}：{message}"),
            (
                PolicyError::TooLarge {
                    path,
                    line,
                    excerpt,
                },
                Lang::Zh,
            ) => format!("{path}:{line}：超过 1 MB，不是策略文件（'{excerpt}'）"),
        }
    }
}

/// A policy is a page of settings; anything larger is not one (and `/dev/zero` never ends).
pub const MAX_POLICY_BYTES: u64 = 1 << 20;
/// Characters of the file quoted back in a message.
const EXCERPT_CHARS: usize = 60;

impl Policy {
    pub fn from_toml(text: &str, path: &str) -> Result<Self, PolicyError> {
        let p: Policy = toml::from_str(text).map_err(|e| PolicyError::Parse {
            path: path.to_string(),
            message: parse_message(text, &e),
        })?;
        p.validate(path)?;
        Ok(p)
    }

    /// Reads at most [`MAX_POLICY_BYTES`] (one byte more tells a larger file) and parses it.
    pub fn load(path: &Path) -> Result<Self, PolicyError> {
        use std::io::Read;
        let shown = path.display().to_string();
        let read_err = |source| PolicyError::Read {
            path: shown.clone(),
            source,
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_POLICY_BYTES + 1).read_to_end(&mut bytes))
            .map_err(read_err)?;
        if bytes.len() as u64 > MAX_POLICY_BYTES {
            let line = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
            return Err(PolicyError::TooLarge {
                path: shown,
                line,
                excerpt: excerpt(&String::from_utf8_lossy(&bytes[..256.min(bytes.len())])),
            });
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            PolicyError::Parse {
                path: shown.clone(),
                message: format!(
                    "line {}: not UTF-8 text",
                    1 + bytes[..at].iter().filter(|&&b| b == b'\n').count()
                ),
            }
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
        // A passenger re-checked more than a few times is kept waiting while the bus may not
        // leave; a rest of hours is a typing error for minutes.
        if self.fever_rechecks > 5 {
            return bad("fever_rechecks", "must be 0 to 5");
        }
        if self.recheck_wait_minutes > 120 {
            return bad("recheck_wait_minutes", "must be 0 to 120");
        }
        if self.cert_validity_days == 0 || self.cert_validity_days > 366 {
            return bad("cert_validity_days", "must be 1 to 366");
        }
        // Under 50 km a day a coach would be "home" weeks after every trip: a typing error.
        if !(50..=2000).contains(&self.return_km_per_day) {
            return bad("return_km_per_day", "must be 50 to 2000");
        }
        // More than a coach holds would warn about every bus.
        if self.min_passengers_warn > 60 {
            return bad("min_passengers_warn", "must be 0 to 60");
        }
        if self.max_stops == 0 {
            return bad("max_stops", "must be at least 1");
        }
        // A coach may not go faster than 100 km/h; under 20 km/h on average is a typing error.
        if !(20..=100).contains(&self.avg_speed_kmh) {
            return bad("avg_speed_kmh", "must be 20 to 100");
        }
        // Rules on drivers' hours speak of 2 to 4 hours; half a day without a rest is not one.
        if !(1..=12).contains(&self.rest_every_hours) {
            return bad("rest_every_hours", "must be 1 to 12");
        }
        if self.rest_minutes > 120 {
            return bad("rest_minutes", "must be 0 to 120");
        }
        // A day late is lost, not overdue: the officer must be told well before.
        if self.overdue_margin_hours > 24 {
            return bad("overdue_margin_hours", "must be 0 to 24");
        }
        if chrono::NaiveTime::parse_from_str(&self.departure_time, "%H:%M").is_err() {
            return bad("departure_time", "must be HH:MM");
        }
        if self.busy_wait_seconds > 3600 {
            return bad("busy_wait_seconds", "must be 0 to 3600");
        }
        self.validate_texts(path)
    }

    fn validate_texts(&self, path: &str) -> Result<(), PolicyError> {
        let bad = |field: &'static str, e: TextError| {
            Err(PolicyError::Invalid {
                path: path.to_string(),
                field,
                message: e.message(Lang::En),
            })
        };
        if let Err(e) = text::check(FreeText::GatheringPoint, &self.default_gathering_point) {
            return bad("default_gathering_point", e);
        }
        for (county, point) in &self.gathering_points {
            if let Err(e) = text::check(FreeText::Policy, county) {
                return bad("gathering_points", e);
            }
            if let Err(e) = text::check(FreeText::GatheringPoint, point) {
                return bad("gathering_points", e);
            }
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

/// The parser's message with the line it points at, quoted short: a 50 MB line is never
/// echoed whole.
fn parse_message(text: &str, e: &toml::de::Error) -> String {
    let what = e.message().trim().replace('\n', " ");
    let Some(span) = e.span() else {
        return excerpt(&what);
    };
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_no = 1 + text[..start].matches('\n').count();
    let line = text[line_start..].lines().next().unwrap_or("");
    format!("line {line_no}: {}: '{}'", excerpt(&what), excerpt(line))
}

/// The first characters of `s`, control and invisible characters written out.
fn excerpt(s: &str) -> String {
    let head: String = s.chars().take(EXCERPT_CHARS).collect();
    let mut out = text::visible(&head).into_owned();
    if head.len() < s.len() {
        out.push('…');
    }
    out
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
        assert_eq!((p.fever_rechecks, p.recheck_wait_minutes), (1, 10));
        assert_eq!(
            (
                p.avg_speed_kmh,
                p.rest_every_hours,
                p.rest_minutes,
                p.overdue_margin_hours
            ),
            (60, 2, 20, 2)
        );
    }

    #[test]
    fn arrival_settings_are_checked() {
        let p = Policy::from_toml(
            "avg_speed_kmh = 80\nrest_every_hours = 4\nrest_minutes = 0\noverdue_margin_hours = 0",
            "p.toml",
        )
        .unwrap();
        assert_eq!(
            (
                p.avg_speed_kmh,
                p.rest_every_hours,
                p.rest_minutes,
                p.overdue_margin_hours
            ),
            (80, 4, 0, 0)
        );
        for (text, field, rule) in [
            ("avg_speed_kmh = 0", "avg_speed_kmh", "must be 20 to 100"),
            ("avg_speed_kmh = 160", "avg_speed_kmh", "must be 20 to 100"),
            (
                "rest_every_hours = 0",
                "rest_every_hours",
                "must be 1 to 12",
            ),
            ("rest_minutes = 600", "rest_minutes", "must be 0 to 120"),
            (
                "overdue_margin_hours = 48",
                "overdue_margin_hours",
                "must be 0 to 24",
            ),
        ] {
            let e = Policy::from_toml(text, "p.toml").unwrap_err();
            assert_eq!(e.to_string(), format!("p.toml: field {field}: {rule}"));
        }
        assert!(Policy::from_toml("avg_speed_kmh = 62.5", "p.toml").is_err());
    }

    #[test]
    fn recheck_settings_are_checked() {
        let p =
            Policy::from_toml("fever_rechecks = 0\nrecheck_wait_minutes = 0", "p.toml").unwrap();
        assert_eq!((p.fever_rechecks, p.recheck_wait_minutes), (0, 0));
        let e = Policy::from_toml("fever_rechecks = 9", "p.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.toml: field fever_rechecks: must be 0 to 5"
        );
        let e = Policy::from_toml("recheck_wait_minutes = 600", "p.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.toml: field recheck_wait_minutes: must be 0 to 120"
        );
        assert!(Policy::from_toml("fever_rechecks = -1", "p.toml").is_err());
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

    #[test]
    fn policy_texts_are_checked() {
        let e =
            Policy::from_toml("default_gathering_point = \"广场\\u202E\"", "p.toml").unwrap_err();
        assert!(e.to_string().contains("default_gathering_point"), "{e}");
        let e = Policy::from_toml(
            "[gathering_points]\n\"旬阳县\" = \"体育场\\u001b[2J\"",
            "p.toml",
        )
        .unwrap_err();
        assert!(e.to_string().contains("gathering_points"), "{e}");
        let e = Policy::from_toml(
            &format!("default_gathering_point = \"{}\"", "场".repeat(61)),
            "p.toml",
        )
        .unwrap_err();
        assert!(e.to_string().contains("longer than 60"), "{e}");
    }

    #[test]
    fn a_long_bad_line_is_quoted_short() {
        let text = format!("load_factor = {}", "9".repeat(1_000_000));
        let e = Policy::from_toml(&text, "p.toml").unwrap_err().to_string();
        assert!(e.len() < 400, "{} bytes", e.len());
        assert!(e.contains("line 1"), "{e}");
    }

    proptest! {
        #[test]
        fn toml_never_panics(s in "\\PC*") { let _ = Policy::from_toml(&s, "x.toml"); }
    }
}
