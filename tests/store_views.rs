//! The store's views of the ledger (destinations, the day's trips and counts, the ledger's
//! counts) checked against the sample ledger and the model's own rules.

#[path = "support/sample.rs"]
mod sample;

use zhitong::model::{CertState, HealthCertificate, WorkerStatus};
use zhitong::store::views::*;
use zhitong::store::Store;

fn sample_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("z.db");
    sample::build(&path).unwrap();
    (dir, Store::open(&path).unwrap())
}

#[test]
fn eligible_counts_agree_with_the_certificate_rule() {
    let (_d, s) = sample_store();
    let day = sample::day();
    let rows = destinations(&s.db(), day, 7).unwrap();
    assert_eq!(rows.len(), 5);
    // Recount with the model's rule, row by row.
    for r in &rows {
        let workers = employer_workers(&s.db(), r.employer_id, 1000).unwrap();
        let eligible = workers
            .iter()
            .filter(|w| w.status == WorkerStatus::Registered)
            .filter(|w| {
                HealthCertificate {
                    issued: w.cert_issued,
                    valid_until: w.cert_valid_until,
                    issuer: String::new(),
                }
                .state_on(day, 7)
                .allows_travel()
            })
            .count() as u64;
        assert_eq!(r.eligible, eligible, "{}", r.name);
        let not_withdrawn = workers
            .iter()
            .filter(|w| w.status != WorkerStatus::Withdrawn)
            .count() as u64;
        assert_eq!(r.registered, not_withdrawn, "{}", r.name);
    }
    // Every certificate state occurs in the sample, so the comparison above means something.
    let all = employer_workers(&s.db(), 1, 1000).unwrap();
    let mut states: Vec<CertState> = all
        .iter()
        .map(|w| {
            HealthCertificate {
                issued: w.cert_issued,
                valid_until: w.cert_valid_until,
                issuer: String::new(),
            }
            .state_on(day, 7)
        })
        .collect();
    states.dedup();
    for want in [
        CertState::Valid,
        CertState::LastDay,
        CertState::Expired,
        CertState::Missing,
        CertState::NotYetValid,
    ] {
        assert!(states.contains(&want), "{want:?} missing from {states:?}");
    }
}

#[test]
fn trip_counts_follow_the_roster() {
    let (_d, s) = sample_store();
    let trips = zhitong::store::trips::trips_on(&s.db(), sample::day()).unwrap();
    assert_eq!(trips.len(), 2);
    let by_day = day_trip_counts(&s.db(), sample::day()).unwrap();
    assert_eq!(by_day.len(), 2);
    let c = by_day[&trips[0].trip_id];
    assert_eq!((c.boarded, c.refused, c.no_show), (5, 1, 1));
    let employers = day_trip_employers(&s.db(), sample::day()).unwrap();
    let gates = &employers[&trips[0].trip_id];
    assert_eq!(
        gates.employers,
        trip_employers(&s.db(), trips[0].trip_id).unwrap()
    );
    assert_eq!(
        gates.distance_km,
        zhitong::store::notices::trip_distance(&s.db(), trips[0].trip_id).unwrap()
    );
    let roster = zhitong::store::trips::roster(&s.db(), trips[0].trip_id).unwrap();
    let d = zhitong::ops::departure::counts(&roster);
    assert_eq!(
        (c.expected, c.boarded, c.refused, c.no_show, c.missing),
        (d.expected, d.boarded, d.refused, d.no_show, d.missing)
    );
}

#[test]
fn counts_and_search_feed() {
    let (_d, s) = sample_store();
    let c = status_counts(&s.db(), sample::day()).unwrap();
    assert_eq!(c.workers, 120);
    assert_eq!(c.withdrawn, 1);
    assert_eq!(c.trips_today, 2);
    let mut n = 0;
    let mut first = None;
    for_each_search_row(&s.db(), |row| {
        n += 1;
        if row.id == 1 {
            first = Some((row.name.to_string(), row.id4.to_string(), row.employer));
        }
    })
    .unwrap();
    assert_eq!(n, 120);
    assert_eq!(first, Some(("张伟".into(), "1003".into(), 1)));
    let page = workers_by_ids(&s.db(), &[3, 999, 1]).unwrap();
    assert_eq!(page.iter().map(|w| w.id).collect::<Vec<_>>(), vec![3, 1]);
}
