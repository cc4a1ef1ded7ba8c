//! Health certificate (健康证明) issued by the village or township clinic, and whether it lets a
//! worker be planned or board on a given day.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HealthCertificate {
    pub issued: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub issuer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertState {
    /// No certificate recorded.
    Missing,
    /// Issued after the day asked about.
    NotYetValid,
    Valid,
    /// Valid on the day but not the day after: the officer should hurry.
    LastDay,
    Expired,
}

impl CertState {
    pub fn allows_travel(self) -> bool {
        matches!(self, CertState::Valid | CertState::LastDay)
    }
}

impl HealthCertificate {
    /// Last day the certificate is valid: `valid_until` if given, else issued + days − 1.
    pub fn last_valid_day(&self, validity_days: u32) -> Option<NaiveDate> {
        self.valid_until.or_else(|| {
            self.issued
                .map(|i| i + Duration::days(i64::from(validity_days.max(1)) - 1))
        })
    }

    pub fn state_on(&self, day: NaiveDate, validity_days: u32) -> CertState {
        let Some(last) = self.last_valid_day(validity_days) else {
            return CertState::Missing;
        };
        if self.issued.is_some_and(|i| day < i) {
            CertState::NotYetValid
        } else if day > last {
            CertState::Expired
        } else if day == last {
            CertState::LastDay
        } else {
            CertState::Valid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, m, day).unwrap()
    }

    #[test]
    fn default_validity_is_issue_day_plus_six() {
        let c = HealthCertificate {
            issued: Some(d(2, 15)),
            ..Default::default()
        };
        assert_eq!(c.last_valid_day(7), Some(d(2, 21)));
        assert_eq!(c.state_on(d(2, 14), 7), CertState::NotYetValid);
        assert_eq!(c.state_on(d(2, 15), 7), CertState::Valid);
        assert_eq!(c.state_on(d(2, 21), 7), CertState::LastDay);
        assert_eq!(c.state_on(d(2, 22), 7), CertState::Expired);
    }

    #[test]
    fn explicit_valid_until_wins() {
        let c = HealthCertificate {
            issued: Some(d(2, 15)),
            valid_until: Some(d(2, 19)),
            issuer: String::new(),
        };
        assert_eq!(c.state_on(d(2, 20), 7), CertState::Expired);
        assert!(c.state_on(d(2, 19), 7).allows_travel());
        assert_eq!(
            HealthCertificate::default().state_on(d(2, 20), 7),
            CertState::Missing
        );
    }
}
