//! The only place with SQL: opening the one database file, numbered migrations, the audit log,
//! and named queries grouped by the part of the job they serve.

pub mod busy;
pub mod departure;
pub mod jobs;
pub mod ledger;
pub mod plans;
pub mod purge;
pub mod stats;
pub mod trips;
pub mod views;
pub mod wal;

use rusqlite::{params, Connection, OpenFlags, Transaction};
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

/// Numbered migrations; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_ledger.sql"),
    include_str!("migrations/002_ledger.sql"),
    include_str!("migrations/003_papers.sql"),
    include_str!("migrations/007_jobs.sql"),
];

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("database {path} was written by a newer zhitong (schema {found}, this program knows {known})")]
    TooNew {
        path: String,
        found: i64,
        known: usize,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the database is open read-only (--readonly): nothing was changed")]
    ReadOnly,
    /// Another connection held the write lock for the whole wait budget. `holder` is the long
    /// job recorded as running, when there is one.
    #[error("{}", busy_text(crate::i18n::Lang::En, *.waited, .holder.as_deref()))]
    Busy {
        waited: Option<Duration>,
        holder: Option<Box<jobs::Job>>,
    },
    #[error("database: {0}")]
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    /// SQLITE_BUSY and SQLITE_LOCKED become `Busy`: SQLite's own text never reaches a user.
    fn from(e: rusqlite::Error) -> Self {
        if busy::is_busy(&e) {
            StoreError::Busy {
                waited: None,
                holder: None,
            }
        } else {
            StoreError::Sql(e)
        }
    }
}

/// "The database is busy", in the user's language, with what holds it where known.
pub fn busy_text(
    lang: crate::i18n::Lang,
    waited: Option<Duration>,
    holder: Option<&jobs::Job>,
) -> String {
    use crate::i18n::Lang;
    use jobs::JobKind;
    let what = holder.map(|j| {
        let time = j.started_at.get(11..16).unwrap_or(&j.started_at);
        let pct = j.percent();
        match lang {
            Lang::Zh => {
                let doing = match j.kind {
                    JobKind::Import => "导入",
                    JobKind::Plan => "写入计划",
                    JobKind::Demo => "生成演示数据",
                    JobKind::Purge => "清除个人信息",
                };
                let pct = pct.map(|p| format!("，已完成 {p}%")).unwrap_or_default();
                format!(
                    "：{} 正在{doing} {}（{time} 开始{pct}）",
                    j.operator, j.subject
                )
            }
            Lang::En => {
                let doing = match j.kind {
                    JobKind::Import => "importing",
                    JobKind::Plan => "applying the plan of",
                    JobKind::Demo => "building the demo",
                    JobKind::Purge => "purging personal data",
                };
                let pct = pct.map(|p| format!(", {p}% done")).unwrap_or_default();
                format!(
                    ": {} is {doing} {} (since {time}{pct})",
                    j.operator, j.subject
                )
            }
        }
    });
    let what = what.unwrap_or_default();
    match (lang, waited) {
        (Lang::Zh, Some(w)) => format!(
            "数据库正忙{what}；已等待 {} 秒，未做任何更改，请稍后再试",
            w.as_secs_f64().round()
        ),
        (Lang::Zh, None) => format!("数据库正忙{what}；未做任何更改，请稍后再试"),
        (Lang::En, Some(w)) => format!(
            "the database is busy{what}; waited {} s, nothing was changed: try again shortly",
            w.as_secs_f64().round()
        ),
        (Lang::En, None) => {
            format!("the database is busy{what}; nothing was changed: try again shortly")
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    pub conn: Connection,
    path: PathBuf,
    readonly: bool,
    /// Total wait for the write lock (policy `busy_wait_seconds`).
    busy_wait: Duration,
}

impl Store {
    /// Opens (creating if needed, owner-only) and migrates the database file.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, false)
    }

    /// Opens an existing database for reading; every write fails with `StoreError::ReadOnly`.
    pub fn open_readonly(path: &Path) -> Result<Store> {
        Self::open_with(path, true)
    }

    fn open_with(path: &Path, readonly: bool) -> Result<Store> {
        let shown = path.display().to_string();
        if !readonly {
            create_private(path)?;
        }
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
        wal::configure(&conn).map_err(open_err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;",
        )
        .map_err(open_err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            readonly,
            busy_wait: busy::DEFAULT_WAIT,
        };
        store.migrate()?;
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
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_readonly(&self) -> bool {
        self.readonly
    }

    /// How long a write waits for the lock before giving up with `StoreError::Busy`.
    pub fn set_busy_wait(&mut self, wait: Duration) {
        self.busy_wait = wait;
    }

    /// Starts the one write transaction of a user action (IMMEDIATE: takes the write lock at
    /// once, so two terminals never both read a free seat and then collide on commit). Waits
    /// for another writer up to the busy budget; then `Busy`, naming the job that holds the
    /// database when one is recorded.
    pub fn write(&mut self) -> Result<Transaction<'_>> {
        if self.readonly {
            return Err(StoreError::ReadOnly);
        }
        busy::set_budget(self.busy_wait);
        let started = std::time::Instant::now();
        match self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        {
            Ok(tx) => Ok(tx),
            Err(e) if busy::is_busy(&e) => Err(StoreError::Busy {
                waited: Some(started.elapsed()),
                holder: holder(&self.path),
            }),
            Err(e) => Err(StoreError::Sql(e)),
        }
    }

    /// Changes whenever another connection commits; polled by the console to refresh.
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
    jobs::running(&conn).ok()?.into_iter().next().map(Box::new)
}

/// Creates the file with mode 0600 if it does not exist yet: the ledger holds ID numbers.
fn create_private(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
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

/// Appends one line to the audit log inside the action's transaction. `before`/`after` carry
/// row ids and states, never names, ID numbers or phones.
pub fn audit(
    tx: &Transaction<'_>,
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

/// Local wall-clock time as stored: `2020-02-21T07:03:12`.
pub fn now_text() -> String {
    chrono::Local::now()
        .naive_local()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_private_migrated_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/z.db");
        let s = Store::open(&path).unwrap();
        let v: i64 = s
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, MIGRATIONS.len());
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(m & 0o777, 0o600);
        }
        drop(s);
        // Reopening does not re-run migrations.
        Store::open(&path).unwrap();
    }

    #[test]
    fn audit_is_append_only_and_readonly_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.db");
        let mut s = Store::open(&path).unwrap();
        let tx = s.write().unwrap();
        audit(&tx, "王科长", "test", "worker", Some(1), None, None).unwrap();
        tx.commit().unwrap();
        assert!(s.conn.execute("DELETE FROM audit", []).is_err());
        assert!(s
            .conn
            .execute("UPDATE audit SET operator = 'x'", [])
            .is_err());
        drop(s);
        let mut ro = Store::open_readonly(&path).unwrap();
        assert!(matches!(ro.write(), Err(StoreError::ReadOnly)));
        assert!(ro
            .conn
            .execute(
                "INSERT INTO employers (name, province, city) VALUES ('a','b','c')",
                []
            )
            .is_err());
    }

    #[test]
    fn seat_cannot_be_given_twice() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("z.db")).unwrap();
        s.conn
            .execute_batch(
                "INSERT INTO employers (id, name, province, city) VALUES (1, 'E', '浙江省', '宁波市');
                 INSERT INTO workers (id, id_number, name, employer_id) VALUES (1, 'a', '甲', 1), (2, 'b', '乙', 1);
                 INSERT INTO buses (id, plate, seats) VALUES (1, '陕G21000', 45);
                 INSERT INTO batches (id, code, date, county, province, city, departure)
                   VALUES (1, 'x', '2020-02-21', '旬阳县', '浙江省', '宁波市', '2020-02-21T07:00');
                 INSERT INTO trips (id, batch_id, bus_id, date, rows, capacity) VALUES (1, 1, 1, '2020-02-21', 11, 18);
                 INSERT INTO passengers (trip_id, worker_id, seat, changed_at) VALUES (1, 1, 1, 't');",
            )
            .unwrap();
        let dup = s.conn.execute(
            "INSERT INTO passengers (trip_id, worker_id, seat, changed_at) VALUES (1, 2, 1, 't')",
            [],
        );
        assert!(dup.is_err());
        // Once the first passenger is refused, the seat is free again.
        s.conn
            .execute(
                "UPDATE passengers SET status = 'refused' WHERE worker_id = 1",
                [],
            )
            .unwrap();
        s.conn
            .execute(
                "INSERT INTO passengers (trip_id, worker_id, seat, changed_at) VALUES (1, 2, 1, 't')",
                [],
            )
            .unwrap();
    }
}
