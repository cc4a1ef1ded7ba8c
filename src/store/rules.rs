//! The job's rules as SQL: lists of states built from `model::status`, so that every query
//! says "holds a seat" or "an open trip" exactly as the model does.

use crate::model::{SeatStatus, TripStatus, WorkerStatus};
use std::sync::LazyLock;

/// `('a','b')`: a list for `IN`, of the stored words.
fn list<T: Copy>(items: &[T], word: fn(T) -> &'static str) -> String {
    let words: Vec<String> = items.iter().map(|s| format!("'{}'", word(*s))).collect();
    format!("({})", words.join(","))
}

/// Seat statuses that hold a seat (`SeatStatus::HOLDING`).
pub static HOLDS: LazyLock<String> =
    LazyLock::new(|| list(SeatStatus::HOLDING, SeatStatus::as_str));
/// Seat statuses not yet decided at the door (`SeatStatus::UNDECIDED`).
pub static UNDECIDED: LazyLock<String> =
    LazyLock::new(|| list(SeatStatus::UNDECIDED, SeatStatus::as_str));
/// Trip statuses of a trip not yet over (`TripStatus::OPEN`).
pub static OPEN: LazyLock<String> = LazyLock::new(|| list(TripStatus::OPEN, TripStatus::as_str));
/// Trip statuses before departure (`TripStatus::BEFORE_DEPARTURE`).
pub static BEFORE: LazyLock<String> =
    LazyLock::new(|| list(TripStatus::BEFORE_DEPARTURE, TripStatus::as_str));
/// Worker statuses of a worker on a plan (`WorkerStatus::ON_A_PLAN`).
pub static ON_PLAN: LazyLock<String> =
    LazyLock::new(|| list(WorkerStatus::ON_A_PLAN, WorkerStatus::as_str));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_the_stored_words() {
        assert_eq!(HOLDS.as_str(), "('planned','recheck','boarded')");
        assert_eq!(OPEN.as_str(), "('planned','boarding','departed')");
        assert_eq!(BEFORE.as_str(), "('planned','boarding')");
        assert_eq!(UNDECIDED.as_str(), "('planned','recheck')");
        assert_eq!(
            ON_PLAN.as_str(),
            "('planned','boarded','departed','arrived')"
        );
    }
}
