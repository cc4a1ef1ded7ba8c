//! Where a pack is written: beside its destination under a temporary owner-only name, synced,
//! then renamed in place, so that an interrupted pack never looks like a good one. Never the
//! ledger (or its -wal/-shm/-journal), never a symbolic link; a new pack never replaces a file,
//! a refresh replaces only the pack of the same trip it has checked.

use crate::i18n::Lang;
use crate::ops::departure::say;
use crate::ops::{OpError, OpResult};
use std::fs::File;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Checks `dest` before any work is done. `replace`: the caller has checked that the file
/// there is the pack it refreshes.
pub fn check(dest: &Path, ledger: &Path, replace: bool, lang: Lang) -> OpResult<()> {
    let shown = dest.display();
    let meta = std::fs::symlink_metadata(dest).ok();
    if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        return Err(OpError::Failed(say!(
            lang,
            "{}：这是符号链接，离线包请写到实际文件",
            "{}: is a symbolic link; write the pack to the real file instead",
            shown
        )));
    }
    if is_ledger(dest, ledger) {
        return Err(OpError::Failed(say!(
            lang,
            "{}：这是台账数据库（或其 -wal、-shm 文件），绝不会被覆盖",
            "{}: is the ledger (or one of its -wal/-shm files); it is never written over",
            shown
        )));
    }
    match meta {
        Some(m) if !m.is_file() => Err(OpError::Failed(say!(
            lang,
            "{}：不是普通文件",
            "{}: is not a regular file",
            shown
        ))),
        Some(_) if !replace => Err(OpError::Failed(say!(
            lang,
            "{}：文件已存在；离线包不会覆盖文件（更新本车次的离线包请加 --refresh）",
            "{}: already exists; a pack never overwrites a file (to refresh this trip's pack, add --refresh)",
            shown
        ))),
        None if replace => Err(OpError::Failed(say!(
            lang,
            "{}：没有要更新的离线包",
            "{}: there is no pack to refresh",
            shown
        ))),
        _ => Ok(()),
    }
}

/// Whether `dest` names the ledger or one of its companion files, by any spelling.
fn is_ledger(dest: &Path, ledger: &Path) -> bool {
    let Some(dest) = canonical_or_joined(dest) else {
        return false;
    };
    let Some(base) = canonical_or_joined(ledger) else {
        return false;
    };
    let same = |p: &Path| {
        if p == dest {
            return true;
        }
        match (std::fs::metadata(p), std::fs::metadata(&dest)) {
            (Ok(a), Ok(b)) => same_file(&a, &b),
            _ => false,
        }
    };
    ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
        let mut p = base.clone().into_os_string();
        p.push(suffix);
        same(Path::new(&p))
    })
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// The canonical form of `p`, or of its folder joined with its name when `p` does not exist.
fn canonical_or_joined(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let name = p.file_name()?;
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

/// The absolute path a pack is recorded under in the ledger (purge looks for it there).
pub fn absolute(dest: &Path) -> PathBuf {
    canonical_or_joined(dest).unwrap_or_else(|| dest.to_path_buf())
}

/// An empty owner-only temporary file beside the destination; dropped without `commit`, it
/// is removed.
pub struct Staged {
    tmp: NamedTempFile,
    dest: PathBuf,
    replace: bool,
}

pub fn stage(dest: &Path, replace: bool, lang: Lang) -> OpResult<Staged> {
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io_error(dest, e, lang))?;
    Ok(Staged {
        tmp,
        dest: dest.to_path_buf(),
        replace,
    })
}

fn io_error(dest: &Path, e: std::io::Error, lang: Lang) -> OpError {
    OpError::Failed(say!(
        lang,
        "{}：无法写入：{}",
        "{}: cannot be written: {}",
        dest.display(),
        e
    ))
}

impl Staged {
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Syncs the finished pack and renames it over the destination (a new pack only if
    /// nothing has appeared there meanwhile), then syncs the folder.
    pub fn commit(self, lang: Lang) -> OpResult<()> {
        let dest = self.dest.clone();
        File::open(self.tmp.path())
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error(&dest, e, lang))?;
        let placed = if self.replace {
            self.tmp.persist(&dest)
        } else {
            self.tmp.persist_noclobber(&dest)
        };
        placed.map_err(|e| io_error(&dest, e.error, lang))?;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}
