//! Masking holds in every output of the papers (stats, bulletin, manifests in CSV, GBK CSV and
//! HTML, in both languages, on stdout and stderr) unless an audited reveal asks otherwise, and
//! the audit log itself never records a person.

#[path = "fixtures/papers/helper.rs"]
mod helper;

use helper::*;

fn outputs(db: &Db) -> Vec<(String, String)> {
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["stats", "--bulletin"],
        vec!["stats", "--bulletin", "--json"],
        vec!["export", "manifest", "--date", TODAY],
        vec!["export", "manifest", "--date", TODAY, "--format", "html"],
        vec!["export", "manifest", "--bus", "陕G21000"],
        vec!["export", "manifest", "--bus", "陕A00000"],
        vec!["purge", "--older-than", "2"],
    ];
    for lang in ["zh", "en"] {
        runs.push(vec!["--lang", lang, "stats"]);
        runs.push(vec![
            "--lang", lang, "export", "manifest", "--date", TODAY, "--format", "html",
        ]);
    }
    let mut out = Vec::new();
    for args in &runs {
        let o = db.run(args);
        out.push((
            format!("{args:?} stdout"),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        ));
        out.push((format!("{args:?} stderr"), stderr(&o)));
    }
    let gbk = db.run(&["export", "manifest", "--date", TODAY, "--encoding", "gbk"]);
    let (text, _, _) = encoding_rs::GBK.decode(&gbk.stdout);
    out.push(("gbk manifest".into(), text.into_owned()));
    out
}

#[test]
fn no_output_shows_a_full_id_number_or_phone() {
    let db = day_db();
    let (ids, phones) = ids_and_phones(&db);
    assert!(ids.len() > 20 && phones.len() > 30);
    for (what, text) in outputs(&db) {
        for s in ids.iter().chain(&phones) {
            assert!(!text.contains(s.as_str()), "{what} shows {s}");
        }
    }
}

#[test]
fn the_audit_log_never_records_a_person() {
    let db = day_db();
    let (ids, phones) = ids_and_phones(&db);
    ok(db.run(&["export", "manifest", "--date", TODAY, "--reveal"]));
    ok(db.run(&["purge", "--older-than", "2", "--yes"]));
    let store = db.store();
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let mut stmt = conn.prepare("SELECT operator || action || entity || COALESCE(before, '') || COALESCE(after, '') FROM audit")
        .unwrap();
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), 4 + 1, "a reveal per bus and the purge");
    let names: Vec<String> = {
        let conn = rusqlite::Connection::open(store.path()).unwrap();
        let mut s = conn
            .prepare("SELECT name FROM workers WHERE name <> ''")
            .unwrap();
        let r = s.query_map([], |r| r.get(0)).unwrap();
        r.map(|n| n.unwrap()).collect()
    };
    for row in &rows {
        for s in ids.iter().chain(&phones).chain(&names) {
            assert!(!row.contains(s.as_str()), "audit row holds {s}: {row}");
        }
    }
}

#[test]
fn a_purged_passenger_shows_as_blank_on_an_old_manifest() {
    let db = day_db();
    ok(db.run(&["purge", "--older-than", "2", "--yes"]));
    // The bus has long been back: its old trip is named by code.
    let o = ok(db.run(&[
        "--lang",
        "en",
        "export",
        "manifest",
        "--trip",
        "旬阳-20200217-01-1",
    ]));
    let text = String::from_utf8(o.stdout).unwrap();
    // Seats and statuses are the record that stays; who sat there is gone.
    assert_eq!(text.lines().count(), 1 + 3, "{text}");
    assert!(!text.contains("王小明") && !text.contains("6109281985"));
    assert!(
        text.contains(",1,,,"),
        "seat 1 with empty name and ID: {text}"
    );
}
