//! Spreadsheets in the encodings townships really send — GBK cut mid-character, GBK and UTF-8
//! lines in one file, a BOM before GBK, UTF-16, CR-only endings, full-width digits — imported by
//! the real binary into a ledger that already holds these workers: a clear message, no change.

#[path = "fixtures/nasty/support.rs"]
mod support;

use support::*;

const SEEDED: u32 = 120;

/// Rows `range` of the seeded ledger, exactly as stored: a file of them changes nothing.
fn rows(range: std::ops::Range<u32>) -> Vec<String> {
    range.map(|n| worker_row(n, 60)).collect()
}

fn lines(header: &str, rows: &[String], eol: &str) -> String {
    let mut s = format!("{header}{eol}");
    for r in rows {
        s.push_str(r);
        s.push_str(eol);
    }
    s
}

#[test]
fn gbk_cut_mid_character_rejects_only_the_cut_row() {
    let l = Ledger::seeded(SEEDED, 0);
    let mut bytes = gbk(&lines(HEADER_ZH, &rows(0..5), "\r\n"));
    // The file ends "…卫生院\r\n": drop the line end and the second byte of 院.
    bytes.truncate(bytes.len() - 3);
    let (run, before) = import_bytes(&l, "workers", "cut.csv", &bytes, &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        rejections(&run, "cut.csv"),
        [(6, "cert_issuer".to_string())]
    );
    assert!(run.stderr.contains("not readable as GBK"), "{}", run.stderr);
    assert!(
        run.stdout.contains("(GBK)") && run.stdout.contains("4 unchanged"),
        "{}",
        run.stdout
    );
    assert_nothing_written(&before, &l.db, "cut.csv");
}

#[test]
fn gbk_header_cut_mid_character_refuses_the_file() {
    let l = Ledger::seeded(SEEDED, 0);
    // 姓 and the first byte of 名: the header itself is cut.
    let bytes = &gbk("姓名")[..3];
    let (run, before) = import_bytes(&l, "workers", "stub.csv", bytes, &[]);
    assert_file_refused(&l, &run, &before, "stub.csv", Some(1));
    assert!(run.stderr.contains("--encoding"), "{}", run.stderr);
}

#[test]
fn utf8_lines_in_a_gbk_file_are_rejected_by_line() {
    let l = Ledger::seeded(SEEDED, 0);
    let mut bytes = gbk(&format!("{HEADER_ZH}\r\n"));
    for (i, row) in rows(0..6).iter().enumerate() {
        let line = format!("{row}\r\n");
        // Lines 3 and 5 were pasted in from a UTF-8 sheet.
        if i == 1 || i == 3 {
            bytes.extend_from_slice(line.as_bytes());
        } else {
            bytes.extend_from_slice(&gbk(&line));
        }
    }
    let (run, before) = import_bytes(&l, "workers", "mixed.csv", &bytes, &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let lines: Vec<u64> = rejections(&run, "mixed.csv").iter().map(|r| r.0).collect();
    assert_eq!(lines, [3, 5], "{}", run.stderr);
    assert_nothing_written(&before, &l.db, "mixed.csv");
}

#[test]
fn a_gbk_line_in_a_utf8_file_is_named_with_the_way_out() {
    let l = Ledger::seeded(SEEDED, 0);
    let mut bytes = lines(HEADER_ZH, &rows(0..3), "\n").into_bytes();
    bytes.extend_from_slice(&gbk(&format!("{}\n", worker_row(3, 60))));
    bytes.extend_from_slice(format!("{}\n", worker_row(4, 60)).as_bytes());
    // The header and the first rows are UTF-8 Chinese: auto-detection keeps the file UTF-8 and
    // the one GBK line is rejected and named, the rest read unchanged (as with the explicit
    // --encoding utf-8).
    for extra in [&[][..], &["--encoding", "utf-8"][..]] {
        let (run, before) = import_bytes(&l, "workers", "mixed.csv", &bytes, extra);
        assert_eq!(run.code, 3, "{extra:?}: {}", run.stderr);
        assert_eq!(rejections(&run, "mixed.csv"), [(5, "name".to_string())]);
        assert!(
            run.stderr.contains("not readable as UTF-8"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("--encoding gbk"), "{}", run.stderr);
        assert!(!run.stderr.contains("header"), "{}", run.stderr);
        assert!(run.stdout.contains("4 unchanged"), "{}", run.stdout);
        assert_nothing_written(&before, &l.db, "mixed.csv");
    }
}

/// A UTF-8 file damaged deep inside (a stray byte on line 500, well within the block that
/// auto-detection reads, and another past it): each is reported at its line as invalid
/// UTF-8, never as "the header is not GBK".
#[test]
fn invalid_utf8_deep_in_a_file_is_reported_at_its_line() {
    let total = 1_200u32;
    let l = Ledger::seeded(total, 0);
    let mut bytes = format!("{HEADER_ZH}\n").into_bytes();
    for n in 0..total {
        let row = worker_row(n, 60);
        let mut line = row.into_bytes();
        if n == 498 || n == 1_100 {
            // A byte that is never UTF-8, inside the village cell.
            let at = line.iter().rposition(|&b| b == b',').unwrap() - 6;
            line.insert(at, 0xFF);
        }
        bytes.extend_from_slice(&line);
        bytes.push(b'\n');
    }
    assert!(
        bytes.len() > 64 << 10,
        "the second damage lies past the sniffed block"
    );
    let (run, before) = import_bytes(&l, "workers", "deep.csv", &bytes, &[]);
    assert_eq!(run.code, 3, "{}", head(&run.stderr));
    let lines: Vec<u64> = rejections(&run, "deep.csv").iter().map(|r| r.0).collect();
    assert_eq!(lines, [500, 1_102], "{}", head(&run.stderr));
    assert!(
        run.stderr.contains("not readable as UTF-8"),
        "{}",
        head(&run.stderr)
    );
    assert!(run.stdout.contains("(UTF-8)"), "{}", run.stdout);
    assert!(run.stdout.contains("1198 unchanged"), "{}", run.stdout);
    assert_nothing_written(&before, &l.db, "deep.csv");
}

/// A UTF-8 line inside a GBK file decodes as GBK without a single invalid byte when its
/// cells have an even number of bytes: 王芳 (6 bytes) reads as 鐜嬭姵. Employers with Chinese
/// names stop such rows (no employer of that garbled name), an employer with a Latin name
/// does not, and the worker is stored under a garbled name.
#[test]
fn a_utf8_line_in_a_gbk_file_is_never_stored_garbled() {
    let l = Ledger::seeded(0, 0);
    let (run, _) = import_bytes(
        &l,
        "employers",
        "e.csv",
        "企业名称,省,市\nACME,浙江省,宁波市\n".as_bytes(),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut bytes = gbk(&format!(
        "name,id_number,employer\n张三,{},ACME\n",
        id_number(1)
    ));
    bytes.extend_from_slice(format!("王芳,{},ACME\n", id_number(2)).as_bytes());
    let (run, _) = import_bytes(&l, "workers", "moji.csv", &bytes, &[]);
    let stored = l.count("SELECT count(*) FROM workers WHERE name NOT IN ('张三', '王芳')");
    assert_eq!(
        stored, 0,
        "a garbled name was stored: {} {}",
        run.stdout, run.stderr
    );
    assert_eq!(rejections(&run, "moji.csv").len(), 1, "{}", run.stderr);
}

#[test]
fn bom_followed_by_gbk_refuses_the_file_with_a_hint() {
    let l = Ledger::seeded(SEEDED, 0);
    let bytes = [
        b"\xEF\xBB\xBF".as_slice(),
        &gbk(&lines(HEADER_ZH, &rows(0..3), "\r\n")),
    ]
    .concat();
    let (run, before) = import_bytes(&l, "workers", "bomgbk.csv", &bytes, &[]);
    assert_file_refused(&l, &run, &before, "bomgbk.csv", Some(1));
    assert!(run.stderr.contains("--encoding"), "{}", run.stderr);
}

/// Excel's "CSV UTF-8" after an edit in Notepad on a GBK system: a BOM, then GBK. The message
/// suggests `--encoding gbk`, and that must then read the file (skipping the BOM).
#[test]
fn bom_followed_by_gbk_reads_with_encoding_gbk() {
    let l = Ledger::seeded(SEEDED, 0);
    let bytes = [
        b"\xEF\xBB\xBF".as_slice(),
        &gbk(&lines(HEADER_ZH, &rows(0..3), "\r\n")),
    ]
    .concat();
    let (run, before) = import_bytes(&l, "workers", "bomgbk.csv", &bytes, &["--encoding", "gbk"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("3 unchanged"), "{}", run.stdout);
    assert_nothing_written(&before, &l.db, "bomgbk.csv");
}

#[test]
fn utf16_with_bom_reads_like_utf8() {
    let l = Ledger::seeded(SEEDED, 0);
    let text = lines(HEADER_ZH, &rows(10..14), "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (run, before) = import_bytes(&l, "workers", "unicode.csv", &bytes, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("4 unchanged"), "{}", run.stdout);
    assert_nothing_written(&before, &l.db, "unicode.csv");
    // Excel's "Unicode text" is tab-separated: no column is recognised, the file is refused.
    let tabbed = text.replace(',', "\t");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(tabbed.encode_utf16().flat_map(u16::to_le_bytes));
    let (run, before) = import_bytes(&l, "workers", "unicode.txt", &bytes, &[]);
    assert_file_refused(&l, &run, &before, "unicode.txt", Some(1));
    assert!(
        run.stderr.contains("missing required column"),
        "{}",
        run.stderr
    );
}

#[test]
fn cr_only_line_endings_read_every_row() {
    let l = Ledger::seeded(SEEDED, 0);
    let bytes = lines(HEADER_ZH, &rows(20..25), "\r");
    let (run, before) = import_bytes(&l, "workers", "mac.csv", bytes.as_bytes(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("5 rows read") && run.stdout.contains("5 unchanged"),
        "{}",
        run.stdout
    );
    assert_nothing_written(&before, &l.db, "mac.csv");
    let mut bad = rows(20..25);
    bad[2] = bad[2].replacen("2020-02-18", "2020-02-30", 1);
    let (run, before) = import_bytes(
        &l,
        "workers",
        "mac.csv",
        lines(HEADER_ZH, &bad, "\r").as_bytes(),
        &[],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let fields: Vec<String> = rejections(&run, "mac.csv")
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(fields, ["cert_issued"], "{}", run.stderr);
    assert_nothing_written(&before, &l.db, "mac.csv");
}

/// A lone CR is a line break (old Mac exports): rejections name the line an editor shows.
#[test]
fn cr_only_line_endings_name_the_right_line() {
    let l = Ledger::seeded(SEEDED, 0);
    let mut bad = rows(20..25);
    bad[2] = bad[2].replacen("2020-02-18", "2020-02-30", 1);
    let (run, _) = import_bytes(
        &l,
        "workers",
        "mac.csv",
        lines(HEADER_ZH, &bad, "\r").as_bytes(),
        &[],
    );
    assert_eq!(
        rejections(&run, "mac.csv"),
        [(4, "cert_issued".to_string())],
        "{}",
        run.stderr
    );
}

#[test]
fn full_width_digits_and_lower_case_x_are_the_same_id_number() {
    let l = Ledger::seeded(SEEDED, 0);
    let with_x = (0..SEEDED)
        .find(|&n| id_number(n).ends_with('X'))
        .expect("an ID ending in X");
    let full_width = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
                _ => c,
            })
            .collect()
    };
    let mut rows = rows(30..34);
    for r in rows.iter_mut().take(2) {
        let idn = r.split(',').nth(1).unwrap_or_default().to_string();
        *r = r.replacen(&idn, &full_width(&idn), 1);
    }
    let x_row = worker_row(with_x, 60);
    rows.push(x_row.replacen('X', "x", 1));
    // The same person again, typed in full width: a duplicate within the file.
    let first = worker_row(30, 60);
    let idn = first.split(',').nth(1).unwrap_or_default().to_string();
    rows.push(first.replacen(&idn, &full_width(&idn), 1));
    let (run, before) = import_bytes(
        &l,
        "workers",
        "fw.csv",
        lines(HEADER_ZH, &rows, "\n").as_bytes(),
        &[],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(rejections(&run, "fw.csv"), [(7, "id_number".to_string())]);
    assert!(
        run.stderr.contains("same ID number as line 2"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("5 unchanged"), "{}", run.stdout);
    assert_nothing_written(&before, &l.db, "fw.csv");
}
