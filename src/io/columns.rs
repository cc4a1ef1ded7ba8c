//! The columns of the three spreadsheets (DESIGN §6): English key, Chinese header, the few
//! variants townships write, and which must be present for the file to be read at all.

/// One known column. `key` is the English header and the field name used in every message.
#[derive(Debug)]
pub struct Column {
    pub key: &'static str,
    pub zh: &'static str,
    /// Other spellings seen in township exports (身份证号码 for 身份证号 …).
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl Column {
    /// `key` is a header already passed through `normalise_header`.
    pub fn matches(&self, key: &str) -> bool {
        key == self.key || key == self.zh || self.aliases.contains(&key)
    }
}

const fn col(key: &'static str, zh: &'static str, required: bool) -> Column {
    Column {
        key,
        zh,
        aliases: &[],
        required,
    }
}

const fn alias(
    key: &'static str,
    zh: &'static str,
    aliases: &'static [&'static str],
    required: bool,
) -> Column {
    Column {
        key,
        zh,
        aliases,
        required,
    }
}

/// Trims, drops the `*` that templates put on required columns, and folds English headers
/// to the lower-case `snake_case` keys (`ID Number` → `id_number`).
pub fn normalise_header(h: &str) -> String {
    let h = h
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{FEFF}' | '*' | '＊'))
        .trim();
    if h.is_ascii() {
        h.to_ascii_lowercase()
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("_")
    } else {
        h.chars().filter(|c| !c.is_whitespace()).collect()
    }
}

pub mod worker {
    pub const NAME: usize = 0;
    pub const ID_NUMBER: usize = 1;
    pub const PHONE: usize = 2;
    pub const COUNTY: usize = 3;
    pub const TOWNSHIP: usize = 4;
    pub const VILLAGE: usize = 5;
    pub const EMPLOYER: usize = 6;
    pub const CERT_ISSUED: usize = 7;
    pub const CERT_VALID_UNTIL: usize = 8;
    pub const CERT_ISSUER: usize = 9;
}

/// Workers (台账). Only what identifies a worker and where they go is required; a file with
/// fewer columns updates only the columns it has (a certificate list, say).
pub const WORKERS: &[Column] = &[
    col("name", "姓名", true),
    alias("id_number", "身份证号", &["身份证号码", "身份证"], true),
    alias("phone", "手机号", &["手机号码", "手机"], false),
    alias("county", "区县", &["县区"], false),
    col("township", "乡镇", false),
    alias("village", "村", &["村组", "村(社区)", "村（社区）"], false),
    alias("employer", "意向企业", &["务工企业", "用工企业"], true),
    col("cert_issued", "健康证明签发日期", false),
    col("cert_valid_until", "健康证明有效期至", false),
    col("cert_issuer", "健康证明签发单位", false),
];

pub mod employer {
    pub const NAME: usize = 0;
    pub const PROVINCE: usize = 1;
    pub const CITY: usize = 2;
    pub const ADDRESS: usize = 3;
    pub const CONTACT: usize = 4;
    pub const CONTACT_PHONE: usize = 5;
    pub const EXPECTED: usize = 6;
    pub const DISTANCE_KM: usize = 7;
    pub const MUTUAL_RECOGNITION: usize = 8;
}

pub const EMPLOYERS: &[Column] = &[
    alias("name", "企业名称", &["企业", "用工企业"], true),
    alias("province", "省", &["省份"], true),
    alias("city", "市", &["城市"], true),
    col("address", "地址", false),
    col("contact", "联系人", false),
    col("contact_phone", "联系电话", false),
    col("expected", "需求人数", false),
    alias(
        "distance_km",
        "距离公里",
        &["距离(公里)", "距离（公里）", "距离"],
        false,
    ),
    col("mutual_recognition", "健康互认", false),
];

pub mod bus {
    pub const PLATE: usize = 0;
    pub const SEATS: usize = 1;
    pub const OPERATOR: usize = 2;
    pub const DRIVER1: usize = 3;
    pub const DRIVER1_PHONE: usize = 4;
    pub const DRIVER2: usize = 5;
    pub const DRIVER2_PHONE: usize = 6;
    pub const ATTENDANT: usize = 7;
    pub const ATTENDANT_PHONE: usize = 8;
    pub const COUNTY: usize = 9;
    pub const AVAILABLE_DATE: usize = 10;
    pub const SEALED: usize = 11;
}

pub const FLEET: &[Column] = &[
    alias("plate", "车牌号", &["车牌", "车牌号码"], true),
    alias("seats", "核定座位", &["核定座位数", "座位数"], true),
    col("operator", "运输公司", false),
    col("driver1", "驾驶员", false),
    col("driver1_phone", "驾驶员电话", false),
    col("driver2", "副驾驶员", false),
    col("driver2_phone", "副驾驶员电话", false),
    col("attendant", "随车人员", false),
    col("attendant_phone", "随车人员电话", false),
    col("county", "出发区县", true),
    col("available_date", "可用日期", false),
    col("sealed", "全封闭空调", false),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fold_to_keys() {
        assert_eq!(normalise_header(" ID Number "), "id_number");
        assert_eq!(normalise_header("\u{FEFF}姓名*"), "姓名");
        assert_eq!(normalise_header("身份证 号码"), "身份证号码");
        assert!(WORKERS[worker::ID_NUMBER].matches(&normalise_header("身份证号码")));
        assert!(FLEET[bus::DRIVER1_PHONE].matches(&normalise_header("Driver1-Phone")));
    }
}
