//! The fingerprint of a proposal: what the officer reviewed, so that applying can check it is
//! still what would be written. SHA-256 over the plan's writes in a fixed order and encoding;
//! the first 16 hex digits are plenty to tell two proposals of a day apart.

use super::Plan;
use sha2::{Digest, Sha256};

/// Digits kept of the digest.
const DIGITS: usize = 16;

pub(super) fn of(plan: &Plan) -> String {
    let mut h = Sha256::new();
    // Fields end with a unit separator, records with a record separator: no two plans write
    // the same bytes.
    let field = |h: &mut Sha256, v: &str| {
        h.update(v.as_bytes());
        h.update([0x1f]);
    };
    field(&mut h, "zhitong-plan-1");
    field(&mut h, &plan.date.to_string());
    for batch in &plan.batches {
        h.update([0x1e]);
        for v in [
            &batch.code,
            &batch.county,
            &batch.province,
            &batch.city,
            &batch.departure,
            &batch.gathering_point,
        ] {
            field(&mut h, v);
        }
        for bus in &batch.buses {
            h.update([0x1d]);
            field(&mut h, &bus.trip_code);
            field(&mut h, &bus.bus_id.to_string());
            field(&mut h, &bus.plate);
            field(&mut h, &bus.capacity.to_string());
            field(&mut h, &bus.rows.to_string());
            // The trip's code names it; the row id is only known once written.
            field(&mut h, if bus.existing { "existing" } else { "new" });
            field(&mut h, &bus.already_seated.to_string());
            for p in &bus.passengers {
                field(&mut h, &format!("{}:{}", p.worker, p.seat));
            }
        }
    }
    let digest = h.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..DIGITS].to_string()
}
