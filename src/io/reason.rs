//! Why a row of a spreadsheet was rejected: typed reasons with their Chinese and English
//! wording. The `--json` report keeps the English text (scripts compare it); the lines on the
//! terminal speak the user's language and name the file's own column header.

use crate::i18n::{catalogue, Lang};
use crate::model::date::DateError;
use crate::model::id_number::IdNumberError;
use crate::model::text::TextError;
use chrono::NaiveDate;

catalogue! {
    /// Why one cell or row was refused.
    pub enum Reason {
        Empty
            => zh("不能为空"),
               en("empty");
        EmptyEmployer
            => zh("不能为空：请填写工人要去的企业"),
               en("empty: the employer the worker goes to");
        NoEmployer
            => zh("没有这个企业：请先导入或核对企业名称"),
               en("no employer of that name: import employers first");
        NoDriver
            => zh("不能为空：每辆车都要有驾驶员"),
               en("empty: every bus needs a driver");
        PhoneWithName
            => zh("不能为空：填了姓名就要填电话"),
               en("empty: a phone number goes with the name");
        NoCounty
            => zh("不能为空：请填写车辆出发的区县"),
               en("empty: the county the bus leaves from");
        /// The model's own reason (`model::id_number`).
        IdNumber { e: IdNumberError }
            => zh("{m}", m = e.message(Lang::Zh)),
               en("{e}");
        NotMobile
            => zh("不是手机号：应为 1[3-9] 开头的 11 位数字"),
               en("not a mobile number: 11 digits, 1[3-9]…");
        NotContactPhone
            => zh("不是手机号（1[3-9] 开头的 11 位数字），也不是座机号（如 0574-86123456）"),
               en("not a mobile number (1[3-9] + 9 digits) or a landline like 0574-86123456");
        /// The model's own reason (`model::date`).
        NotDate { e: DateError }
            => zh("{m}", m = e.message(Lang::Zh)),
               en("{e}");
        BeforeIssue { issued: NaiveDate }
            => zh("早于签发日期 {issued}"),
               en("before the issue date {issued}");
        NotPlate
            => zh("不是车牌号，应如 陕G12345"),
               en("not a plate like 陕G12345");
        SeatsRange { min: u32, max: u32 }
            => zh("核定座位应在 {min}–{max} 之间"),
               en("rated seats must be {min}–{max}");
        NotWholeNumber
            => zh("不是整数"),
               en("not a whole number");
        MoreThan { max: u32 }
            => zh("超过 {max}"),
               en("more than {max}");
        YesNo
            => zh("应为 是/否"),
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
            => zh("与第 {first} 行证号相同"),
               en("same ID number as line {first}");
        SameEmployer { first: u64 }
            => zh("与第 {first} 行的企业相同"),
               en("same employer as line {first}");
        SamePlate { first: u64 }
            => zh("与第 {first} 行车牌相同"),
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
            => zh("该车 {day} 有行程：行程结束或取消前不能修改{header}"),
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
            e => Reason::IdNumber { e },
        }
    }
}

impl From<DateError> for Reason {
    fn from(e: DateError) -> Reason {
        Reason::NotDate { e }
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
    use crate::io::columns::{bus, worker, FLEET, WORKERS};
    use crate::io::fleet::BusRows;
    use crate::io::workers::WorkerRows;
    use crate::io::TypedRow;
    use crate::model::records::FastMap;

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
            let zh = why.reason_text(Lang::Zh);
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
            let zh = why.reason_text(Lang::Zh);
            assert!(chinese(&zh), "{value:?}: {} → {zh}", why.reason);
        }
    }

    #[test]
    fn the_english_wording_is_the_one_scripts_have_always_read() {
        let e = crate::model::IdNumber::parse("110105194912310021").unwrap_err();
        assert_eq!(
            Reason::from(e.clone()).text(Lang::En),
            e.to_string(),
            "the model's own wording"
        );
        assert_eq!(Reason::from(e).text(Lang::Zh), "校验位应为 X，实为 1");
    }
}
