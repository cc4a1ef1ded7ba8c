//! When the office and the road disagree: a decision taken at the office after the attendant's
//! act, a passenger moved to another bus, a trip cancelled or put on another coach. Such events
//! are listed and not applied, the rest is, and merging again lists them again and changes
//! nothing. A pack refreshed before departure brings the office's changes without losing what
//! was recorded on it.

#[path = "fixtures/departure/mod.rs"]
mod fixture;
mod pack_support;

use fixture::id;
use pack_support::*;
use serde_json::json;

fn event(d: &Day, seq: i64) -> String {
    rusqlite::Connection::open(&d.pack)
        .unwrap()
        .query_row("SELECT event FROM journal WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .unwrap()
}

fn ok(o: std::process::Output) {
    assert_eq!(code(&o), 0, "{} {}", out(&o), err(&o));
}

#[test]
fn a_later_decision_at_the_office_is_listed_and_the_rest_applied() {
    let d = Day::new(3);
    d.make_pack("05:30");
    let s1 = seat(&d.roster(&d.f.db), 4)["seat"].clone();
    assert_eq!(s1, 4, "王芳 holds seat 4");
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
            "refuse",
            "--bus",
            "陕G21000",
            "--id",
            &id(101),
            "--reason",
            "identity",
        ],
    ));
    ok(d.road(
        "06:32",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(102),
            "--temp",
            "36.6",
        ],
    ));
    // At the office meanwhile: one passenger checked before the attendant did (the road's act
    // still counts), one boarded after the attendant had refused her (the office's word
    // stands: replayed, the road's refusal would take her off the bus).
    ok(d.office(
        "06:20",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(102),
            "--temp",
            "36.4",
        ],
    ));
    ok(d.office(
        "06:40",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(101),
            "--temp",
            "36.6",
        ],
    ));
    // And one boarded at the office after the attendant boarded him too: the same decision,
    // no conflict (the road's reading is kept beside the office's).
    ok(d.office(
        "06:50",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(100),
            "--temp",
            "36.7",
        ],
    ));

    let (c, report) = d.merge("21:00");
    assert_eq!(c, 3, "some events were not applied");
    let conflict =
        json!({"event": event(&d, 2), "seat": 4, "name": "王芳", "reason": "office_later"});
    assert_eq!(
        report,
        json!({"applied": 2, "already": 0, "conflicts": [conflict]})
    );
    let ledger = d.roster(&d.f.db);
    let p = seat(&ledger, 4);
    assert_eq!(
        (&p["status"], &p["reason"]),
        (&json!("boarded"), &json!(null))
    );
    assert_eq!(seat(&ledger, 1)["status"], "boarded");
    assert_eq!(
        d.f.count(
            "SELECT COUNT(*) FROM readings r JOIN workers w ON w.id = r.worker_id
             WHERE w.id_number = (SELECT id_number FROM workers ORDER BY id LIMIT 1)"
        ),
        2,
        "张伟's readings at the office and on the road"
    );
    let third = &ledger["passengers"][2];
    assert_eq!(
        (&third["status"], &third["last_temp"]),
        (&json!("boarded"), &json!(36.6))
    );

    // Merging again applies nothing and lists the same conflict, for people too.
    let o = d.office("22:00", &["merge", d.pack.to_str().unwrap()]);
    assert_eq!(code(&o), 3, "{}", err(&o));
    assert!(
        out(&o).contains("0 applied, 2 already merged, 1 not applied"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("seat 4 王芳: the office decided otherwise"),
        "{}",
        out(&o)
    );
    let (c, again) = d.merge("22:05");
    assert_eq!(c, 3);
    assert_eq!(
        again,
        json!({"applied": 0, "already": 2, "conflicts": [conflict]})
    );
    assert_eq!(d.roster(&d.f.db), ledger);
    // In Chinese the line is Chinese.
    let o = command_in(
        "zh",
        &d.f.db,
        &at("22:10"),
        OFFICE,
        &["merge", d.pack.to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert!(
        out(&o).contains("4座 王芳：办公室在随车员之后另行处理了此人"),
        "{}",
        out(&o)
    );
}

#[test]
fn a_moved_passenger_a_cancelled_or_swapped_trip_are_conflicts() {
    // Moving a passenger, cancelling a trip and swapping its coach are the office's acts of
    // another part of the program; their effect on the ledger is written here directly.
    let moved = Day::new(2);
    moved.make_pack("05:30");
    ok(moved.road(
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
    ok(moved.road(
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
    moved
        .f
        .conn()
        .execute(
            "UPDATE passengers SET trip_id = 2, seat = 40 WHERE worker_id =
                 (SELECT id FROM workers WHERE id_number = ?1)",
            [id(100)],
        )
        .unwrap();
    let (c, report) = moved.merge("21:00");
    assert_eq!(c, 3);
    assert_eq!(report["applied"], 1);
    assert_eq!(report["conflicts"][0]["reason"], "moved");
    assert_eq!(report["conflicts"][0]["name"], "张伟");

    for (what, sql, reason) in [
        (
            "cancelled",
            "UPDATE trips SET status = 'cancelled' WHERE id = 1",
            "trip_cancelled",
        ),
        (
            "swapped",
            "INSERT INTO buses (id, plate, seats) VALUES (3, '陕G21002', 45);
             UPDATE trips SET bus_id = 3 WHERE id = 1",
            "trip_swapped",
        ),
    ] {
        let d = Day::new(2);
        d.make_pack("05:30");
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
        d.f.conn().execute_batch(sql).unwrap();
        let (c, report) = d.merge("21:00");
        assert_eq!(c, 3, "{what}");
        assert_eq!(report["applied"], 0, "{what}");
        assert_eq!(report["conflicts"][0]["reason"], reason, "{what}: {report}");
        assert_eq!(
            d.f.count("SELECT COUNT(*) FROM readings"),
            0,
            "{what}: nothing of the road applied"
        );
    }
}

#[test]
fn a_refresh_before_departure_brings_new_stand_bys_and_keeps_what_was_recorded() {
    let d = Day::new(3);
    d.make_pack("05:30");
    // The office gives a freed seat to a stand-by; the attendant boards someone on the pack.
    zhitong::clock::set_thread(zhitong::clock::parse_now(&at("05:45")));
    let standby = d.f.worker_id(&id(300));
    let mut ctx = d.f.ctx();
    zhitong::ops::departure::seat_standby(&mut ctx, "陕G21000", standby, None).unwrap();
    drop(ctx);
    zhitong::clock::set_thread(None);
    ok(d.road(
        "06:10",
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
    let o = d.road(
        "06:11",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(300),
            "--temp",
            "36.5",
        ],
    );
    assert_eq!(
        code(&o),
        4,
        "the stand-by is not in the pack yet: {}",
        err(&o)
    );
    // The same file under another name, as a console that still has it open would see it.
    let old = d.f.dir.path().join("old.pack");
    std::fs::hard_link(&d.pack, &old).unwrap();

    let o = d.office(
        "06:20",
        &[
            "pack",
            "--bus",
            "陕G21000",
            "--out",
            d.pack.to_str().unwrap(),
            "--refresh",
            "--json",
        ],
    );
    assert_eq!(code(&o), 0, "{} {}", out(&o), err(&o));
    let r = json(&o);
    assert_eq!(
        r["merged"],
        json!({"applied": 1, "already": 0, "conflicts": []})
    );
    assert_eq!((&r["carried"], &r["passengers"]), (&json!(1), &json!(4)));

    // The replaced pack records nothing more; the new one has the stand-by and the boarding.
    let o = run(
        &old,
        &at("06:25"),
        ROAD,
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(101),
            "--temp",
            "36.5",
        ],
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(
        err(&o).contains("replaced by a refreshed one"),
        "{}",
        err(&o)
    );
    let on_pack = d.roster(&d.pack);
    assert_eq!(seat(&on_pack, 1)["status"], "boarded");
    assert_eq!(on_pack["counts"]["standby"], 1);
    ok(d.road(
        "06:30",
        &[
            "board",
            "--bus",
            "陕G21000",
            "--id",
            &id(300),
            "--temp",
            "36.6",
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
            "36.6",
        ],
    ));

    let (c, report) = d.merge("21:00");
    assert_eq!(c, 0);
    assert_eq!(report, json!({"applied": 2, "already": 1, "conflicts": []}));
    let ledger = d.roster(&d.f.db);
    assert_eq!(ledger["counts"]["boarded"], 3, "{ledger}");
    assert_eq!(
        d.f.count("SELECT COUNT(*) FROM readings"),
        3,
        "each boarding once, the first one not twice"
    );

    // Refreshing another trip's pack, or a pack that is not there: exit 1.
    let o = d.office(
        "21:10",
        &[
            "pack",
            "--bus",
            "陕G21001",
            "--out",
            d.pack.to_str().unwrap(),
            "--refresh",
        ],
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(
        err(&o).contains("is the pack of trip 旬阳-20200221-01-1"),
        "{}",
        err(&o)
    );
    let none = d.f.dir.path().join("none.pack");
    let o = d.office(
        "21:10",
        &[
            "pack",
            "--bus",
            "陕G21000",
            "--out",
            none.to_str().unwrap(),
            "--refresh",
        ],
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
}

#[test]
fn a_pack_altered_on_the_way_gets_nothing_past_the_ledger_s_rules() {
    let d = Day::new(2);
    d.make_pack("05:30");
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
    // Written into the pack by hand: a passenger of the other bus, a temperature nobody has,
    // an operator with terminal control characters, a refusal for a reason there is not.
    let other_bus = d.f.worker_id(&id(200));
    let mine = d.f.worker_id(&id(101));
    let c = rusqlite::Connection::open(&d.pack).unwrap();
    let forged = [
        ("f1", ROAD, "board", other_bus, r#"{"temp":"36.5"}"#),
        ("f2", ROAD, "board", mine, r#"{"temp":"99"}"#),
        ("f3", "x\u{1b}[2J", "board", mine, r#"{"temp":"36.5"}"#),
        ("f4", ROAD, "refuse", mine, r#"{"reason":"bribe"}"#),
    ];
    for (event, operator, kind, worker, args) in forged {
        c.execute(
            "INSERT INTO journal (event, at, operator, kind, trip_id, worker_id, seat, args)
             VALUES (?1, '2020-02-21T06:40:00+08:00', ?2, ?3, 1, ?4, 4, ?5)",
            rusqlite::params![event, operator, kind, worker, args],
        )
        .unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
    drop(c);
    let (code, report) = d.merge("21:00");
    assert_eq!(code, 3);
    assert_eq!(report["applied"], 1, "{report}");
    let reasons: Vec<&str> = report["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["moved", "refused", "unreadable", "refused"],
        "{report}"
    );
    assert_eq!(report["conflicts"][0]["name"], "李娜", "the ledger's name");
    assert_eq!(d.f.count("SELECT COUNT(*) FROM readings"), 1);
    assert_eq!(
        d.f.count("SELECT COUNT(*) FROM audit WHERE operator LIKE '%' || char(27) || '%'"),
        0
    );
}
