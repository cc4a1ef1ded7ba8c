//! A day on the road with a pack, through the real binary: the attendant boards, re-checks a
//! fever, departs, takes a round with a fever and hands over at the gate, all on the pack;
//! the office merges it and the ledger shows exactly what happened, once. The pack carries no
//! full ID number and nobody from another bus.

#[path = "fixtures/departure/mod.rs"]
mod fixture;
mod pack_support;

use fixture::id;
use pack_support::*;
use serde_json::json;

/// The seats of the first four passengers of 陕G21000, as the roster lists them.
fn seats(d: &Day) -> Vec<u32> {
    let r = d.roster(&d.f.db);
    r["passengers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["seat"].as_u64().unwrap() as u32)
        .collect()
}

/// The road as the attendant lives it, on the pack.
fn the_road(d: &Day, s: &[u32]) {
    let ok = |o: std::process::Output| assert_eq!(code(&o), 0, "{} {}", out(&o), err(&o));
    let refused = |o: std::process::Output, want: &str| {
        assert_eq!(code(&o), 4, "{} {}", out(&o), err(&o));
        assert_eq!(json(&o)["code"], want, "{}", err(&o));
    };
    let s1 = s[1].to_string();
    let s0 = s[0].to_string();
    // A full number typed at the door finds the passenger through the pack's digest.
    ok(d.road(
        "06:30",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--temp",
            "36.5",
        ],
    ));
    ok(d.road(
        "06:31",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--seat",
            &s1,
            "--temp",
            "36.6",
        ],
    ));
    refused(
        d.road(
            "06:32",
            &[
                "board",
                "--trip",
                TRIP,
                "--id",
                &id(102),
                "--temp",
                "38.2",
                "--json",
            ],
        ),
        "fever_recheck",
    );
    ok(d.road(
        "06:33",
        &[
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id(103),
            "--reason",
            "no-show",
        ],
    ));
    // One minute later: the pack decides by the office's policy (no rest), not the default.
    ok(d.road(
        "06:34",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(102),
            "--temp",
            "36.7",
        ],
    ));
    ok(d.road("07:00", &["depart", "--bus", "陕G21000"]));
    refused(
        d.road(
            "11:00",
            &[
                "round",
                "--bus",
                "陕G21000",
                "--seat",
                &s0,
                "--temp",
                "38.4",
                "--json",
            ],
        ),
        "fever_en_route",
    );
    ok(d.road(
        "20:30",
        &["arrive", "--bus", "陕G21000", "--receiver", "陈经理"],
    ));
}

#[test]
fn a_day_on_the_road_lands_in_the_ledger_exactly_once() {
    let d = Day::new(4);
    let s = seats(&d);
    d.make_pack("05:30");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&d.pack).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the pack holds personal data");
    }
    the_road(&d, &s);
    let on_pack = d.roster(&d.pack);
    assert_eq!(on_pack["status"], "arrived");
    let before = d.roster(&d.f.db);
    assert_eq!(
        before["status"], "planned",
        "nothing reached the ledger yet"
    );

    let (c, report) = d.merge("21:00");
    assert_eq!(c, 0);
    assert_eq!(
        report,
        json!({"applied": 8, "already": 0, "conflicts": []}),
        "board ×3, re-check, no-show, depart, round, arrive"
    );
    let ledger = d.roster(&d.f.db);
    assert_eq!(
        lines(&ledger),
        lines(&on_pack),
        "every passenger as on the road"
    );
    assert_eq!(ledger["counts"], on_pack["counts"]);
    assert_eq!(ledger["status"], "arrived");
    let p = seat(&ledger, s[0]);
    assert_eq!(
        (&p["status"], &p["last_temp"], &p["observation"]),
        (&json!("boarded"), &json!(38.4), &json!(true)),
        "the round's fever is in the ledger"
    );
    assert_eq!(
        seat(&ledger, s[2])["last_temp"],
        36.7,
        "the re-check boarded"
    );
    assert_eq!(seat(&ledger, s[3])["status"], "no_show");

    // The statistics count the trip on the road's times, not the merge's.
    let o = d.office("23:00", &["stats", "--date", "2020-02-21", "--json"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let stats = json(&o);
    let trip = stats["trips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["trip"] == TRIP)
        .unwrap()
        .clone();
    assert_eq!(trip["departed_at"], "2020-02-21T07:00:00+08:00");
    assert_eq!(trip["arrived_at"], "2020-02-21T20:30:00+08:00");
    assert_eq!(
        (&trip["boarded"], &trip["no_show"], &trip["arrived_count"]),
        (&json!(3), &json!(1), &json!(3))
    );
    assert_eq!(stats["day"]["people"], 3, "{}", stats["day"]);

    // The audit shows who acted on the road and when, and who merged.
    let c = d.f.conn();
    let boards: Vec<(String, String)> = c
        .prepare(
            "SELECT operator, at FROM audit WHERE action = 'board' AND entity = 'passenger'
             ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        boards,
        [
            (ROAD.to_string(), at("06:30")),
            (ROAD.to_string(), at("06:31")),
            (ROAD.to_string(), at("06:34")),
        ]
    );
    let merges: Vec<(String, String)> = c
        .prepare("SELECT DISTINCT operator, substr(at, 1, 16) FROM audit WHERE action = 'merge'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        merges,
        [(OFFICE.to_string(), "2020-02-21T21:00".to_string())]
    );
    let readings: Vec<(String, f64, String)> = c
        .prepare("SELECT operator, celsius, at FROM readings ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(readings.len(), 5, "four at the door, one on the round");
    assert!(readings.iter().all(|r| r.0 == ROAD), "{readings:?}");
    assert_eq!(readings[4], (ROAD.to_string(), 38.4, at("11:00")));

    // Merging again changes nothing at all.
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    let audit_rows = count("SELECT COUNT(*) FROM audit");
    let (c2, again) = d.merge("22:00");
    assert_eq!(c2, 0);
    assert_eq!(again, json!({"applied": 0, "already": 8, "conflicts": []}));
    assert_eq!(d.roster(&d.f.db), ledger);
    assert_eq!(count("SELECT COUNT(*) FROM audit"), audit_rows);
    assert_eq!(count("SELECT COUNT(*) FROM readings"), 5);
}

#[test]
fn a_byte_search_of_the_pack_finds_no_full_id_number_and_nobody_of_another_bus() {
    let d = Day::new(6);
    let s = seats(&d);
    d.make_pack("05:30");
    for (n, reason) in [(104, "no-show"), (105, "certificate")] {
        let o = d.road(
            "06:20",
            &[
                "refuse",
                "--bus",
                "陕G21000",
                "--id",
                &id(n),
                "--reason",
                reason,
            ],
        );
        assert_eq!(code(&o), 0, "{}", err(&o));
    }
    the_road(&d, &s);
    let mut bytes = std::fs::read(&d.pack).unwrap();
    // Whatever lies beside it under its name (a journal left by a crash) is searched too.
    for entry in std::fs::read_dir(d.f.dir.path()).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("陕G21000.pack") && p != d.pack {
            bytes.extend(std::fs::read(&p).unwrap());
        }
    }
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        has("张伟") && has("东门村"),
        "the pack holds this bus's passengers"
    );
    let mut numbers: Vec<u16> = (100..106).collect();
    numbers.extend(200..203);
    numbers.extend([300, 301, 302, 303, 310, 320, 330]);
    for n in numbers {
        let full = id(n);
        assert!(!has(&full), "full ID number {full} in the pack");
        // Nor its area, birth and sequence without the check character.
        assert!(!has(&full[..17]), "{full} in the pack");
    }
    for name in [
        "赵磊",
        "黄丽",
        "周杰",
        "吴敏",
        "徐强",
        "孙燕",
        "苏州人",
        "纺织工",
    ] {
        assert!(
            !has(name),
            "{name} of another bus or the stand-by pool is in the pack"
        );
    }
    assert!(!has("陕G21001"), "the other bus is in the pack");
    assert!(!has("13800001234"), "a passenger's phone is in the pack");
    assert!(!has("城关镇"), "townships stay in the ledger");
    // What the pack shows instead: the last four, masked.
    let r = d.roster(&d.pack);
    let first = &r["passengers"][0]["id_number"];
    assert_eq!(first, &json!(format!("**************{}", &id(100)[14..])));
}

#[test]
fn a_pack_is_made_only_of_an_open_trip_never_over_a_file_and_only_for_this_ledger() {
    let d = Day::new(2);
    let pack = d.pack.to_str().unwrap();
    let ledger = d.f.db.to_str().unwrap();
    let o = d.office("05:30", &["pack", "--bus", "陕G21000", "--out", ledger]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(err(&o).contains("is the database"), "{}", err(&o));
    std::fs::write(&d.pack, b"the attendant's notes").unwrap();
    let o = d.office("05:30", &["pack", "--bus", "陕G21000", "--out", pack]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(err(&o).contains("already exists"), "{}", err(&o));
    assert_eq!(std::fs::read(&d.pack).unwrap(), b"the attendant's notes");
    #[cfg(unix)]
    {
        let link = d.f.dir.path().join("link.pack");
        std::os::unix::fs::symlink(&d.f.db, &link).unwrap();
        let o = d.office(
            "05:30",
            &["pack", "--bus", "陕G21000", "--out", link.to_str().unwrap()],
        );
        assert_eq!(code(&o), 1, "{}", err(&o));
        assert!(err(&o).contains("symbolic link"), "{}", err(&o));
    }
    std::fs::remove_file(&d.pack).unwrap();
    d.make_pack("05:30");

    // A merge into another ledger, or of a file that is not a pack: exit 1.
    let other = fixture::build(2);
    let o = run(&other.db, &at("21:00"), OFFICE, &["merge", pack, "--json"]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(err(&o).contains("another ledger"), "{}", err(&o));
    assert_eq!(json(&o)["code"], "error");
    let o = d.office("21:00", &["merge", ledger]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(err(&o).contains("not a pack"), "{}", err(&o));

    // Nothing that needs the rest of the ledger is done in a pack.
    let o = d.road("06:00", &["plan", "--date", "2020-02-21", "--json"]);
    assert_eq!(code(&o), 4, "{}", err(&o));
    assert_eq!(json(&o)["code"], "pack_only_this_trip");
    let o = d.road(
        "06:00",
        &["other-means", "--id", &id(100), "--means", "火车", "--json"],
    );
    assert_eq!(json(&o)["code"], "pack_only_this_trip", "{}", err(&o));
    let second = d.f.dir.path().join("second.pack");
    let o = d.road(
        "06:00",
        &[
            "pack",
            "--bus",
            "陕G21000",
            "--out",
            second.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 4, "{}", err(&o));
    let o = d.road("06:00", &["merge", pack]);
    assert_eq!(code(&o), 4, "{}", err(&o));

    // A trip that has arrived gets no pack: exit 4.
    for (now, args) in [
        (
            "06:30",
            vec![
                "board",
                "--bus",
                "陕G21000",
                "--seat",
                "1",
                "--temp",
                "36.5",
            ],
        ),
        (
            "06:31",
            vec![
                "refuse",
                "--bus",
                "陕G21000",
                "--id",
                &id(101),
                "--reason",
                "identity",
            ],
        ),
        ("07:00", vec!["depart", "--bus", "陕G21000"]),
        ("20:00", vec!["arrive", "--bus", "陕G21000"]),
    ] {
        let o = d.office(now, &args);
        assert_eq!(code(&o), 0, "{args:?}: {}", err(&o));
    }
    let late = d.f.dir.path().join("late.pack");
    let o = d.office(
        "20:30",
        &[
            "pack",
            "--trip",
            TRIP,
            "--out",
            late.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(code(&o), 4, "{}", err(&o));
    assert_eq!(json(&o)["code"], "closed");
    assert!(!late.exists());
}

#[test]
fn the_pack_is_purged_with_the_trip_s_data_where_it_was_made() {
    let d = Day::new(2);
    d.make_pack("05:30");
    let ok = |o: std::process::Output| assert_eq!(code(&o), 0, "{} {}", out(&o), err(&o));
    ok(d.road(
        "06:30",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--temp",
            "36.5",
        ],
    ));
    ok(d.road(
        "06:31",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(101),
            "--temp",
            "36.5",
        ],
    ));
    ok(d.road("07:00", &["depart", "--bus", "陕G21000"]));
    ok(d.road(
        "20:30",
        &["arrive", "--bus", "陕G21000", "--receiver", "陈经理"],
    ));
    assert_eq!(d.merge("21:00").0, 0);
    // A copy taken elsewhere is its holder's to delete; the one made here goes with the data.
    let copy = d.f.dir.path().join("laptop-copy.pack");
    std::fs::copy(&d.pack, &copy).unwrap();
    let o = d.office(
        "2020-02-25T09:00:00+08:00",
        &["purge", "--older-than", "2", "--yes"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        out(&o).contains("Packs of these trips: 1 deleted; 0 no longer where they were made"),
        "{}",
        out(&o)
    );
    assert!(!d.pack.exists(), "the pack is gone");
    assert!(copy.exists());
    assert_eq!(d.f.count("SELECT COUNT(*) FROM packs"), 0);
    let o = d.office(
        "2020-02-25T09:05:00+08:00",
        &["purge", "--older-than", "2", "--yes"],
    );
    assert!(!out(&o).contains("Packs of these trips"), "{}", out(&o));
}
