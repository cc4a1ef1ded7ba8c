//! Free text typed by people (names, gathering points, operators, receivers, reasons, other
//! means, stop places, policy strings): what may be stored and echoed, and how numbers in it
//! are masked before a rejected value is shown back.
//!
//! Refused everywhere: control characters (escape sequences drive a terminal), bidirectional
//! overrides and isolates (U+202A–202E, U+2066–2069: U+202E turns a name around on screen and on
//! paper) and zero-width or invisible characters (two names that look the same must be the
//! same name).

use crate::i18n::Lang;
use std::borrow::Cow;

/// The free-text fields of the job, each with its limit and its name in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreeText {
    /// A person's name (worker, crew, contact).
    Name,
    GatheringPoint,
    /// Who acts, as the audit log records it (`--operator`).
    Operator,
    /// Who took the passengers over at the factory gate.
    Receiver,
    /// Why a decision was undone, a trip cancelled, a coach swapped.
    Reason,
    /// How a worker went back instead (train, own car …).
    OtherMeans,
    /// Where an en-route stop was made.
    StopPlace,
    /// Whom the advance notice went to (an office, a liaison, a chat group).
    NoticeTo,
    /// A name or text in the policy file (county keys, gathering points).
    Policy,
}

impl FreeText {
    pub fn max_chars(self) -> usize {
        match self {
            FreeText::Name | FreeText::Operator | FreeText::Receiver => 30,
            FreeText::GatheringPoint | FreeText::OtherMeans | FreeText::StopPlace => 60,
            FreeText::NoticeTo => 60,
            FreeText::Policy => 60,
            FreeText::Reason => 200,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            FreeText::Name => ("姓名", "name"),
            FreeText::GatheringPoint => ("集合点", "gathering point"),
            FreeText::Operator => ("操作员", "operator"),
            FreeText::Receiver => ("接收人", "receiver"),
            FreeText::Reason => ("原因", "reason"),
            FreeText::OtherMeans => ("出行方式", "means of travel"),
            FreeText::StopPlace => ("停靠地点", "stop place"),
            FreeText::NoticeTo => ("通知对象", "recipient"),
            FreeText::Policy => ("文字", "text"),
        };
        lang.pick(zh, en)
    }
}

/// Why a text is refused. Positions count characters from 1, as a person counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong {
        max: usize,
        chars: usize,
    },
    /// A control character: line break, tab, escape, NUL …
    Control {
        at: usize,
        code: u32,
    },
    /// A bidirectional override or isolate, or a zero-width / invisible character.
    Hidden {
        at: usize,
        code: u32,
    },
}

impl TextError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (TextError::Empty, Lang::Zh) => "不能为空".into(),
            (TextError::Empty, Lang::En) => "empty".into(),
            (TextError::TooLong { max, chars }, Lang::Zh) => {
                format!("超过 {max} 个字（共 {chars} 个）")
            }
            (TextError::TooLong { max, chars }, Lang::En) => {
                format!("longer than {max} characters ({chars})")
            }
            (TextError::Control { at, code }, Lang::Zh) => {
                format!("第 {at} 个字符是控制字符 U+{code:04X}")
            }
            (TextError::Control { at, code }, Lang::En) => {
                format!("character {at} is a control character U+{code:04X}")
            }
            (TextError::Hidden { at, code }, Lang::Zh) => {
                format!("第 {at} 个字符 U+{code:04X} 是不可见字符或文字方向控制符")
            }
            (TextError::Hidden { at, code }, Lang::En) => {
                format!("character {at} is U+{code:04X}, an invisible or text-direction character")
            }
        }
    }
}

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for TextError {}

/// Characters that change how text is shown without being seen: bidirectional marks,
/// embeddings, overrides and isolates; zero-width spaces and joiners; the word joiner and
/// invisible operators; the BOM used as a zero-width no-break space; soft hyphen; Mongolian
/// vowel separator; interlinear annotation marks.
pub fn is_hidden(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x061C | 0x180E | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2069
            | 0xFEFF | 0xFFF9..=0xFFFB)
}

/// The first character a stored text may not hold, with its position (from 1).
pub fn first_unsafe(s: &str) -> Option<TextError> {
    // ASCII without control characters is the common case: one byte scan.
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return None;
    }
    s.chars().enumerate().find_map(|(i, c)| {
        if c.is_control() {
            Some(TextError::Control {
                at: i + 1,
                code: c as u32,
            })
        } else if is_hidden(c) {
            Some(TextError::Hidden {
                at: i + 1,
                code: c as u32,
            })
        } else {
            None
        }
    })
}

/// Checks a free text of `kind`: trimmed, not empty, within its length, no control, bidi or
/// invisible characters. Returns the trimmed text. The one check every entry point calls.
pub fn check(kind: FreeText, value: &str) -> Result<String, TextError> {
    check_len(value, kind.max_chars()).map(str::to_string)
}

/// [`check`] with an explicit limit, borrowing the trimmed text.
pub fn check_len(value: &str, max_chars: usize) -> Result<&str, TextError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(TextError::Empty);
    }
    if let Some(e) = first_unsafe(v) {
        return Err(e);
    }
    let chars = v.chars().count();
    if chars > max_chars {
        return Err(TextError::TooLong {
            max: max_chars,
            chars,
        });
    }
    Ok(v)
}

/// A text as it may be echoed to a terminal or a log line: control, bidi and invisible
/// characters written out as `\u{202e}`, so they are seen and act on nothing.
pub fn visible(s: &str) -> Cow<'_, str> {
    if first_unsafe(s).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() || is_hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Digits as the masking sees them: ASCII or full-width.
fn digit(c: char) -> bool {
    super::width::is_digit(c)
}

/// `2020-02-21`, `2020-2-1`: digit groups 4, 1–2, 1–2.
fn is_date(run: &[char]) -> bool {
    let groups: Vec<usize> = run.split(|c| !digit(*c)).map(<[char]>::len).collect();
    matches!(groups.as_slice(), [4, 1..=2, 1..=2])
}

/// Masks every run of digits in `s` that is or looks like an ID number or a phone number, the
/// way the screen masks them: 14 digits or more (an ID number, maybe mistyped) keep the first
/// 6 and the last 4 (`610902********1234`); 7 to 13 digits (a phone, with or without +86)
/// keep the first 3 and the last 4 (`138****5678`). A check character `X` counts as a digit;
/// single spaces or hyphens inside a run (`138 1234 5678`) do not break it. Shorter numbers
/// (seats, counts, dates' parts) stay as they are.
pub fn mask_numbers(s: &str) -> Cow<'_, str> {
    let chars: Vec<char> = s.chars().collect();
    // Runs: (start, end) in chars, digits counted.
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !digit(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = 0;
        let mut end = i;
        while i < chars.len() {
            let c = chars[i];
            if digit(c) {
                digits += 1;
                i += 1;
                end = i;
            } else if matches!(super::width::fold_char(c), 'x' | 'X') && digits >= 14 {
                digits += 1;
                i += 1;
                end = i;
                break;
            } else if matches!(c, ' ' | '-') && chars.get(i + 1).copied().is_some_and(digit) {
                i += 1;
            } else {
                break;
            }
        }
        i = end.max(start + 1);
        if digits >= 7 && !is_date(&chars[start..end]) {
            runs.push((start, end, digits));
        }
    }
    if runs.is_empty() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (start, end, digits) in runs {
        out.extend(&chars[at..start]);
        // A phone written with its country code (86 138 1234 5678) keeps the 86 as well.
        let country = digits == 13 && chars[start] == '8' && chars.get(start + 1) == Some(&'6');
        let (keep_head, keep_tail) = match digits {
            14.. => (6, 4),
            _ if country => (5, 4),
            _ => (3, 4),
        };
        let mut seen = 0;
        for &c in &chars[start..end] {
            let is_digitlike = digit(c) || matches!(super::width::fold_char(c), 'x' | 'X');
            if is_digitlike {
                seen += 1;
                if seen <= keep_head || seen > digits - keep_tail {
                    out.push(c);
                } else {
                    out.push('*');
                }
            } else {
                out.push(c);
            }
        }
        at = end;
    }
    out.extend(&chars[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinary_text_passes_trimmed() {
        assert_eq!(
            check(FreeText::GatheringPoint, " 旬阳县体育场 ").unwrap(),
            "旬阳县体育场"
        );
        assert_eq!(
            check(FreeText::Name, "阿依古丽·买买提").unwrap(),
            "阿依古丽·买买提"
        );
        assert_eq!(
            check(FreeText::OtherMeans, "火车 K1234").unwrap(),
            "火车 K1234"
        );
    }

    #[test]
    fn escapes_bidi_and_zero_width_are_refused_with_their_position() {
        assert_eq!(
            check(FreeText::GatheringPoint, "广场\u{1b}[2J"),
            Err(TextError::Control { at: 3, code: 0x1b })
        );
        assert_eq!(
            check(FreeText::Name, "王\u{202E}五"),
            Err(TextError::Hidden {
                at: 2,
                code: 0x202E
            })
        );
        assert_eq!(
            check(FreeText::Name, "王\u{200B}五"),
            Err(TextError::Hidden {
                at: 2,
                code: 0x200B
            })
        );
        for c in [
            '\u{2066}', '\u{2069}', '\u{202A}', '\u{FEFF}', '\u{200D}', '\n', '\0',
        ] {
            assert!(check(FreeText::Reason, &format!("a{c}b")).is_err(), "{c:?}");
        }
        assert_eq!(check(FreeText::Receiver, "   "), Err(TextError::Empty));
    }

    #[test]
    fn length_limits_count_characters() {
        assert!(check(FreeText::Name, &"王".repeat(30)).is_ok());
        assert_eq!(
            check(FreeText::Name, &"王".repeat(31)),
            Err(TextError::TooLong { max: 30, chars: 31 })
        );
        assert!(check(FreeText::Reason, &"x".repeat(100_000)).is_err());
    }

    #[test]
    fn messages_in_both_languages() {
        let e = TextError::Hidden {
            at: 2,
            code: 0x202E,
        };
        assert!(e.message(Lang::En).contains("U+202E"));
        assert!(e.message(Lang::Zh).contains("第 2 个字符"));
    }

    #[test]
    fn visible_writes_out_what_would_act() {
        assert_eq!(visible("王五"), "王五");
        assert_eq!(visible("a\u{1b}[2J\u{202E}b"), "a\\u{1b}[2J\\u{202e}b");
    }

    #[test]
    fn numbers_are_masked_like_the_screen() {
        assert_eq!(mask_numbers("610902198503131234"), "610902********1234");
        assert_eq!(mask_numbers("11010519491231002X"), "110105********002X");
        assert_eq!(mask_numbers("13812345678"), "138****5678");
        assert_eq!(mask_numbers("+86 138 1234 5678"), "+86 138 **** 5678");
        assert_eq!(mask_numbers("61090219850313123"), "610902*******3123");
        assert_eq!(
            mask_numbers("６１０９０２１９８５０３１３１２３４"),
            "６１０９０２********１２３４"
        );
        assert_eq!(
            mask_numbers("王五,610902198503131234,陕G12345"),
            "王五,610902********1234,陕G12345"
        );
        assert_eq!(mask_numbers("seat 14, 2020-02-21"), "seat 14, 2020-02-21");
        assert_eq!(mask_numbers("8613812345678"), "86138****5678");
        assert_eq!(mask_numbers("1381234567"), "138***4567");
        // Seven digits (a local landline) are not a phone or an ID number.
        assert_eq!(mask_numbers("8612345"), "8612345");
    }

    proptest! {
        #[test]
        fn masking_never_shows_more_than_ten_digits_of_a_run(s in "[0-9]{7,30}") {
            let m = mask_numbers(&s);
            let shown = m.chars().filter(char::is_ascii_digit).count();
            prop_assert!(shown <= 10, "{m}");
            prop_assert_eq!(m.chars().count(), s.chars().count());
        }

        #[test]
        fn checked_text_has_nothing_hidden(s in "\\PC{0,80}") {
            if let Ok(t) = check(FreeText::Reason, &s) {
                prop_assert!(t.chars().all(|c| !c.is_control() && !is_hidden(c)));
            }
        }
    }
}
