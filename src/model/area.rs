//! Area codes of the home counties (the first six digits of an ID number). The seed case is
//! Ankang, Shaanxi; other codes are kept as digits.

pub const ANKANG: &[(&str, &str)] = &[
    ("610902", "汉滨区"),
    ("610921", "汉阴县"),
    ("610922", "石泉县"),
    ("610923", "宁陕县"),
    ("610924", "紫阳县"),
    ("610925", "岚皋县"),
    ("610926", "平利县"),
    ("610927", "镇坪县"),
    ("610928", "旬阳县"),
    ("610929", "白河县"),
    ("610981", "旬阳市"),
];

pub fn county_name(code: &str) -> Option<&'static str> {
    ANKANG.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

pub fn county_code(name: &str) -> Option<&'static str> {
    ANKANG.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
}

/// `旬阳县` → `旬阳`, the short form used in batch numbers.
pub fn short_county(name: &str) -> &str {
    if name.chars().count() > 2 {
        name.strip_suffix('县')
            .or_else(|| name.strip_suffix('区'))
            .or_else(|| name.strip_suffix('市'))
            .unwrap_or(name)
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn names() {
        assert_eq!(county_name("610928"), Some("旬阳县"));
        assert_eq!(county_code("汉滨区"), Some("610902"));
        assert_eq!(short_county("旬阳县"), "旬阳");
        assert_eq!(short_county("汉滨区"), "汉滨");
    }
}
