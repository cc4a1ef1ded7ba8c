//! Body temperature as typed at the bus door. Values outside 34.0–43.0 °C are typing errors,
//! not fevers; the fever threshold itself lives in the policy.

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

impl Temperature {
    pub fn parse(input: &str) -> Result<Self, TemperatureError> {
        let t = input
            .trim()
            .trim_end_matches(['C', 'c', '℃'])
            .trim_end_matches('°')
            .trim()
            .replace('．', ".");
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

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") { let _ = Temperature::parse(&s); }
    }
}
