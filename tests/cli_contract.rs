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
