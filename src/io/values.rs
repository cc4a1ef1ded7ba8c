//! Cell values that the model leaves to the spreadsheet: yes/no words, counts, province and
//! county spellings, firm names and landline numbers.

use super::Reason;
use crate::model::{area, text, Phone};
use std::borrow::Cow;

/// 是/否, yes/no, true/false, 1/0, Y/N (any case); `None` for anything else.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "是" | "yes" | "true" | "1" | "y" => Some(true),
        "否" | "no" | "false" | "0" | "n" => Some(false),
        _ => None,
    }
}

/// A whole non-negative number (full-width digits accepted); "" is `None`.
pub fn parse_count(s: &str, max: u32) -> Result<Option<u32>, Reason> {
    let s: String = s
        .trim()
        .chars()
        .map(crate::model::width::fold_char)
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 9 {
        return Err(Reason::NotWholeNumber);
    }
    match s.parse::<u32>() {
        Ok(n) if n <= max => Ok(Some(n)),
        _ => Err(Reason::MoreThan { max }),
    }
}

/// Kilometres: a whole or decimal number, rounded.
pub fn parse_km(s: &str) -> Result<Option<u32>, Reason> {
    let t = s.trim();
    match t.split_once('.') {
        Some((whole, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => {
            let n = parse_count(whole, 20_000)?.unwrap_or(0);
            Ok(Some(n + u32::from(frac.as_bytes()[0] >= b'5')))
        }
        _ => parse_count(t, 20_000),
    }
}

/// Province-level names without their suffix, as officers often type them.
const PROVINCES: &[(&str, &str)] = &[
    ("北京", "北京市"),
    ("天津", "天津市"),
    ("上海", "上海市"),
    ("重庆", "重庆市"),
    ("河北", "河北省"),
    ("山西", "山西省"),
    ("辽宁", "辽宁省"),
    ("吉林", "吉林省"),
    ("黑龙江", "黑龙江省"),
    ("江苏", "江苏省"),
    ("浙江", "浙江省"),
    ("安徽", "安徽省"),
    ("福建", "福建省"),
    ("江西", "江西省"),
    ("山东", "山东省"),
    ("河南", "河南省"),
    ("湖北", "湖北省"),
    ("湖南", "湖南省"),
    ("广东", "广东省"),
    ("海南", "海南省"),
    ("四川", "四川省"),
    ("贵州", "贵州省"),
    ("云南", "云南省"),
    ("陕西", "陕西省"),
    ("甘肃", "甘肃省"),
    ("青海", "青海省"),
    ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"),
    ("西藏", "西藏自治区"),
    ("宁夏", "宁夏回族自治区"),
    ("新疆", "新疆维吾尔自治区"),
];

/// `浙江` → `浙江省`, so that statistics by province add up however the file spelled it.
pub fn normalise_province(s: &str) -> String {
    let s = s.trim();
    PROVINCES
        .iter()
        .find(|(short, _)| *short == s)
        .map(|(_, full)| full.to_string())
        .unwrap_or_else(|| s.to_string())
}

/// `旬阳` → `旬阳县`: workers and buses of one county must carry the same spelling, or the
/// planner sees two counties.
pub fn normalise_county(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    area::ANKANG
        .iter()
        .find(|(_, full)| area::short_county(full) == s)
        .map_or(Cow::Borrowed(s), |(_, full)| Cow::Borrowed(*full))
}

/// Firm names compared as written, except for the half-width brackets that Excel users type
/// in place of the full-width ones of the registered name (`（集团）`), and stray spaces.
pub fn firm_name(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect()
}

/// A contact number: a mobile (normalised) or a landline such as `0574-86123456`.
pub fn contact_phone(s: &str) -> Result<String, Reason> {
    if let Ok(p) = Phone::parse(s) {
        return Ok(p.as_str().to_string());
    }
    let t = s.trim();
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    let shape_ok = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b' ' | b'(' | b')'));
    if shape_ok && t.starts_with(['0', '(']) && (10..=12).contains(&digits) {
        Ok(t.to_string())
    } else {
        Err(Reason::NotContactPhone)
    }
}

/// Free text with a length limit (townships, villages, addresses, issuers, operators). A line
/// break typed inside a cell (Alt+Enter in Excel) becomes a space: it would break every list.
/// Control, bidi and invisible characters are refused (`model::text`).
pub fn text(s: &str, max_chars: usize) -> Result<Cow<'_, str>, Reason> {
    // One pass over the characters: this runs for several cells of a million rows.
    let (mut count, mut odd_space, mut prev_space, mut hidden) = (0, false, false, false);
    for c in s.chars() {
        count += 1;
        let space = c.is_whitespace();
        odd_space |= (space && (c != ' ' || prev_space)) || c.is_control();
        hidden |= !space && text::is_hidden(c);
        prev_space = space;
    }
    if odd_space {
        let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if joined.chars().any(char::is_control) {
            return Err(Reason::ControlChars);
        }
        if let Some(e) = text::first_unsafe(&joined) {
            return Err(e.into());
        }
        count = joined.chars().count();
        return if count > max_chars {
            Err(Reason::LongerThan { max: max_chars })
        } else {
            Ok(Cow::Owned(joined))
        };
    }
    if hidden {
        if let Some(e) = text::first_unsafe(s) {
            return Err(e.into());
        }
    }
    if count > max_chars {
        Err(Reason::LongerThan { max: max_chars })
    } else {
        Ok(Cow::Borrowed(s))
    }
}

/// A person's name: present, no digits, not absurdly long.
pub fn person_name(s: &str) -> Result<Cow<'_, str>, Reason> {
    if s.is_empty() {
        return Err(Reason::Empty);
    }
    if s.chars().any(crate::model::width::is_digit) {
        return Err(Reason::ContainsDigits);
    }
    if s.chars().any(|c| c.is_control()) {
        return Err(Reason::LineBreak);
    }
    text(s, 30)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_no_words() {
        for y in ["是", "YES", "true", "1", "y"] {
            assert_eq!(parse_bool(y), Some(true), "{y}");
        }
        for n in ["否", "No", "FALSE", "0", "N"] {
            assert_eq!(parse_bool(n), Some(false), "{n}");
        }
        assert_eq!(parse_bool("maybe"), None);
        assert_eq!(parse_bool(""), None);
    }

    #[test]
    fn counts_and_distances() {
        assert_eq!(parse_count("１２０", 1000), Ok(Some(120)));
        assert_eq!(parse_count("", 1000), Ok(None));
        assert!(parse_count("-3", 1000).is_err());
        assert!(parse_count("12a", 1000).is_err());
        assert!(parse_count("99999999999999", 1000).is_err());
        assert_eq!(parse_km("1350.6"), Ok(Some(1351)));
        assert_eq!(parse_km("1350"), Ok(Some(1350)));
        assert!(parse_km("far").is_err());
    }

    #[test]
    fn spellings_are_unified() {
        assert_eq!(normalise_province("浙江"), "浙江省");
        assert_eq!(normalise_province("浙江省"), "浙江省");
        assert_eq!(normalise_county("旬阳"), "旬阳县");
        assert_eq!(normalise_county("汉滨区"), "汉滨区");
        assert_eq!(normalise_county("安陆市"), "安陆市");
        assert_eq!(
            firm_name(" 宁波甬腾(集团)  有限公司 "),
            "宁波甬腾（集团） 有限公司"
        );
    }

    #[test]
    fn contact_numbers() {
        assert_eq!(contact_phone("+86 138 1234 5678").unwrap(), "13812345678");
        assert_eq!(contact_phone("0574-86123456").unwrap(), "0574-86123456");
        assert!(contact_phone("12345").is_err());
        assert!(person_name("张3").is_err());
        assert!(person_name("").is_err());
        assert!(person_name("王\r\n五").is_err());
        assert_eq!(
            text("北仑区\r\n大港  工业城", 40).unwrap(),
            "北仑区 大港 工业城"
        );
        assert_eq!(person_name("阿依古丽·买买提").unwrap(), "阿依古丽·买买提");
        assert!(person_name("王\u{202E}五")
            .unwrap_err()
            .text(crate::i18n::Lang::En)
            .contains("U+202E"));
        assert!(person_name("王\u{200B}五").is_err());
        assert!(text("北仑\u{2066}区", 40).is_err());
        assert_eq!(text("北仑区\u{2028}大港", 40).unwrap(), "北仑区 大港");
    }
}
