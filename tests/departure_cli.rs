//! `zhitong board|refuse|depart|arrive` as scripts see them: output, JSON and exit codes.

#[path = "fixtures/departure/mod.rs"]
mod fixture;

use fixture::{build, id, Fixture};
use serde_json::Value;
use std::process::{Command, Output};

fn zt(f: &Fixture, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .args(["--operator", "随车员小李", "--lang", "en"])
        .args(args)
        .env("ZHITONG_TODAY", fixture::DAY)
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}
fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}
fn json(o: &Output) -> Value {
    serde_json::from_str(&out(o)).unwrap_or_else(|e| panic!("{e}: {}", out(o)))
}
fn masked(n: u16) -> String {
    let full = id(n);
    format!("{}********{}", &full[..6], &full[14..])
}

#[test]
fn board_prints_one_line_with_the_masked_id_and_the_count() {
    let f = build(6);
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--temp",
            "36.5",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        out(&o),
        format!(
            "陕G21000 seat 1 张伟 {} boarded 36.5 °C (1/6 boarded)",
            masked(100)
        )
    );
    assert!(!out(&o).contains(&id(100)));
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--seat",
            "4",
            "--temp",
            "36.9",
            "--json",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let v = json(&o);
    assert_eq!(v["plate"], "陕G21000");
    assert_eq!(v["passenger"]["seat"], 4);
    assert_eq!(v["passenger"]["name"], "王芳");
    assert_eq!(v["passenger"]["id_number"], masked(101));
    assert_eq!(v["passenger"]["status"], "boarded");
    assert_eq!(v["passenger"]["temperature"], 36.9);
    assert_eq!(v["counts"]["boarded"], 2);
    assert_eq!(v["counts"]["expected"], 6);
    assert_eq!(v["counts"]["missing"], 4);
    assert!(!out(&o).contains(&id(101)));
    let operator: String = f
        .conn()
        .query_row("SELECT DISTINCT operator FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(operator, "随车员小李");
}

#[test]
fn rule_refusals_exit_4_with_the_reason() {
    let f = build(6);
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--temp",
            "37.6",
        ],
    );
    assert_eq!(code(&o), 4);
    assert!(
        err(&o).contains("fever: 37.6 °C (≥ 37.3 °C): re-check after a 10-minute rest"),
        "{}",
        err(&o)
    );
    assert_eq!(out(&o), "");
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G21001",
            "--id",
            &id(101),
            "--temp",
            "36.5",
            "--json",
        ],
    );
    assert_eq!(code(&o), 4);
    assert_eq!(err(&o), "zhitong: wrong bus: go to 陕G21000 seat 4");
    let v = json(&o);
    assert_eq!(v["code"], "wrong-bus");
    assert_eq!(v["error"], "wrong bus: go to 陕G21000 seat 4");
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(400),
            "--temp",
            "36.5",
            "--json",
        ],
    );
    assert_eq!(
        (code(&o), json(&o)["code"].clone()),
        (4, "not-on-roster".into())
    );
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(105),
            "--temp",
            "36.5",
            "--json",
        ],
    );
    assert_eq!(
        (code(&o), json(&o)["code"].clone()),
        (4, "certificate".into())
    );
    let o = zt(&f, &["depart", "--bus", "陕G21000", "--json"]);
    assert_eq!(
        (code(&o), json(&o)["code"].clone()),
        (4, "unaccounted".into())
    );
    assert!(
        err(&o).contains(
            "5 passenger(s) unaccounted for (seats 1 (re-check), 4, 5, 8, 9): board them or \
             mark them refused or no-show; 1 of them in re-check"
        ),
        "{}",
        err(&o)
    );
}

#[test]
fn errors_exit_1_and_write_nothing() {
    let f = build(6);
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--temp",
            "365",
        ],
    );
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains("365 °C is not plausible"), "{}", err(&o));
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G99999",
            "--seat",
            "1",
            "--temp",
            "36.5",
            "--json",
        ],
    );
    assert_eq!(code(&o), 1);
    assert_eq!(json(&o)["code"], "error");
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            "61092819850101",
            "--temp",
            "36.5",
        ],
    );
    assert_eq!(code(&o), 1);
    let o = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .args([
            "--readonly",
            "board",
            "--bus",
            "陕G21000",
            "--seat",
            "1",
            "--temp",
            "36.5",
        ])
        .env("ZHITONG_TODAY", fixture::DAY)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains("read-only"), "{}", err(&o));
    assert_eq!(f.count("SELECT COUNT(*) FROM audit"), 0);
    assert_eq!(f.trip_status(1), "planned");
    // Neither --id nor --seat, or both: a usage error.
    let o = zt(&f, &["board", "--bus", "陕G21000", "--temp", "36.5"]);
    assert_eq!(code(&o), 2);
    let o = zt(
        &f,
        &[
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id(101),
            "--seat",
            "4",
            "--reason",
            "fever",
        ],
    );
    assert_eq!(code(&o), 2);
}

#[test]
fn a_whole_morning_from_the_command_line() {
    let f = build(3);
    let bus = ["--bus", "陕G21000"];
    let run = |args: &[&str]| {
        let mut all = vec![args[0]];
        all.extend_from_slice(&bus);
        all.extend_from_slice(&args[1..]);
        zt(&f, &all)
    };
    assert_eq!(code(&run(&["board", "--seat", "1", "--temp", "36.5"])), 0);
    let o = run(&["refuse", "--id", &id(101), "--reason", "identity"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        out(&o),
        format!(
            "陕G21000 seat 4 王芳 {} refused (identity), seat freed (1/2 boarded)",
            masked(101)
        )
    );
    // The attendant may name the seat instead of the ID number.
    let o = run(&["refuse", "--seat", "5", "--reason", "no-show", "--json"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let v = json(&o);
    assert_eq!(v["passenger"]["id_number"], masked(102));
    assert_eq!(v["passenger"]["status"], "no-show");
    assert_eq!(v["counts"]["no_show"], 1);
    assert_eq!(v["counts"]["expected"], 1);
    let o = run(&["arrive", "--receiver", "陈主管"]);
    assert_eq!(code(&o), 4, "arrive before departure");
    let o = run(&["depart"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        out(&o).starts_with("陕G21000 departed at 20")
            && out(&o).ends_with("1 aboard, 1 refused, 1 no-show"),
        "{}",
        out(&o)
    );
    let o = run(&["depart", "--json"]);
    assert_eq!((code(&o), json(&o)["code"].clone()), (4, "closed".into()));
    let o = run(&["arrive", "--receiver", "陈主管", "--json"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let v = json(&o);
    assert_eq!(v["plate"], "陕G21000");
    assert_eq!(v["receiver"], "陈主管");
    assert_eq!(v["headcount"], 1);
    assert_eq!(v["refused"]["identity"], 1);
    assert_eq!(v["no_show"], 1);
    assert_eq!(f.trip_status(1), "arrived");
}

#[test]
fn chinese_interface_speaks_chinese() {
    let f = build(2);
    let o = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .args([
            "--lang",
            "zh",
            "board",
            "--bus",
            "陕G21001",
            "--id",
            &id(100),
            "--temp",
            "36.5",
        ])
        .env("ZHITONG_TODAY", fixture::DAY)
        .output()
        .unwrap();
    assert_eq!(code(&o), 4);
    assert_eq!(err(&o), "zhitong: 上错车：请到 陕G21000 1座");
    let o = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .args([
            "--lang",
            "zh",
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--temp",
            "36.5",
        ])
        .env("ZHITONG_TODAY", fixture::DAY)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert_eq!(
        out(&o),
        format!(
            "陕G21000 1座 张伟 {} 已登车 36.5 °C（已登车 1/2）",
            masked(100)
        )
    );
}

#[test]
fn other_means_frees_a_planned_seat_and_counts_apart() {
    let f = build(6);
    // A planned passenger goes by train instead: the seat is freed as a no-show.
    let o = zt(
        &f,
        &["other-means", "--id", &id(101), "--means", "火车", "--json"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let j = json(&o);
    assert_eq!(j["status"], "other-means");
    assert_eq!(j["id_number"], masked(101));
    assert_eq!(j["date"], fixture::DAY);
    let stats = json(&zt(&f, &["stats", "--json", "--date", fixture::DAY]));
    let trip = stats["trips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["plate"] == "陕G21000")
        .unwrap()
        .clone();
    assert_eq!(trip["expected"], 5, "{trip}");
    assert_eq!(trip["no_show"], 1, "{trip}");
    // A registered worker, on another day, in human output.
    let o = zt(
        &f,
        &[
            "other-means",
            "--id",
            &id(300),
            "--means",
            "own car",
            "--date",
            "2020-02-20",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(out(&o).contains("own car 2020-02-20"), "{}", out(&o));
    // Unknown person: exit 1; malformed number: exit 2; no means: exit 2.
    assert_eq!(
        code(&zt(
            &f,
            &["other-means", "--id", &id(400), "--means", "火车"]
        )),
        1
    );
    assert_eq!(
        code(&zt(&f, &["other-means", "--id", "123", "--means", "火车"])),
        2
    );
    assert_eq!(
        code(&zt(&f, &["other-means", "--id", &id(302), "--means", " "])),
        2
    );
}

#[test]
fn a_batch_departure_time_and_gathering_point_change_until_a_bus_leaves() {
    let f = build(1);
    let batch = "旬阳-20200221-01";
    let o = zt(
        &f,
        &[
            "batch",
            "--code",
            batch,
            "--departure",
            "06:30",
            "--gathering",
            "蜀河镇政府",
            "--json",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let j = json(&o);
    assert_eq!(j["departure"], "2020-02-21T06:30");
    assert_eq!(j["gathering_point"], "蜀河镇政府");
    // Only the time: the gathering point stays.
    let o = zt(&f, &["batch", "--code", batch, "--departure", "06:45"]);
    assert_eq!(out(&o), format!("{batch} 2020-02-21 06:45 蜀河镇政府"));
    let stored: (String, String) = rusqlite::Connection::open(f.path())
        .unwrap()
        .query_row(
            "SELECT departure, gathering_point FROM batches WHERE code = ?1",
            [batch],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(stored, ("2020-02-21T06:45".into(), "蜀河镇政府".into()));
    // Bad time: exit 2; unknown batch: exit 1; nothing to change: exit 2.
    assert_eq!(
        code(&zt(&f, &["batch", "--code", batch, "--departure", "6点半"])),
        2
    );
    assert_eq!(
        code(&zt(
            &f,
            &["batch", "--code", "无此批次", "--departure", "06:00"]
        )),
        1
    );
    assert_eq!(code(&zt(&f, &["batch", "--code", batch])), 2);
    // Once a bus of the batch has left, the batch is history: refused, exit 4.
    let o = zt(
        &f,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--temp",
            "36.4",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = zt(&f, &["depart", "--bus", "陕G21000"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = zt(&f, &["batch", "--code", batch, "--departure", "08:00"]);
    assert_eq!(code(&o), 4, "{}", out(&o));
}
