//! Tests of the CSV reader: encodings, physical line numbers, quoting, mixed-encoding lines.

use super::*;
use crate::io::columns::WORKERS;
use crate::io::decode::SNIFF;
use std::io::Cursor;

fn lines_of(data: &[u8]) -> Vec<(u64, String)> {
    let mut f = CsvFile::from_reader(
        "t.csv",
        Box::new(Cursor::new(data.to_vec())),
        TextEncoding::Auto,
        WORKERS,
    )
    .unwrap();
    let mut out = Vec::new();
    loop {
        match f.next_row().unwrap() {
            Next::Row(r) => out.push((r.line, r.get(0).to_string())),
            Next::Bad(b) => out.push((b.line, format!("bad {}", b.field))),
            Next::End => return out,
        }
    }
}

#[test]
fn physical_lines_survive_blank_lines_crlf_and_quoted_newlines() {
    let lf = "name,id_number,employer\n\n张三,1,e\n\n\n\"李\n四\",2,e\n王五,3,e";
    let crlf = lf.replace('\n', "\r\n");
    let want = vec![
        (3, "张三".to_string()),
        (6, "李\n四".into()),
        (8, "王五".into()),
    ];
    assert_eq!(lines_of(lf.as_bytes()), want);
    let unix = |v: Vec<(u64, String)>| -> Vec<(u64, String)> {
        v.into_iter()
            .map(|(l, n)| (l, n.replace('\r', "")))
            .collect()
    };
    assert_eq!(unix(lines_of(crlf.as_bytes())), want);
    let lead = format!("\n\n{crlf}\r\n");
    let shifted: Vec<_> = want.iter().map(|(l, n)| (l + 2, n.clone())).collect();
    assert_eq!(unix(lines_of(lead.as_bytes())), shifted);
    let mac = lf.replace('\n', "\r");
    let old: Vec<_> = lines_of(mac.as_bytes())
        .into_iter()
        .map(|(l, n)| (l, n.replace('\r', "\n")))
        .collect();
    assert_eq!(old, want);
}

#[test]
fn rows_of_empty_cells_are_blank_lines() {
    let data = "姓名,身份证号,意向企业\n,,\n  ,\n张三,1,e\n";
    assert_eq!(lines_of(data.as_bytes()), vec![(4, "张三".to_string())]);
}

#[test]
fn gbk_and_bom_are_detected() {
    let text = "姓名,身份证号,意向企业\r\n张三,1,e\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let f = CsvFile::from_reader(
        "t",
        Box::new(Cursor::new(gbk.to_vec())),
        TextEncoding::Auto,
        WORKERS,
    )
    .unwrap();
    assert_eq!(f.encoding(), Detected::Gb18030);
    assert_eq!(lines_of(&gbk), vec![(2, "张三".to_string())]);
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert_eq!(lines_of(&bom), vec![(2, "张三".to_string())]);
}

#[test]
fn gbk_row_after_an_ascii_start_is_rejected_not_garbled() {
    // Past the sniffed block, so the file was taken for UTF-8.
    let (gbk_name, _, _) = encoding_rs::GBK.encode("张三");
    let mut data = b"name,id_number,employer\n".to_vec();
    for _ in 0..SNIFF / 4 {
        data.extend_from_slice(b"Li,1,e\n");
    }
    data.extend_from_slice(&gbk_name);
    data.extend_from_slice(b",2,e\n");
    let rows = lines_of(&data);
    let last = (SNIFF / 4 + 2) as u64;
    assert_eq!(rows.last(), Some(&(last, "bad name".to_string())));
    assert_eq!(rows.len(), SNIFF / 4 + 1);
}

#[test]
fn header_errors_name_the_file_and_column() {
    let open = |s: &str| {
        CsvFile::from_reader(
            "w.csv",
            Box::new(Cursor::new(s.as_bytes().to_vec())),
            TextEncoding::Auto,
            WORKERS,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
    };
    assert_eq!(
        open("姓名,意向企业\n"),
        "w.csv:1: missing required column 身份证号 (id_number)"
    );
    assert_eq!(
        open("姓名,name,身份证号,意向企业\n"),
        "w.csv:1: column 'name' appears twice (also as '姓名')"
    );
    assert_eq!(
        open("\n\n"),
        "w.csv: the file is empty: a header row is needed"
    );
}

#[test]
fn header_hint_never_repeats_the_encoding_just_used() {
    let (gbk, _, _) = encoding_rs::GBK.encode("姓名,身份证号,意向企业\n");
    let utf8 = "姓名,身份证号,意向企业\n".as_bytes().to_vec();
    let open = |data: Vec<u8>, enc| {
        CsvFile::from_reader("w.csv", Box::new(Cursor::new(data)), enc, WORKERS)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let as_utf8 = open(gbk.to_vec(), TextEncoding::Utf8);
    assert!(as_utf8.ends_with("try --encoding gbk"), "{as_utf8}");
    let as_gbk = open(utf8, TextEncoding::Gbk);
    assert!(as_gbk.ends_with("try --encoding utf-8"), "{as_gbk}");
    // A BOM before GBK is skipped when GBK is asked for.
    let bom = [b"\xEF\xBB\xBF".as_slice(), &gbk, "张三,1,e\n".as_bytes()].concat();
    assert!(CsvFile::from_reader(
        "b.csv",
        Box::new(Cursor::new(bom)),
        TextEncoding::Gbk,
        WORKERS
    )
    .is_ok());
}

#[test]
fn gbk_names_are_not_taken_for_utf8() {
    let names = [
        "张伟",
        "王芳",
        "李娜",
        "刘洋",
        "陈静",
        "王秀英",
        "李强",
        "张敏",
        "杨磊",
        "赵丽",
        "黄勇",
        "周杰",
        "吴婷",
        "徐明",
        "孙红梅",
        "马超",
        "朱琳",
        "胡军",
        "郭娟",
        "何平",
        "阿卜杜·热合曼",
        "汉滨区",
        "安康市",
        "宁波市鄞州区",
        "浙江省",
    ];
    for name in names {
        let (gbk, _, _) = encoding_rs::GBK.encode(name);
        let (read, _, _) = encoding_rs::GB18030.decode(&gbk);
        assert!(!was_utf8(&read), "{name} would be rejected");
        // Its UTF-8 bytes read as GBK are caught.
        let (moji, _, _) = encoding_rs::GB18030.decode(name.as_bytes());
        assert!(
            moji.contains('\u{FFFD}') || was_utf8(&moji),
            "{name}: {moji}"
        );
    }
    // Every level-1 character as a given name (single and doubled) after the commonest
    // surnames: none is caught.
    let level1 = (0xB0u8..=0xD7).flat_map(|a| (0xA1u8..=0xFE).map(move |b| [a, b]));
    for c in level1.take(3755) {
        for surname in ["王", "李", "张", "刘", "陈"] {
            let (s, _, _) = encoding_rs::GBK.encode(surname);
            for raw in [[&s[..], &c].concat(), [&s[..], &c, &c].concat()] {
                let (read, _, _) = encoding_rs::GB18030.decode(&raw);
                assert!(!was_utf8(&read), "{read}");
            }
        }
    }
}

#[test]
fn an_unclosed_quote_is_named_at_its_line_and_column() {
    let data = "name,id_number,employer\n张三,1,e\n\"李\n四\",2,\"e\n王五,3,e\n赵六,4,e\n";
    let mut f = CsvFile::from_reader(
        "q.csv",
        Box::new(Cursor::new(data.as_bytes().to_vec())),
        TextEncoding::Auto,
        WORKERS,
    )
    .unwrap();
    assert!(matches!(f.next_row().unwrap(), Next::Row(r) if r.line == 2));
    let Next::Bad(bad) = f.next_row().unwrap() else {
        panic!("the open quote is not reported");
    };
    // The quote opens on line 4 (line 3 holds a quoted break of its own), in `employer`.
    assert_eq!(
        (bad.line, bad.field, bad.value.as_str()),
        (4, "employer", "e…")
    );
    assert_eq!(
        bad.reason,
        "quote opened here is never closed: the rest of the file (3 lines) was read as one cell"
    );
    assert!(matches!(f.next_row().unwrap(), Next::End));
    // A closed quoted cell on a last line without a line break is an ordinary row.
    assert_eq!(
        lines_of("name,id_number,employer\n\"李\n四\",2,\"e\n\"".as_bytes()),
        vec![(2, "李\n四".to_string())]
    );
}

#[test]
fn shifted_rows_are_rejected() {
    let data = "name,id_number,employer\n张三,1,e,extra\n李四,2,e,,\n";
    assert_eq!(
        lines_of(data.as_bytes()),
        vec![(2, "bad row".to_string()), (3, "李四".to_string())]
    );
}
