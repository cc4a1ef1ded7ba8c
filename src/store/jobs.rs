//! Long jobs as recorded in the database (`jobs`): started, advanced in the same transaction as
//! each step they write, finished. Read by a terminal that finds the database busy ("an import
//! of workers.csv by 王科长 is under way") and by an import that continues an interrupted one.

use super::{now_text, Result};
use crate::store::Db;
use rusqlite::{params, OptionalExtension};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Import,
    Plan,
    Demo,
    Purge,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Import => "import",
            JobKind::Plan => "plan",
            JobKind::Demo => "demo",
            JobKind::Purge => "purge",
        }
    }

    fn parse(s: &str) -> JobKind {
        match s {
            "plan" => JobKind::Plan,
            "demo" => JobKind::Demo,
            "purge" => JobKind::Purge,
            _ => JobKind::Import,
        }
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: JobKind,
    /// File name or day.
    pub subject: String,
    pub operator: String,
    pub pid: Option<i64>,
    /// `2020-02-21T07:03:12`
    pub started_at: String,
    pub done: i64,
    pub total: Option<i64>,
}

impl Job {
    /// Percent done, when the total is known.
    pub fn percent(&self) -> Option<i64> {
        self.total
            .filter(|t| *t > 0)
            .map(|t| (self.done * 100 / t).clamp(0, 100))
    }
}

const COLUMNS: &str = "id, kind, subject, operator, pid, started_at, done, total";

fn job(r: &rusqlite::Row<'_>) -> rusqlite::Result<Job> {
    Ok(Job {
        id: r.get(0)?,
        kind: JobKind::parse(&r.get::<_, String>(1)?),
        subject: r.get(2)?,
        operator: r.get(3)?,
        pid: r.get(4)?,
        started_at: r.get(5)?,
        done: r.get(6)?,
        total: r.get(7)?,
    })
}

/// Records a job as running by this process; returns its id.
pub fn start(
    conn: &Db<'_>,
    kind: JobKind,
    subject: &str,
    operator: &str,
    total: Option<i64>,
) -> Result<i64> {
    let now = now_text();
    conn.prepare_cached(
        "INSERT INTO jobs (kind, subject, operator, pid, started_at, updated_at, total)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
    )?
    .execute(params![
        kind.as_str(),
        subject,
        operator,
        i64::from(std::process::id()),
        now,
        total
    ])?;
    Ok(conn.last_insert_rowid())
}

/// How far the job got: called inside the transaction of the step it counts.
pub fn advance(conn: &Db<'_>, id: i64, done: i64, total: Option<i64>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE jobs SET done = ?2, total = COALESCE(?3, total), updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, done, total, now_text()])?;
    Ok(())
}

/// Ends the job as `finished` or `failed`.
pub fn finish(conn: &Db<'_>, id: i64, ok: bool) -> Result<()> {
    let now = now_text();
    conn.prepare_cached(
        "UPDATE jobs SET state = ?2, finished_at = ?3, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, if ok { "finished" } else { "failed" }, now])?;
    Ok(())
}

/// Jobs recorded as running whose process is still alive on this machine, oldest first.
/// A job whose process is gone (killed, crashed) is not running: `interrupted` says so.
pub fn running(conn: &Db<'_>) -> Result<Vec<Job>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE state = 'running' ORDER BY id"
    ))?;
    let rows = stmt.query_map([], job)?;
    let jobs: Vec<Job> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(jobs.into_iter().filter(|j| alive(j.pid)).collect())
}

/// The latest job of `kind` on `subject` recorded as running whose process is gone: an import
/// killed half-way, which the next run of the same file finishes. Marked `interrupted`.
pub fn take_interrupted(conn: &Db<'_>, kind: JobKind, subject: &str) -> Result<Option<Job>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE state = 'running' AND kind = ?1 AND subject = ?2
         ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([kind.as_str(), subject], job)?;
    let stale: Vec<Job> = rows
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|j| !alive(j.pid) || j.pid == Some(i64::from(std::process::id())))
        .collect();
    for j in &stale {
        conn.prepare_cached(
            "UPDATE jobs SET state = 'interrupted', updated_at = ?2 WHERE id = ?1",
        )?
        .execute(params![j.id, now_text()])?;
    }
    Ok(stale.into_iter().next())
}

/// One job by id.
pub fn get(conn: &Db<'_>, id: i64) -> Result<Option<Job>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM jobs WHERE id = ?1"))?
        .query_row([id], job)
        .optional()?)
}

/// Whether a process with this id runs on this machine (jobs of a dead process are stale).
fn alive(pid: Option<i64>) -> bool {
    let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()).filter(|p| *p > 0) else {
        return false;
    };
    #[cfg(unix)]
    {
        // SAFETY: kill with signal 0 sends nothing; it only checks that the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_job_runs_advances_and_finishes_and_a_dead_one_is_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("z.db")).unwrap();
        let tx = s.begin().unwrap();
        let id = start(&tx, JobKind::Import, "workers.csv", "王科长", Some(200)).unwrap();
        advance(&tx, id, 50, None).unwrap();
        tx.commit().unwrap();
        let r = running(&s.db()).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].done, r[0].percent()), (50, Some(25)));
        // A job left running by a process that is gone.
        s.conn
            .execute("UPDATE jobs SET pid = 0 WHERE id = ?1", [id])
            .unwrap();
        assert!(running(&s.db()).unwrap().is_empty());
        let stale = take_interrupted(&s.db(), JobKind::Import, "workers.csv").unwrap();
        assert_eq!(stale.map(|j| j.id), Some(id));
        assert!(take_interrupted(&s.db(), JobKind::Import, "workers.csv")
            .unwrap()
            .is_none());
        let id2 = start(&s.db(), JobKind::Plan, "2020-02-21", "王科长", None).unwrap();
        finish(&s.db(), id2, true).unwrap();
        assert!(running(&s.db()).unwrap().is_empty());
        assert_eq!(get(&s.db(), id2).unwrap().unwrap().kind, JobKind::Plan);
    }
}
