//! The database thread: owns the `Ctx` (and so the one write connection), runs the screen's
//! requests off the render path, drops stale loads, and notices other terminals' commits.

use super::action::{Load, Reply, Request, Write};
use super::index::SearchIndex;
use crate::ops::Ctx;
use crate::store::{views, Store};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

mod board;
mod requests;

pub use requests::handle;

/// How often `PRAGMA data_version` is read: changes elsewhere show within a second.
const POLL: Duration = Duration::from_millis(400);

/// The screen's end of the database thread.
pub struct DbThread {
    requests: mpsc::Sender<Request>,
    /// Aggregates over the whole ledger (seconds at city scale) go to a second, read-only
    /// connection so they never hold up a page, a roster or a write.
    aggregates: Option<mpsc::Sender<Request>>,
    /// The write connection's thread, joined on drop so a write in hand completes. The
    /// read-only threads are not waited for: quitting never waits on a long read.
    writer: Option<JoinHandle<()>>,
}

/// Loads that scan the whole ledger.
fn is_aggregate(r: &Request) -> bool {
    matches!(
        r,
        Request::Load(
            Load::Counts { .. }
                | Load::Destinations { .. }
                | Load::Stats { .. }
                | Load::Propose { .. }
                | Load::Changes
        )
    )
}

impl DbThread {
    /// Starts the threads; every reply is handed to `reply` (which wakes the screen).
    pub fn spawn(
        ctx: Ctx,
        reply: impl Fn(Reply) -> bool + Send + Sync + 'static,
    ) -> std::io::Result<DbThread> {
        let reply = Arc::new(reply);
        // Long jobs (a plan written batch by batch) report here; the status bar shows them.
        let lang = ctx.lang;
        let r = reply.clone();
        crate::ops::progress::set_sink(Some(Arc::new(move |step: &crate::ops::progress::Step| {
            let text = (!step.finished).then(|| progress_text(lang, step));
            r(Reply::Progress(text));
        })));
        let aggregates = match Store::open_readonly(ctx.store.path()) {
            Ok(store) => {
                let reader = Ctx {
                    store,
                    operator: ctx.operator.clone(),
                    policy: ctx.policy.clone(),
                    lang: ctx.lang,
                    today: ctx.today,
                    journal: ctx.journal.clone(),
                };
                let (tx, rx) = mpsc::channel();
                let r = reply.clone();
                std::thread::Builder::new()
                    .name("zhitong-aggregates".into())
                    .spawn(move || run_reader(reader, rx, r))?;
                Some(tx)
            }
            Err(e) => {
                tracing::warn!("second connection not opened ({e}); aggregates share the first");
                None
            }
        };
        let (requests, rx) = mpsc::channel();
        let writer = std::thread::Builder::new()
            .name("zhitong-db".into())
            .spawn(move || run(ctx, rx, reply))?;
        Ok(DbThread {
            requests,
            aggregates,
            writer: Some(writer),
        })
    }

    pub fn send(&self, r: Request) {
        let lane = match &self.aggregates {
            Some(a) if is_aggregate(&r) => a,
            _ => &self.requests,
        };
        if lane.send(r).is_err() {
            tracing::warn!("database thread has stopped; request dropped");
        }
    }
}

impl Drop for DbThread {
    fn drop(&mut self) {
        // Closing the channels ends the loops after the request in hand (a write completes).
        let (dead, _) = mpsc::channel();
        self.requests = dead;
        self.aggregates = None;
        if let Some(h) = self.writer.take() {
            let _ = h.join();
        }
    }
}

/// The read-only lane: newest load of each kind, one after the other.
fn run_reader(mut ctx: Ctx, rx: mpsc::Receiver<Request>, reply: Arc<impl Fn(Reply) -> bool>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        for req in newest_loads(batch) {
            if !reply(handle(&mut ctx, req)) {
                return;
            }
        }
    }
}

fn run(
    mut ctx: Ctx,
    rx: mpsc::Receiver<Request>,
    reply: Arc<impl Fn(Reply) -> bool + Send + Sync + 'static>,
) {
    let indexing = Arc::new(AtomicBool::new(false));
    let mut version = ctx.store.data_version().unwrap_or(0);
    let mut fingerprint = views::ledger_fingerprint(&ctx.store.db()).ok();
    loop {
        let mut batch = Vec::new();
        match rx.recv_timeout(POLL) {
            Ok(r) => batch.push(r),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        while let Ok(r) = rx.try_recv() {
            batch.push(r);
        }
        let mut reindex = false;
        for req in newest_loads(batch) {
            match req {
                Request::Load(Load::Index) => reindex = true,
                req => {
                    reindex |= matches!(req, Request::Write(Write::EditWorker { .. }));
                    let r = handle(&mut ctx, req);
                    if !reply(r) {
                        return;
                    }
                }
            }
        }
        if let Ok(v) = ctx.store.data_version() {
            if v != version {
                version = v;
                let fp = views::ledger_fingerprint(&ctx.store.db()).ok();
                reindex |= fp != fingerprint;
                fingerprint = fp;
                if !reply(Reply::DataChanged) {
                    return;
                }
            }
        }
        if reindex {
            start_index(
                ctx.store.path().to_path_buf(),
                indexing.clone(),
                reply.clone(),
            );
        }
    }
}

/// "writing batches 2020-02-21 3/12 (25%)", in the console's language.
fn progress_text(lang: crate::i18n::Lang, step: &crate::ops::progress::Step) -> String {
    let stage = step.stage.text(lang);
    if step.stage == crate::ops::progress::Stage::Proposing {
        // Nothing to count: the plan is being made.
        return format!("{stage} {}…", step.subject);
    }
    match step.total {
        Some(t) if t > 0 => format!(
            "{stage} {} {}/{t} ({}%)",
            step.subject,
            step.done,
            step.done * 100 / t
        ),
        _ => format!("{stage} {} {}", step.subject, step.done),
    }
}

/// Keeps every write, and of the loads only the last of each kind, in arrival order.
pub fn newest_loads(batch: Vec<Request>) -> Vec<Request> {
    let mut out: Vec<Request> = Vec::with_capacity(batch.len());
    for r in batch {
        if let Request::Load(l) = &r {
            out.retain(|o| !matches!(o, Request::Load(old) if old.slot() == l.slot()));
        }
        out.push(r);
    }
    out
}

/// Builds the search index on its own thread and read-only connection, so a 1,000,000-row
/// load (about a second) never delays the screen's page queries. One build at a time.
fn start_index(
    path: std::path::PathBuf,
    busy: Arc<AtomicBool>,
    reply: Arc<impl Fn(Reply) -> bool + Send + Sync + 'static + ?Sized>,
) {
    if busy.swap(true, Ordering::AcqRel) {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("zhitong-index".into())
        .spawn(move || {
            let started = std::time::Instant::now();
            let built = Store::open_readonly(&path).and_then(|s| SearchIndex::load(&s.db()));
            busy.store(false, Ordering::Release);
            match built {
                Ok(ix) => {
                    release_memory();
                    tracing::info!(
                        rows = ix.len(),
                        ms = started.elapsed().as_millis() as u64,
                        "search index built"
                    );
                    reply(Reply::Index(Arc::new(ix)));
                }
                Err(e) => {
                    tracing::error!("search index: {e}");
                    reply(Reply::Failed {
                        message: format!("search index: {e}"),
                    });
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the index thread: {e}");
    }
}

/// Hands memory freed after a large operation back to the operating system: glibc keeps it
/// otherwise, and a console stays open all day (a whole-city plan frees hundreds of MB).
pub fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers; it only returns free heap pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_status_bar_says_a_plan_is_being_checked_then_how_far_its_writing_is() {
        use crate::i18n::Lang;
        use crate::ops::progress::{Stage, Step};
        let step = |stage, done, total| Step {
            subject: "2020-02-21".into(),
            stage,
            done,
            total,
            finished: false,
        };
        assert_eq!(
            progress_text(Lang::En, &step(Stage::Proposing, 0, None)),
            "checking the plan 2020-02-21…"
        );
        assert_eq!(
            progress_text(Lang::Zh, &step(Stage::Proposing, 0, None)),
            "核对方案 2020-02-21…"
        );
        assert_eq!(
            progress_text(Lang::En, &step(Stage::Planning, 3, Some(12))),
            "writing batches 2020-02-21 3/12 (25%)"
        );
    }

    #[test]
    fn newer_loads_replace_queued_ones_but_writes_stay() {
        let d = |n| NaiveDate::from_ymd_opt(2020, 2, n).unwrap();
        let batch = vec![
            Request::Load(Load::Board { day: d(20) }),
            Request::Write(Write::Withdraw { id: 1 }),
            Request::Load(Load::Counts { day: d(21) }),
            Request::Load(Load::Board { day: d(21) }),
            Request::Write(Write::Withdraw { id: 2 }),
        ];
        assert_eq!(
            newest_loads(batch),
            vec![
                Request::Write(Write::Withdraw { id: 1 }),
                Request::Load(Load::Counts { day: d(21) }),
                Request::Load(Load::Board { day: d(21) }),
                Request::Write(Write::Withdraw { id: 2 }),
            ]
        );
    }
}
