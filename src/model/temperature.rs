//! Body temperature as typed at the bus door. Values outside 34.0–43.0 °C are typing errors,
//! not fevers; the fever threshold itself lives in the policy. Typed as an input method gives
//! it: full-width digits (`３６．５`) and a decimal comma (`36,5`) are the same reading.

use super::width::fold;
use crate::i18n::Lang;
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Temperature(f64);

pub const PLAUSIBLE_MIN: f64 = 34.0;
pub const PLAUSIBLE_MAX: f64 = 43.0;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum TemperatureError {
    #[error("'{0}' is not a number")]
    NotNumber(String),
    #[error("{0} °C is not plausible (34.0–43.0): typing error?")]
    Implausible(f64),
}

impl TemperatureError {
    /// The reason in the user's language; the typed value is quoted as it was given.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (TemperatureError::NotNumber(s), Lang::Zh) => format!("'{s}' 不是数字"),
            (TemperatureError::NotNumber(s), Lang::En) => format!("'{s}' is not a number"),
            (TemperatureError::Implausible(v), Lang::Zh) => {
                format!("{v} °C 不在合理范围（34.0–43.0）内：是否输错？")
            }
            (TemperatureError::Implausible(_), Lang::En) => self.to_string(),
        }
    }
}

impl Temperature {
    pub fn parse(input: &str) -> Result<Self, TemperatureError> {
        let folded = fold(input.trim());
        let t = folded
            .trim_end_matches(['C', 'c', '℃'])
            .trim_end_matches('°')
            .trim()
            .replace(',', ".");
        // `f64::from_str` also reads `inf`, `nan` and `1e1`: only digits and one point are a
        // reading.
        let unsigned = t.strip_prefix('-').unwrap_or(&t);
        if !unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(TemperatureError::NotNumber(input.trim().to_string()));
        }
        let v: f64 = t
            .parse()
            .map_err(|_| TemperatureError::NotNumber(input.trim().to_string()))?;
        Self::new(v)
    }
    pub fn new(v: f64) -> Result<Self, TemperatureError> {
        if !v.is_finite() {
            return Err(TemperatureError::NotNumber(v.to_string()));
        }
        if !(PLAUSIBLE_MIN..=PLAUSIBLE_MAX).contains(&v) {
            return Err(TemperatureError::Implausible(v));
        }
        // One decimal, as read from a forehead thermometer.
        Ok(Temperature((v * 10.0).round() / 10.0))
    }
    pub fn celsius(self) -> f64 {
        self.0
    }
    pub fn is_fever(self, threshold: f64) -> bool {
        self.0 >= threshold - 1e-9
    }
}

impl fmt::Display for Temperature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parse_and_fever() {
        assert_eq!(Temperature::parse("36.5").unwrap().celsius(), 36.5);
        assert_eq!(Temperature::parse("37.3℃").unwrap().celsius(), 37.3);
        assert!(Temperature::parse("37.3").unwrap().is_fever(37.3));
        assert!(!Temperature::parse("37.2").unwrap().is_fever(37.3));
        assert!(matches!(
            Temperature::parse("365"),
            Err(TemperatureError::Implausible(_))
        ));
        assert!(matches!(
            Temperature::parse("3.65"),
            Err(TemperatureError::Implausible(_))
        ));
        assert!(matches!(
            Temperature::parse("abc"),
            Err(TemperatureError::NotNumber(_))
        ));
        assert!(Temperature::parse("NaN").is_err());
    }

    #[test]
    fn full_width_digits_and_a_decimal_comma_are_one_reading() {
        for typed in ["３６．５", "36,5", "３６，５", "36.5℃", " 36,5 °C "] {
            assert_eq!(
                Temperature::parse(typed).unwrap().celsius(),
                36.5,
                "{typed}"
            );
        }
        assert!(matches!(
            Temperature::parse("36,5,1"),
            Err(TemperatureError::NotNumber(_))
        ));
        assert!(matches!(
            Temperature::parse("-36.5"),
            Err(TemperatureError::Implausible(_))
        ));
        assert!(Temperature::parse("3.7e1").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") { let _ = Temperature::parse(&s); }
    }
}
