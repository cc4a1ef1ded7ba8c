//! Writes the console's sample database to `$ZHITONG_SAMPLE_OUT` (run with `--ignored`); used to
//! look at the console by hand: `ZHITONG_SAMPLE_OUT=sample.db cargo test --test console_sample_tool -- --ignored`.

#[path = "support/sample.rs"]
mod sample;

#[test]
#[ignore]
fn write_sample_database() {
    let Ok(out) = std::env::var("ZHITONG_SAMPLE_OUT") else {
        eprintln!("set ZHITONG_SAMPLE_OUT to the database file to write");
        return;
    };
    sample::build(std::path::Path::new(&out)).unwrap();
}
