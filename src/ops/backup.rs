//! `backup FILE`: a consistent copy of the database through SQLite's online backup, safe while
//! other terminals write. Never overwrites: a backup that replaces a backup is no backup.

use super::{Ctx, OpError, OpResult};
use crate::store::audit;
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
}

/// Copies the open database to `dest`, written first under `dest.partial` and renamed when
/// complete, so that an interrupted backup never looks like a good one. The copy is audited
/// (it holds every ID number) unless the database is open read-only.
pub fn backup(ctx: &mut Ctx, dest: &Path) -> OpResult<BackupReport> {
    let shown = dest.display();
    if dest.exists() {
        return Err(OpError::Failed(format!(
            "{shown}: already exists; a backup never overwrites a file, choose a new name"
        )));
    }
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let fail = |what: &str, e: std::io::Error| OpError::Failed(format!("{shown}: {what}: {e}"));
    if partial.exists() {
        std::fs::remove_file(&partial).map_err(|e| fail("cannot remove an old partial copy", e))?;
    }
    if !ctx.store.is_readonly() {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tx = ctx.store.write()?;
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
    if let Err(e) = ctx.store.backup_to(&partial) {
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    std::fs::rename(&partial, dest)
        .map_err(|e| fail("cannot move the finished copy in place", e))?;
    let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport {
        file: dest.to_path_buf(),
        bytes,
    })
}
