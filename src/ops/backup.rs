//! `backup FILE`: a consistent copy of the database through SQLite's online backup, safe while
//! other terminals write. Never overwrites: a backup that replaces a backup is no backup.

use super::{Ctx, OpError, OpResult};
use crate::io::outfile::{OutError, OutFile, Protected};
use crate::store::audit;
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
}

/// Copies the open database to `dest`, written under a temporary name beside it and renamed
/// when complete, so that an interrupted backup never looks like a good one. The copy is
/// audited (it holds every ID number) unless the database is open read-only.
pub fn backup(ctx: &mut Ctx, dest: &Path) -> OpResult<BackupReport> {
    let lang = ctx.lang;
    let fail = |e: OutError| OpError::Failed(e.message(lang));
    // A backup that replaces a backup is no backup: never `--force`.
    let out = OutFile::check(dest, false, Protected::database(ctx.store.path())).map_err(fail)?;
    if !ctx.store.is_readonly() {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tx = ctx.store.begin()?;
        audit(
            &tx,
            &ctx.operator,
            "backup",
            "database",
            None,
            None,
            Some(&json!({ "file": name })),
        )?;
        tx.commit()?;
    }
    let staged = out.stage().map_err(fail)?;
    ctx.store.backup_to(staged.path())?;
    staged.commit().map_err(fail)?;
    let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport {
        file: dest.to_path_buf(),
        bytes,
    })
}
