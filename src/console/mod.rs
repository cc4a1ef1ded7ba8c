//! The terminal console: a current-thread event loop that drains input, updates the state,
//! and draws only when something changed, while a database thread does every query.

pub mod action;
pub mod app;
mod commands;
mod help;
pub mod index;
mod input;
pub mod keymap;
pub mod popup;
pub mod screen;
pub mod screens;
mod term;
pub mod ui;
pub mod widgets;
pub mod worker;

use crate::ops::{Ctx, Exit, OpError, OpResult, TripRef};
use action::{Action, Reply};
use app::{App, Config};
use crossterm::event::{Event, EventStream, KeyCode, KeyModifiers};
use futures_util::StreamExt;
use keymap::Keymap;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// The clock's time of day where it is read (it runs on across midnight, also in rehearsals).
fn now() -> chrono::NaiveDateTime {
    crate::clock::now().naive_local()
}

fn keys_path() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "zhitong").map(|d| d.config_dir().join("keys.toml"))
}

/// Opens the console on `ctx`; with a trip (`--bus PLATE`: the bus's open trip whatever its
/// date, or `--trip CODE`), the attendant's roster of that trip only.
pub fn run(ctx: Ctx, which: Option<TripRef>) -> OpResult<Exit> {
    let started = Instant::now();
    let log = term::init_logging();
    // The attendant stays on the trip found now, even once another is planned for the bus
    // (a plate is resolved as every trip command resolves it: a suffix, lower case …).
    let which = match which {
        Some(TripRef::Bus(typed)) => {
            Some(TripRef::bus(crate::ops::trip_ref::plate_of(&ctx, &typed)?))
        }
        other => other,
    };
    let trip = match which {
        Some(w) => Some(TripRef::code(
            crate::ops::departure::bus_trip(&ctx, &w)?.code,
        )),
        None => None,
    };
    let (keymap, problems) = keys_path().map(|p| Keymap::load(&p)).unwrap_or_default();
    // Two commands of one screen on one key: one of them could never be used. Refused before
    // the terminal is taken, naming both.
    let file = keys_path().map_or_else(|| "keys.toml".into(), |p| p.display().to_string());
    let clashes = keymap.conflicts(&file, ctx.lang);
    if !clashes.is_empty() {
        return Err(OpError::Usage(clashes.join("\n")));
    }
    let mut db_name = ctx
        .store
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // On a pack the attendant works off the network: the status bar says so all the time.
    if ctx.store.pack().is_some() {
        db_name.push_str(ctx.lang.pick("（离线包）", " (pack)"));
    }
    let cfg = Config {
        lang: ctx.lang,
        operator: ctx.operator.clone(),
        db_name,
        readonly: ctx.store.is_readonly(),
        policy: ctx.policy.clone(),
        today: ctx.today,
        now: now(),
        size: Rect::new(0, 0, 80, 24),
        keymap,
        trip,
    };
    let (mut app, initial) = App::new(cfg);
    if let Some(p) = problems.first() {
        app.error(p.clone());
    }
    for p in &problems {
        tracing::warn!("{p}");
    }
    tracing::info!(log = ?log, "console opening");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .enable_io()
        .build()
        .map_err(|e| OpError::Failed(format!("cannot start the console: {e}")))?;
    rt.block_on(event_loop(app, initial, ctx, started))
        .map_err(|e| OpError::Failed(format!("terminal: {e}")))?;
    Ok(Exit::Ok)
}

async fn event_loop(
    mut app: App,
    initial: Vec<action::Request>,
    ctx: Ctx,
    started: Instant,
) -> std::io::Result<()> {
    let mut guard = term::Guard::enter()?;
    let size = guard.terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    guard.draw(|f| ui::draw(f, &app))?;
    app.dirty = false;
    tracing::info!(ms = started.elapsed().as_secs_f64() * 1000.0, "first frame");

    let (reply_tx, mut replies) = mpsc::unbounded_channel::<Reply>();
    let db = worker::DbThread::spawn(ctx, move |r| reply_tx.send(r).is_ok())?;
    for r in initial {
        db.send(r);
    }
    let mut events = EventStream::new();
    // `kill`, a shutdown or a dropped SSH session: leave the loop so the terminal guard restores
    // the screen (every confirmed action is already committed).
    let mut stop = Stop::new()?;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    loop {
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => to_action(ev),
                Some(Err(e)) => return Err(e),
                None => break,
            },
            Some(r) = replies.recv() => Some(Action::Reply(r)),
            _ = tick.tick() => Some(Action::Tick(now())),
            _ = stop.recv() => break,
        };
        // Drain everything already queued before drawing: a burst of keys costs one frame.
        let mut batch: Vec<Action> = first.into_iter().collect();
        // (Polled directly: a `now_or_never` on the stream would hand crossterm a waker that
        // is never woken, and the next key would wait for the clock tick.)
        while crossterm::event::poll(Duration::ZERO)? {
            batch.extend(to_action(crossterm::event::read()?));
        }
        while let Ok(r) = replies.try_recv() {
            batch.push(Action::Reply(r));
        }
        for a in batch {
            if let Action::Key(k) = &a {
                // Ctrl-C always quits, even inside a dialog.
                if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
                    app.quit = true;
                    break;
                }
            }
            for r in app.update(a) {
                db.send(r);
            }
        }
        if app.quit {
            break;
        }
        if app.dirty {
            guard.draw(|f| ui::draw(f, &app))?;
            app.dirty = false;
        }
    }
    drop(guard);
    drop(db);
    Ok(())
}

/// SIGTERM and SIGHUP, the ways a console is ended from outside.
struct Stop {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
}

impl Stop {
    fn new() -> std::io::Result<Stop> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Stop {
                term: signal(SignalKind::terminate())?,
                hup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Stop {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

fn to_action(ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) => Some(Action::Key(k)),
        Event::Paste(s) => Some(Action::Paste(s)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}
