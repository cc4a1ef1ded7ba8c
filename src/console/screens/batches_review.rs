//! What the Batches screen keeps of a planner proposal: the buses with their load, employers
//! and warnings, the unplaced counts by reason and a bounded list of names. A whole city's plan
//! lists hundreds of thousands of workers; the review keeps what an officer can read.

use crate::i18n::Lang;
use crate::plan::{Plan, UnplacedReason};

/// Names kept per reason for the unplaced list (the counts are always complete).
pub const UNPLACED_SHOWN: usize = 2000;

#[derive(Debug, Clone, PartialEq)]
pub struct ProposedBus {
    pub batch_code: String,
    /// `旬阳-20200221-01-2`
    pub trip_code: String,
    pub city: String,
    pub plate: String,
    pub employers: Vec<String>,
    pub load: u32,
    pub capacity: u32,
    /// A trip planned earlier that this plan only fills further.
    pub existing: bool,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnplacedLine {
    pub name: String,
    pub county: String,
    pub reason: UnplacedReason,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Review {
    pub placed: usize,
    pub new_buses: usize,
    pub lower_bound: u32,
    pub buses: Vec<ProposedBus>,
    /// Unplaced workers by reason: no bus, no valid certificate, unknown employer.
    pub unplaced_counts: [usize; 3],
    /// No-bus first (what the officer can still act on), then the others; bounded.
    pub unplaced: Vec<UnplacedLine>,
    pub warnings: Vec<String>,
    /// The proposal's fingerprint: applying writes exactly this proposal or nothing.
    pub fingerprint: String,
}

pub const REASONS: [UnplacedReason; 3] = [
    UnplacedReason::NoBus,
    UnplacedReason::NoCertificate,
    UnplacedReason::UnknownEmployer,
];

impl Review {
    pub fn of(plan: &Plan, lang: Lang) -> Review {
        let mut unplaced_counts = [0; 3];
        let mut unplaced = Vec::new();
        for (k, reason) in REASONS.iter().enumerate() {
            let mut of_reason = plan.unplaced.iter().filter(|u| u.reason == *reason);
            for u in of_reason.by_ref().take(UNPLACED_SHOWN) {
                unplaced_counts[k] += 1;
                unplaced.push(UnplacedLine {
                    name: u.name.clone(),
                    county: u.county.clone(),
                    reason: u.reason,
                });
            }
            unplaced_counts[k] += of_reason.count();
        }
        Review {
            placed: plan.placed(),
            new_buses: plan.new_buses(),
            lower_bound: plan.lower_bound,
            buses: plan
                .buses()
                .map(|(batch, bus)| ProposedBus {
                    batch_code: batch.code.clone(),
                    trip_code: bus.trip_code.clone(),
                    city: batch.city.clone(),
                    plate: bus.plate.clone(),
                    employers: bus.employers.clone(),
                    load: bus.load(),
                    capacity: bus.capacity,
                    existing: bus.existing,
                    warnings: bus.warnings.iter().map(|w| w.text(lang)).collect(),
                })
                .collect(),
            unplaced_counts,
            unplaced,
            warnings: plan.warnings.iter().map(|w| w.text(lang)).collect(),
            fingerprint: plan.fingerprint(),
        }
    }

    pub fn unplaced_total(&self) -> usize {
        self.unplaced_counts.iter().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.placed == 0
    }
}
