//! Resident identity number (居民身份证号码, GB 11643-1999): parsing, normalising, masking.
//! One ID number is one worker; everything else about a person hangs off it.

use crate::i18n::Lang;
use chrono::NaiveDate;
use std::fmt;
use thiserror::Error;

/// A validated, normalised 18-character resident ID number (ASCII digits, upper-case `X`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdNumberError {
    #[error("empty")]
    Empty,
    #[error("must be 18 characters, found {0}")]
    Length(usize),
    #[error("character {pos} '{ch}' is not a digit")]
    NotDigit { pos: usize, ch: char },
    #[error("birth date {0} is not a real date")]
    BirthDate(String),
    #[error("check character should be {expected}, found {found}")]
    Check { expected: char, found: char },
}

impl IdNumberError {
    /// Why the number is not valid, in the user's language (the English is `Display`'s).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (IdNumberError::Empty, Lang::Zh) => "不能为空".into(),
            (IdNumberError::Length(n), Lang::Zh) => format!("应为 18 位，实为 {n} 位"),
            (IdNumberError::NotDigit { pos, ch }, Lang::Zh) => {
                format!("第 {pos} 位 '{ch}' 不是数字")
            }
            (IdNumberError::BirthDate(d), Lang::Zh) => format!("出生日期 {d} 不是真实日期"),
            (IdNumberError::Check { expected, found }, Lang::Zh) => {
                format!("校验位应为 {expected}，实为 {found}")
            }
        }
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Maps full-width digits and `ｘ／x` to their ASCII forms; anything else is returned unchanged.
fn normalise_char(c: char) -> char {
    match super::width::fold_char(c) {
        'x' => 'X',
        c => c,
    }
}

/// ISO 7064 MOD 11-2 check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

impl IdNumber {
    pub fn parse(input: &str) -> Result<Self, IdNumberError> {
        let s: String = input
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(normalise_char)
            .collect();
        if s.is_empty() {
            return Err(IdNumberError::Empty);
        }
        let n = s.chars().count();
        if n != 18 {
            return Err(IdNumberError::Length(n));
        }
        let bytes = s.as_bytes();
        // n == 18 chars; if any is non-ASCII the byte length differs — report the first such char.
        for (pos, ch) in s.chars().enumerate() {
            let ok = ch.is_ascii_digit() || (pos == 17 && ch == 'X');
            if !ok {
                return Err(IdNumberError::NotDigit { pos: pos + 1, ch });
            }
        }
        let birth = &s[6..14];
        if parse_birth(birth).is_none() {
            return Err(IdNumberError::BirthDate(birth.to_string()));
        }
        let expected = check_char(&bytes[..17]);
        let found = bytes[17] as char;
        if expected != found {
            return Err(IdNumberError::Check { expected, found });
        }
        Ok(IdNumber(s))
    }

    /// Builds a valid number from an area code, birth date and 3-digit sequence (demo data, tests).
    pub fn compose(area: &str, birth: NaiveDate, sequence: u16) -> Option<Self> {
        let first17 = format!("{area}{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
        if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let c = check_char(first17.as_bytes());
        Some(IdNumber(format!("{first17}{c}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn area_code(&self) -> &str {
        &self.0[..6]
    }
    pub fn birth_date(&self) -> NaiveDate {
        parse_birth(&self.0[6..14]).expect("validated at parse")
    }
    /// Odd sequence digit = male.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }
    /// `610902********1234`: area code and last four, the form shown everywhere by default.
    pub fn masked(&self) -> String {
        mask_id(&self.0)
    }
    /// Last four characters, what an attendant types to find a passenger.
    pub fn last4(&self) -> &str {
        &self.0[14..]
    }

    /// What a pack keeps instead of the number: SHA-256 of the salt and the normalised number,
    /// in hex. A number typed at the door is found again by the same digest; the number itself
    /// is not in the pack, and the salt (one per pack) keeps digests from matching across packs.
    pub fn salted_digest(&self, salt: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"zhitong-pack-id-1\x1f");
        h.update(salt.as_bytes());
        h.update([0x1f]);
        h.update(self.0.as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Masks any stored ID string (already normalised) without re-validating it.
pub fn mask_id(s: &str) -> String {
    if s.len() == 18 && s.is_ascii() {
        format!("{}********{}", &s[..6], &s[14..])
    } else {
        "*".repeat(s.chars().count().min(18))
    }
}

fn parse_birth(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s[..4].parse().ok()?;
    let m: u32 = s[4..6].parse().ok()?;
    let d: u32 = s[6..].parse().ok()?;
    if !(1850..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

impl fmt::Display for IdNumber {
    /// Display is masked on purpose: printing a full number must be an explicit choice.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_examples() {
        assert!(IdNumber::parse("11010519491231002X").is_ok());
        assert!(IdNumber::parse("440524188001010014").is_ok());
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::Check {
                expected: 'X',
                found: '1'
            })
        );
    }

    #[test]
    fn lower_case_x_and_full_width_are_normalised() {
        let id = IdNumber::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        let fw = IdNumber::parse("４４０５２４１８８００１０１００１４").unwrap();
        assert_eq!(fw.as_str(), "440524188001010014");
    }

    #[test]
    fn derived_fields() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.area_code(), "110105");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(!id.is_male());
        assert!(IdNumber::parse("440524188001010014").unwrap().is_male());
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(id.to_string(), "110105********002X");
    }

    #[test]
    fn a_salted_digest_finds_the_same_number_and_only_under_the_same_salt() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        let typed = IdNumber::parse("11010519491231002x").unwrap();
        let d = id.salted_digest("a1");
        assert_eq!(d, typed.salted_digest("a1"));
        assert_eq!(d.len(), 64);
        assert!(!d.contains("11010519491231002X"));
        assert_ne!(d, id.salted_digest("a2"), "another pack, another digest");
        let other = IdNumber::parse("440524188001010014").unwrap();
        assert_ne!(d, other.salted_digest("a1"));
    }

    #[test]
    fn bad_birth_date_and_length() {
        let first17 = "61090219990230123";
        let c = check_char(first17.as_bytes());
        assert!(matches!(
            IdNumber::parse(&format!("{first17}{c}")),
            Err(IdNumberError::BirthDate(_))
        ));
        assert_eq!(IdNumber::parse("6109"), Err(IdNumberError::Length(4)));
        assert_eq!(IdNumber::parse(""), Err(IdNumberError::Empty));
        assert!(matches!(
            IdNumber::parse("61090219900101123Y"),
            Err(IdNumberError::NotDigit { pos: 18, ch: 'Y' })
        ));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = IdNumber::parse(&s);
        }

        #[test]
        fn composed_numbers_round_trip(days in 0i64..40000, seq in 0u16..1000) {
            let birth = NaiveDate::from_ymd_opt(1930, 1, 1).unwrap() + chrono::Duration::days(days);
            let id = IdNumber::compose("610928", birth, seq).unwrap();
            let back = IdNumber::parse(&id.as_str().to_lowercase()).unwrap();
            prop_assert_eq!(&back, &id);
            prop_assert_eq!(back.birth_date(), birth);
            prop_assert_eq!(back.is_male(), seq % 2 == 1);
        }

        #[test]
        fn a_changed_digit_is_caught(days in 0i64..30000, seq in 0u16..1000, pos in 0usize..17, delta in 1u8..10) {
            let birth = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap() + chrono::Duration::days(days);
            let id = IdNumber::compose("610902", birth, seq).unwrap();
            let mut b = id.as_str().as_bytes().to_vec();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            let s = String::from_utf8(b).unwrap();
            prop_assert!(IdNumber::parse(&s).is_err());
        }
    }
}
