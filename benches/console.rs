//! Console benchmarks on a 1,000,000-worker database: one frame at 200×50 for each screen,
//! a filter keystroke from key to finished frame, and start to first frame (in process).
//! Figures and the command are recorded in `benches/console.md`.

mod console_support;
#[path = "../tests/console_support/mod.rs"]
mod session;

use criterion::{criterion_group, criterion_main, Criterion};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use session::Session;
use std::time::{Duration, Instant};
use zhitong::console::app::{App, Config};
use zhitong::console::keymap::Keymap;
use zhitong::console::ui;
use zhitong::i18n::Lang;
use zhitong::model::Policy;
use zhitong::store::Store;

fn open(width: u16, height: u16, bus: Option<&str>) -> Session {
    let path = console_support::bench_db();
    let dir = tempfile::tempdir().unwrap();
    Session::open_on(
        dir,
        path,
        Lang::Zh,
        width,
        height,
        bus,
        console_support::day(),
    )
}

fn draw(term: &mut Terminal<TestBackend>, app: &App) {
    term.draw(|f| ui::draw(f, app)).unwrap();
}

/// A bus of the planned day with the most passengers (the fullest roster to draw).
fn busiest_plate(s: &Session) -> String {
    s.query(
        "SELECT bus.plate FROM trips t JOIN buses bus ON bus.id = t.bus_id
           JOIN passengers p ON p.trip_id = t.id
         WHERE t.date = '2020-02-21' GROUP BY t.id ORDER BY count(*) DESC LIMIT 1",
    )
}

fn frames(c: &mut Criterion) {
    let mut s = open(200, 50, None);
    let plate = busiest_plate(&s);
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
    let mut g = c.benchmark_group("frame_200x50");
    let screens: [(&str, &str); 7] = [
        ("board", "4"),
        ("destinations", "1"),
        ("workers", "2"),
        ("workers_filtered", "2/张\r"),
        ("batches", "3"),
        ("stats", "6"),
        ("roster", ""),
    ];
    for (name, keys) in screens {
        if name == "roster" {
            s.keys(&format!(":bus {plate}"));
            s.enter();
        } else {
            for ch in keys.chars() {
                if ch == '\r' {
                    s.enter();
                } else {
                    s.keys(&ch.to_string());
                }
            }
        }
        // Move into the middle of the list: the frame must cost the same anywhere.
        s.key(KeyCode::PageDown);
        s.key(KeyCode::PageDown);
        draw(&mut term, &s.app);
        g.bench_function(name, |b| b.iter(|| draw(&mut term, &s.app)));
    }
    g.finish();
}

/// Key to finished frame: the filter runs over the in-memory index, the visible page is read
/// from the database, and the frame is drawn — what the operator waits for after a keystroke.
fn filter_keystroke(c: &mut Criterion) {
    let mut s = open(200, 50, None);
    s.keys("2");
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
    let mut g = c.benchmark_group("filter_key_to_frame");
    g.measurement_time(Duration::from_secs(8));
    // (name, typed before, the measured key)
    let cases: [(&str, &str, char); 8] = [
        ("first_char_张", "", '张'),
        ("second_char_张伟", "张", '伟'),
        ("village_村", "", '村'),
        ("id_end_1003", "100", '3'),
        ("employer_电子", "电", '子'),
        // Pinyin initials of names (张伟 → zw), a township, the end of a phone or ID number.
        ("initials_zw", "z", 'w'),
        ("township_河镇", "河", '镇'),
        ("phone_or_id_end_5678", "567", '8'),
    ];
    for (name, before, key) in cases {
        s.keys("/");
        s.keys(before);
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let t = Instant::now();
                    s.keys(&key.to_string());
                    draw(&mut term, &s.app);
                    total += t.elapsed();
                    s.key(KeyCode::Backspace);
                }
                total
            })
        });
        // The rows the measured key leaves (after the loop the filter is back to `before`).
        s.keys(&key.to_string());
        eprintln!("{name}: {} rows", s.app.workers.len());
        s.esc();
    }
    g.finish();
}

/// Opening the database and drawing the first frame, as the binary does before any data has
/// arrived (the loads go to the database threads after this frame).
fn start(c: &mut Criterion) {
    let path = console_support::bench_db();
    let mut g = c.benchmark_group("start");
    g.bench_function("open_to_first_frame", |b| {
        b.iter(|| {
            let store = Store::open(&path).unwrap();
            let (app, initial) = App::new(Config {
                lang: Lang::Zh,
                operator: "bench".into(),
                db_name: "console-1m.db".into(),
                readonly: false,
                policy: Policy::default(),
                today: console_support::day(),
                now: console_support::day().and_hms_opt(6, 40, 0).unwrap(),
                size: Rect::new(0, 0, 200, 50),
                keymap: Keymap::default(),
                trip: None,
            });
            let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
            draw(&mut term, &app);
            (store, initial)
        })
    });
    g.finish();
}

/// The loads behind the screens, as the database threads run them (off the render path).
fn loads(c: &mut Criterion) {
    use zhitong::console::action::{Load, Request};
    use zhitong::console::worker;
    let mut s = open(200, 50, None);
    let day = console_support::day();
    let plate = busiest_plate(&s);
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    let cases = [
        ("destinations", Load::Destinations { day }),
        ("ledger_counts", Load::Counts { day }),
        ("board", Load::Board { day }),
        (
            "stats",
            Load::Stats {
                day,
                now: day.and_hms_opt(12, 0, 0).unwrap(),
            },
        ),
        (
            "roster",
            Load::Roster {
                which: zhitong::ops::TripRef::bus(plate),
            },
        ),
        ("search_index", Load::Index),
    ];
    for (name, load) in cases {
        g.bench_function(name, |b| {
            b.iter(|| worker::handle(&mut s.ctx, Request::Load(load.clone())))
        });
    }
    g.finish();
}

criterion_group!(benches, frames, filter_keystroke, start, loads);
criterion_main!(benches);
