//! Free text is checked everywhere it is typed — gathering point, operator, receiver, other
//! means, names in a spreadsheet, policy strings: escape sequences, bidi overrides and
//! zero-width characters are refused with the field named, long texts are refused, and nothing
//! typed reaches the terminal raw.

#[path = "fixtures/papers/helper.rs"]
mod helper;

use helper::*;

const ESCAPE: &str = "\u{1b}]0;owned\u{7}\u{1b}[2J广场";
const BIDI: &str = "王\u{202E}五";
const ZERO_WIDTH: &str = "王\u{200B}五";

/// No control character but the line breaks between messages, and no bidi or invisible one.
fn assert_clean(out: &std::process::Output) {
    for text in [stdout(out), stderr(out)] {
        let bad: Vec<char> = text
            .chars()
            .filter(|c| (c.is_control() && *c != '\n') || zhitong::model::text::is_hidden(*c))
            .collect();
        assert!(
            bad.is_empty(),
            "raw characters reached the terminal: {bad:?}"
        );
    }
}

fn gathering(db: &Db) -> String {
    rusqlite::Connection::open(db.store().path())
        .unwrap()
        .query_row(
            "SELECT gathering_point FROM batches WHERE code = '旬阳-20200221-02'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_gathering_point_with_escapes_bidi_or_100k_characters_is_refused() {
    let db = day_db();
    // 100,000 characters (one argument may hold at most 128 KB).
    let long = "x".repeat(100_000);
    for (point, says) in [
        (ESCAPE, "U+001B"),
        ("县政府\u{202E}广场", "U+202E"),
        ("县政府\u{2066}广场", "U+2066"),
        ("县政府\u{200B}广场", "U+200B"),
        (long.as_str(), "longer than 60"),
    ] {
        let o = db.run(&[
            "--lang",
            "en",
            "batch",
            "--code",
            "旬阳-20200221-02",
            "--gathering",
            point,
        ]);
        assert_eq!(code(&o), 2, "{says}: {}", stderr(&o));
        assert!(stderr(&o).contains("gathering point"), "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
        assert!(stderr(&o).len() < 500, "{} bytes echoed", stderr(&o).len());
        assert_clean(&o);
    }
    assert_eq!(gathering(&db), "旬阳县政府广场");
    // In Chinese the field has its Chinese name.
    let o = db.run(&[
        "--lang",
        "zh",
        "batch",
        "--code",
        "旬阳-20200221-02",
        "--gathering",
        BIDI,
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("集合点"), "{}", stderr(&o));
    // An ordinary place still goes through.
    ok(db.run(&[
        "batch",
        "--code",
        "旬阳-20200221-02",
        "--gathering",
        " 旬阳县体育场 ",
    ]));
    assert_eq!(gathering(&db), "旬阳县体育场");
}

#[test]
fn an_operator_that_cannot_be_stored_is_refused_before_anything_happens() {
    let db = day_db();
    for name in [BIDI, ZERO_WIDTH, "科长\u{1b}[31m", &"王".repeat(31)] {
        let o = db.run(&[
            "--lang",
            "en",
            "--operator",
            name,
            "batch",
            "--code",
            "旬阳-20200221-02",
            "--gathering",
            "旬阳县体育场",
        ]);
        assert_eq!(code(&o), 2, "{name:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("operator"), "{}", stderr(&o));
        assert_clean(&o);
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM audit"), 0);
    assert_eq!(gathering(&db), "旬阳县政府广场");
}

#[test]
fn a_receiver_and_other_means_are_checked() {
    let db = day_db();
    let o = db.run(&[
        "--lang",
        "en",
        "arrive",
        "--bus",
        "陕G21001",
        "--receiver",
        ESCAPE,
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("receiver"), "{}", stderr(&o));
    assert_clean(&o);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM trips WHERE id = 2 AND status = 'departed'"),
        1
    );
    let long = "周".repeat(31);
    let o = db.run(&[
        "--lang",
        "en",
        "arrive",
        "--bus",
        "陕G21001",
        "--receiver",
        &long,
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));

    for means in ["火车\u{202E}", "own car\u{1b}[2J", &"火".repeat(61)] {
        let o = db.run(&[
            "--lang",
            "en",
            "other-means",
            "--id",
            "61092819761225250X",
            "--means",
            means,
        ]);
        assert_eq!(code(&o), 2, "{means:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("means of travel"), "{}", stderr(&o));
        assert_clean(&o);
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM workers WHERE id = 501 AND status = 'registered'"),
        1
    );
    ok(db.run(&["arrive", "--bus", "陕G21001", "--receiver", "周经理"]));
}

/// `fixtures/nasty/bidi_names.csv`: names and places with a right-to-left override (U+202E),
/// a zero-width space, a BOM inside a name, isolates (U+2066–2069) and a window-title escape.
const BIDI_NAMES: &[u8] = include_bytes!("fixtures/nasty/bidi_names.csv");

#[test]
fn names_with_bidi_or_zero_width_characters_are_rejected_by_field_and_shown_escaped() {
    let db = day_db();
    let csv = db.dir.path().join("names.csv");
    std::fs::write(&csv, BIDI_NAMES).unwrap();
    let o = db.run(&["--lang", "en", "import", "workers", csv.to_str().unwrap()]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("names.csv:2: name: '王\\u{202e}五'"), "{err}");
    for want in [
        "names.csv:3: name: ",
        "names.csv:4: township: ",
        "names.csv:5: name: ",
        "names.csv:6: name: ",
        "names.csv:7: village: ",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert_clean(&o);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM workers WHERE id_number IN ('11010519491231002X', '440524188001010014')"),
        0
    );
    // The JSON report names the same rows.
    let o = db.run(&["import", "workers", csv.to_str().unwrap(), "--json"]);
    let v = json(&o);
    let fields: Vec<&str> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["name", "name", "township", "name", "name", "village"]
    );
}

#[test]
fn policy_strings_are_checked_and_named() {
    let db = day_db();
    let policy = db.dir.path().join("p.toml");
    std::fs::write(
        &policy,
        "[gathering_points]\n\"旬阳县\" = \"体育场\\u202E\"\n",
    )
    .unwrap();
    let o = db.run(&[
        "--lang",
        "en",
        "--policy",
        policy.to_str().unwrap(),
        "stats",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("p.toml") && stderr(&o).contains("gathering_points"));
    assert!(stderr(&o).contains("U+202E"), "{}", stderr(&o));
    assert_clean(&o);
}

#[test]
fn whom_a_notice_went_to_with_escapes_bidi_or_100k_characters_is_refused() {
    let db = day_db();
    let long = "x".repeat(100_000);
    for (to, says) in [
        (ESCAPE, "U+001B"),
        (BIDI, "U+202E"),
        (ZERO_WIDTH, "U+200B"),
        (long.as_str(), "longer than 60"),
    ] {
        let o = db.run(&[
            "--lang",
            "en",
            "notice-sent",
            "--date",
            TODAY,
            "--province",
            "浙江",
            "--to",
            to,
        ]);
        assert_eq!(code(&o), 2, "{says}: {}", stderr(&o));
        assert!(stderr(&o).contains("recipient"), "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
        assert!(stderr(&o).len() < 500, "{} bytes echoed", stderr(&o).len());
        assert_clean(&o);
    }
    // A province typed with escapes is named back written out, never sent raw.
    let o = db.run(&[
        "notice-sent",
        "--date",
        TODAY,
        "--province",
        ESCAPE,
        "--to",
        "浙江省交通运输厅",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_clean(&o);
    assert_eq!(db.count("SELECT COUNT(*) FROM notices"), 0);
    // An ordinary recipient goes through.
    let o = db.run(&[
        "notice-sent",
        "--date",
        TODAY,
        "--province",
        "浙江",
        "--to",
        "浙江省交通运输厅 李处长",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(db.count("SELECT COUNT(*) FROM notices"), 1);
}
