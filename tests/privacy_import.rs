//! Import reports never show a full ID number or phone: a rejected value that is or looks like
//! one is masked as on screen (`610902********1234`, `138****5678`), on stdout and stderr, in
//! the human report and in `--json`, in both languages.

#[path = "fixtures/nasty/support.rs"]
mod support;

use support::*;

/// Longest run of digits (ASCII or full-width) in `s`.
fn longest_digit_run(s: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

#[test]
fn rejected_id_numbers_and_phones_are_masked_in_every_report() {
    let l = Ledger::seeded(3, 0);
    let dup = id_number(7);
    let rows = [
        // A good row, then the same ID number again: the duplicate is rejected.
        worker_row(7, 60),
        worker_row(7, 60).replacen(&name(7), "李四", 1),
        // A mistyped check digit, a number one digit short, full-width digits mistyped.
        worker_row(8, 60).replacen(&id_number(8), "610928198001011235", 1),
        worker_row(9, 60).replacen(&id_number(9), "61092819800101123", 1),
        worker_row(10, 60).replacen(&id_number(10), "６１０９２８１９８００２３０１２３４", 1),
        // A phone typed into the ID column, an ID number typed into the phone column.
        worker_row(11, 60).replacen(&id_number(11), "13912345678", 1),
        worker_row(12, 60).replacen("13900000012", "610928198001011234", 1),
    ];
    let mut csv = format!("{HEADER_ZH}\n");
    for r in &rows {
        csv.push_str(r);
        csv.push('\n');
    }
    let path = l.file("masked.csv", csv.as_bytes());
    let path = path.to_string_lossy().into_owned();
    for lang in ["en", "zh"] {
        for json in [false, true] {
            let mut args = vec!["--lang", lang, "import", "workers", &path];
            if json {
                args.push("--json");
            }
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhitong"))
                .arg("--db")
                .arg(&l.db)
                .args(&args)
                .env("ZHITONG_TODAY", DAY)
                .env_remove("ZHITONG_DB")
                .output()
                .expect("run");
            let (o, e) = (
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
            assert_eq!(out.status.code(), Some(3), "{e}");
            for text in [&o, &e] {
                assert!(
                    longest_digit_run(text) <= 6,
                    "{lang} json={json}: a number shown in full:\n{text}"
                );
                assert!(!text.contains(&dup), "{text}");
            }
            let report = if json { &o } else { &e };
            assert!(report.contains("610928********1235"), "{report}");
            assert!(report.contains("139****5678"), "{report}");
            if json {
                let v: serde_json::Value = serde_json::from_str(&o).expect("JSON");
                assert_eq!(v["rejected"].as_array().map(Vec::len), Some(6), "{o}");
            }
        }
    }
}
