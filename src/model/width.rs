//! Full-width forms as a Chinese input method types them (`３６．５`, `陕Ｇ２１００３`, `＋86`):
//! the one place where they are folded to their ASCII forms before any parser looks at them.

use std::borrow::Cow;

/// The ASCII form of a full-width character (U+FF01–FF5E, and the ideographic space U+3000);
/// every other character is returned unchanged.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// `s` with its full-width characters folded; borrowed when there are none.
pub fn fold(s: &str) -> Cow<'_, str> {
    if s.chars().all(|c| fold_char(c) == c) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(fold_char).collect())
    }
}

/// An ASCII or full-width digit.
pub fn is_digit(c: char) -> bool {
    fold_char(c).is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_what_an_input_method_types() {
        assert_eq!(fold("３６．５"), "36.5");
        assert_eq!(fold("３６，５"), "36,5");
        assert_eq!(fold("陕Ｇ２１００３"), "陕G21003");
        assert_eq!(fold("＋８６"), "+86");
        assert_eq!(fold("ｘＸ"), "xX");
        assert!(matches!(fold("陕G21003"), Cow::Borrowed(_)));
        // Chinese punctuation that is not a full-width form stays.
        assert_eq!(fold("年月日、。"), "年月日、。");
    }
}
