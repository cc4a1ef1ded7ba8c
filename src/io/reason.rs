//! Why a row of a spreadsheet was rejected: typed reasons with their Chinese and English
//! wording. The `--json` report keeps the English text (scripts compare it); the lines on the
//! terminal speak the user's language and name the file's own column header.

use crate::i18n::{catalogue, Lang};
use crate::model::id_number::IdNumberError;
use crate::model::text::TextError;
use chrono::NaiveDate;

catalogue! {
    /// Why one cell or row was refused.
    pub enum Reason {
        Empty
            => zh("为空"),
               en("empty");
        EmptyEmployer
            => zh("为空：应填写工人要去的企业"),
               en("empty: the employer the worker goes to");
        NoEmployer
            => zh("没有这个名称的企业：请先导入企业"),
               en("no employer of that name: import employers first");
        NoDriver
            => zh("为空：每辆车都需要驾驶员"),
               en("empty: every bus needs a driver");
        PhoneWithName
            => zh("为空：填写姓名的同时须填写电话"),
               en("empty: a phone number goes with the name");
        NoCounty
            => zh("为空：应填写车辆出发的区县"),
               en("empty: the county the bus leaves from");
        IdLength { n: usize }
            => zh("应为 18 位，实为 {n} 位"),
               en("must be 18 characters, found {n}");
        IdNotDigit { pos: usize, ch: char }
            => zh("第 {pos} 位 '{ch}' 不是数字"),
               en("character {pos} '{ch}' is not a digit");
        IdBirthDate { date: String }
            => zh("出生日期 {date} 不是真实的日期"),
               en("birth date {date} is not a real date");
        IdCheck { expected: char, found: char }
            => zh("校验位应为 {expected}，实为 {found}"),
               en("check character should be {expected}, found {found}");
        NotMobile
            => zh("不是手机号：应为 1[3-9] 开头的 11 位数字"),
               en("not a mobile number: 11 digits, 1[3-9]…");
        NotContactPhone
            => zh("不是手机号（1[3-9] 开头的 11 位数字），也不是座机号（如 0574-86123456）"),
               en("not a mobile number (1[3-9] + 9 digits) or a landline like 0574-86123456");
        NotDate { typed: String }
            => zh("'{typed}' 不是日期（应如 2020-02-21、2020/2/21 或 2020年2月21日）"),
               en("'{typed}' is not a date like 2020-02-21, 2020/2/21 or 2020年2月21日");
        BeforeIssue { issued: NaiveDate }
            => zh("早于签发日期 {issued}"),
               en("before the issue date {issued}");
        NotPlate
            => zh("不是车牌（车牌形如 陕G12345）"),
               en("not a plate like 陕G12345");
        SeatsRange { min: u32, max: u32 }
            => zh("核定座位应在 {min}–{max} 之间"),
               en("rated seats must be {min}–{max}");
        NotWholeNumber
            => zh("不是整数"),
               en("not a whole number");
        MoreThan { max: u32 }
            => zh("大于 {max}"),
               en("more than {max}");
        YesNo
            => zh("应填 是 或 否（也可填 1 或 0）"),
               en("not one of 是/否, yes/no, true/false, 1/0, Y/N");
        ContainsDigits
            => zh("含有数字"),
               en("contains digits");
        LineBreak
            => zh("含有换行或控制字符"),
               en("contains a line break or control character");
        ControlChars
            => zh("含有控制字符"),
               en("contains control characters");
        LongerThan { max: usize }
            => zh("超过 {max} 个字"),
               en("longer than {max} characters");
        /// A character that may not be stored (bidi override, zero-width …).
        Unsafe { e: TextError }
            => zh("{m}", m = e.message(Lang::Zh)),
               en("{m}", m = e.message(Lang::En));
        SameIdNumber { first: u64 }
            => zh("与第 {first} 行的身份证号相同"),
               en("same ID number as line {first}");
        SameEmployer { first: u64 }
            => zh("与第 {first} 行的企业相同"),
               en("same employer as line {first}");
        SamePlate { first: u64 }
            => zh("与第 {first} 行的车牌相同"),
               en("same plate as line {first}");
        // The file as text.
        Utf8InGbk
            => zh("这一行是 GBK 文件中的 UTF-8 文本：请把整个文件存为同一种编码"),
               en("this line is UTF-8 inside a GBK file: save the whole file in one encoding");
        NotGbk
            => zh("无法按 GBK 读取；可试 --encoding utf-8"),
               en("not readable as GBK text; try --encoding utf-8");
        NotUtf8
            => zh("无法按 UTF-8 读取；可试 --encoding gbk"),
               en("not readable as UTF-8 text; try --encoding gbk");
        UnclosedQuote { swallowed: u64 }
            => zh("此处的引号没有闭合：文件其余部分（{swallowed} 行）被读成了一个单元格"),
               en("quote opened here is never closed: the rest of the file ({swallowed} lines) was read as one cell");
        QuotedRowTooLong { kb: u64 }
            => zh("引号内的一行超过 {kb} KB：是否有引号没有闭合？该行其余部分已跳过"),
               en("row longer than {kb} KB inside a quoted cell: is a quote left open? The rest of the row was skipped");
        LineTooLong { kb: u64 }
            => zh("一行超过 {kb} KB：其余部分已跳过"),
               en("line longer than {kb} KB: the rest of it was skipped");
        CellTooLong { kb: usize, bytes: usize }
            => zh("单元格超过 {kb} KB（{bytes} 字节）"),
               en("cell longer than {kb} KB ({bytes} bytes)");
        ExtraCells { cells: usize, header: usize }
            => zh("有 {cells} 个单元格，表头只有 {header} 列：是否有含逗号的内容没加引号？"),
               en("{cells} cells, the header has {header}: is a comma missing quotes?");
        // Against the ledger as it is.
        /// A bus with an open trip whose seats or county a row would change.
        BusOnTrip { day: String, field: &'static str, header: &'static str }
            => zh("该车 {day} 有车次：结束或取消之前不能修改{header}"),
               en("the bus has a trip on {day}: {field} cannot change until it is over or cancelled");
        /// A renamed worker who is planned or has travelled.
        RenameNeedsFlag { old: String, new: String, status: crate::model::WorkerStatus }
            => zh("台账中的'{old}'{s}，文件中的姓名为'{new}'：已编排或已出行的人员改名须加 --allow-rename",
                  s = status.label(Lang::Zh)),
               en("the ledger's '{old}' is already {status} on a bus, the file says '{new}': renaming a worker who is planned or has travelled needs --allow-rename");
        /// The employer or county of a worker who is planned or has travelled.
        FixedOnPlan { field: &'static str, header: &'static str, status: crate::model::WorkerStatus }
            => zh("此人{s}：导入不能修改{header}，请先将其移出编排", s = status.label(Lang::Zh)),
               en("the worker is already {status} on a bus: the {field} cannot change by import; take them off the plan first");
    }
}

impl From<IdNumberError> for Reason {
    fn from(e: IdNumberError) -> Reason {
        match e {
            IdNumberError::Empty => Reason::Empty,
            IdNumberError::Length(n) => Reason::IdLength { n },
            IdNumberError::NotDigit { pos, ch } => Reason::IdNotDigit { pos, ch },
            IdNumberError::BirthDate(date) => Reason::IdBirthDate { date },
            IdNumberError::Check { expected, found } => Reason::IdCheck { expected, found },
        }
    }
}

impl From<TextError> for Reason {
    fn from(e: TextError) -> Reason {
        Reason::Unsafe { e }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_wording_is_the_one_scripts_have_always_read() {
        let e = crate::model::IdNumber::parse("110105194912310021").unwrap_err();
        assert_eq!(
            Reason::from(e.clone()).text(Lang::En),
            e.to_string(),
            "the model's own wording"
        );
        assert_eq!(
            Reason::from(e).text(Lang::Zh),
            "校验位应为 X，实为 1"
        );
    }
}
