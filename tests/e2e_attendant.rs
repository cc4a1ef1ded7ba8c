//! An attendant on the real binary in tmux (`zhitong --bus PLATE`): finds passengers by name
//! and by the last four of the ID, boards several with temperatures, sends one with a fever to
//! 复测 and refuses them at the re-check, is refused departure while someone is unaccounted,
//! marks the last one no-show, departs and hands over — checked on screen and in `stats --json`.

mod e2e_support;

use e2e_support::{tmux_available, Demo, Tmux, DAY};

struct Passenger {
    name: String,
    last4: String,
    seat: u32,
}

/// A planned bus of the day with at least five passengers, and its roster by seat.
fn planned_bus(demo: &Demo) -> (String, Vec<Passenger>) {
    let plate = demo.plan_a_small_bus();
    let conn = demo.conn();
    let mut stmt = conn
        .prepare(
            "SELECT w.name, substr(w.id_number, 15), p.seat FROM passengers p
               JOIN workers w ON w.id = p.worker_id JOIN trips t ON t.id = p.trip_id
               JOIN buses bus ON bus.id = t.bus_id
             WHERE bus.plate = ?1 AND t.date = ?2 ORDER BY p.seat",
        )
        .unwrap();
    let roster = stmt
        .query_map([&plate, DAY], |r| {
            Ok(Passenger {
                name: r.get(0)?,
                last4: r.get(1)?,
                seat: r.get(2)?,
            })
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    (plate, roster)
}

/// `/query` Enter, then wait until exactly one passenger is listed.
fn find(t: &Tmux, query: &str) {
    t.text("/");
    t.keys(&["C-u"]);
    t.text(query);
    t.keys(&["Enter"]);
    t.wait_for("乘客 · 1/");
}

fn board(t: &Tmux, temp: &str) {
    t.keys(&["b"]);
    t.wait_for("体温 °C");
    t.text(temp);
    t.keys(&["Enter"]);
}

#[test]
fn attendant_checks_in_refuses_departs_and_hands_over() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed (CI installs it)");
        return;
    }
    let demo = Demo::build();
    let (plate, roster) = planned_bus(&demo);
    let n = roster.len();
    let unique_name = |p: &Passenger| roster.iter().filter(|q| q.name == p.name).count() == 1;
    let unique_last4 = |p: &Passenger| roster.iter().filter(|q| q.last4 == p.last4).count() == 1;

    // The county's policy: re-checks without the ten-minute rest (a test does not wait).
    let policy = demo.dir.path().join("policy.toml");
    std::fs::write(&policy, "recheck_wait_minutes = 0\n").unwrap();
    let t = Tmux::start(
        &demo,
        &format!("--policy {} --bus {plate}", policy.display()),
    );
    t.wait_for(&format!("随车 {plate}"));
    let s = t.wait_for(&format!("应到 {n}"));
    assert!(
        !s.contains("1 目的地"),
        "attendant mode offers no other screens: {s}"
    );

    // Everyone but the last two boards; the first by name, the others by ID ending or seat.
    for (i, p) in roster[..n - 2].iter().enumerate() {
        if i == 0 && unique_name(p) {
            find(&t, &p.name);
        } else if unique_last4(p) {
            find(&t, &p.last4);
        } else {
            find(&t, &p.seat.to_string());
        }
        board(&t, &format!("36.{}", i % 9));
        t.wait_for(&format!("{} 已登车", p.name));
    }
    // A fever at the door: 复测, the seat held, and the bus may not leave before it.
    let feverish = &roster[n - 2];
    find(&t, &feverish.seat.to_string());
    board(&t, "37.8");
    t.wait_for("发热：37.8 °C");
    t.wait_for("复测 1");
    t.keys(&["Escape"]);
    t.keys(&["D"]);
    t.wait_for(&format!("{plate}（"));
    t.wait_for("）发车？");
    t.keys(&["y"]);
    t.wait_for("还有 2 人未核验");
    // Re-checked after the rest, still high: refused, recorded, the seat freed.
    find(&t, &feverish.seat.to_string());
    board(&t, "37.9");
    t.wait_for("发热：37.9 °C");
    t.wait_for("拒载 1");
    // The last passenger is not there yet: departure is refused.
    t.keys(&["Escape"]);
    t.keys(&["D"]);
    t.wait_for(&format!("{plate}（"));
    t.wait_for("）发车？");
    t.keys(&["y"]);
    t.wait_for("还有 1 人未核验");
    assert_eq!(
        demo.conn()
            .query_row(
                "SELECT t.status FROM trips t JOIN buses b ON b.id = t.bus_id WHERE b.plate = ?1 AND t.date = ?2",
                [&plate, DAY],
                |r| r.get::<_, String>(0),
            )
            .unwrap(),
        "boarding"
    );
    let last = &roster[n - 1];
    find(&t, &last.seat.to_string());
    t.keys(&["n"]);
    t.wait_for("未到？");
    t.keys(&["y"]);
    t.wait_for("未到 1");
    t.keys(&["Escape"]);
    t.keys(&["D"]);
    t.wait_for(&format!("）发车？已登车 {} 人", n - 2));
    t.keys(&["y"]);
    t.wait_for(&format!("{plate} 已发车"));
    t.keys(&["A"]);
    t.wait_for("接收人");
    t.text("周主任");
    t.keys(&["Enter"]);
    let s = t.wait_for(&format!("交接 {} 人 / 登车 {} 人", n - 2, n - 2));
    assert!(s.contains("拒载：发热 1"), "{s}");
    t.keys(&["Escape"]);
    t.keys(&["q"]);
    t.wait_for("ZHITONG-EXITED-0");
    assert!(!t.alternate_screen_on());

    let out = demo.cli(&["stats", "--json", "--date", DAY]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let trip = v["trips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["plate"] == plate.as_str())
        .unwrap_or_else(|| panic!("{plate} in {v}"))
        .clone();
    assert_eq!(trip["status"], "arrived");
    assert_eq!(trip["boarded"], (n - 2) as u64);
    assert_eq!(trip["refused"], 1);
    assert_eq!(trip["no_show"], 1);
}
