//! The attendant's console on a pack, in tmux (`zhitong --db PACK --bus PLATE`): the status bar
//! says it is a pack, passengers are found and boarded, what needs the ledger (a stand-by) is
//! refused with a sentence, the bus departs and hands over; merged, the ledger shows the trip.

mod e2e_support;

use e2e_support::{tmux_available, Demo, Tmux, BIN, DAY};

/// A planned bus of the day with 5 to 12 passengers: its plate and seats.
fn planned_bus(demo: &Demo) -> (String, Vec<u32>) {
    let plate = demo.plan_a_small_bus();
    let conn = demo.conn();
    let seats = conn
        .prepare(
            "SELECT p.seat FROM passengers p JOIN trips t ON t.id = p.trip_id
               JOIN buses bus ON bus.id = t.bus_id
             WHERE bus.plate = ?1 AND t.date = ?2 ORDER BY p.seat",
        )
        .unwrap()
        .query_map([&plate, DAY], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<u32>, _>>()
        .unwrap();
    (plate, seats)
}

fn find(t: &Tmux, seat: u32) {
    t.text("/");
    t.keys(&["C-u"]);
    t.text(&seat.to_string());
    t.keys(&["Enter"]);
    t.wait_for("乘客 · 1/");
}

#[test]
fn the_attendant_works_a_pack_in_the_console_and_the_ledger_gets_it() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed (CI installs it)");
        return;
    }
    let demo = Demo::build();
    let (plate, seats) = planned_bus(&demo);
    let n = seats.len();
    let pack = demo.dir.path().join("road.pack");
    let out = demo.cli(&["pack", "--bus", &plate, "--out", pack.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let Demo { dir, db: ledger } = demo;
    let on_pack = Demo { dir, db: pack };

    let t = Tmux::start(&on_pack, &format!("--bus {plate}"));
    t.wait_for(&format!("随车 {plate}"));
    t.wait_for("road.pack（离线包）");
    t.wait_for(&format!("应到 {n}"));
    for (i, &seat) in seats[..n - 1].iter().enumerate() {
        find(&t, seat);
        t.keys(&["b"]);
        t.wait_for("体温 °C");
        t.text(&format!("36.{}", i % 9));
        t.keys(&["Enter"]);
        t.wait_for(&format!("已登车 {}", i + 1));
    }
    find(&t, seats[n - 1]);
    t.keys(&["n"]);
    t.wait_for("未到？");
    t.keys(&["y"]);
    t.wait_for("未到 1");
    // A stand-by comes from outside the trip: not in a pack.
    t.keys(&["s"]);
    t.wait_for("离线包只含本车次");
    t.keys(&["Escape"]);
    t.keys(&["D"]);
    t.wait_for("）发车？");
    t.keys(&["y"]);
    t.wait_for(&format!("{plate} 已发车"));
    t.keys(&["A"]);
    t.wait_for("接收人");
    t.text("周主任");
    t.keys(&["Enter"]);
    t.wait_for(&format!("交接 {} 人", n - 1));
    t.keys(&["Escape"]);
    t.keys(&["q"]);
    t.wait_for("ZHITONG-EXITED-0");

    // Back on the network: the ledger gets the whole trip.
    let run = |args: &[&str]| {
        std::process::Command::new(BIN)
            .arg("--db")
            .arg(&ledger)
            .args(["--lang", "en", "--operator", "王科长"])
            .args(args)
            .env("ZHITONG_TODAY", DAY)
            .output()
            .unwrap()
    };
    let out = run(&["merge", on_pack.db.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["applied"], (n - 1 + 1 + 1 + 1) as u64, "{report}");
    let out = run(&["stats", "--json", "--date", DAY]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let trip = v["trips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["plate"] == plate.as_str())
        .unwrap()
        .clone();
    assert_eq!(trip["status"], "arrived");
    assert_eq!(trip["boarded"], (n - 1) as u64);
    assert_eq!(trip["no_show"], 1);
}
