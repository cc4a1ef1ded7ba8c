//! A reshaped morning with the real binary in tmux: a worker who is not in the ledger turns up
//! at the gathering point, is registered from the Workers screen and seated by a stand-by on a
//! bus of their employer; an attendant searching their roster for someone who boards another
//! bus is told which bus and seat.

mod e2e_support;

use e2e_support::{tmux_available, Demo, Tmux, DAY};

/// A valid ID number of 旬阳县 born on `birth` (YYYYMMDD) with sequence `seq`.
fn id_number(birth: &str, seq: u32) -> String {
    let birth = chrono::NaiveDate::parse_from_str(birth, "%Y%m%d").expect("YYYYMMDD");
    let seq = u16::try_from(seq).expect("a sequence under 1000");
    zhitong::model::IdNumber::compose("610928", birth, seq)
        .expect("a valid ID number")
        .as_str()
        .to_string()
}

/// The digit the stand-by list shows before `name` (`1 杨柳 610928********…`).
fn choice_digit(screen: &str, name: &str) -> Option<char> {
    screen.lines().find_map(|l| {
        let at = l.find(&format!(" {name} "))?;
        l[..at].chars().rev().find(|c| c.is_ascii_digit())
    })
}

#[test]
fn a_walk_in_is_registered_and_seated_and_a_wrong_bus_search_names_the_bus() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed (CI installs it)");
        return;
    }
    let demo = Demo::build();
    demo.plan_the_day();
    let conn = demo.conn();
    // A bus of the day with room left, and the employer most of its passengers work for.
    let (plate, employer): (String, String) = conn
        .query_row(
            "SELECT b.plate, e.name FROM trips t JOIN buses b ON b.id = t.bus_id
               JOIN passengers p ON p.trip_id = t.id JOIN workers w ON w.id = p.worker_id
               JOIN employers e ON e.id = w.employer_id
             WHERE t.date = ?1 GROUP BY t.id, e.id
             HAVING (SELECT count(*) FROM passengers q WHERE q.trip_id = t.id) < t.capacity
             ORDER BY count(*) DESC, b.plate LIMIT 1",
            [DAY],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a bus with a free seat");
    // Someone who rides another bus of the day, with a name no one on `plate` shares.
    let (other_name, other_plate, other_seat): (String, String, u32) = conn
        .query_row(
            "SELECT w.name, b.plate, p.seat FROM passengers p JOIN trips t ON t.id = p.trip_id
               JOIN buses b ON b.id = t.bus_id JOIN workers w ON w.id = p.worker_id
             WHERE t.date = ?1 AND b.plate <> ?2
               AND w.name NOT IN (SELECT w2.name FROM passengers p2
                   JOIN trips t2 ON t2.id = p2.trip_id JOIN buses b2 ON b2.id = t2.bus_id
                   JOIN workers w2 ON w2.id = p2.worker_id WHERE b2.plate = ?2)
               AND (SELECT count(*) FROM workers w3 JOIN passengers p3 ON p3.worker_id = w3.id
                    JOIN trips t3 ON t3.id = p3.trip_id
                    WHERE w3.name = w.name AND t3.date = ?1) = 1
             ORDER BY b.plate, p.seat LIMIT 1",
            rusqlite::params![DAY, plate],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("a passenger of another bus");

    let t = Tmux::start(&demo, "");
    t.wait_for("发车");
    // The walk-in, typed into the Workers screen's form.
    t.keys(&["2"]);
    t.wait_for("台账");
    t.keys(&["n"]);
    t.wait_for("登记新工人");
    let id = id_number("19930611", 41);
    let fields = [
        "柳青青",
        id.as_str(),
        "13798765432",
        "旬阳",
        "蜀河镇",
        "蜀河村",
        employer.as_str(),
        "2020-02-20",
        "2020-02-26",
    ];
    for (i, v) in fields.iter().enumerate() {
        if i > 0 {
            t.keys(&["Tab"]);
        }
        t.text(v);
    }
    t.keys(&["Enter"]);
    let s = t.wait_for("已登记 柳青青");
    assert!(!s.contains(&id), "a full ID number on screen:\n{s}");

    // On the bus of that employer, the stand-by offers the walk-in a free seat.
    t.text(&format!(":bus {plate}"));
    t.keys(&["Enter"]);
    t.wait_for(&format!("{plate} "));
    t.keys(&["s"]);
    let s = t.wait_for("柳青青");
    let digit = choice_digit(&s, "柳青青").unwrap_or_else(|| panic!("no choice line:\n{s}"));
    t.text(&digit.to_string());
    t.wait_for("候补");
    let seated: (String, u32) = demo
        .conn()
        .query_row(
            "SELECT b.plate, p.seat FROM passengers p JOIN trips t ON t.id = p.trip_id
               JOIN buses b ON b.id = t.bus_id JOIN workers w ON w.id = p.worker_id
             WHERE w.name = '柳青青' AND p.status = 'planned'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the walk-in holds a seat");
    assert_eq!(seated.0, plate);

    // The attendant of this bus looks for someone who rides another one (Ctrl-L closes what
    // may still be open and stays on the roster; Esc would go back to the workers).
    t.keys(&["C-l"]);
    t.text("/");
    t.text(&other_name);
    t.keys(&["Enter"]);
    let s = t.wait_for("上错车？");
    assert!(
        s.contains(&format!("在 {other_plate} {other_seat}座")),
        "the search did not name {other_plate} seat {other_seat}:\n{s}"
    );
    t.keys(&["q"]);
    t.wait_for("ZHITONG-EXITED-0");
}
