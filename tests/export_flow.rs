//! End to end on the real commands: a bus is checked in at the door, leaves and arrives, and
//! the manifest and the statistics follow it at every step.

#[path = "fixtures/papers/helper.rs"]
mod helper;

use helper::*;

/// (seat, name, status) rows of one bus's English CSV manifest (its open trip).
fn manifest(db: &Db, plate: &str) -> Vec<(u32, String, String)> {
    manifest_of(db, "--bus", plate)
}

/// The same, for `--bus PLATE` or `--trip CODE`; every row names the trip.
fn manifest_of(db: &Db, flag: &str, which: &str) -> Vec<(u32, String, String)> {
    let o = ok(db.run(&["--lang", "en", "export", "manifest", flag, which]));
    let text = String::from_utf8(o.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (seat, name, status) = (col("seat"), col("name"), col("status"));
    let trip = col("trip");
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(&rec[trip], "旬阳-20200221-02-1");
            (
                rec[seat].parse().unwrap(),
                rec[name].to_string(),
                rec[status].to_string(),
            )
        })
        .collect()
}

fn bus_stats(db: &Db, plate: &str) -> serde_json::Value {
    let v = json(&ok(db.run(&["stats", "--json"])));
    v["trips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["plate"] == plate)
        .cloned()
        .unwrap()
}

fn row(seat: u32, name: &str, status: &str) -> (u32, String, String) {
    (seat, name.to_string(), status.to_string())
}

#[test]
fn a_bus_from_roster_to_factory_gate() {
    let db = day_db();
    let plate = "陕G21003";
    assert_eq!(
        manifest(&db, plate),
        vec![row(1, "高志远", "to check"), row(3, "罗小燕", "to check")]
    );

    ok(db.run(&["board", "--bus", plate, "--seat", "1", "--temp", "36.5"]));
    let fever = db.run(&["board", "--bus", plate, "--seat", "3", "--temp", "37.6"]);
    assert_eq!(code(&fever), 4, "{}", stderr(&fever));
    assert_eq!(
        manifest(&db, plate),
        vec![row(1, "高志远", "boarded"), row(3, "罗小燕", "re-check")]
    );
    let t = bus_stats(&db, plate);
    assert_eq!(t["missing"].as_u64(), Some(1), "复测 is not accounted for");
    let early = db.run(&["depart", "--bus", plate]);
    assert_eq!(code(&early), 4, "{}", stderr(&early));
    // The re-check after the rest (a policy without the rest period) is still high.
    let policy = db.dir.path().join("policy.toml");
    std::fs::write(&policy, "recheck_wait_minutes = 0\n").unwrap();
    let policy = policy.to_str().unwrap();
    let again = db.run(&[
        "--policy", policy, "board", "--bus", plate, "--seat", "3", "--temp", "37.7",
    ]);
    assert_eq!(code(&again), 4, "{}", stderr(&again));
    assert_eq!(
        manifest(&db, plate),
        vec![
            row(1, "高志远", "boarded"),
            row(3, "罗小燕", "refused (fever)")
        ]
    );
    let t = bus_stats(&db, plate);
    assert_eq!(
        (
            t["status"].as_str(),
            t["boarded"].as_u64(),
            t["refused"].as_u64()
        ),
        (Some("boarding"), Some(1), Some(1))
    );

    ok(db.run(&["depart", "--bus", plate]));
    assert_eq!(manifest(&db, plate), vec![row(1, "高志远", "boarded")]);
    let v = json(&ok(db.run(&["stats", "--json"])));
    assert_eq!(v["day"]["people"], 6 + 1);
    assert_eq!(v["day"]["buses"], 3);
    let bulletin = stdout(&ok(db.run(&["stats", "--bulletin"])));
    assert!(bulletin.contains("江苏1人"), "{bulletin}");

    ok(db.run(&["arrive", "--bus", plate, "--receiver", "陆经理"]));
    // The bus has no open trip any more: the papers of the trip it ran are named by its code.
    let o = db.run(&["--lang", "en", "export", "manifest", "--bus", plate]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("--trip 旬阳-20200221-02-1"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        manifest_of(&db, "--trip", "旬阳-20200221-02-1"),
        vec![row(1, "高志远", "boarded")]
    );
    let t = bus_stats(&db, plate);
    assert_eq!(t["status"], "arrived");
    let v = json(&ok(db.run(&["stats", "--json"])));
    assert_eq!(v["day"]["arrived_people"], 2 + 1);
}
