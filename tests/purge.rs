//! `purge`: personal data of trips that arrived long ago is gone from the database file, and
//! every statistic stays identical.

#[path = "fixtures/papers/helper.rs"]
mod helper;

use helper::*;

/// Personal strings of the old trip (arrived 2020-02-18) and of the worker who left by car on
/// 2020-02-10: none may survive a purge with a 2-day retention on 2020-02-21.
const PURGED: &[&str] = &[
    "王小明",
    "陈秀英",
    "赵德胜",
    "孙桂兰",
    "潘红",
    "610928198503136678",
    "610928196802275492",
    "610928197106190609",
    "610928199704020895",
    "610928198506233596",
    "13991500101",
    "13991500102",
    "13991500103",
    "13991500104",
    "13991500509",
    "陈家坝村",
    "孙家沟村",
    "钱宝山",
    "张建国",
    "13891500001",
    "李卫东",
    "刘芳",
    "13891500003",
    "移至留观区",
];

/// Still needed: today's passengers and crews, the ledger of those not yet gone.
const KEPT: &[&str] = &[
    "周志强",
    "610928199207032473",
    "13991500201",
    "赵永刚",
    "谢文斌",
    "梁永福",
];

fn file_bytes(db: &Db) -> Vec<u8> {
    let mut bytes = read(&db.path);
    for suffix in ["-wal", "-journal"] {
        let p = db.path.with_file_name(format!("zhitong.db{suffix}"));
        if p.exists() {
            bytes.extend(read(&p));
        }
    }
    bytes
}

fn stats_json(db: &Db, date: &str) -> String {
    stdout(&ok(db.run(&["stats", "--json", "--date", date])))
}

#[test]
fn purge_keeps_statistics_and_leaves_no_personal_text_in_the_file() {
    let db = day_db();
    let before: Vec<String> = ["2020-02-17", "2020-02-18", TODAY]
        .iter()
        .map(|d| stats_json(&db, d))
        .collect();
    let bulletin = stdout(&ok(db.run(&["stats", "--bulletin"])));
    let raw = file_bytes(&db);
    for s in PURGED {
        assert!(
            contains_bytes(&raw, s.as_bytes()),
            "fixture should hold {s} before"
        );
    }

    let o = ok(db.run(&["--lang", "en", "purge", "--older-than", "2", "--yes"]));
    let msg = stdout(&o);
    assert!(
        msg.contains("5 workers") && msg.contains("crews of 1 buses"),
        "{msg}"
    );

    let after: Vec<String> = ["2020-02-17", "2020-02-18", TODAY]
        .iter()
        .map(|d| stats_json(&db, d))
        .collect();
    assert_eq!(before, after, "statistics changed");
    assert_eq!(bulletin, stdout(&ok(db.run(&["stats", "--bulletin"]))));

    let raw = file_bytes(&db);
    for s in PURGED {
        assert!(
            !contains_bytes(&raw, s.as_bytes()),
            "{s} is still in the database file"
        );
    }
    for s in KEPT {
        assert!(
            contains_bytes(&raw, s.as_bytes()),
            "{s} should have been kept"
        );
    }
    let wal = db.path.with_file_name("zhitong.db-wal");
    assert!(
        !wal.exists() || read(&wal).is_empty(),
        "write-ahead log emptied"
    );

    // Rows stay, blanked and marked; the audit row carries counts only.
    assert_eq!(db.count("SELECT COUNT(*) FROM workers WHERE purged = 1"), 5);
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM workers WHERE purged = 1 AND id_number IS NULL AND name = ''"
        ),
        5
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM passengers WHERE trip_id = 1"),
        4
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM buses WHERE plate = '陕G21000' AND operator <> ''"),
        1
    );
    let after_json: String = rusqlite::Connection::open(db.store().path())
        .unwrap()
        .query_row("SELECT after FROM audit WHERE action = 'purge'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&after_json).unwrap();
    assert_eq!(v["workers"], 5);
    assert_eq!(v["cutoff"], "2020-02-19");
}

#[test]
fn a_second_purge_finds_nothing_and_today_is_untouched_by_default_retention() {
    let db = day_db();
    // Default retention (365 days): nothing from February 2020 is old on 2020-02-21.
    let o = ok(db.run(&["--lang", "en", "purge", "--yes"]));
    assert!(stdout(&o).contains("Nothing to purge"), "{}", stdout(&o));
    assert_eq!(db.count("SELECT COUNT(*) FROM audit"), 0);
    ok(db.run(&["purge", "--older-than", "2", "--yes"]));
    let o = ok(db.run(&["--lang", "en", "purge", "--older-than", "2", "--yes"]));
    assert!(stdout(&o).contains("Nothing to purge"));
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit WHERE action = 'purge'"),
        1
    );
}

#[test]
fn a_policy_retention_is_the_default() {
    let db = day_db();
    let policy = db.dir.path().join("p.toml");
    std::fs::write(&policy, "retention_days = 2\n").unwrap();
    ok(db.run(&["--policy", policy.to_str().unwrap(), "purge", "--yes"]));
    assert_eq!(db.count("SELECT COUNT(*) FROM workers WHERE purged = 1"), 5);
}

#[test]
fn workers_still_travelling_or_waiting_are_never_purged() {
    let db = day_db();
    ok(db.run(&["purge", "--older-than", "0", "--yes"]));
    // With no retention at all, only what has ended before today goes: the old trip's people
    // and the early car. Today's arrived bus ended today, the rest is under way or waiting.
    assert_eq!(db.count("SELECT COUNT(*) FROM workers WHERE purged = 1"), 5);
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM workers WHERE purged = 1 AND id NOT IN (101,102,103,104,509)"
        ),
        0
    );
    // Someone who arrived long ago and registered to go again keeps their data; so does
    // someone refused on the old bus who is rostered on today's (whatever their status says).
    let db = day_db();
    rusqlite::Connection::open(db.store().path())
        .unwrap()
        .execute_batch(
            "UPDATE workers SET status = 'registered' WHERE id = 101;
             INSERT INTO passengers (trip_id, worker_id, seat, status, changed_at)
             VALUES (4, 104, 5, 'planned', 't');",
        )
        .unwrap();
    ok(db.run(&["purge", "--older-than", "2", "--yes"]));
    assert_eq!(
        db.count("SELECT COUNT(*) FROM workers WHERE id IN (101, 104) AND purged = 0"),
        2
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM workers WHERE purged = 1"), 3);
}

#[test]
fn unattended_purge_needs_yes() {
    let db = day_db();
    let o = db.run(&["purge", "--older-than", "2"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert_eq!(db.count("SELECT COUNT(*) FROM workers WHERE purged = 1"), 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM audit"), 0);
}

#[test]
fn purge_through_a_terminal_asks_first() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("NOTICE: no `script` command; the terminal confirmation check was skipped");
        return;
    }
    let db = day_db();
    let line = format!(
        "{} --db '{}' --lang en purge --older-than 2",
        env!("CARGO_BIN_EXE_zhitong"),
        db.path.display()
    );
    // `script` runs the program on a pseudo-terminal and types our answer into it.
    let run = |answer: &str| {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut child = Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env("ZHITONG_TODAY", TODAY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("script runs");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(format!("{answer}\n").as_bytes())
            .expect("answer typed");
        drop(stdin);
        child.wait_with_output().expect("script finishes")
    };
    let o = run("n");
    let screen = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        screen.contains("5 workers") && screen.contains("Purge now? [y/N]"),
        "{screen}"
    );
    assert!(screen.contains("Cancelled"), "{screen}");
    assert_eq!(db.count("SELECT COUNT(*) FROM workers WHERE purged = 1"), 0);
    run("y");
    assert_eq!(db.count("SELECT COUNT(*) FROM workers WHERE purged = 1"), 5);
}

#[test]
fn a_console_reading_at_the_same_time_does_not_turn_a_purge_into_an_error() {
    let db = day_db();
    // Another terminal in the middle of reading: it holds a snapshot of the old pages.
    let reader = rusqlite::Connection::open(&db.path).unwrap();
    reader
        .execute_batch("BEGIN; SELECT COUNT(*) FROM workers;")
        .unwrap();
    let o = db.run(&["--lang", "en", "purge", "--older-than", "2", "--yes"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("5 workers"));
    assert!(stderr(&o).contains("another terminal"), "{}", stderr(&o));
    reader.execute_batch("COMMIT;").unwrap();
    drop(reader);
    // Once the last terminal has closed the database, the text is gone from every file.
    let mut raw = read(&db.path);
    let wal = db.path.with_file_name("zhitong.db-wal");
    if wal.exists() {
        raw.extend(read(&wal));
    }
    for s in ["王小明", "610928198503136678", "钱宝山"] {
        assert!(!contains_bytes(&raw, s.as_bytes()), "{s} left behind");
    }
}

/// A database written before secure_delete was on may hold old text in its free space (here a
/// record deleted without zeroing): its first purge rewrites the whole file once, says so, and
/// the text is gone; the next purge does not do it again.
#[test]
fn a_database_from_before_secure_delete_is_scrubbed_once() {
    let db = day_db();
    {
        let s = db.store();
        rusqlite::Connection::open(s.path())
            .unwrap()
            .execute_batch(
                "PRAGMA secure_delete = OFF;
                 INSERT INTO workers (id, id_number, name, phone)
                     VALUES (9999, '11010519491231002X', '早已删除的人', '13700009999');
                 DELETE FROM workers WHERE id = 9999;
                 INSERT INTO meta (key, value) VALUES ('scrub_once', 'old');",
            )
            .unwrap();
    }
    assert!(
        contains_bytes(&file_bytes(&db), "早已删除的人".as_bytes()),
        "the deleted record should linger in free space"
    );
    let o = ok(db.run(&["--lang", "en", "purge", "--older-than", "2", "--yes"]));
    assert!(stderr(&o).contains("rewritten once"), "{}", stderr(&o));
    let raw = file_bytes(&db);
    for s in ["早已删除的人", "13700009999", "王小明"] {
        assert!(!contains_bytes(&raw, s.as_bytes()), "{s} left behind");
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM meta WHERE key = 'scrub_once'"),
        0
    );
    let o = ok(db.run(&["--lang", "en", "purge", "--older-than", "2", "--yes"]));
    assert!(!stderr(&o).contains("rewritten"), "{}", stderr(&o));
}

/// The door's records after a purge: every reading stays (counts and papers are built from
/// them), and so do the markers the program writes in the road log (a fever at the door, the
/// seat a passenger left); what was typed — an undo reason, a note beside a fever — goes with
/// the old trip and its passengers, and today's stays.
#[test]
fn purge_blanks_typed_reasons_but_keeps_readings_and_the_logs_markers() {
    let db = day_db();
    rusqlite::Connection::open(db.store().path())
        .unwrap()
        .execute_batch(
            "INSERT INTO reasons (trip_id, worker_id, at, action, text) VALUES
                 (1, 101, '2020-02-17T06:41:00+08:00', 'undo', '认错人，是孙桂兰的弟弟'),
                 (1, NULL, '2020-02-17T06:50:00+08:00', 'undo', '名单打错，家属电话13991500999'),
                 (2, 201, '2020-02-21T06:39:00+08:00', 'undo', '今日按错了');
             INSERT INTO trip_events (trip_id, at, kind, worker_id, seat, temperature, note) VALUES
                 (1, '2020-02-17T06:46:00+08:00', 'fever', 104, 7, 37.9, 'at the door'),
                 (1, '2020-02-17T15:04:00+08:00', 'move', 102, 41, 37.4, 'from seat 3');",
        )
        .unwrap();
    let readings = "SELECT COUNT(*) || ' ' || SUM(celsius) FROM readings";
    let markers = "SELECT COUNT(*) FROM trip_events WHERE note IN ('at the door', 'from seat 3')";
    let before: String = rusqlite::Connection::open(db.store().path())
        .unwrap()
        .query_row(readings, [], |r| r.get(0))
        .unwrap();
    assert!(contains_bytes(&file_bytes(&db), "孙桂兰的弟弟".as_bytes()));

    let o = ok(db.run(&["--lang", "en", "purge", "--older-than", "2", "--yes"]));
    assert!(
        stdout(&o).contains("en-route notes and reasons for corrections"),
        "{}",
        stdout(&o)
    );
    let s = db.store();
    let texts: Vec<String> = rusqlite::Connection::open(s.path())
        .unwrap()
        .prepare("SELECT text FROM reasons ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(texts, ["", "", "今日按错了"]);
    let after: String = rusqlite::Connection::open(s.path())
        .unwrap()
        .query_row(readings, [], |r| r.get(0))
        .unwrap();
    assert_eq!(after, before, "readings are kept whole");
    assert_eq!(db.count(markers), 2);
    // The fixture's fever with a typed note keeps its row; only the note is emptied.
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM trip_events WHERE trip_id = 1 AND kind = 'fever' AND note = ''"
        ),
        1
    );
    let raw = file_bytes(&db);
    for gone in ["孙桂兰的弟弟", "13991500999"] {
        assert!(!contains_bytes(&raw, gone.as_bytes()), "{gone} left behind");
    }
    assert!(contains_bytes(&raw, "今日按错了".as_bytes()));
}

#[test]
fn purge_tells_how_far_it_is_and_names_itself_to_other_terminals() {
    use std::sync::{Arc, Mutex};
    use zhitong::ops::progress::{set_sink, Stage, Step};
    let db = day_db();
    let seen: Arc<Mutex<Vec<Step>>> = Arc::default();
    let s = seen.clone();
    // Whoever shows progress (a bar on a terminal, the console's status bar) hears this.
    set_sink(Some(Arc::new(move |st: &Step| {
        if st.stage == Stage::Purging {
            s.lock().unwrap().push(st.clone());
        }
    })));
    let mut ctx = zhitong::ops::Ctx::new(
        db.store(),
        "王科长".into(),
        zhitong::model::Policy::default(),
        zhitong::i18n::Lang::En,
    );
    ctx.today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let preview = zhitong::ops::purge::preview(&ctx, Some(2)).unwrap();
    let report = zhitong::ops::purge::purge(&mut ctx, Some(2)).unwrap();
    set_sink(None);
    let total = (preview.workers + preview.trips + preview.buses) as u64;
    assert!(total > 0 && report.workers == preview.workers);
    let seen = seen.lock().unwrap();
    let first = seen.first().expect("a first report");
    let last = seen.last().expect("a last report");
    assert_eq!(
        (first.done, first.total, first.finished),
        (0, Some(total), false)
    );
    assert_eq!(
        (last.done, last.total, last.finished),
        (total, Some(total), true)
    );
    assert_eq!(first.subject, report.cutoff.to_string());
    // Recorded as a job while it ran: a terminal kept waiting is told "… is purging".
    assert_eq!(
        db.count(&format!(
            "SELECT count(*) FROM jobs WHERE kind = 'purge' AND state = 'finished'
               AND done = {total} AND total = {total} AND operator = '王科长'"
        )),
        1
    );
}
