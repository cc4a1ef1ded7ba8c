//! The road seen from the office, with the real binary in tmux: an officer watches the
//! departure board while an attendant records a round reading with a fever from another
//! terminal; the board shows it at once, and the manifest exported afterwards shows it too.

mod e2e_support;

use e2e_support::{tmux_available, Demo, Tmux, DAY};
use std::time::{Duration, Instant};

/// Plans the demo day and sends the bus with the fewest passengers on the road; returns its
/// plate and seats.
fn a_bus_on_the_road(demo: &Demo) -> (String, Vec<u32>) {
    demo.plan_the_day();
    let conn = demo.conn();
    let plate: String = conn
        .query_row(
            "SELECT b.plate FROM trips t JOIN buses b ON b.id = t.bus_id
               JOIN passengers p ON p.trip_id = t.id
             WHERE t.date = ?1 GROUP BY t.id HAVING count(*) >= 2
             ORDER BY count(*), b.plate LIMIT 1",
            [DAY],
            |r| r.get(0),
        )
        .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT p.seat FROM passengers p JOIN trips t ON t.id = p.trip_id
               JOIN buses b ON b.id = t.bus_id
             WHERE b.plate = ?1 AND t.date = ?2 ORDER BY p.seat",
        )
        .unwrap();
    let seats: Vec<u32> = stmt
        .query_map([&plate, DAY], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for seat in &seats {
        let out = demo.cli(&[
            "board",
            "--bus",
            &plate,
            "--seat",
            &seat.to_string(),
            "--temp",
            "36.5",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = demo.cli(&["depart", "--bus", &plate]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (plate, seats)
}

/// The 留观 figure of the bus's row on the board (the number after in/due and missing).
fn observation_on_board(screen: &str, plate: &str) -> Option<u32> {
    let row = screen
        .lines()
        .find(|l| l.starts_with('│') && l.contains(plate))?;
    let words: Vec<&str> = row.split_whitespace().collect();
    let at = words.iter().position(|w| {
        w.split_once('/')
            .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok())
    })?;
    words.get(at + 2)?.parse().ok()
}

#[test]
fn a_fever_on_a_round_reaches_the_officers_board_and_the_manifest() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed (CI installs it)");
        return;
    }
    let demo = Demo::build();
    let (plate, seats) = a_bus_on_the_road(&demo);
    let t = Tmux::start(&demo, "");
    t.wait_for("留观");
    // The day has dozens of buses: the officer filters the board to this one.
    t.text("/");
    t.text(&plate);
    t.keys(&["Enter"]);
    let s = t.wait_for(&format!("{plate}  "));
    assert_eq!(observation_on_board(&s, &plate), Some(0), "{s}");

    // The attendant, on another terminal: one reading of the round, 38.4 °C.
    let seat = seats[0].to_string();
    let started = Instant::now();
    let out = demo.cli(&["round", "--bus", &plate, "--seat", &seat, "--temp", "38.4"]);
    assert_eq!(out.status.code(), Some(4), "a fever en route is a refusal");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("途中发热 38.4 °C：已标记留观"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = loop {
        let s = t.screen();
        if observation_on_board(&s, &plate) == Some(1) {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the board never showed the fever:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    eprintln!("the board showed the fever after {shown:?}");
    // The console reads PRAGMA data_version every 0.4 s: the officer sees it within a second.
    assert!(shown < Duration::from_secs(1), "took {shown:?}");
    t.keys(&["q"]);
    t.wait_for("ZHITONG-EXITED-0");

    // The manifest exported afterwards: the latest reading, the mark and the road's entry.
    let out = demo.cli(&["export", "manifest", "--bus", &plate]);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let row = csv
        .lines()
        .find(|l| l.contains(&format!("途中发热 38.4 °C（{seat}座）")))
        .unwrap_or_else(|| panic!("no en-route fever on the manifest:\n{csv}"));
    assert!(row.contains(",38.4,已登车（留观）,"), "{row}");
}
