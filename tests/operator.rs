//! Who acted: `--operator`, else `$ZHITONG_OPERATOR`, else `$USER`/`$LOGNAME`, else the login
//! name the system knows for this process's user — never an empty or made-up name.

use rusqlite::Connection;
use std::path::Path;
use std::process::Command;

fn import_employers(db: &Path, env: &[(&str, &str)]) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/employers.csv");
    let o = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .arg("--db")
        .arg(db)
        .args(["--lang", "en", "import", "employers"])
        .arg(file)
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("ZHITONG_OPERATOR")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn operators(db: &Path) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut st = c
        .prepare("SELECT DISTINCT operator FROM audit ORDER BY id")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn without_user_variables_the_login_name_is_recorded() {
    let who = Command::new("id").arg("-un").output().unwrap();
    let who = String::from_utf8_lossy(&who.stdout).trim().to_string();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    import_employers(&db, &[]);
    assert_eq!(operators(&db), vec![who]);
    // The variable wins over the login name; an empty one counts as unset.
    let db2 = dir.path().join("y.db");
    import_employers(&db2, &[("ZHITONG_OPERATOR", "王科长")]);
    assert_eq!(operators(&db2), vec!["王科长".to_string()]);
    let db3 = dir.path().join("x.db");
    import_employers(&db3, &[("ZHITONG_OPERATOR", ""), ("USER", "county-office")]);
    assert_eq!(operators(&db3), vec!["county-office".to_string()]);
}
