//! Applying a plan while another terminal writes between its batches: what is written is always
//! from the proposal reviewed, a change before the first batch writes nothing, a change under a
//! later batch stops there (with `expect`) or is planned around (without).

use super::write::BEFORE_BATCH;
use super::*;
use crate::i18n::Lang;
use crate::model::Policy;
use crate::ops::demo::{build, LedgerSpec};
use crate::store::Store;
use std::path::{Path, PathBuf};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 21).unwrap()
}

fn ctx(db: &Path) -> Ctx {
    let mut c = Ctx::new(
        Store::open(db).unwrap(),
        "王科长".into(),
        Policy::default(),
        Lang::En,
    );
    c.today = day();
    c
}

/// A demo ledger, a county whose plan has at least three batches, a terminal on it and the
/// county's proposal as the officer reviewed it.
fn reviewed_ledger() -> (tempfile::TempDir, PathBuf, String, Ctx, Plan) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    build(&mut ctx(&db), &LedgerSpec::scaled(3000, 11, day())).unwrap();
    let c = ctx(&db);
    let county = plans::counties(&c.store.db())
        .unwrap()
        .into_iter()
        .find(|k| propose(&c, day(), Some(k)).unwrap().batches.len() >= 3)
        .expect("a county with three batches");
    let reviewed = propose(&c, day(), Some(&county)).unwrap();
    (dir, db, county, c, reviewed)
}

/// Runs `act` with a connection of its own before each batch of `at` takes the lock.
fn before_batch(db: &Path, at: &'static [usize], act: impl Fn(&mut Ctx) + 'static) {
    let db = db.to_path_buf();
    BEFORE_BATCH.with(|h| {
        *h.borrow_mut() = Some(Box::new(move |i| {
            if at.contains(&i) {
                act(&mut ctx(&db));
            }
        }))
    });
}

fn clear() {
    BEFORE_BATCH.with(|h| *h.borrow_mut() = None);
}

/// Applies the plan of `county` while `act` runs before each batch of `at`: the `reviewed`
/// proposal by its fingerprint, or (`None`) whatever is planned at the time.
fn apply_while(
    c: &mut Ctx,
    db: &Path,
    county: &str,
    reviewed: Option<&Plan>,
    at: &'static [usize],
    act: impl Fn(&mut Ctx) + 'static,
) -> OpResult<Plan> {
    before_batch(db, at, act);
    let written = match reviewed {
        Some(r) => apply_reviewed(c, day(), Some(county), Some(&r.fingerprint())),
        None => apply(c, day(), Some(county)),
    };
    clear();
    written
}

/// Another terminal types a certificate for `worker` (issued, valid until).
fn certify(o: &mut Ctx, worker: i64, issued: &str, valid_until: &str) {
    let edit = crate::ops::worker::WorkerEdit {
        phone: String::new(),
        village: "桂花村".into(),
        cert_issued: issued.into(),
        cert_valid_until: valid_until.into(),
    };
    crate::ops::worker::edit_worker(o, worker, &edit).unwrap();
}

/// (worker, seat, trip code) of every seat held, in order.
fn seats(c: &Ctx) -> Vec<(i64, u32, String)> {
    let mut out: Vec<(i64, u32, String)> = crate::store::plans::guard::held_seats(&c.store.db())
        .unwrap()
        .into_iter()
        .collect();
    out.sort();
    out
}

fn seats_of(plan: &Plan) -> Vec<(i64, u32, String)> {
    let mut out: Vec<(i64, u32, String)> = plan
        .buses()
        .flat_map(|(_, b)| {
            b.passengers
                .iter()
                .map(|p| (p.worker, p.seat, b.trip_code.clone()))
        })
        .collect();
    out.sort();
    out
}

fn first_worker(plan: &Plan, batch: usize) -> i64 {
    plan.batches[batch].buses[0].passengers[0].worker
}

fn is_plan_changed(e: &OpError) -> bool {
    matches!(
        e,
        OpError::Refused {
            code: crate::i18n::Code::PlanChanged,
            ..
        }
    )
}

#[test]
fn a_write_that_changes_nothing_of_the_proposal_lets_the_reviewed_one_be_written() {
    let (_d, db, county, mut c, reviewed) = reviewed_ledger();
    let someone = first_worker(&reviewed, 2);
    // Another terminal writes before the first batch and between two later ones (a revealed
    // ID number: an audit row, nothing the plan reads).
    let written = apply_while(&mut c, &db, &county, Some(&reviewed), &[0, 2], move |o| {
        crate::ops::worker::reveal_id(o, someone).unwrap();
    });
    let written = written.unwrap();
    assert_eq!(seats_of(&written), seats_of(&reviewed));
    assert_eq!(seats(&c), seats_of(&reviewed));
}

#[test]
fn a_change_before_the_first_batch_writes_nothing() {
    let (_d, db, county, mut c, reviewed) = reviewed_ledger();
    // A worker of the last batch: the whole proposal is checked before anything is written.
    let gone = first_worker(&reviewed, reviewed.batches.len() - 1);
    let e = apply_while(&mut c, &db, &county, Some(&reviewed), &[0], move |o| {
        crate::ops::worker::withdraw_worker(o, gone).unwrap();
    })
    .unwrap_err();
    assert!(is_plan_changed(&e), "{e}");
    assert!(e.to_string().contains("nothing was written"), "{e}");
    assert!(seats(&c).is_empty());
    assert!(plans::batches_on(&c.store.db(), day()).unwrap().is_empty());
}

#[test]
fn a_change_under_a_later_batch_stops_there_with_the_first_batches_as_reviewed() {
    let (_d, db, county, mut c, reviewed) = reviewed_ledger();
    let gone = first_worker(&reviewed, 1);
    let e = apply_while(&mut c, &db, &county, Some(&reviewed), &[1], move |o| {
        crate::ops::worker::withdraw_worker(o, gone).unwrap();
    })
    .unwrap_err();
    assert!(is_plan_changed(&e), "{e}");
    let total = reviewed.batches.len();
    assert!(
        e.to_string().contains(&format!(
            "the first 1 of its {total} batches were written as reviewed, batch {} and the rest were not",
            reviewed.batches[1].code
        )),
        "{e}"
    );
    let first = Plan {
        batches: reviewed.batches[..1].to_vec(),
        ..reviewed.clone()
    };
    assert_eq!(seats(&c), seats_of(&first));
    // The job is over, not left running in a process that lives on.
    assert_eq!(crate::store::jobs::running(&c.store.db()).unwrap().len(), 0);
}

#[test]
fn without_a_fingerprint_a_later_batch_that_changed_is_planned_again_for_who_is_left() {
    let (_d, db, county, mut c, reviewed) = reviewed_ledger();
    let gone = first_worker(&reviewed, 1);
    let written = apply_while(&mut c, &db, &county, None, &[1], move |o| {
        crate::ops::worker::withdraw_worker(o, gone).unwrap();
    });
    written.unwrap();
    let held = seats(&c);
    assert!(!held.iter().any(|s| s.0 == gone));
    // Everyone else of the proposal has a seat, each once.
    let mut workers: Vec<i64> = held.iter().map(|s| s.0).collect();
    workers.dedup();
    assert_eq!(workers.len(), held.len());
    assert_eq!(held.len(), reviewed.placed() - 1);
}

#[test]
fn a_certificate_that_ran_out_under_a_later_batch_stops_the_reviewed_plan() {
    let (_d, db, county, mut c, reviewed) = reviewed_ledger();
    let expired = first_worker(&reviewed, 1);
    // Still registered and unplaced: only the batch's own facts, read again, can tell.
    let e = apply_while(&mut c, &db, &county, Some(&reviewed), &[1], move |o| {
        certify(o, expired, "2020-02-01", "2020-02-10");
    })
    .unwrap_err();
    assert!(is_plan_changed(&e), "{e}");
    assert!(!seats(&c).iter().any(|s| s.0 == expired));
    assert_eq!(
        seats(&c).len(),
        reviewed.batches[0]
            .buses
            .iter()
            .map(|b| b.passengers.len())
            .sum::<usize>()
    );
}

#[test]
fn a_worker_who_became_eligible_meanwhile_is_left_for_the_next_plan() {
    let (_d, db, county, mut c, reviewed) = reviewed_ledger();
    let waiting = reviewed
        .unplaced
        .iter()
        .find(|u| u.reason == plan::UnplacedReason::NoCertificate)
        .expect("someone without a certificate")
        .worker;
    // Their certificate arrives after the review, before the first batch is written.
    let written = apply_while(&mut c, &db, &county, Some(&reviewed), &[0], move |o| {
        certify(o, waiting, "2020-02-20", "2020-02-26");
    });
    // What was reviewed is written, and only that; the next plan of the day counts them in.
    assert_eq!(seats_of(&written.unwrap()), seats_of(&reviewed));
    assert_eq!(seats(&c), seats_of(&reviewed));
    let now = propose(&c, day(), Some(&county)).unwrap();
    let placed = now
        .buses()
        .any(|(_, b)| b.passengers.iter().any(|p| p.worker == waiting));
    let no_bus = now
        .unplaced
        .iter()
        .any(|u| u.worker == waiting && u.reason == plan::UnplacedReason::NoBus);
    assert!(placed || no_bus);
}
