//! The command-line contract of DESIGN §5: the parser is well-formed and usage errors exit 2.

use clap::CommandFactory;
use std::process::Command;

#[test]
fn parser_is_well_formed() {
    zhitong::cli::Cli::command().debug_assert();
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .args(["board", "--bus", "陕G21000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--temp"), "{err}");
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhitong"))
        .args(["--db", db.to_str().unwrap(), "stats", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}
