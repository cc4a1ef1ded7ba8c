//! Files out: the one writer for every file the program produces on request (manifests, backups
//! and what follows). It never destroys: no silent overwrite, never the database, never a symlink.
//!
//! A file is written beside its destination under a temporary name (owner-only), synced, then
//! renamed over the destination: a failed or interrupted write leaves the old file as it was.
//! The database, its `-wal`/`-shm`/`-journal` and any symlink are refused even with `--force`;
//! they are recognised by canonical path and by device and inode, never by spelling.

use crate::i18n::Lang;
use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;
use thiserror::Error;

/// Where the user asked the output to go: no `--out` or `--out -` is stdout.
#[derive(Debug, Clone)]
pub enum Out {
    Stdout,
    File(OutFile),
}

impl Out {
    /// Checks the destination up front (see [`OutFile::check`]).
    pub fn prepare(arg: Option<&Path>, force: bool, protected: Protected) -> Result<Out, OutError> {
        match arg {
            None => Ok(Out::Stdout),
            Some(p) if p.as_os_str() == "-" => Ok(Out::Stdout),
            Some(p) => Ok(Out::File(OutFile::check(p, force, protected)?)),
        }
    }

    /// Writes `bytes` as the whole output.
    pub fn write(&self, bytes: &[u8]) -> Result<(), OutError> {
        match self {
            Out::File(f) => f.write(bytes),
            Out::Stdout => {
                let mut w = io::stdout().lock();
                w.write_all(bytes)
                    .and_then(|_| w.flush())
                    .map_err(|e| OutError::io(Path::new("-"), WHAT_STDOUT, e))
            }
        }
    }
}

#[derive(Debug, Error)]
pub enum OutError {
    #[error("{0}: already exists; add --force to replace it")]
    Exists(String),
    #[error("{0}: is the database (or one of its -wal/-shm files); it is never written over")]
    Database(String),
    #[error("{0}: is an SQLite database; an export never replaces a database")]
    OtherDatabase(String),
    #[error("{0}: is a symbolic link; write to the real file instead")]
    Symlink(String),
    #[error("{0}: is not a regular file")]
    NotAFile(String),
    #[error("{path}: {what}: {source}")]
    Io {
        path: String,
        what: &'static str,
        source: io::Error,
    },
}

impl OutError {
    /// The sentence for the user, in their language; names the file.
    pub fn message(&self, lang: Lang) -> String {
        let zh = match self {
            OutError::Exists(p) => format!("{p}：文件已存在；如要替换，请加 --force"),
            OutError::Database(p) => {
                format!("{p}：这是数据库文件（或其 -wal、-shm 文件），绝不会被覆盖")
            }
            OutError::OtherDatabase(p) => {
                format!("{p}：这是一个数据库文件，导出不会替换数据库")
            }
            OutError::Symlink(p) => format!("{p}：这是符号链接，请直接写到实际文件"),
            OutError::NotAFile(p) => format!("{p}：不是普通文件"),
            OutError::Io { path, what, source } => {
                let why = crate::i18n::os_error(source, Lang::Zh);
                format!("{path}：{}：{why}", io_what_zh(what))
            }
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => self.to_string(),
        }
    }

    fn io(path: &Path, what: &'static str, source: io::Error) -> OutError {
        OutError::Io {
            path: path.display().to_string(),
            what,
            source,
        }
    }
}

fn io_what_zh(what: &str) -> &'static str {
    match what {
        WHAT_FOLDER => "所在文件夹无法访问",
        WHAT_TEMP => "无法在同一文件夹中建立临时文件",
        WHAT_WRITE => "写入失败，原文件未改动",
        WHAT_RENAME => "无法放到目标位置，原文件未改动",
        WHAT_STDOUT => "无法写到标准输出",
        _ => "无法写入",
    }
}

const WHAT_FOLDER: &str = "its folder cannot be reached";
const WHAT_TEMP: &str = "cannot create a temporary file in the same folder";
const WHAT_WRITE: &str = "writing failed; the old file is untouched";
const WHAT_RENAME: &str = "cannot move the finished file in place; the old file is untouched";
const WHAT_STDOUT: &str = "cannot write to stdout";

/// The files a write must never touch: the open database and its companions.
#[derive(Debug, Clone)]
pub struct Protected {
    /// Canonical paths (whether or not the file exists yet: a -wal appears on the next write).
    paths: Vec<PathBuf>,
}

impl Protected {
    /// The database at `db` with its `-wal`, `-shm` and `-journal`.
    pub fn database(db: &Path) -> Protected {
        let base = canonical_or_joined(db).unwrap_or_else(|| db.to_path_buf());
        let mut paths = vec![base.clone()];
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut p = base.clone().into_os_string();
            p.push(suffix);
            paths.push(PathBuf::from(p));
        }
        Protected { paths }
    }

    /// Whether `dest` (canonical) or the file it names (device and inode) is protected.
    fn covers(&self, dest: &Path, meta: Option<&Metadata>) -> bool {
        if self.paths.iter().any(|p| p == dest) {
            return true;
        }
        let Some(meta) = meta else { return false };
        self.paths.iter().any(|p| {
            std::fs::metadata(p)
                .map(|m| same_file(&m, meta))
                .unwrap_or(false)
        })
    }
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
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

/// A destination that passed the checks; write to it with [`OutFile::write`] or [`OutFile::stage`].
#[derive(Debug, Clone)]
pub struct OutFile {
    dest: PathBuf,
    force: bool,
    protected: Protected,
    /// The one existing file that may be replaced, database or not (device, inode): see
    /// [`OutFile::replacing`].
    replaces: Option<(u64, u64)>,
}

impl OutFile {
    /// Checks `dest` before any work is done (so a refused file costs nothing, not even an
    /// audited reveal): not protected, not a symlink, not an existing file unless `force`.
    pub fn check(dest: &Path, force: bool, protected: Protected) -> Result<OutFile, OutError> {
        let out = OutFile {
            dest: dest.to_path_buf(),
            force,
            protected,
            replaces: None,
        };
        out.verify()?;
        Ok(out)
    }

    /// Replaces the file now at `dest` — that very file (same device and inode) and no other,
    /// although it is a database: a pack being refreshed, which the caller has opened and
    /// checked. The database, a symlink or anything not a regular file is still refused.
    pub fn replacing(dest: &Path, protected: Protected) -> Result<OutFile, OutError> {
        let shown = dest.display().to_string();
        let meta =
            std::fs::symlink_metadata(dest).map_err(|e| OutError::io(dest, WHAT_FOLDER, e))?;
        let out = OutFile {
            dest: dest.to_path_buf(),
            force: true,
            protected,
            replaces: identity(&meta),
        };
        if out.replaces.is_none() {
            return Err(OutError::NotAFile(shown));
        }
        out.verify()?;
        Ok(out)
    }

    pub fn path(&self) -> &Path {
        &self.dest
    }

    fn shown(&self) -> String {
        self.dest.display().to_string()
    }

    /// The checks, run once up front and again just before the rename.
    fn verify(&self) -> Result<(), OutError> {
        let shown = self.shown();
        let meta = match std::fs::symlink_metadata(&self.dest) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(OutError::io(&self.dest, WHAT_FOLDER, e)),
        };
        if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
            return Err(OutError::Symlink(shown));
        }
        let canonical = canonical_or_joined(&self.dest).ok_or_else(|| {
            OutError::io(
                &self.dest,
                WHAT_FOLDER,
                io::Error::from(io::ErrorKind::NotFound),
            )
        })?;
        if self.protected.covers(&canonical, meta.as_ref()) {
            return Err(OutError::Database(shown));
        }
        let Some(meta) = meta else { return Ok(()) };
        if !meta.is_file() {
            return Err(OutError::NotAFile(shown));
        }
        if let Some(file) = self.replaces {
            // Only the file the caller checked; anything put there since is left alone.
            return match identity(&meta) == Some(file) {
                true => Ok(()),
                false => Err(OutError::Exists(shown)),
            };
        }
        if is_sqlite(&self.dest) {
            return Err(OutError::OtherDatabase(shown));
        }
        if !self.force {
            return Err(OutError::Exists(shown));
        }
        Ok(())
    }

    /// Writes `bytes` as the whole new content of the file.
    pub fn write(&self, bytes: &[u8]) -> Result<(), OutError> {
        let mut staged = self.stage()?;
        staged
            .file()
            .write_all(bytes)
            .map_err(|e| OutError::io(&self.dest, WHAT_WRITE, e))?;
        staged.commit()
    }

    /// An empty owner-only temporary file beside the destination, for writers that need a path
    /// or a file of their own (SQLite's backup); [`Staged::commit`] puts it in place.
    pub fn stage(&self) -> Result<Staged, OutError> {
        let dir = match self.dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = self
            .dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| OutError::io(&self.dest, WHAT_TEMP, e))?;
        Ok(Staged {
            tmp,
            out: self.clone(),
        })
    }
}

/// Creates `dir` and any missing parents owner-only (0700): they hold the ledger, its backups
/// and logs. Folders that exist are left as they are.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// A file's device and inode (a regular file's only).
#[cfg(unix)]
fn identity(meta: &Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    meta.is_file().then(|| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Metadata) -> Option<(u64, u64)> {
    None
}

/// Whether the file starts with SQLite's header.
fn is_sqlite(p: &Path) -> bool {
    let mut head = [0u8; 16];
    File::open(p)
        .and_then(|mut f| io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

/// A temporary file waiting to replace its destination; dropped without `commit`, it is removed.
pub struct Staged {
    tmp: NamedTempFile,
    out: OutFile,
}

impl Staged {
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn file(&mut self) -> &mut File {
        self.tmp.as_file_mut()
    }

    /// Syncs the content, checks the destination once more, and renames the file over it (or,
    /// without `--force`, only if nothing has appeared there meanwhile).
    pub fn commit(self) -> Result<(), OutError> {
        let dest = &self.out.dest;
        // Reopened by path: a writer that worked through its own handle (SQLite) is synced too.
        File::open(self.tmp.path())
            .and_then(|f| f.sync_all())
            .map_err(|e| OutError::io(dest, WHAT_WRITE, e))?;
        self.out.verify()?;
        let placed = if self.out.force {
            self.tmp.persist(dest)
        } else {
            self.tmp.persist_noclobber(dest)
        };
        if let Err(e) = placed {
            return Err(if e.error.kind() == io::ErrorKind::AlreadyExists {
                OutError::Exists(self.out.shown())
            } else {
                OutError::io(dest, WHAT_RENAME, e.error)
            });
        }
        // The rename itself is made durable by syncing the folder; the file is complete either way.
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf, Protected) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.db");
        std::fs::write(&db, b"SQLite format 3\0rest of the ledger").unwrap();
        let p = Protected::database(&db);
        (dir, db, p)
    }

    #[test]
    fn a_new_file_is_written_owner_only_and_nothing_else_is_left() {
        let (dir, _db, p) = setup();
        let dest = dir.path().join("m.csv");
        OutFile::check(&dest, false, p)
            .unwrap()
            .write(b"a,b\n")
            .unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"a,b\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(&dest).unwrap().permissions().mode();
            assert_eq!(m & 0o777, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "only the database and the manifest");
    }

    #[test]
    fn the_database_is_refused_by_any_spelling_even_with_force() {
        let (dir, db, p) = setup();
        let odd = dir.path().join(".").join("ledger.db");
        for dest in [db.clone(), odd, dir.path().join("ledger.db-wal")] {
            let e = OutFile::check(&dest, true, p.clone()).unwrap_err();
            assert!(matches!(e, OutError::Database(_)), "{dest:?}: {e}");
        }
        #[cfg(unix)]
        {
            let hard = dir.path().join("hard.csv");
            std::fs::hard_link(&db, &hard).unwrap();
            let e = OutFile::check(&hard, true, p).unwrap_err();
            assert!(matches!(e, OutError::Database(_)), "{e}");
        }
    }

    #[test]
    fn a_staged_file_dropped_without_commit_leaves_nothing() {
        let (dir, _db, p) = setup();
        let dest = dir.path().join("m.csv");
        let mut s = OutFile::check(&dest, false, p).unwrap().stage().unwrap();
        s.file().write_all(b"half").unwrap();
        let tmp = s.path().to_path_buf();
        assert!(tmp.exists());
        drop(s);
        assert!(!tmp.exists() && !dest.exists());
    }

    #[test]
    fn replacing_takes_that_very_file_and_no_other() {
        let (dir, db, p) = setup();
        let dest = dir.path().join("bus.pack");
        std::fs::write(&dest, b"SQLite format 3\0the old pack").unwrap();
        let out = OutFile::replacing(&dest, p.clone()).unwrap();
        out.write(b"SQLite format 3\0the new pack").unwrap();
        assert_eq!(
            std::fs::read(&dest).unwrap(),
            b"SQLite format 3\0the new pack"
        );
        // Another file put there meanwhile (the new one is another inode) is not replaced.
        let e = out.write(b"again").unwrap_err();
        assert!(matches!(e, OutError::Exists(_)), "{e}");
        let e = OutFile::replacing(&db, p).unwrap_err();
        assert!(matches!(e, OutError::Database(_)), "{e}");
    }

    #[test]
    fn a_file_appearing_meanwhile_is_not_overwritten_without_force() {
        let (dir, _db, p) = setup();
        let dest = dir.path().join("m.csv");
        let out = OutFile::check(&dest, false, p).unwrap();
        std::fs::write(&dest, b"someone else's").unwrap();
        let e = out.write(b"mine").unwrap_err();
        assert!(matches!(e, OutError::Exists(_)), "{e}");
        assert_eq!(std::fs::read(&dest).unwrap(), b"someone else's");
    }

    #[test]
    fn messages_name_the_file_in_both_languages() {
        let e = OutError::Exists("m.csv".into());
        assert!(e.message(Lang::En).contains("m.csv"));
        assert!(e.message(Lang::Zh).contains("m.csv") && e.message(Lang::Zh).contains("已存在"));
    }
}
