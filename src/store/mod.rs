//! The only place with SQL: opening the one database file, numbered migrations, the audit log,
//! and named queries grouped by the part of the job they serve.

pub mod busy;
pub mod departure;
mod error;
mod handle;
pub mod jobs;
pub mod ledger;
pub mod notices;
pub mod pack;
pub mod plans;
pub mod purge;
pub mod readings;
pub mod reshape;
pub mod rules;
pub mod stats;
mod status_sql;
pub mod trips;
pub mod views;
pub mod wal;

pub use error::{busy_text, StoreError};
pub use handle::{Db, Snapshot, Tx};
use rusqlite::{params, Connection, OpenFlags, Transaction};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Numbered migrations; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_ledger.sql"),
    include_str!("migrations/002_ledger.sql"),
    include_str!("migrations/003_papers.sql"),
    include_str!("migrations/004_trips.sql"),
    include_str!("migrations/005_door.sql"),
    include_str!("migrations/006_secure_delete.sql"),
    include_str!("migrations/007_packs.sql"),
    include_str!("migrations/008_notices.sql"),
    include_str!("migrations/009_jobs.sql"),
    include_str!("migrations/010_reshape.sql"),
];

/// Runs the migrations after version `from` up to version `to`, recording the version after
/// each (also how the tests build a database as an earlier version left it).
fn run_migrations(conn: &Connection, from: usize, to: usize) -> rusqlite::Result<()> {
    for (i, sql) in MIGRATIONS.iter().enumerate().take(to).skip(from) {
        conn.execute_batch(sql)?;
        conn.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    Ok(())
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    /// Reached from outside the store only through `Db`, `Tx` and `Snapshot`.
    conn: Connection,
    path: PathBuf,
    readonly: bool,
    /// Total wait for the write lock (policy `busy_wait_seconds`).
    busy_wait: Duration,
    notices: Vec<Notice>,
    /// Set when the file is a pack (one trip for the road): see `store::pack`.
    pack: Option<pack::PackInfo>,
}

/// Something about the file the user should hear when it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// There was no database: an empty one was made (owner-only).
    Created,
    /// The file (or its -wal/-shm) was readable by others with this mode; now 0600.
    Narrowed { from: u32 },
    /// The file is readable by others with this mode and could not be narrowed (not ours).
    StillWide { mode: u32 },
}

impl Store {
    /// Opens (creating if needed, owner-only, folders 0700) and migrates the database file.
    /// Only `init`, `demo` and `import` create a database; every other action uses
    /// [`Store::open_existing`].
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, false, true)
    }

    /// Opens a database that must exist already: a mistyped path is an error, not a new
    /// empty ledger that reports zeros.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Self::open_with(path, false, false)
    }

    /// Opens an existing database for reading; every write fails with `StoreError::ReadOnly`.
    pub fn open_readonly(path: &Path) -> Result<Store> {
        Self::open_with(path, true, false)
    }

    fn open_with(path: &Path, readonly: bool, create: bool) -> Result<Store> {
        let shown = path.display().to_string();
        let mut notices = Vec::new();
        if !path.exists() {
            if !create {
                return Err(StoreError::Missing { path: shown });
            }
            create_private(path)?;
            notices.push(Notice::Created);
        }
        notices.extend(narrow(path));
        let flags = if readonly {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let open_err = |source| StoreError::Open {
            path: shown.clone(),
            source,
        };
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        busy::install(&mut conn).map_err(open_err)?;
        wal::configure(&Db(&conn)).map_err(open_err)?;
        // A pack keeps a rollback journal: the one file is the whole pack whenever it is copied
        // to a laptop or back, with no write-ahead log beside it holding recent acts.
        let journal = if pack::is_pack_file(&Db(&conn)) {
            "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"
        } else {
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
        };
        // Two terminals opening a new file at once may both hold the read lock when each asks
        // to turn the log on; SQLite then answers one of them "busy" at once, without waiting
        // (waiting could deadlock). That one tries again in a moment, within the wait budget.
        let started = std::time::Instant::now();
        while let Err(e) = conn.execute_batch(journal) {
            if !busy::is_busy(&e) {
                return Err(open_err(e));
            }
            if started.elapsed() >= busy::DEFAULT_WAIT {
                return Err(StoreError::Busy {
                    waited: Some(started.elapsed()),
                    holder: None,
                });
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        // secure_delete: whatever is deleted or overwritten (a purge above all) is zeroed in
        // place, on every connection, so no old text waits in free space for a VACUUM.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA secure_delete = ON;",
        )
        .map_err(open_err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            readonly,
            busy_wait: busy::DEFAULT_WAIT,
            notices,
            pack: None,
        };
        store.migrate()?;
        if store.notices.contains(&Notice::Created) {
            // Written with secure_delete from its first page: nothing to scrub, ever.
            purge::scrubbed(&store.db())?;
        }
        store.pack = pack::info(&store.db())?;
        if readonly {
            store.conn.execute_batch("PRAGMA query_only = ON;")?;
        }
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version as usize > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path: self.path.display().to_string(),
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        if version as usize == MIGRATIONS.len() {
            return Ok(());
        }
        if self.readonly {
            return Err(StoreError::ReadOnly);
        }
        // Several terminals may open an old (or new) file at once: the version read above may
        // be stale by the time the lock is ours, so it is read again under the lock.
        let tx = self.write()?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version as usize >= MIGRATIONS.len() {
            return Ok(());
        }
        run_migrations(&tx, version as usize, MIGRATIONS.len())?;
        tx.commit()?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What opening the file did that the user should hear (created, permissions narrowed).
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    pub fn is_readonly(&self) -> bool {
        self.readonly
    }

    /// How long a write waits for the lock before giving up with `StoreError::Busy`.
    pub fn set_busy_wait(&mut self, wait: Duration) {
        self.busy_wait = wait;
    }

    /// The pack's identity when this file is a pack (one trip for the road), else `None`.
    pub fn pack(&self) -> Option<&pack::PackInfo> {
        self.pack.as_ref()
    }

    /// Reads through the store's connection, outside any transaction.
    pub fn db(&self) -> Db<'_> {
        Db(&self.conn)
    }

    /// Starts the one write transaction of a user action (IMMEDIATE: takes the write lock at
    /// once, so two terminals never both read a free seat and then collide on commit). Waits
    /// for another writer up to the busy budget; then `Busy`, naming the job that holds the
    /// database when one is recorded. `&mut self`: an action holds one transaction at a time.
    pub fn begin(&mut self) -> Result<Tx<'_>> {
        let tx = self.immediate()?;
        Ok(Tx::new(&self.conn, tx))
    }

    /// `begin` as a transaction of rusqlite's own, for the store's migrations and sample.
    fn write(&mut self) -> Result<Transaction<'_>> {
        self.immediate()
    }

    fn immediate(&self) -> Result<Transaction<'_>> {
        if self.readonly {
            return Err(StoreError::ReadOnly);
        }
        busy::set_budget(self.busy_wait);
        let started = std::time::Instant::now();
        match Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate) {
            Ok(tx) => Ok(tx),
            Err(e) if busy::is_busy(&e) => Err(StoreError::Busy {
                waited: Some(started.elapsed()),
                holder: holder(&self.path),
            }),
            Err(e) => Err(StoreError::Sql(e)),
        }
    }

    /// One read transaction: every query through it sees the same database, even while
    /// others write.
    pub fn snapshot(&self) -> Result<Snapshot<'_>> {
        let tx = self.conn.unchecked_transaction()?;
        Ok(Snapshot::new(&self.conn, tx))
    }

    /// Changes whenever another connection commits; polled by the console to refresh.
    /// The fleet's plates that end with `suffix` (`trips::plates_ending_with`).
    pub fn plates_ending_with(&self, suffix: &str) -> Result<Vec<String>> {
        trips::plates_ending_with(&self.db(), suffix)
    }

    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// A consistent copy through SQLite's online backup, safe while others write.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        create_private(dest)?;
        let mut out = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
        // One step: a step-wise copy restarts whenever another connection commits, forever.
        backup.run_to_completion(i32::MAX, Duration::from_millis(5), None)?;
        Ok(())
    }
}

/// The long job holding the database, if one is recorded as running: read on a connection of
/// its own (reading works while another connection writes, in WAL).
fn holder(path: &Path) -> Option<Box<jobs::Job>> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ok()?;
    jobs::running(&Db(&conn))
        .ok()?
        .into_iter()
        .next()
        .map(Box::new)
}

/// Creates the file with mode 0600 if it does not exist yet: the ledger holds ID numbers.
/// Missing folders are made owner-only (0700).
fn create_private(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::io::outfile::private_dir(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Narrows the database and its -wal/-shm to owner-only when others may read them (a copy
/// made with `cp`, a file from an older version, a umask of 022).
#[cfg(unix)]
fn narrow(path: &Path) -> Option<Notice> {
    use std::os::unix::fs::PermissionsExt;
    let mut widest = None;
    let mut failed = None;
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 == 0 {
            continue;
        }
        widest = widest.max(Some(mode));
        let narrowed = std::fs::Permissions::from_mode(mode & 0o700);
        if std::fs::set_permissions(&p, narrowed).is_err() {
            failed = Some(mode);
        }
    }
    match (failed, widest) {
        (Some(mode), _) => Some(Notice::StillWide { mode }),
        (None, Some(from)) => Some(Notice::Narrowed { from }),
        (None, None) => None,
    }
}

#[cfg(not(unix))]
fn narrow(_: &Path) -> Option<Notice> {
    None
}

/// Appends one line to the audit log inside the action's transaction. `before`/`after` carry
/// row ids and states, never names, ID numbers or phones.
pub fn audit(
    tx: &Tx<'_>,
    operator: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit (at, operator, action, entity, entity_id, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        now_text(),
        operator,
        action,
        entity,
        entity_id,
        before.map(|v| v.to_string()),
        after.map(|v| v.to_string()),
    ])?;
    Ok(())
}

/// Now as stored (`2020-02-21T07:03:12+08:00`), from the one clock (`crate::clock`).
pub fn now_text() -> String {
    crate::clock::now_text()
}

#[cfg(test)]
mod upgrade_tests;

#[cfg(test)]
mod tests;
