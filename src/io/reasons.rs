//! The reasons a worker or fleet row is rejected, in Chinese. The row checks write them in
//! English (the import report and its `--json` keep them so); a form or the `register` command
//! speaking Chinese shows them through this table, keyed by the English text. A reason missing
//! here comes back in English, which the tests below catch for every reason a row can give.

use crate::i18n::Lang;

/// English reason with `{}` holes → Chinese with the same holes, in the same order.
const REASONS: &[(&str, &str)] = &[
    ("empty", "不能为空"),
    (
        "empty: the employer the worker goes to",
        "不能为空：请填写工人要去的企业",
    ),
    (
        "empty: every bus needs a driver",
        "不能为空：每辆车都要有驾驶员",
    ),
    (
        "empty: a phone number goes with the name",
        "不能为空：填了姓名就要填电话",
    ),
    (
        "empty: the county the bus leaves from",
        "不能为空：请填写车辆出发的区县",
    ),
    ("contains digits", "含有数字"),
    (
        "contains a line break or control character",
        "含有换行或控制字符",
    ),
    ("contains control characters", "含有控制字符"),
    ("longer than {} characters ({})", "超过 {} 个字（共 {} 个）"),
    ("longer than {} characters", "超过 {} 个字"),
    (
        "character {} is a control character U+{}",
        "第 {} 个字符是控制字符 U+{}",
    ),
    (
        "character {} is U+{}, an invisible or text-direction character",
        "第 {} 个字符 U+{} 是不可见字符或文字方向控制符",
    ),
    ("must be 18 characters, found {}", "应为 18 位，实为 {} 位"),
    ("character {} '{}' is not a digit", "第 {} 位 '{}' 不是数字"),
    (
        "birth date {} is not a real date",
        "出生日期 {} 不是真实日期",
    ),
    (
        "check character should be {}, found {}",
        "校验位应为 {}，实为 {}",
    ),
    (
        "not a mobile number: 11 digits, 1[3-9]…",
        "不是手机号：应为 1[3-9] 开头的 11 位数字",
    ),
    (
        "no employer of that name: import employers first",
        "没有这个企业：请先导入或核对企业名称",
    ),
    (
        "'{}' is not a date like 2020-02-21, 2020/2/21 or 2020年2月21日",
        "'{}' 不是日期，应如 2020-02-21、2020/2/21 或 2020年2月21日",
    ),
    ("before the issue date {}", "早于签发日期 {}"),
    ("not a plate like 陕G12345", "不是车牌号，应如 陕G12345"),
    ("rated seats must be {}–{}", "核定座位应在 {}–{} 之间"),
    ("not a whole number", "不是整数"),
    ("more than {}", "超过 {}"),
    (
        "not one of 是/否, yes/no, true/false, 1/0, Y/N",
        "应为 是/否",
    ),
    ("same ID number as line {}", "与第 {} 行证号相同"),
    ("same plate as line {}", "与第 {} 行车牌相同"),
    (
        "the bus has a trip on {}: {} cannot change until it is over or cancelled",
        "该车 {} 有行程：行程结束或取消前不能修改此项",
    ),
];

/// The reason in `lang`: English as written, Chinese from the table (English if unknown).
pub fn in_lang(lang: Lang, reason: &str) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    REASONS
        .iter()
        .find_map(|(en, zh)| holes(en, reason).map(|values| fill(zh, &values)))
        .unwrap_or_else(|| reason.to_string())
}

/// The texts standing in `pattern`'s `{}` holes if `text` has its shape.
fn holes<'t>(pattern: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let mut parts = pattern.split("{}");
    let first = parts.next().unwrap_or("");
    let mut rest = text.strip_prefix(first)?;
    let mut values = Vec::new();
    let literals: Vec<&str> = parts.collect();
    for (i, literal) in literals.iter().enumerate() {
        let last = i + 1 == literals.len();
        let at = if last && literal.is_empty() {
            rest.len()
        } else if last {
            // The final literal ends the text.
            rest.strip_suffix(literal).map(str::len)?
        } else {
            rest.find(literal)?
        };
        values.push(&rest[..at]);
        rest = &rest[at + literal.len()..];
    }
    rest.is_empty().then_some(values)
}

fn fill(pattern: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    for (i, part) in pattern.split("{}").enumerate() {
        if i > 0 {
            out.push_str(values.get(i - 1).copied().unwrap_or(""));
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::columns::{bus, worker, FLEET, WORKERS};
    use crate::io::fleet::BusRows;
    use crate::io::workers::WorkerRows;
    use crate::io::TypedRow;
    use crate::store::ledger::FastMap;

    /// Chinese text holds no English word: outside quotes, no run of two Latin letters (a
    /// lone letter is a check character, a plate's letter or a code point's digit).
    fn chinese(s: &str) -> bool {
        let mut quoted = false;
        let mut run = 0;
        for c in s.chars() {
            if c == '\'' {
                quoted = !quoted;
            }
            run = if c.is_ascii_alphabetic() && !quoted {
                run + 1
            } else {
                0
            };
            if run >= 2 {
                return false;
            }
        }
        true
    }

    #[test]
    fn holes_are_filled_in_order() {
        assert_eq!(
            in_lang(Lang::Zh, "check character should be X, found 1"),
            "校验位应为 X，实为 1"
        );
        assert_eq!(
            in_lang(Lang::Zh, "longer than 30 characters"),
            "超过 30 个字"
        );
        assert_eq!(
            in_lang(Lang::Zh, "longer than 30 characters (31)"),
            "超过 30 个字（共 31 个）"
        );
        assert_eq!(in_lang(Lang::En, "empty"), "empty");
        assert_eq!(in_lang(Lang::Zh, "something new"), "something new");
    }

    /// Every reason a worker row can be refused with reads as Chinese.
    #[test]
    fn every_worker_row_reason_has_chinese() {
        let mut employers = FastMap::default();
        employers.insert("宁波舜宇光电".to_string(), 1);
        let good = [
            "张三",
            "11010519491231002X",
            "13812345678",
            "旬阳县",
            "蜀河镇",
            "红花村",
            "宁波舜宇光电",
            "2020-02-18",
            "2020-02-24",
            "蜀河镇卫生院",
        ];
        let long_name = "张三".repeat(16);
        let bad: &[(usize, &str)] = &[
            (worker::NAME, ""),
            (worker::NAME, "张3"),
            (worker::NAME, &long_name),
            (worker::NAME, "张\u{202e}三"),
            (worker::ID_NUMBER, ""),
            (worker::ID_NUMBER, "1101051949"),
            (worker::ID_NUMBER, "11010519491231002A"),
            (worker::ID_NUMBER, "110105194902310021"),
            (worker::ID_NUMBER, "110105194912310021"),
            (worker::PHONE, "12345"),
            (worker::TOWNSHIP, "蜀\u{200b}河"),
            (worker::VILLAGE, &"村".repeat(31)),
            (worker::EMPLOYER, ""),
            (worker::EMPLOYER, "不存在的厂"),
            (worker::CERT_ISSUED, "昨天"),
            (worker::CERT_VALID_UNTIL, "2020-02-10"),
        ];
        for &(col, value) in bad {
            let mut cells = good;
            cells[col] = value;
            let row = TypedRow::new(&cells);
            let why = WorkerRows::new(&employers)
                .parse(&row.row())
                .expect_err(value);
            assert_eq!(why.field, WORKERS[col].key);
            let zh = in_lang(Lang::Zh, &why.reason);
            assert!(chinese(&zh), "{value:?}: {} → {zh}", why.reason);
        }
    }

    /// Every reason a fleet row can be refused with reads as Chinese.
    #[test]
    fn every_fleet_row_reason_has_chinese() {
        let good = [
            "陕G21000",
            "45",
            "安康运输",
            "李师傅",
            "13912345678",
            "",
            "",
            "",
            "",
            "旬阳县",
            "2020-02-21",
            "是",
        ];
        let bad: &[(usize, &str)] = &[
            (bus::PLATE, "G21000"),
            (bus::SEATS, ""),
            (bus::SEATS, "四十五"),
            (bus::SEATS, "300"),
            (bus::SEATS, "5000"),
            (bus::DRIVER1, ""),
            (bus::DRIVER1_PHONE, ""),
            (bus::DRIVER1_PHONE, "123"),
            (bus::COUNTY, ""),
            (bus::AVAILABLE_DATE, "2020-13-01"),
            (bus::SEALED, "也许"),
        ];
        for &(col, value) in bad {
            let mut cells = good;
            cells[col] = value;
            if col == bus::DRIVER1 {
                cells[bus::DRIVER1_PHONE] = "";
            }
            let row = TypedRow::new(&cells);
            let why = BusRows::default().parse(&row.row()).expect_err(value);
            assert_eq!(why.field, FLEET[col].key);
            let zh = in_lang(Lang::Zh, &why.reason);
            assert!(chinese(&zh), "{value:?}: {} → {zh}", why.reason);
        }
    }
}
