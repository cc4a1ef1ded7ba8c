//! The fingerprint of a proposal: what the officer reviewed, so that applying can check it is
//! still what would be written. SHA-256 over the plan's writes in a fixed order and encoding;
//! the first 16 hex digits are plenty to tell two proposals of a day apart. Built batch by
//! batch, so that a proposal written out county by county is fingerprinted without being held
//! whole.

use super::{Plan, PlannedBatch};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// Digits kept of the digest.
const DIGITS: usize = 16;

/// A fingerprint under way: the day, then each batch in the plan's order.
pub struct Fingerprint(Sha256);

/// Fields end with a unit separator, records with a record separator: no two plans write the
/// same bytes.
fn field(h: &mut Sha256, v: &str) {
    h.update(v.as_bytes());
    h.update([0x1f]);
}

impl Fingerprint {
    pub fn new(date: NaiveDate) -> Fingerprint {
        let mut h = Sha256::new();
        field(&mut h, "zhitong-plan-1");
        field(&mut h, &date.to_string());
        Fingerprint(h)
    }

    /// The next batch of the proposal (batches come in the plan's order).
    pub fn add(&mut self, batch: &PlannedBatch) {
        let h = &mut self.0;
        h.update([0x1e]);
        for v in [
            &batch.code,
            &batch.county,
            &batch.province,
            &batch.city,
            &batch.departure,
            &batch.gathering_point,
        ] {
            field(h, v);
        }
        for bus in &batch.buses {
            h.update([0x1d]);
            field(h, &bus.trip_code);
            field(h, &bus.bus_id.to_string());
            field(h, &bus.plate);
            field(h, &bus.capacity.to_string());
            field(h, &bus.rows.to_string());
            // The trip's code names it; the row id is only known once written.
            field(h, if bus.existing { "existing" } else { "new" });
            field(h, &bus.already_seated.to_string());
            for p in &bus.passengers {
                field(h, &format!("{}:{}", p.worker, p.seat));
            }
        }
    }

    pub fn finish(self) -> String {
        let digest = self.0.finalize();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        hex[..DIGITS].to_string()
    }
}

pub(super) fn of(plan: &Plan) -> String {
    let mut f = Fingerprint::new(plan.date);
    for batch in &plan.batches {
        f.add(batch);
    }
    f.finish()
}
