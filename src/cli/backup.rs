//! `zhitong backup FILE`: prints the path and size of the finished copy.

use super::*;

pub fn run(ctx: &mut Ctx, args: &BackupArgs) -> OpResult<Exit> {
    let report = crate::ops::backup::backup(ctx, &args.file)?;
    println!(
        "{} ({:.1} MB)",
        report.file.display(),
        report.bytes as f64 / 1_048_576.0
    );
    Ok(Exit::Ok)
}
