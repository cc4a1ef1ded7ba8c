//! Dates as townships write them: `2020-02-21`, `2020/2/21`, `2020年2月21日` (also `2020.2.21`).

use crate::i18n::Lang;
use chrono::NaiveDate;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("'{0}' is not a date like 2020-02-21, 2020/2/21 or 2020年2月21日")]
pub struct DateError(pub String);

impl DateError {
    /// The problem in the user's language (the English is `Display`'s).
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => format!(
                "'{}' 不是日期，应如 2020-02-21、2020/2/21 或 2020年2月21日",
                self.0
            ),
        }
    }
}

pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let s = input.trim();
    let err = || DateError(s.to_string());
    let unified: String = s
        .chars()
        .map(|c| match super::width::fold_char(c) {
            '年' | '月' | '/' | '.' => '-',
            c => c,
        })
        .filter(|&c| c != '日')
        .collect();
    let mut parts = unified.split('-');
    let (y, m, d) = (parts.next(), parts.next(), parts.next());
    if parts.next().is_some() {
        return Err(err());
    }
    let num = |p: Option<&str>, max_len: usize| -> Option<u32> {
        let p = p?.trim();
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let (y, m, d) = (
        num(y, 4).ok_or_else(err)?,
        num(m, 2).ok_or_else(err)?,
        num(d, 2).ok_or_else(err)?,
    );
    if !(1900..=2200).contains(&y) {
        return Err(err());
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn three_forms() {
        let d = NaiveDate::from_ymd_opt(2020, 2, 21).unwrap();
        assert_eq!(parse_date("2020-02-21"), Ok(d));
        assert_eq!(parse_date("2020/2/21"), Ok(d));
        assert_eq!(parse_date("2020年2月21日"), Ok(d));
        assert_eq!(parse_date(" 2020.2.21 "), Ok(d));
        assert!(parse_date("2020-02-30").is_err());
        assert!(parse_date("21/2/2020").is_err());
        assert!(parse_date("").is_err());
        assert!(parse_date("2020-2-21-1").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") { let _ = parse_date(&s); }
    }
}
