//! What the door and the road leave on the papers handed over: the manifest's latest reading,
//! observation seat and en-route log, the HTML footer's counts and receiver, and the
//! hand-over summary — through the real binary.

#[path = "fixtures/departure/mod.rs"]
mod fixture;

use fixture::{build, id, Fixture};
use std::process::{Command, Output};
use zhitong::ops::departure::{self as dep, Who};

fn zt(f: &Fixture, lang: &str, args: &[&str]) -> Output {
    let policy = f.dir.path().join("policy.toml");
    std::fs::write(&policy, "fever_rechecks = 0\n").unwrap();
    Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(f.path())
        .arg("--policy")
        .arg(&policy)
        .args(["--operator", "随车员小李", "--lang", lang])
        .args(args)
        .env("ZHITONG_TODAY", fixture::DAY)
        .output()
        .unwrap()
}

fn run(f: &Fixture, args: &[&str]) -> Output {
    zt(f, "en", args)
}

/// The fixture's trip of 陕G21000: once it has arrived, `--bus` names no open trip, and its
/// papers are asked for by code.
const TRIP: &str = "旬阳-20200221-01-1";

/// A trip that left with a fever refusal and a no-show, had a fever on its round (seat 4,
/// moved to the observation rows) and was handed over to 陈主管.
fn a_day_on_the_road() -> Fixture {
    let f = build(5);
    for seat in ["1", "4", "5"] {
        let o = run(
            &f,
            &[
                "board",
                "--bus",
                "陕G21000",
                "--seat",
                seat,
                "--temp",
                "36.5",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{o:?}");
    }
    let o = run(
        &f,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--seat",
            "8",
            "--temp",
            "38.6",
        ],
    );
    assert_eq!(o.status.code(), Some(4), "strict rule: refused at once");
    let o = run(
        &f,
        &[
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id(104),
            "--reason",
            "no-show",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        run(&f, &["depart", "--bus", "陕G21000"]).status.code(),
        Some(0)
    );
    let o = run(
        &f,
        &[
            "round",
            "--bus",
            "陕G21000",
            "--seat",
            "4",
            "--temp",
            "38.3",
        ],
    );
    assert_eq!(o.status.code(), Some(4), "fever en route");
    let mut ctx = f.ctx();
    dep::move_to_observation(&mut ctx, "陕G21000", Who::Seat(4), "38.4").unwrap();
    let o = run(&f, &["arrive", "--bus", "陕G21000", "--receiver", "陈主管"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    f
}

#[test]
fn the_csv_manifest_shows_the_latest_reading_the_observation_seat_and_the_road() {
    let f = a_day_on_the_road();
    let o = run(&f, &["export", "manifest", "--trip", TRIP]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let text = String::from_utf8(o.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        head[16..],
        [
            "temperature",
            "status",
            "trip_status",
            "observation_seat",
            "en_route",
            "trip"
        ]
    );
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 3, "after departure: those who travelled");
    let obs = rows.iter().find(|x| x[8] == "王芳").unwrap();
    assert_eq!(obs[16], "38.4", "the latest reading");
    assert_eq!(obs[17], "boarded (observation)");
    let seat: u32 = obs[19].parse().expect("an observation seat");
    assert!(seat >= 37, "{seat}");
    assert_eq!(obs[7], seat.to_string(), "listed on the seat they sit on");
    assert!(
        obs[20].contains("fever en route 38.3 °C (seat 4)")
            && obs[20].contains(&format!("seat 4 → {seat} (observation)")),
        "{}",
        obs[20]
    );
    let other = rows.iter().find(|x| x[7] == "1").unwrap();
    assert_eq!((other[19].as_str(), other[20].as_str()), ("", ""));
    assert!(
        rows.iter().all(|x| x[21] == TRIP),
        "every row names the trip"
    );
    // In Chinese, with its own headers.
    let o = zt(&f, "zh", &["export", "manifest", "--trip", TRIP]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("最新体温,状态,车次状态,留观座位,途中记录,车次编号"));
    assert!(text.contains("途中发热 38.3 °C（4座）"), "{text}");
    assert!(text.contains("已登车（留观）"), "{text}");
}

#[test]
fn the_html_footer_counts_the_whole_morning_and_names_the_receiver() {
    let f = a_day_on_the_road();
    let o = zt(
        &f,
        "zh",
        &["export", "manifest", "--trip", TRIP, "--format", "html"],
    );
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(
        html.contains("拒绝登车 1 人（发热 1，健康证明 0，身份 0），未到 1 人"),
        "refusals and no-shows stay counted after departure:\n{html}"
    );
    assert!(html.contains("途中留观 1 人"), "{html}");
    assert!(html.contains("交接：陈主管 于"), "{html}");
    assert!(html.contains("实收 3 人"), "{html}");
    assert!(html.contains("途中记录：</b>"), "{html}");
    assert!(html.contains("途中发热 38.3 °C（4座）"), "{html}");
    assert!(html.contains("留观座 "), "{html}");
    let o = run(
        &f,
        &["export", "manifest", "--trip", TRIP, "--format", "html"],
    );
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(
        html.contains("refused 1 (fever 1, certificate 0, identity 0), no-show 1"),
        "{html}"
    );
    assert!(html.contains("to 陈主管, 3 counted"), "{html}");
}
