//! Identity does not change silently: a re-imported row whose name differs from the stored
//! name of a worker who is planned (or boarded, or has travelled) is rejected unless
//! `--allow-rename`; every rename is kept in the name history, audited, and purged with the
//! worker.

#[path = "fixtures/nasty/support.rs"]
mod support;

use support::*;

/// A ledger of 300 workers with today's plan applied; worker 0 holds a seat.
fn planned() -> Ledger {
    let l = Ledger::seeded(300, 20);
    let r = l.run(&["plan", "--date", DAY, "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) FROM workers WHERE id_number = '{}' AND status = 'planned'",
            id_number(0)
        )),
        1
    );
    l
}

/// The ledger's first rows again, worker `n` under another name.
fn renamed_file(l: &Ledger, n: u32, new_name: &str) -> String {
    let mut text = workers_csv(0..3, 60);
    text = text.replacen(
        &format!("{},{}", name(n), id_number(n)),
        &format!("{new_name},{}", id_number(n)),
        1,
    );
    assert!(text.contains(new_name));
    l.file("again.csv", text.as_bytes())
        .to_string_lossy()
        .into_owned()
}

fn stored_name(l: &Ledger, n: u32) -> String {
    let c = rusqlite::Connection::open(&l.db).expect("open");
    c.query_row(
        "SELECT name FROM workers WHERE id_number = ?1",
        [id_number(n)],
        |r| r.get(0),
    )
    .expect("name")
}

#[test]
fn a_planned_worker_is_not_renamed_by_a_reimport_without_allow_rename() {
    let l = planned();
    let old = stored_name(&l, 0);
    let file = renamed_file(&l, 0, "冒名顶替");
    let before = l.snapshot();
    let r = l.run(&["import", "workers", &file]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "again.csv:2: name: '冒名顶替': the ledger's '{old}' is already planned on a bus, the file says '冒名顶替'"
        )) && r.stderr.contains("--allow-rename"),
        "{}",
        r.stderr
    );
    assert_eq!(stored_name(&l, 0), old);
    assert_eq!(l.count("SELECT count(*) FROM worker_names"), 0);
    // The other rows were unchanged; only the job record and the import's audit row are new.
    assert_eq!(
        l.snapshot().changed(&before, &["jobs", "audit"]),
        Vec::<String>::new()
    );
    // In Chinese the reason names both names and the state as well.
    let zh = std::process::Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(&l.db)
        .args(["--lang", "zh", "import", "workers", &file])
        .env("ZHITONG_TODAY", DAY)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&zh.stderr);
    assert_eq!(zh.status.code(), Some(3));
    assert!(
        err.contains(&format!("台账中的'{old}'已编排，文件中的姓名为'冒名顶替'")),
        "{err}"
    );
}

#[test]
fn allow_rename_renames_keeps_the_old_name_and_audits_it() {
    let l = planned();
    let old = stored_name(&l, 0);
    let file = renamed_file(&l, 0, "张卫东");
    let r = l.run(&["import", "workers", &file, "--allow-rename", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["updated"], 1);
    assert_eq!(stored_name(&l, 0), "张卫东");
    let c = rusqlite::Connection::open(&l.db).expect("open");
    let (worker, old_name, new_name, operator, source): (i64, String, String, String, String) = c
        .query_row(
            "SELECT worker_id, old_name, new_name, operator, source FROM worker_names",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .expect("history");
    assert_eq!(
        (old_name.as_str(), new_name.as_str()),
        (old.as_str(), "张卫东")
    );
    assert_eq!(operator, OPERATOR);
    assert!(source.ends_with("again.csv:2"), "{source}");
    let audited: i64 = c
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'import' AND entity = 'worker'
               AND entity_id = ?1 AND after LIKE '%name%'",
            [worker],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 1);
}

#[test]
fn a_registered_worker_may_be_renamed_and_the_rename_is_kept_and_purged_with_the_worker() {
    let l = Ledger::seeded(300, 0);
    let old = stored_name(&l, 1);
    let file = renamed_file(&l, 1, "李秀兰");
    let r = l.run(&["import", "workers", &file]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(stored_name(&l, 1), "李秀兰");
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) FROM worker_names WHERE old_name = '{old}' AND new_name = '李秀兰'"
        )),
        1
    );
    // Purge blanks the former names together with the worker's own.
    let mut ctx = l.ctx();
    let worker = l.count(&format!(
        "SELECT id FROM workers WHERE id_number = '{}'",
        id_number(1)
    ));
    let tx = ctx.store.begin().expect("write");
    let candidates = zhitong::store::purge::Candidates {
        workers: vec![worker],
        ..Default::default()
    };
    zhitong::store::purge::blank(&tx, &candidates).expect("blank");
    tx.commit().expect("commit");
    assert_eq!(
        l.count("SELECT count(*) FROM worker_names WHERE old_name <> '' OR new_name <> '' OR source <> ''"),
        0
    );
}

#[test]
fn a_refused_rename_names_both_names_and_shows_no_id_number() {
    let l = planned();
    let old = stored_name(&l, 0);
    let file = renamed_file(&l, 0, "冒名顶替");
    let r = l.run(&["import", "workers", &file, "--json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v = r.json();
    let rejected = v["rejected"].as_array().expect("rejected");
    assert_eq!(rejected.len(), 1, "{v}");
    // A name is not a number: shown as typed, so the officer sees whom the row names.
    assert_eq!(rejected[0]["line"], 2);
    assert_eq!(rejected[0]["field"], "name");
    assert_eq!(rejected[0]["value"], "冒名顶替");
    let reason = rejected[0]["reason"].as_str().expect("reason");
    assert!(
        reason.contains(&format!("'{old}'")) && reason.contains("'冒名顶替'"),
        "{reason}"
    );
    for n in 0..3 {
        let id = id_number(n);
        assert!(
            !r.stdout.contains(&id) && !r.stderr.contains(&id),
            "{id} shown: {}{}",
            r.stdout,
            r.stderr
        );
    }
    // An ID number typed into the name column (columns swapped): refused, the number masked
    // wherever the row is reported.
    let typed = id_number(7);
    let file = renamed_file(&l, 0, &typed);
    let r = l.run(&["import", "workers", &file, "--json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        !r.stdout.contains(&typed) && !r.stderr.contains(&typed),
        "{}{}",
        r.stdout,
        r.stderr
    );
    let v = r.json();
    let value = v["rejected"][0]["value"].as_str().expect("value");
    assert!(value.starts_with(&typed[..6]) && value.contains('*'), "{v}");
    assert_eq!(stored_name(&l, 0), old);
}
