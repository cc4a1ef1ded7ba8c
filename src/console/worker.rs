//! The database thread: owns the `Ctx` (and so the one write connection), runs the screen's
//! requests off the render path, drops stale loads, and notices other terminals' commits.

use super::action::{Load, Reply, Request, Write};
use super::index::SearchIndex;
use super::screens::batches_review::Review;
use super::screens::{reshape, roster_exec};
use crate::model::TripStatus;
use crate::ops::{self, Ctx, OpError, TripRef};
use crate::store::{trips, views, Store};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

mod board;

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
    let mut fingerprint = views::ledger_fingerprint(&ctx.store.conn).ok();
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
                let fp = views::ledger_fingerprint(&ctx.store.conn).ok();
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
            let built = Store::open_readonly(&path).and_then(|s| SearchIndex::load(&s.conn));
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

/// Runs one request on the context (also used directly by tests, without a thread).
pub fn handle(ctx: &mut Ctx, req: Request) -> Reply {
    let heavy = matches!(
        req,
        Request::Load(Load::Propose { .. } | Load::Destinations { .. })
            | Request::Write(Write::ApplyPlan { .. })
    );
    let result = match req {
        Request::Load(l) => load(ctx, l),
        Request::Write(w) => write(ctx, w),
    };
    if heavy {
        release_memory();
    }
    // Messages may name people: only the kind of failure goes to the log.
    let lang = ctx.lang;
    result.unwrap_or_else(|e| match e {
        OpError::Field {
            field,
            reason,
            message,
            ..
        } => {
            tracing::info!(field, "a typed field was refused");
            Reply::Invalid {
                field,
                reason,
                message,
            }
        }
        OpError::Refused { code, message } => {
            tracing::info!(code = code.as_str(), "refused by a rule");
            // At the door a reading and what it decided are written even when refused.
            Reply::Refused {
                code,
                message,
                recorded: ops::departure::RECORDED_REFUSALS.contains(&code),
            }
        }
        other => {
            tracing::info!(exit = ?other.exit(), "request failed");
            Reply::Failed {
                message: other.text(lang),
            }
        }
    })
}

fn load(ctx: &mut Ctx, l: Load) -> Result<Reply, OpError> {
    if let Some(done) = reshape::load(ctx, &l) {
        return done;
    }
    let conn = &ctx.store.conn;
    let validity = ctx.policy.cert_validity_days;
    Ok(match l {
        Load::Counts { day } => Reply::Counts(views::ledger_counts(conn, day)?),
        Load::Destinations { day } => Reply::Destinations {
            day,
            rows: views::destinations(conn, day, validity)?,
        },
        Load::Employer { id } => Reply::Employer {
            id,
            card: views::employer_card(conn, id)?.map(Box::new),
            trips: views::employer_trips(conn, id)?,
            workers: views::employer_workers(conn, id, 2000)?,
        },
        Load::WorkerPage { ids } => Reply::WorkerPage(views::workers_by_ids(conn, &ids)?),
        Load::WorkerByIdNumber { id_number } => {
            let line = match trips::worker_by_id_number(conn, &id_number)? {
                Some(id) => views::worker(conn, id)?,
                None => None,
            };
            Reply::WorkerByIdNumber { id_number, line }
        }
        Load::Board { day } => board::load(conn, &ctx.policy, day)?,
        Load::Stats { day, now } => {
            let now = crate::clock::from_local(now).unwrap_or_else(crate::clock::now);
            let figures = ops::stats::figures_at(ctx, day, now)?;
            let bulletin = ops::stats::bulletin_text(&figures, ctx.lang);
            Reply::Stats {
                day,
                figures: Box::new(figures),
                bulletin,
            }
        }
        Load::Roster { which } => {
            let trip = match ops::departure::bus_trip(ctx, &which) {
                Ok(t) => Some(t),
                // A bus with no open trip: its last one, to look at.
                Err(e @ OpError::Failed(_)) if matches!(which, TripRef::Bus(_)) => {
                    // As typed (`陕g21000`, `21000`), resolved as `--bus` resolves it.
                    let plate = ops::trip_ref::bus_plate(conn, &which.to_string(), ctx.lang)?;
                    // The end of no plate of the fleet: what the trip lookup said.
                    if crate::model::Plate::parse(&plate).is_err() {
                        return Err(e);
                    }
                    trips::last_trip_of_bus(conn, &plate)?
                }
                Err(e) => return Err(e),
            };
            let actionable = trip.as_ref().is_some_and(|t| {
                matches!(
                    t.status,
                    TripStatus::Planned | TripStatus::Boarding | TripStatus::Departed
                )
            });
            let (passengers, last_round, eta) = match &trip {
                Some(t) => (
                    trips::roster(conn, t.trip_id)?,
                    views::last_round_at(conn, t.trip_id)?,
                    ops::arrival::trip_eta(
                        t,
                        crate::store::notices::trip_distance(conn, t.trip_id)?,
                        &ctx.policy,
                    ),
                ),
                None => (vec![], None, None),
            };
            Reply::Roster {
                which,
                trip: trip.map(Box::new),
                passengers,
                last_round,
                actionable,
                eta,
            }
        }
        Load::Standby { trip, seat } => {
            let code = ops::departure::bus_trip(ctx, &trip)?.code;
            Reply::Standby {
                candidates: ops::departure::standby_candidates(ctx, TripRef::code(code.clone()))?,
                trip: code,
                seat,
            }
        }
        Load::Propose { day, county } => {
            let plan = ops::plan::propose(ctx, day, county.as_deref())?;
            Reply::Proposal {
                review: Arc::new(Review::of(&plan, ctx.lang)),
                day,
                county,
            }
        }
        Load::Elsewhere { trip, query } => {
            let found = match trips::trip_by_code(conn, &trip)? {
                Some(t) => elsewhere(conn, &t, &query)?,
                None => vec![],
            };
            Reply::Elsewhere { trip, query, found }
        }
        Load::Coach { plate } => {
            let key = crate::model::Plate::parse(&plate)
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|_| plate.clone());
            Reply::Coach {
                bus: crate::store::ledger::bus_by_plate(conn, &key)?.map(|(_, b)| Box::new(b)),
                plate,
            }
        }
        Load::Index => {
            let ix = SearchIndex::load(conn)?;
            Reply::Index(Arc::new(ix))
        }
        Load::Changes => Reply::Changes(
            ops::plan::changes(ctx)?
                .into_iter()
                .map(|w| super::action::ChangeNote {
                    kind: w.kind(),
                    employer: w.employer().map(str::to_string),
                    batch: w.batch().map(str::to_string),
                    text: w.text(ctx.lang),
                })
                .collect(),
        ),
        Load::MoveTargets { .. }
        | Load::MoveSeats { .. }
        | Load::SwapCandidates { .. }
        | Load::SwapPicked { .. } => {
            return Err(OpError::Failed("answered by the reshape dialogs".into()))
        }
    })
}

/// Passengers of the day's other buses matching a roster search: a name, or the last digits
/// (3 or more) of an ID number or phone. A seat number is only meaningful on its own bus.
fn elsewhere(
    conn: &rusqlite::Connection,
    trip: &trips::TripInfo,
    query: &str,
) -> Result<Vec<trips::SeatedElsewhere>, OpError> {
    let q = query.trim();
    let digits = q
        .to_uppercase()
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || (c == 'X' && i + 1 == q.chars().count()));
    let found = if q.is_empty() || (digits && q.len() < 3) {
        vec![]
    } else if digits {
        trips::seated_elsewhere(
            conn,
            trip.date,
            trip.trip_id,
            None,
            Some(&q.to_uppercase()),
            5,
        )?
    } else {
        trips::seated_elsewhere(conn, trip.date, trip.trip_id, Some(q), None, 5)?
    };
    Ok(found)
}

fn write(ctx: &mut Ctx, w: Write) -> Result<Reply, OpError> {
    if let Some(done) = roster_exec::execute(ctx, &w) {
        return done;
    }
    if let Some(done) = reshape::execute(ctx, &w) {
        return done;
    }
    Ok(match w {
        Write::EditWorker { id, edit } => Reply::Edited(ops::worker::edit_worker(ctx, id, &edit)?),
        Write::Withdraw { id } => Reply::Withdrawn(ops::worker::withdraw_worker(ctx, id)?),
        Write::EditBatch { code, time, place } => {
            let c = ops::batch::edit_batch(ctx, &code, time.as_deref(), place.as_deref())?;
            let message = match ctx.lang {
                crate::i18n::Lang::Zh => format!(
                    "{} 改为 {} 出发，集合点 {}",
                    c.code,
                    c.departure.replace('T', " "),
                    c.gathering_point
                ),
                crate::i18n::Lang::En => format!(
                    "{} now leaves {} from {}",
                    c.code,
                    c.departure.replace('T', " "),
                    c.gathering_point
                ),
            };
            Reply::BatchEdited { message }
        }
        Write::Register { registration } => {
            Reply::Registered(ops::register::register(ctx, &registration)?)
        }
        Write::SaveCoach { editing, form } => Reply::CoachSaved(Box::new(ops::fleet::save_coach(
            ctx,
            editing.as_deref(),
            &form,
        )?)),
        Write::NoticeSent { date, province, to } => {
            let n = ops::notice::notice_sent(ctx, date, &province, &to)?;
            let at = crate::clock::screen_text(&n.at, date);
            let message = match ctx.lang {
                crate::i18n::Lang::Zh => format!(
                    "已记录：{} {} 的抵达预告已于 {at} 发给 {}",
                    n.date, n.province, n.to
                ),
                crate::i18n::Lang::En => format!(
                    "recorded: the notice for {}, {}, went to {} at {at}",
                    n.province, n.date, n.to
                ),
            };
            Reply::NoticeSent { message }
        }
        Write::RevealId { id } => Reply::Revealed {
            id,
            id_number: ops::worker::reveal_id(ctx, id)?,
        },
        Write::ApplyPlan {
            day,
            county,
            fingerprint,
        } => {
            let applied =
                ops::plan::apply_reviewed(ctx, day, county.as_deref(), Some(&fingerprint));
            let plan = match applied {
                Err(OpError::Refused {
                    code: crate::i18n::Code::PlanChanged,
                    message,
                }) => {
                    // Show what would be written now, instead of writing it unseen.
                    let plan = ops::plan::propose(ctx, day, county.as_deref())?;
                    return Ok(Reply::PlanChanged {
                        review: Arc::new(Review::of(&plan, ctx.lang)),
                        day,
                        county,
                        message,
                    });
                }
                other => other?,
            };
            let message = match ctx.lang {
                crate::i18n::Lang::Zh => format!(
                    "{day} 已编排：{} 人，新增 {} 辆车",
                    plan.placed(),
                    plan.new_buses()
                ),
                crate::i18n::Lang::En => format!(
                    "{day} planned: {} people, {} new buses",
                    plan.placed(),
                    plan.new_buses()
                ),
            };
            Reply::PlanApplied { day, message }
        }
        // Roster writes were handled above.
        other => return Err(OpError::Failed(format!("not a console action: {other:?}"))),
    })
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
