//! Only `init`, `demo` and `import` create a database. A mistyped `--db` for any other command
//! is exit 1 ("no database at PATH: run `zhitong init`") and leaves no file; folders are made
//! owner-only; a database readable by others is narrowed to 0600 with a warning.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn zhitong(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ZHITONG_TODAY", "2020-02-21")
        .env("ZHITONG_OPERATOR", "测试员")
        .env_remove("ZHITONG_DB")
        .stdin(Stdio::null())
        .output()
        .expect("zhitong runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn commands_on_a_missing_database_say_so_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("typo");
    let db = folder.join("ledger.db");
    let backup = dir.path().join("b.db");
    let backup = backup.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["trace", "--id", "11010519491231002X"],
        vec!["backup", backup],
        vec!["plan", "--date", "2020-02-21"],
        vec!["purge", "--yes"],
        vec!["export", "manifest", "--date", "2020-02-21"],
        vec!["depart", "--bus", "陕G21000"],
        // The door's commands, by plate and by trip code.
        vec![
            "undo",
            "--bus",
            "陕G21000",
            "--seat",
            "1",
            "--reason",
            "按错了",
        ],
        vec![
            "round",
            "--trip",
            "旬阳-20200221-01-1",
            "--seat",
            "1",
            "--temp",
            "36.5",
        ],
        vec!["roster", "--bus", "陕G21000", "--json"],
        vec!["export", "manifest", "--trip", "旬阳-20200221-01-1"],
        vec!["--readonly", "stats"],
        // No command: the console, which must not start on nothing.
        vec![],
    ];
    for c in &commands {
        let mut args = vec!["--lang", "en"];
        args.extend(c);
        let o = zhitong(&db, &args);
        assert_eq!(o.status.code(), Some(1), "{c:?}: {}", stderr(&o));
        let want = format!("no database at {}: run `zhitong init`", db.display());
        assert!(stderr(&o).contains(&want), "{c:?}: {}", stderr(&o));
        assert!(!folder.exists(), "{c:?} created {}", folder.display());
        assert!(!Path::new(backup).exists());
    }
    let o = zhitong(&db, &["--lang", "zh", "stats"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("处没有数据库：请先运行 `zhitong init`"),
        "{}",
        stderr(&o)
    );
    // The same with a folder that exists: still no file.
    std::fs::create_dir(&folder).unwrap();
    let o = zhitong(&db, &["stats"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!db.exists());
}

#[test]
fn init_and_import_create_owner_only_files_in_owner_only_folders() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a/b/ledger.db");
    let o = zhitong(&db, &["--lang", "en", "init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&dir.path().join("a")), 0o700);
    assert_eq!(mode(&dir.path().join("a/b")), 0o700);

    let csv = dir.path().join("employers.csv");
    std::fs::write(&csv, "企业名称,省,市\n宁波甬达电器有限公司,浙江省,宁波市\n").unwrap();
    let fresh = dir.path().join("c/new.db");
    let o = zhitong(
        &fresh,
        &[
            "--lang",
            "en",
            "import",
            "employers",
            csv.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("created {}", fresh.display())),
        "{}",
        stderr(&o)
    );
    // stdout stays the one JSON object.
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["new"], 1);
    assert_eq!(mode(&fresh), 0o600);
    assert_eq!(mode(&dir.path().join("c")), 0o700);
    // Importing again into the now existing file says nothing of creating it.
    let o = zhitong(
        &fresh,
        &["--lang", "en", "import", "employers", csv.to_str().unwrap()],
    );
    assert!(!stderr(&o).contains("created"), "{}", stderr(&o));
}

#[test]
fn a_database_readable_by_others_is_narrowed_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    assert!(zhitong(&db, &["init"]).status.success());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = zhitong(&db, &["--lang", "en", "stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("readable by others (mode 644)"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("narrowed"), "{}", stderr(&o));
    assert_eq!(mode(&db), 0o600);
    // Once narrowed, nothing more is said.
    let o = zhitong(&db, &["--lang", "en", "stats"]);
    assert!(!stderr(&o).contains("narrowed"), "{}", stderr(&o));
    // In Chinese.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o664)).unwrap();
    let o = zhitong(&db, &["--lang", "zh", "stats"]);
    assert!(stderr(&o).contains("仅本人可读写"), "{}", stderr(&o));
    assert_eq!(mode(&db), 0o600);
}
