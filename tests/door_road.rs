//! Corrections and the road through the real binary: `undo` of a door decision with its
//! audited reason and its refusals, and `round` readings that mark a fever for observation.

mod door_support;
#[path = "fixtures/departure/mod.rs"]
mod fixture;

use door_support::*;
use fixture::{build, id};

#[test]
fn undo_reverses_a_door_decision_with_its_reason() {
    let f = build(6);
    let undo = |who: &[&str], reason: &str| {
        let mut args = vec!["undo", "--bus", "陕G21000"];
        args.extend_from_slice(who);
        args.extend_from_slice(&["--reason", reason, "--json"]);
        zt(&f, &args)
    };
    // Boarded the wrong person: back to be checked.
    assert_eq!(code(&board(&f, "", &["--seat", "1"], "36.5")), 0);
    let o = undo(&["--seat", "1"], "认错人");
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(json(&o)["passenger"]["status"], "planned");
    assert_eq!(f.worker_status(&id(100)), "planned");
    // Refused for identity, certificate, or marked no-show by a slip of the finger.
    let refuse = |id_number: &str, reason: &str| {
        zt(
            &f,
            &[
                "refuse",
                "--bus",
                "陕G21000",
                "--id",
                id_number,
                "--reason",
                reason,
            ],
        )
    };
    assert_eq!(code(&refuse(&id(101), "identity")), 0);
    assert_eq!(code(&refuse(&id(102), "no-show")), 0);
    assert_eq!(
        refused(&board(&f, "", &["--id", &id(105)], "36.5")).1,
        "certificate"
    );
    for (who, name) in [
        (id(101), "identity"),
        (id(102), "no-show"),
        (id(105), "certificate"),
    ] {
        let o = undo(&["--id", &who], "按错了");
        assert_eq!(code(&o), 0, "{name}: {}", err(&o));
        assert_eq!(json(&o)["passenger"]["status"], "planned", "{name}");
    }
    let v = roster(&f);
    assert_eq!(v["counts"]["refused"], 0);
    assert_eq!(v["counts"]["no_show"], 0);
    // Each undo is audited with no personal data; its audit row points at the reason, which
    // is kept where purge can blank it.
    let reasons: Vec<(String, String)> = {
        let conn = f.conn();
        let mut stmt = conn
            .prepare(
                "SELECT a.after, r.text FROM audit a
                 JOIN reasons r ON r.id = json_extract(a.after, '$.reason_id')
                 WHERE a.action = 'undo' AND a.entity = 'passenger' ORDER BY a.id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert_eq!(reasons[0].1, "认错人");
    assert!(reasons.iter().all(|(_, r)| r == "认错人" || r == "按错了"));
    assert!(
        !reasons
            .iter()
            .any(|(a, _)| a.contains("认错人") || a.contains(&id(100))),
        "{reasons:?}"
    );
    // Nothing to undo for someone not checked yet.
    let o = undo(&["--seat", "8"], "试试");
    assert_eq!(refused(&o), (4, "undo_nothing".into()));
    // A reason is required.
    assert_eq!(
        code(&zt(&f, &["undo", "--bus", "陕G21000", "--seat", "1"])),
        2
    );
    assert_eq!(code(&undo(&["--seat", "1"], "  ")), 2);
}

#[test]
fn an_undo_reason_is_checked_like_any_free_text_and_never_echoed_raw() {
    let f = build(2);
    assert_eq!(code(&board(&f, "", &["--seat", "1"], "36.5")), 0);
    let undo = |lang: &str, reason: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_zhitong"))
            .arg("--db")
            .arg(f.path())
            .args(["--lang", lang, "undo", "--bus", "陕G21000", "--seat", "1"])
            .args(["--reason", reason])
            .env("ZHITONG_TODAY", fixture::DAY)
            .output()
            .unwrap()
    };
    let long = "认".repeat(201);
    for (reason, says) in [
        ("认错人\u{202e}", "U+202E"),
        ("认\u{200b}错人", "U+200B"),
        ("认错人\u{1b}[2J", "U+001B"),
        (long.as_str(), "longer than 200"),
    ] {
        let o = undo("en", reason);
        assert_eq!(code(&o), 2, "{reason:?}: {}", err(&o));
        assert!(
            err(&o).contains("reason:") && err(&o).contains(says),
            "{}",
            err(&o)
        );
        assert!(!err(&o).contains(reason) && !out(&o).contains(reason));
    }
    let o = undo("zh", "认错人\u{202e}");
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("原因：") && err(&o).contains("文字方向"),
        "{}",
        err(&o)
    );
    // Nothing was undone or kept: the passenger is still aboard, no reason stored.
    assert_eq!(line(&roster(&f), 1)["status"], "boarded");
    assert_eq!(
        f.conn()
            .query_row("SELECT COUNT(*) FROM reasons", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        0
    );
    // A good reason is kept trimmed.
    let o = undo("en", "  认错人  ");
    assert_eq!(code(&o), 0, "{}", err(&o));
    let kept: String = f
        .conn()
        .query_row("SELECT text FROM reasons", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "认错人");
}

#[test]
fn undo_cannot_take_back_a_seat_given_to_a_stand_by_nor_anything_after_departure() {
    let f = build(2);
    let o = zt(
        &f,
        &[
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--reason",
            "no-show",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    {
        let mut ctx = f.ctx();
        zhitong::ops::departure::seat_standby(&mut ctx, "陕G21000", f.worker_id(&id(300)), Some(1))
            .unwrap();
    }
    let undo = |who: &str| {
        zt(
            &f,
            &[
                "undo",
                "--bus",
                "陕G21000",
                "--id",
                who,
                "--reason",
                "来晚了",
                "--json",
            ],
        )
    };
    assert_eq!(refused(&undo(&id(100))), (4, "seat-taken".into()));
    for who in [id(300), id(101)] {
        assert_eq!(code(&board(&f, "", &["--id", &who], "36.5")), 0);
    }
    assert_eq!(code(&zt(&f, &["depart", "--bus", "陕G21000"])), 0);
    let o = undo(&id(101));
    assert_eq!(refused(&o), (4, "undo_departed".into()));
    assert_eq!(line(&roster(&f), 4)["status"], "boarded");
}

#[test]
fn a_round_reading_is_kept_and_a_fever_marks_observation() {
    let f = build(3);
    let round = |who: &[&str], temp: &str| {
        let mut args = vec!["round", "--bus", "陕G21000"];
        args.extend_from_slice(who);
        args.extend_from_slice(&["--temp", temp, "--json"]);
        zt(&f, &args)
    };
    assert_eq!(
        refused(&round(&["--seat", "1"], "36.5")),
        (4, "not-departed".into())
    );
    assert_eq!(code(&board(&f, "", &["--seat", "1"], "36.5")), 0);
    assert_eq!(code(&board(&f, "", &["--seat", "4"], "36.6")), 0);
    let o = zt(
        &f,
        &[
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id(102),
            "--reason",
            "identity",
        ],
    );
    assert_eq!(code(&o), 0);
    assert_eq!(code(&zt(&f, &["depart", "--bus", "陕G21000"])), 0);

    let o = round(&["--seat", "1"], "36.8");
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = zt(
        &f,
        &[
            "round",
            "--bus",
            "陕G21000",
            "--seat",
            "1",
            "--temp",
            "36.7",
        ],
    );
    assert_eq!(out(&o), "陕G21000 seat 1 张伟: round reading 36.7 °C");
    let o = round(&["--id", &id(101)], "38.3");
    assert_eq!(refused(&o), (4, "fever_en_route".into()));
    assert!(
        err(&o).contains("seat 4) has a fever en route, 38.3 °C: marked for observation"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("free seats 37, 38"), "{}", err(&o));
    let v = roster(&f);
    let p = line(&v, 4);
    assert_eq!(
        (
            p["status"].clone(),
            p["last_temp"].clone(),
            p["observation"].clone()
        ),
        ("boarded".into(), 38.3.into(), true.into())
    );
    assert_eq!(line(&v, 1)["observation"], false);
    assert_eq!(line(&v, 1)["last_temp"], 36.7);
    // Not aboard; a typing error; another bus's passenger.
    assert_eq!(
        refused(&round(&["--seat", "5"], "36.5")),
        (4, "not-aboard".into())
    );
    assert_eq!(code(&round(&["--seat", "1"], "3.65")), 1);
    assert_eq!(
        refused(&round(&["--id", &id(200)], "36.5")),
        (4, "wrong-bus".into())
    );
    // Readings of the round and the trip log agree.
    assert_eq!(
        f.count("SELECT COUNT(*) FROM readings WHERE place = 'round'"),
        3
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM trip_events WHERE kind = 'round'"),
        3
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM trip_events WHERE kind = 'fever' AND note = 'en route'"),
        1
    );
    // The hand-over names whoever is under observation.
    let o = zt(&f, &["arrive", "--bus", "陕G21000", "--receiver", "陈主管"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        out(&o).contains("under observation: seat 4 王芳 38.3 °C"),
        "{}",
        out(&o)
    );
}

#[test]
fn the_doors_refusals_speak_chinese_in_chinese() {
    let f = build(3);
    let zh = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_zhitong"))
            .arg("--db")
            .arg(f.path())
            .args(["--lang", "zh"])
            .args(args)
            .env("ZHITONG_TODAY", fixture::DAY)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(4), "{o:?}");
        let text = String::from_utf8_lossy(&o.stderr).into_owned();
        // Plates and units are the only Latin letters allowed in a Chinese sentence.
        let bare = text
            .replace("陕G21000", "")
            .replace("°C", "")
            .replace("zhitong:", "");
        assert!(
            !bare.chars().any(|c| c.is_ascii_alphabetic()),
            "English in a Chinese message: {text}"
        );
        text
    };
    let bus = ["--bus", "陕G21000"];
    let with = |head: &[&'static str], tail: &[&str]| -> Vec<String> {
        head.iter()
            .chain(&bus)
            .chain(tail)
            .map(|s| s.to_string())
            .collect()
    };
    let run = |args: Vec<String>| zh(&args.iter().map(String::as_str).collect::<Vec<_>>());
    run(with(&["undo"], &["--seat", "1", "--reason", "试试"]));
    run(with(&["board"], &["--seat", "1", "--temp", "38.0"]));
    run(with(&["board"], &["--seat", "1", "--temp", "36.5"]));
    run(with(&["undo"], &["--seat", "1", "--reason", "误测"]));
    let o = zt(
        &f,
        &[
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id(101),
            "--reason",
            "identity",
        ],
    );
    assert_eq!(code(&o), 0);
    assert!(run(with(&["board"], &["--seat", "4", "--temp", "36.5"])).contains("身份不符"));
    assert_eq!(
        code(&zt(
            &f,
            &[
                "board",
                "--bus",
                "陕G21000",
                "--seat",
                "5",
                "--temp",
                "36.5"
            ]
        )),
        0
    );
    assert_eq!(
        code(&zt(
            &f,
            &[
                "refuse",
                "--bus",
                "陕G21000",
                "--id",
                &id(100),
                "--reason",
                "no-show"
            ]
        )),
        0
    );
    assert_eq!(code(&zt(&f, &["depart", "--bus", "陕G21000"])), 0);
    run(with(&["round"], &["--seat", "5", "--temp", "38.2"]));
    run(with(&["undo"], &["--seat", "5", "--reason", "误测"]));
}
