//! Spreadsheets with nasty content — a 10 MB line, binary garbage, formula cells, a header only,
//! duplicate headers, an empty file, 100,000 bad rows, absurdly long cells, a stray quote —
//! imported by the real binary into a ledger that already holds data: a clear message naming
//! file, line and field, the ledger as it was, never a panic.

#[path = "fixtures/nasty/support.rs"]
mod support;

use support::*;

const SEEDED: u32 = 120;

fn with_header(rows: &[String]) -> String {
    let mut s = format!("{HEADER_ZH}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

/// Worker `n` of the seeded ledger with column `col` replaced by `value`.
fn row_with(n: u32, col: usize, value: &str) -> String {
    let row = worker_row(n, 60);
    let mut cells: Vec<&str> = row.split(',').collect();
    cells[col] = value;
    cells.join(",")
}

fn ten_megabyte_name_file() -> Vec<u8> {
    with_header(&[
        worker_row(0, 60),
        row_with(1, 0, &"A".repeat(10 << 20)),
        worker_row(2, 60),
    ])
    .into_bytes()
}

#[test]
fn a_ten_megabyte_line_is_one_rejected_row() {
    let l = Ledger::seeded(SEEDED, 0);
    let (run, before) = import_bytes(&l, "workers", "huge.csv", &ten_megabyte_name_file(), &[]);
    assert_eq!(run.code, 3, "{}", head(&run.stderr));
    assert_eq!(rejections(&run, "huge.csv"), [(3, "name".to_string())]);
    assert!(run.stdout.contains("2 unchanged"), "{}", run.stdout);
    assert_nothing_written(&before, &l.db, "huge.csv");
    // Ten megabytes without a comma as the header: refused, and the message stays short.
    let mut bytes = vec![b'x'; 10 << 20];
    bytes.extend_from_slice(b"\n");
    let (run, before) = import_bytes(&l, "workers", "wide.csv", &bytes, &[]);
    assert_file_refused(&l, &run, &before, "wide.csv", Some(1));
    assert!(
        run.stderr.len() < 1000,
        "{} bytes of message",
        run.stderr.len()
    );
}

/// A rejected cell is echoed cut short, not ten megabytes of `A` on one terminal line.
#[test]
fn a_ten_megabyte_cell_is_not_echoed_whole() {
    let l = Ledger::seeded(SEEDED, 0);
    let (run, _) = import_bytes(&l, "workers", "huge.csv", &ten_megabyte_name_file(), &[]);
    assert!(
        run.stderr.len() < 64 << 10,
        "{} bytes on stderr",
        run.stderr.len()
    );
}

/// Deterministic noise (xorshift): the same bytes on every run.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

#[test]
fn binary_files_are_refused_whole() {
    let l = Ledger::seeded(SEEDED, 0);
    let png = [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), &noise(4096, 7)].concat();
    let xlsx = [
        b"PK\x03\x04\x14\0\x06\0".as_slice(),
        &noise(4096, 11),
        b"[Content_Types].xml",
    ]
    .concat();
    let files: [(&str, Vec<u8>); 4] = [
        ("photo.png", png),
        ("ledger.xlsx", xlsx),
        ("zeros.csv", vec![0; 64 << 10]),
        ("noise.csv", noise(256 << 10, 3)),
    ];
    for (name, bytes) in files {
        let (run, before) = import_bytes(&l, "workers", name, &bytes, &[]);
        assert_file_refused(&l, &run, &before, name, None);
        assert!(run.stderr.lines().count() <= 2, "{name}: {}", run.stderr);
    }
}

#[test]
fn nul_bytes_in_a_row_reject_that_row() {
    let l = Ledger::seeded(SEEDED, 0);
    let rows = [
        worker_row(0, 60),
        row_with(1, 5, "东\0\0村"),
        worker_row(2, 60),
    ];
    let (run, before) = import_bytes(&l, "workers", "nul.csv", with_header(&rows).as_bytes(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(rejections(&run, "nul.csv"), [(3, "village".to_string())]);
    assert_nothing_written(&before, &l.db, "nul.csv");
}

/// A rejected cell must not reach the terminal as it was in the file: NULs, and escape
/// sequences that retitle the window, clear the screen or worse.
#[test]
fn rejected_cells_cannot_drive_the_terminal() {
    let l = Ledger::seeded(SEEDED, 0);
    let rows = [
        row_with(1, 0, "\u{1b}]0;owned\u{7}\u{1b}[2J王五"),
        row_with(2, 5, "东\0\0村"),
    ];
    let (run, _) = import_bytes(&l, "workers", "esc.csv", with_header(&rows).as_bytes(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let raw: Vec<char> = run
        .stderr
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(raw.is_empty(), "control characters on stderr: {raw:?}");
}

#[test]
fn formula_cells_are_stored_as_text_and_break_nothing() {
    let l = Ledger::seeded(0, 4);
    let employers = "企业名称,省,市,地址,联系人,联系电话\n\
        \"=HYPERLINK(\"\"http://example.com\"\",\"\"点此\"\")\",浙江省,宁波市,@SUM(A1:A9),-陈经理,\n";
    let (run, _) = import_bytes(&l, "employers", "formula-e.csv", employers.as_bytes(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Stored with full-width brackets, as every firm name is (see io/values.rs `firm_name`).
    let employer = "=HYPERLINK（\"http://example.com\",\"点此\"）";
    let csv_employer = "\"=HYPERLINK(\"\"http://example.com\"\",\"\"点此\"\")\"";
    let cells = [
        (
            "=王五",
            "=cmd|' /C calc'!A0",
            "+SUM(A1:A9)",
            "'); DROP TABLE workers;--",
        ),
        ("+李四", "-2+3", "@SUM(1+1)", "=1+1"),
        ("@赵六", "=1/0", "-1", "\t=2+5"),
        ("-孙七", "+86", "=A1", "\"=\"\"x\"\"\""),
    ];
    let mut text = format!("{HEADER_ZH}\n");
    for (i, (name, township, village, issuer)) in cells.iter().enumerate() {
        let issuer = if issuer.starts_with('"') {
            issuer.to_string()
        } else {
            format!("\"{issuer}\"")
        };
        text.push_str(&format!(
            "{name},{},,旬阳县,\"{township}\",{village},{csv_employer},2020-02-18,,{issuer}\n",
            id_number(i as u32)
        ));
    }
    let (run, _) = import_bytes(&l, "workers", "formula.csv", text.as_bytes(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("4 new"), "{}", run.stdout);
    for (name, township, village, _) in cells {
        let sql = format!(
            "SELECT count(*) FROM workers w JOIN employers e ON e.id = w.employer_id
             WHERE w.name = '{}' AND w.township = '{}' AND w.village = '{}' AND e.name = '{}'",
            name.replace('\'', "''"),
            township.replace('\'', "''"),
            village.replace('\'', "''"),
            employer.replace('\'', "''"),
        );
        assert_eq!(l.count(&sql), 1, "{name} not stored verbatim");
    }
    assert_eq!(
        l.count("SELECT count(*) FROM workers WHERE cert_issuer = '''); DROP TABLE workers;--'"),
        1
    );
    // The same file again changes nothing; planning and its JSON carry the text unharmed.
    let (run, before) = import_bytes(&l, "workers", "formula.csv", text.as_bytes(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_nothing_written(&before, &l.db, "formula.csv again");
    let plan = l.run(&["plan", "--date", DAY, "--json"]);
    plan.assert_no_panic();
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let names: Vec<String> = plan.json()["buses"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|b| b["passengers"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    for want in ["=王五", "+李四", "@赵六", "-孙七"] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing from the plan: {names:?}"
        );
    }
}

#[test]
fn a_header_only_imports_nothing_and_says_so() {
    let l = Ledger::seeded(SEEDED, 0);
    let files: [(&str, Vec<u8>); 3] = [
        ("zh.csv", format!("{HEADER_ZH}\n").into_bytes()),
        ("en.csv", HEADER_EN.as_bytes().to_vec()),
        (
            "bom.csv",
            format!("\u{FEFF}{HEADER_ZH}\r\n\r\n,,,,\r\n").into_bytes(),
        ),
    ];
    for (name, bytes) in files {
        let (run, before) = import_bytes(&l, "workers", name, &bytes, &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(
            run.stdout.starts_with(name) && run.stdout.contains("0 rows read"),
            "{}",
            run.stdout
        );
        assert_nothing_written(&before, &l.db, name);
    }
}

#[test]
fn duplicate_headers_refuse_the_file_naming_both() {
    let l = Ledger::seeded(SEEDED, 2);
    let cases = [
        (
            "workers",
            "a.csv",
            "姓名,身份证号,意向企业,name\n张三,1,x,张三\n",
            "'name' appears twice (also as '姓名')",
        ),
        (
            "workers",
            "b.csv",
            "姓名,身份证号,身份证号码,意向企业\n",
            "'身份证号码' appears twice (also as '身份证号')",
        ),
        (
            "workers",
            "c.csv",
            "name,ID Number,id_number,employer\n",
            "'id_number' appears twice (also as 'ID Number')",
        ),
        (
            "fleet",
            "d.csv",
            "车牌号,核定座位,出发区县,plate\n",
            "'plate' appears twice (also as '车牌号')",
        ),
        (
            "employers",
            "e.csv",
            "企业名称,省,市,城市\n",
            "'城市' appears twice (also as '市')",
        ),
    ];
    for (kind, name, text, says) in cases {
        let (run, before) = import_bytes(&l, kind, name, text.as_bytes(), &[]);
        assert_file_refused(&l, &run, &before, name, Some(1));
        assert!(run.stderr.contains(says), "{name}: {}", run.stderr);
    }
}

#[test]
fn an_empty_file_is_refused() {
    let l = Ledger::seeded(SEEDED, 0);
    let files: [(&str, &[u8]); 4] = [
        ("zero.csv", b""),
        ("bom.csv", b"\xEF\xBB\xBF"),
        ("blank.csv", b"\r\n\r\n  \n"),
        ("commas.csv", b",,,\n,,\n"),
    ];
    for (name, bytes) in files {
        let (run, before) = import_bytes(&l, "workers", name, bytes, &[]);
        assert_file_refused(&l, &run, &before, name, None);
        assert!(run.stderr.contains("empty"), "{name}: {}", run.stderr);
    }
    let dir = l.dir.path().to_string_lossy().into_owned();
    let before = l.snapshot();
    for path in [dir.clone(), format!("{dir}/missing.csv")] {
        let run = l.run(&["import", "workers", &path]);
        run.assert_no_panic();
        assert_eq!(run.code, 1, "{path}: {}", run.stderr);
        assert_eq!(l.snapshot(), before);
    }
}

/// 100,000 rows, each wrong in one of five ways.
fn bad_rows(n: u32) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| match i % 5 {
            0 => {
                let id = id_number(i);
                let wrong = if id.ends_with('0') { '1' } else { '0' };
                row_with(i, 1, &format!("{}{wrong}", &id[..17]))
            }
            1 => row_with(i, 0, "张3"),
            2 => row_with(i, 6, "不存在的厂"),
            3 => row_with(i, 7, "2020-13-01"),
            _ => row_with(i, 2, "12345"),
        })
        .collect();
    with_header(&rows)
}

#[test]
fn a_hundred_thousand_bad_rows_are_all_rejected() {
    let l = Ledger::seeded(SEEDED, 0);
    let (run, before) = import_bytes(&l, "workers", "bad.csv", bad_rows(100_000).as_bytes(), &[]);
    assert_eq!(run.code, 3);
    assert!(
        run.stdout.contains("100000 rows read") && run.stdout.contains("100000 rejected"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("bad.csv:100001: "),
        "the last line is named"
    );
    assert_nothing_written(&before, &l.db, "bad.csv");
}

/// 100,000 rejected rows must not scroll past as 100,000 lines: the first ones, a summary
/// ("… 99,799 more; --json lists them all") and the last one keep the terminal usable.
#[test]
fn a_hundred_thousand_bad_rows_do_not_flood_the_terminal() {
    let l = Ledger::seeded(SEEDED, 0);
    let (run, _) = import_bytes(&l, "workers", "bad.csv", bad_rows(100_000).as_bytes(), &[]);
    assert!(
        run.stderr.lines().count() <= 1000,
        "{} lines on stderr",
        run.stderr.lines().count()
    );
}

#[test]
fn absurdly_long_cells_are_rejected_by_field() {
    let l = Ledger::seeded(SEEDED, 3);
    let rows = [
        row_with(0, 0, &"王".repeat(31)),
        row_with(1, 5, &"村".repeat(31)),
        row_with(2, 9, &"院".repeat(61)),
        row_with(3, 6, &"厂".repeat(10_000)),
        row_with(4, 1, &"6".repeat(1000)),
        row_with(5, 2, &"1".repeat(1000)),
        worker_row(6, 60),
    ];
    let (run, before) = import_bytes(
        &l,
        "workers",
        "long.csv",
        with_header(&rows).as_bytes(),
        &[],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let want: Vec<(u64, String)> = [
        (2, "name"),
        (3, "village"),
        (4, "cert_issuer"),
        (5, "employer"),
        (6, "id_number"),
        (7, "phone"),
    ]
    .iter()
    .map(|(l, f)| (*l, f.to_string()))
    .collect();
    assert_eq!(rejections(&run, "long.csv"), want);
    assert_nothing_written(&before, &l.db, "long.csv");
    let employers = format!(
        "企业名称,省,市,地址\n{},浙江省,宁波市,\n新厂,浙江省,宁波市,{}\n",
        "厂".repeat(61),
        "路".repeat(101)
    );
    let (run, before) = import_bytes(&l, "employers", "long-e.csv", employers.as_bytes(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        rejections(&run, "long-e.csv"),
        [(2, "name".to_string()), (3, "address".to_string())]
    );
    assert_nothing_written(&before, &l.db, "long-e.csv");
    let fleet = format!(
        "车牌号,核定座位,运输公司,出发区县\n陕G9{},45,x,旬阳县\n陕G90001,0,x,旬阳县\n陕G90002,１０００００００００,x,旬阳县\n陕G90003,45,{},旬阳县\n",
        "9".repeat(5000),
        "司".repeat(61)
    );
    let (run, before) = import_bytes(&l, "fleet", "long-f.csv", fleet.as_bytes(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let fields: Vec<(u64, String)> = [(2, "plate"), (3, "seats"), (4, "seats"), (5, "operator")]
        .iter()
        .map(|(l, f)| (*l, f.to_string()))
        .collect();
    assert_eq!(rejections(&run, "long-f.csv"), fields);
    assert_nothing_written(&before, &l.db, "long-f.csv");
}

/// A quote opened in a cell and never closed: the rest of the file is one cell.
fn stray_quote_file() -> String {
    let mut rows = vec![worker_row(0, 60), format!("\"{}", worker_row(1, 60))];
    rows.extend((2..SEEDED).map(|n| worker_row(n, 60)));
    with_header(&rows)
}

#[test]
fn a_stray_quote_is_rejected_and_nothing_written() {
    let l = Ledger::seeded(SEEDED, 0);
    let (run, before) = import_bytes(
        &l,
        "workers",
        "quote.csv",
        stray_quote_file().as_bytes(),
        &[],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(!rejections(&run, "quote.csv").is_empty(), "{}", run.stderr);
    assert_nothing_written(&before, &l.db, "quote.csv");
}

/// The row is named at its line, but its reason speaks of its name ("contains digits"), the
/// rest of the file is echoed as its value, and the 118 rows swallowed after it are counted
/// nowhere ("2 rows read" of 120): the user must be told that a quote is left open.
#[test]
fn a_stray_quote_names_its_line_and_what_it_swallowed() {
    let l = Ledger::seeded(SEEDED, 0);
    let (run, _) = import_bytes(
        &l,
        "workers",
        "stray.csv",
        stray_quote_file().as_bytes(),
        &[],
    );
    let r = rejections(&run, "stray.csv");
    assert_eq!(r.first().map(|r| r.0), Some(3), "{}", head(&run.stderr));
    assert!(
        run.stderr.contains("quote") || run.stderr.contains('"'),
        "the reason should mention the quote: {}",
        head(&run.stderr)
    );
    assert!(
        run.stderr.len() < 2000,
        "the swallowed rows are echoed: {} bytes",
        run.stderr.len()
    );
}

#[test]
fn a_broken_policy_file_stops_before_anything_is_read() {
    let l = Ledger::seeded(SEEDED, 0);
    let csv = l.file("w.csv", with_header(&[worker_row(500, 60)]).as_bytes());
    let csv = csv.to_string_lossy().into_owned();
    let policies: [(&str, Vec<u8>, &str); 4] = [
        (
            "png.toml",
            [b"\x89PNG\r\n\x1a\n".as_slice(), &noise(512, 5)].concat(),
            "png.toml",
        ),
        ("range.toml", b"load_factor = 2.5\n".to_vec(), "load_factor"),
        (
            "nan.toml",
            b"fever_threshold = nan\n".to_vec(),
            "fever_threshold",
        ),
        ("typo.toml", b"load_facter = 0.5\n".to_vec(), "load_facter"),
    ];
    for (name, bytes, says) in policies {
        let p = l.file(name, &bytes).to_string_lossy().into_owned();
        let before = l.snapshot();
        let run = l.run(&["--policy", &p, "import", "workers", &csv]);
        run.assert_no_panic();
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(name) && run.stderr.contains(says),
            "{name}: {}",
            run.stderr
        );
        assert_eq!(l.snapshot(), before, "{name}");
    }
}
