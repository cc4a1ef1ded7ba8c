//! Exports never destroy: `--out` refuses the database, its -wal/-shm, symlinks and (without
//! `--force`) any existing file; a write that fails half-way leaves the old file as it was.
//! Backups go through the same writer.

#[path = "fixtures/papers/helper.rs"]
mod helper;

use helper::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn export_to(db: &Db, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--lang", "en", "export", "manifest", "--date", TODAY, "--out",
    ];
    let out = out.to_str().unwrap().to_string();
    args.push(&out);
    args.extend_from_slice(extra);
    db.run(&args)
}

fn integrity(db: &Db) -> String {
    rusqlite::Connection::open(db.store().path())
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Files in the database's folder whose name starts with a dot: temporary files left behind.
fn leftovers(db: &Db) -> Vec<String> {
    std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

/// Inode and size: the same file, not one renamed over it.
#[cfg(unix)]
fn identity(p: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(p).unwrap();
    (m.ino(), m.len())
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_database_as_out_is_refused_even_with_force_and_the_ledger_survives() {
    let db = day_db();
    let workers = db.count("SELECT COUNT(*) FROM workers");
    let before = read(&db.path);
    let spellings = [
        db.path.clone(),
        db.dir.path().join(".").join("zhitong.db"),
        db.dir.path().join("sub/../zhitong.db"),
    ];
    std::fs::create_dir(db.dir.path().join("sub")).unwrap();
    for out in &spellings {
        for extra in [&[][..], &["--force"][..]] {
            let o = export_to(&db, out, extra);
            assert_eq!(code(&o), 1, "{out:?} {extra:?}: {}", stderr(&o));
            assert!(stderr(&o).contains("database"), "{}", stderr(&o));
            assert!(stderr(&o).contains("zhitong.db"), "{}", stderr(&o));
        }
    }
    assert!(read(&db.path) == before, "the database file changed");
    assert_eq!(integrity(&db), "ok");
    assert_eq!(db.count("SELECT COUNT(*) FROM workers"), workers);
    // In Chinese too.
    let o = db.run(&[
        "--lang",
        "zh",
        "export",
        "manifest",
        "--date",
        TODAY,
        "--out",
        db.path.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("数据库"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn the_wal_and_shm_are_refused_whether_or_not_they_exist() {
    let db = day_db();
    // Without another connection open the -wal and -shm may be gone: still refused by name.
    for suffix in ["-wal", "-shm"] {
        let out = db.dir.path().join(format!("zhitong.db{suffix}"));
        let o = export_to(&db, &out, &["--force"]);
        assert_eq!(code(&o), 1, "{suffix}: {}", stderr(&o));
        assert!(stderr(&o).contains("database"), "{}", stderr(&o));
    }
    // With another terminal holding the database open both files exist.
    let held = db.store();
    rusqlite::Connection::open(held.path())
        .unwrap()
        .execute("INSERT INTO meta (key, value) VALUES ('held', 'x')", [])
        .unwrap();
    for suffix in ["-wal", "-shm"] {
        let out = db.dir.path().join(format!("zhitong.db{suffix}"));
        assert!(out.exists(), "{suffix} should exist while held");
        let before = identity(&out);
        let o = export_to(&db, &out, &["--force"]);
        assert_eq!(code(&o), 1, "{suffix}: {}", stderr(&o));
        // Readers write their marks into -shm: the same file of the same size, not replaced.
        assert!(identity(&out) == before, "{suffix} was replaced");
    }
    drop(held);
    assert_eq!(integrity(&db), "ok");
    assert_eq!(db.count("SELECT COUNT(*) FROM meta WHERE key = 'held'"), 1);
}

#[cfg(unix)]
#[test]
fn a_symlink_is_refused_even_with_force_wherever_it_points() {
    let db = day_db();
    let target = db.dir.path().join("target.csv");
    std::fs::write(&target, b"precious").unwrap();
    let link = db.dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let to_db = db.dir.path().join("db-link.csv");
    std::os::unix::fs::symlink(&db.path, &to_db).unwrap();
    let dangling = db.dir.path().join("dangling.csv");
    std::os::unix::fs::symlink(db.dir.path().join("nowhere.csv"), &dangling).unwrap();
    for out in [&link, &to_db, &dangling] {
        for extra in [&[][..], &["--force"][..]] {
            let o = export_to(&db, out, extra);
            assert_eq!(code(&o), 1, "{out:?} {extra:?}: {}", stderr(&o));
            assert!(
                stderr(&o).contains("link") || stderr(&o).contains("database"),
                "{}",
                stderr(&o)
            );
        }
    }
    assert_eq!(read(&target), b"precious");
    assert!(!db.dir.path().join("nowhere.csv").exists());
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(integrity(&db), "ok");
}

#[cfg(unix)]
#[test]
fn an_existing_file_needs_force_and_then_becomes_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let db = day_db();
    let out = db.dir.path().join("manifest.csv");
    std::fs::write(&out, b"yesterday's manifest").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = export_to(&db, &out, &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("already exists") && stderr(&o).contains("--force"));
    assert!(stderr(&o).contains("manifest.csv"), "{}", stderr(&o));
    assert_eq!(read(&out), b"yesterday's manifest");
    assert_eq!(mode(&out), 0o644);

    ok(export_to(&db, &out, &["--force"]));
    let text = String::from_utf8(read(&out)).unwrap();
    assert!(text.contains("陕G21001"), "{text}");
    assert_eq!(
        mode(&out),
        0o600,
        "a replaced file is owner-only, not its old 0644"
    );
    assert!(leftovers(&db).is_empty(), "{:?}", leftovers(&db));
}

#[test]
fn a_refused_out_file_does_not_audit_a_reveal() {
    let db = day_db();
    let out = db.dir.path().join("manifest.csv");
    std::fs::write(&out, b"old").unwrap();
    let o = export_to(&db, &out, &["--reveal"]);
    assert_eq!(code(&o), 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM audit"), 0);
}

#[test]
fn out_dash_is_stdout() {
    let db = day_db();
    let o = ok(db.run(&["export", "manifest", "--bus", "陕G21001", "--out", "-"]));
    assert!(stdout(&o).contains("陕G21001"));
    assert!(!db.dir.path().join("-").exists());
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_half_way_leaves_the_old_file() {
    use std::os::unix::process::CommandExt;
    let db = day_db();
    // Another terminal holds the database open, so this run does not need to grow -shm/-wal.
    let held = db.store();
    let out = db.dir.path().join("manifest.html");
    let good: Vec<u8> = b"<html>the good manifest</html>".repeat(40);
    std::fs::write(&out, &good).unwrap();
    let full =
        stdout(&ok(db.run(&[
            "export", "manifest", "--date", TODAY, "--format", "html",
        ])));
    let limit: u64 = 1024;
    assert!(
        full.len() as u64 > 4 * limit,
        "the manifest must exceed the limit"
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhitong"));
    cmd.arg("--db")
        .arg(&db.path)
        .args(["--lang", "en", "export", "manifest", "--date", TODAY])
        .args(["--format", "html", "--force", "--out"])
        .arg(&out)
        .env("ZHITONG_TODAY", TODAY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A disk that fills up: no file of this process may grow past `limit` bytes, and the write
    // fails with EFBIG (the signal that would kill the process instead is ignored).
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let o = cmd.output().unwrap();
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("manifest.html"), "{}", stderr(&o));
    assert!(stderr(&o).contains("untouched"), "{}", stderr(&o));
    assert!(read(&out) == good, "the old manifest was damaged");
    assert!(leftovers(&db).is_empty(), "{:?}", leftovers(&db));
    drop(held);
    assert_eq!(integrity(&db), "ok");
}

#[cfg(unix)]
#[test]
fn backup_goes_through_the_same_writer() {
    let db = day_db();
    for (out, why) in [
        (db.path.clone(), "database"),
        (db.dir.path().join("zhitong.db-wal"), "database"),
    ] {
        let o = db.run(&["--lang", "en", "backup", out.to_str().unwrap()]);
        assert_eq!(code(&o), 1, "{out:?}");
        assert!(stderr(&o).contains(why), "{}", stderr(&o));
    }
    let link = db.dir.path().join("b.db");
    std::os::unix::fs::symlink(db.dir.path().join("elsewhere.db"), &link).unwrap();
    let o = db.run(&["--lang", "en", "backup", link.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("link"), "{}", stderr(&o));
    assert!(!db.dir.path().join("elsewhere.db").exists());

    let copy = db.dir.path().join("copy.db");
    ok(db.run(&["backup", copy.to_str().unwrap()]));
    assert_eq!(mode(&copy), 0o600);
    assert!(leftovers(&db).is_empty(), "{:?}", leftovers(&db));
    assert_eq!(integrity(&db), "ok");
}

/// A manifest named by plate, by trip code (an arrived trip too) or by day goes through the
/// same writer: the database and an existing file are refused, `--force` replaces owner-only.
#[cfg(unix)]
#[test]
fn every_way_of_naming_the_manifest_goes_through_the_one_writer() {
    let db = day_db();
    let code_of = |id: i64| -> String {
        rusqlite::Connection::open(db.store().path())
            .unwrap()
            .query_row("SELECT code FROM trips WHERE id = ?1", [id], |r| r.get(0))
            .unwrap()
    };
    let (open_trip, old_trip) = (code_of(2), code_of(1));
    let scopes: [(&[&str], &str); 4] = [
        (&["--bus", "陕G21001"], "陕G21001"),
        (&["--trip", &open_trip], "陕G21001"),
        (&["--trip", &old_trip], "陕G21000"),
        (&["--date", TODAY], "陕G21001"),
    ];
    let before = read(&db.path);
    for (i, (scope, plate)) in scopes.iter().enumerate() {
        let run = |out: &Path, force: bool| {
            let mut args = vec!["--lang", "en", "export", "manifest"];
            args.extend_from_slice(scope);
            let out = out.to_str().unwrap().to_string();
            args.extend_from_slice(&["--out", &out]);
            if force {
                args.push("--force");
            }
            db.run(&args)
        };
        let o = run(&db.path, true);
        assert_eq!(code(&o), 1, "{scope:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("database"), "{}", stderr(&o));
        let out = db.dir.path().join(format!("m{i}.csv"));
        std::fs::write(&out, b"old").unwrap();
        let o = run(&out, false);
        assert_eq!(code(&o), 1, "{scope:?}: {}", stderr(&o));
        assert_eq!(read(&out), b"old");
        ok(run(&out, true));
        let text = String::from_utf8(read(&out)).unwrap();
        assert!(text.contains(plate), "{scope:?}: {text}");
        assert_eq!(mode(&out), 0o600, "{scope:?}");
    }
    assert!(read(&db.path) == before, "the database file changed");
    assert!(leftovers(&db).is_empty(), "{:?}", leftovers(&db));
}
