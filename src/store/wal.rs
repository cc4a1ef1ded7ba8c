//! Keeping the write-ahead log short while a long job writes: a helper thread with its own
//! connection copies committed pages into the database file after each step of the job.
//!
//! Why: whichever connection commits while the log is over its threshold copies the backlog
//! itself, and a door check that commits just after a large import's steps would pay for
//! copying tens of MB (hundreds of ms). The job turns its own automatic copy off and this
//! thread copies after each of its steps, on the other core; a door check then finds
//! little or nothing to copy. Copying never holds the write lock.

use super::Result;
use crate::store::Db;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

pub struct Checkpointer {
    nudge: Option<mpsc::SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the helper on the database at `path`.
    pub fn start(path: &Path) -> Result<Checkpointer> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        // Only a pending request matters: a nudge while copying means "once more after".
        let (tx, rx) = mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("zhitong-checkpoint".into())
            .spawn(move || {
                while rx.recv().is_ok() {
                    // PASSIVE: copies what no reader still needs, waits for nobody.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })?;
        Ok(Checkpointer {
            nudge: Some(tx),
            thread: Some(thread),
        })
    }

    /// Asks for a copy of what has been committed so far (does not wait for it).
    pub fn nudge(&self) {
        if let Some(tx) = &self.nudge {
            let _ = tx.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.nudge = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Log size (pages) after which a committing connection copies the log into the file itself.
/// SQLite's default is 1,000 (4 MB); a long job's helper copies after each of its steps, and
/// a door check that commits between two steps would otherwise often be the one to cross 4 MB
/// and pay for copying the step's tens of MB (seen as 0.4–0.6 s boards during an import).
pub const AUTOCHECKPOINT: i64 = 16_384;

/// The log settings of every connection (see `AUTOCHECKPOINT`).
pub(super) fn configure(conn: &Db<'_>) -> rusqlite::Result<()> {
    conn.pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT)
}

/// Turns this connection's automatic copying off (`pages` = 0) or sets its threshold.
pub fn set_autocheckpoint(conn: &Db<'_>, pages: i64) -> Result<()> {
    conn.pragma_update(None, "wal_autocheckpoint", pages)?;
    Ok(())
}
