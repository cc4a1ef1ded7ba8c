//! Mainland mobile numbers (11 digits, `1[3-9]…`, optional `+86`), stored bare and shown masked.

use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("must be 11 digits starting 13–19, found '{0}'")]
    Format(String),
}

impl Phone {
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let cleaned: String = input
            .trim()
            .chars()
            .map(super::width::fold_char)
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        let bare = cleaned
            .strip_prefix("+86")
            .or_else(|| cleaned.strip_prefix("0086"))
            .unwrap_or(&cleaned);
        let b = bare.as_bytes();
        let ok = b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1]);
        if ok {
            Ok(Phone(bare.to_string()))
        } else {
            Err(PhoneError::Format(input.trim().to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

/// `138****5678`; anything that is not 11 ASCII characters is starred whole.
pub fn mask_phone(s: &str) -> String {
    if s.len() == 11 && s.is_ascii() {
        format!("{}****{}", &s[..3], &s[7..])
    } else {
        "*".repeat(s.chars().count())
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_plain_and_prefixed() {
        assert_eq!(Phone::parse("13812345678").unwrap().as_str(), "13812345678");
        assert_eq!(
            Phone::parse("+86 138 1234 5678").unwrap().as_str(),
            "13812345678"
        );
        assert_eq!(
            Phone::parse("+8613812345678").unwrap().masked(),
            "138****5678"
        );
    }

    #[test]
    fn rejects_landlines_and_short_numbers() {
        assert!(Phone::parse("12812345678").is_err());
        assert!(Phone::parse("0915-1234567").is_err());
        assert!(Phone::parse("1381234567").is_err());
        assert!(Phone::parse("").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") { let _ = Phone::parse(&s); }
    }
}
