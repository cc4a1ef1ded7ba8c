//! What an officer types on a hectic morning is taken as meant: temperatures with full-width
//! digits or a decimal comma, a plate by the end of its number or in lower case. What cannot be
//! told apart is refused, naming the candidates.

#[path = "fixtures/departure/mod.rs"]
mod fixture;

use fixture::{build, id, Fixture};
use serde_json::Value;
use std::process::{Command, Output};

fn zt(f: &Fixture, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .args(["--operator", "随车员小李", "--lang", lang])
        .args(args)
        .env("ZHITONG_TODAY", fixture::DAY)
        .output()
        .unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

fn json(o: &Output) -> Value {
    let out = String::from_utf8_lossy(&o.stdout);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn last_reading(f: &Fixture, idn: &str) -> f64 {
    f.conn()
        .query_row(
            "SELECT r.celsius FROM readings r JOIN workers w ON w.id = r.worker_id
              WHERE w.id_number = ?1 ORDER BY r.id DESC LIMIT 1",
            [idn],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_temperature_typed_with_full_width_digits_or_a_decimal_comma_is_recorded() {
    let f = build(4);
    for (n, typed) in [(100, "３６．５"), (101, "36,5"), (102, "３６，８℃")] {
        let o = zt(
            &f,
            "zh",
            &[
                "board",
                "--bus",
                "陕G21000",
                "--id",
                &id(n),
                "--temp",
                typed,
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{typed}: {}", err(&o));
        assert_eq!(f.worker_status(&id(n)), "boarded", "{typed}");
    }
    assert_eq!(last_reading(&f, &id(100)), 36.5);
    assert_eq!(last_reading(&f, &id(101)), 36.5);
    assert_eq!(last_reading(&f, &id(102)), 36.8);
}

#[test]
fn a_temperature_that_is_not_a_number_is_refused_in_chinese_and_nothing_is_written() {
    let f = build(4);
    let o = zt(
        &f,
        "zh",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--temp",
            "36,5,1",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("'36,5,1' 不是数字"), "{}", err(&o));
    assert!(!err(&o).contains("number"), "{}", err(&o));
    assert_eq!(f.worker_status(&id(100)), "planned");
}

#[test]
fn a_plate_is_found_by_the_end_of_its_number_or_in_lower_case() {
    let f = build(4);
    for (n, typed) in [(100, "21000"), (101, "陕g21000"), (102, "ｇ２１０００")] {
        let o = zt(
            &f,
            "en",
            &[
                "board",
                "--bus",
                typed,
                "--id",
                &id(n),
                "--temp",
                "36.5",
                "--json",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{typed}: {}", err(&o));
        assert_eq!(json(&o)["plate"], "陕G21000", "{typed}");
    }
    // Every trip command resolves a plate the same way: the manifest too.
    let o = zt(&f, "en", &["export", "manifest", "--bus", "1001"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let full = id(200);
    let masked = format!("{}********{}", &full[..6], &full[14..]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(&masked),
        "the manifest of 陕G21001 lists its passenger {masked}"
    );
}

#[test]
fn a_suffix_that_several_plates_end_with_is_refused_listing_them() {
    let f = build(4);
    f.conn()
        .execute(
            "INSERT INTO buses (plate, seats) VALUES ('陕A21000', 45), ('陕A11000', 45)",
            [],
        )
        .unwrap();
    let o = zt(
        &f,
        "zh",
        &[
            "board",
            "--bus",
            "21000",
            "--id",
            &id(100),
            "--temp",
            "36.5",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(4), "{}", err(&o));
    let v = json(&o);
    assert_eq!(v["code"], "ambiguous_plate");
    let msg = v["error"].as_str().unwrap();
    assert!(
        msg.contains("陕A21000") && msg.contains("陕G21000"),
        "{msg}"
    );
    assert!(!msg.contains("陕A11000"), "{msg}");
    assert_eq!(f.worker_status(&id(100)), "planned");
    // A suffix that no plate ends with names what was typed.
    let o = zt(
        &f,
        "zh",
        &[
            "board",
            "--bus",
            "99999",
            "--id",
            &id(100),
            "--temp",
            "36.5",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("车队中没有车辆 99999"), "{}", err(&o));
}
