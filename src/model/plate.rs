//! Vehicle plates (车牌号): province character + letter + 5 or 6 letters/digits, e.g. `陕G12345`,
//! `陕GD12345` (new-energy). `·` and spaces are ignored; stored without them.

use std::fmt;
use thiserror::Error;

const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Plate(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlateError {
    #[error("'{0}' is not a plate like 陕G12345")]
    Format(String),
}

/// A plate or a part of one as it is stored: full-width forms folded, upper case, without the
/// `·`, dots, dashes and spaces people type inside it (`陕g·2100３` → `陕G21003`).
pub fn normalise(input: &str) -> String {
    input
        .chars()
        .map(|c| super::width::fold_char(c).to_ascii_uppercase())
        .filter(|c| !matches!(c, '·' | '•' | '.' | '-' | ' '))
        .collect()
}

impl Plate {
    pub fn parse(input: &str) -> Result<Self, PlateError> {
        let s = normalise(input);
        let mut chars = s.chars();
        let ok = match (chars.next(), chars.next()) {
            (Some(p), Some(l)) if PROVINCES.contains(p) && l.is_ascii_uppercase() => {
                let rest: Vec<char> = chars.collect();
                (5..=6).contains(&rest.len())
                    && rest
                        .iter()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            }
            _ => false,
        };
        if ok {
            Ok(Plate(s))
        } else {
            Err(PlateError::Format(input.trim().to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Plate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plates() {
        assert_eq!(Plate::parse("陕G12345").unwrap().as_str(), "陕G12345");
        assert_eq!(Plate::parse("陕G·D1234 5").unwrap().as_str(), "陕GD12345");
        assert_eq!(Plate::parse("陕g12345").unwrap().as_str(), "陕G12345");
        assert_eq!(Plate::parse("陕ｇ１２３４５").unwrap().as_str(), "陕G12345");
        assert_eq!(normalise(" 2100３ "), "21003");
        assert!(Plate::parse("G12345").is_err());
        assert!(Plate::parse("陕G1234").is_err());
        assert!(Plate::parse("陕G1234567").is_err());
        assert!(Plate::parse("美G12345").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") { let _ = Plate::parse(&s); }
    }
}
