//! Waiting for the one write lock: every connection polls for it in short steps up to a total
//! budget (policy `busy_wait_seconds`), and a lock still held then becomes `StoreError::Busy`,
//! never SQLite's own text.
//!
//! Why poll in 1–2 ms steps instead of SQLite's built-in timeout (which sleeps up to 100 ms at
//! a time): a long job commits every ~100 ms and lets go of the lock for a few milliseconds; a
//! door check that sleeps 100 ms at a time would keep missing those gaps.

use rusqlite::{Connection, ErrorCode};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// Default of policy `busy_wait_seconds`.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(15);

thread_local! {
    /// Budget of the next wait on this thread, and when the wait under way started.
    static WAIT: Cell<(Duration, Option<Instant>)> = const { Cell::new((DEFAULT_WAIT, None)) };
}

/// Installs the polling wait on a connection (replaces any busy timeout).
pub(super) fn install(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.busy_handler(Some(on_busy))
}

/// Sets the budget of waits on this thread: the connection's owner calls it before each write.
pub(super) fn set_budget(budget: Duration) {
    WAIT.with(|w| w.set((budget, None)));
}

/// Called by SQLite while another connection holds a lock; `count` restarts at 0 for each wait.
/// True means "try again".
fn on_busy(count: i32) -> bool {
    WAIT.with(|w| {
        let (budget, started) = w.get();
        let now = Instant::now();
        let started = match started {
            Some(s) if count > 0 => s,
            _ => {
                w.set((budget, Some(now)));
                now
            }
        };
        let waited = now.duration_since(started);
        if waited >= budget {
            return false;
        }
        let step = if count < 100 { 1 } else { 2 };
        std::thread::sleep(Duration::from_millis(step).min(budget - waited));
        true
    })
}

/// SQLITE_BUSY or SQLITE_LOCKED: another connection holds what this one needs.
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_waited_for_up_to_the_budget_then_reported_busy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.db");
        let a = Connection::open(&path).unwrap();
        a.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x);")
            .unwrap();
        let mut b = Connection::open(&path).unwrap();
        install(&mut b).unwrap();
        a.execute_batch("BEGIN IMMEDIATE").unwrap();
        set_budget(Duration::from_millis(50));
        let started = Instant::now();
        let e = b.execute_batch("BEGIN IMMEDIATE").unwrap_err();
        assert!(is_busy(&e), "{e}");
        assert!(started.elapsed() >= Duration::from_millis(50));
        // Released within the budget: the waiter gets the lock.
        set_budget(Duration::from_secs(5));
        std::thread::scope(|s| {
            s.spawn(move || {
                std::thread::sleep(Duration::from_millis(30));
                a.execute_batch("COMMIT").unwrap();
            });
            b.execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT")
                .unwrap();
        });
    }
}
