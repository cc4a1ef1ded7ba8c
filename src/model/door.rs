//! The bus door as a state machine: where a passenger stands (planned, 复测, boarded, refused,
//! no-show) and what a temperature reading, a refusal or an undo may change. Pure: the caller
//! reads the passenger and their earlier readings, asks here, and writes what comes back.

use super::policy::Policy;
use super::status::{ReadingOutcome, RefuseReason, SeatStatus};
use chrono::{Duration, NaiveDateTime};

/// Where one passenger stands at the door of one trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorState {
    /// Holding a seat, not checked yet.
    Planned,
    /// A fever reading at the door: resting before a new reading; the seat is held.
    Recheck,
    Boarded,
    /// Refused for fever, certificate or identity: the seat is free.
    Refused(RefuseReason),
    /// Did not come: the seat is free until they turn up.
    NoShow,
}

impl DoorState {
    /// The state of a stored passenger row (`refused_reason` as stored).
    pub fn of(status: SeatStatus, reason: Option<&str>) -> DoorState {
        match status {
            SeatStatus::Planned => DoorState::Planned,
            SeatStatus::Recheck => DoorState::Recheck,
            SeatStatus::Boarded => DoorState::Boarded,
            SeatStatus::NoShow => DoorState::NoShow,
            SeatStatus::Refused => DoorState::Refused(
                reason
                    .and_then(|r| r.parse().ok())
                    .filter(|r| *r != RefuseReason::NoShow)
                    // A refusal whose reason was lost is treated as the strictest one.
                    .unwrap_or(RefuseReason::Fever),
            ),
        }
    }

    pub fn status(self) -> SeatStatus {
        match self {
            DoorState::Planned => SeatStatus::Planned,
            DoorState::Recheck => SeatStatus::Recheck,
            DoorState::Boarded => SeatStatus::Boarded,
            DoorState::Refused(_) => SeatStatus::Refused,
            DoorState::NoShow => SeatStatus::NoShow,
        }
    }

    pub fn reason(self) -> Option<RefuseReason> {
        match self {
            DoorState::Refused(r) => Some(r),
            DoorState::NoShow => Some(RefuseReason::NoShow),
            _ => None,
        }
    }

    pub fn holds_seat(self) -> bool {
        self.status().holds_seat()
    }

    /// Accounted for at departure: boarded, refused or no-show. A passenger planned or in
    /// 复测 keeps the bus at the door.
    pub fn accounted(self) -> bool {
        !matches!(self, DoorState::Planned | DoorState::Recheck)
    }
}

/// The policy's door rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DoorRules {
    pub fever_threshold: f64,
    pub fever_rechecks: u32,
    pub recheck_wait: Duration,
}

impl DoorRules {
    pub fn of(p: &Policy) -> DoorRules {
        DoorRules {
            fever_threshold: p.fever_threshold,
            fever_rechecks: p.fever_rechecks,
            recheck_wait: Duration::minutes(i64::from(p.recheck_wait_minutes)),
        }
    }
}

/// What the door readings of this passenger on this trip so far mean for the next one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DoorHistory {
    /// Re-checks given since the passenger last boarded.
    pub rechecks_used: u32,
    /// When the last fever reading that decided something (re-check, refusal) was taken: the
    /// rest is counted from it. `None` also when its time cannot be read.
    pub last_fever_at: Option<NaiveDateTime>,
}

impl DoorHistory {
    /// From the passenger's earlier door readings on this trip, oldest first.
    pub fn of(readings: impl IntoIterator<Item = (Option<NaiveDateTime>, ReadingOutcome)>) -> Self {
        let mut h = DoorHistory::default();
        for (at, outcome) in readings {
            match outcome {
                ReadingOutcome::Boarded => h.rechecks_used = 0,
                ReadingOutcome::Recheck => {
                    h.rechecks_used += 1;
                    h.last_fever_at = at;
                }
                ReadingOutcome::Fever => h.last_fever_at = at,
                _ => {}
            }
        }
        h
    }

    /// Rest still owed before a new reading counts, if any.
    pub fn wait_left(&self, now: NaiveDateTime, rules: &DoorRules) -> Option<Duration> {
        let left = self.last_fever_at? + rules.recheck_wait - now;
        (left > Duration::zero()).then_some(left)
    }
}

/// Why a door reading decides nothing and is not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAtDoor {
    /// Refused for certificate or identity: a temperature does not change that (undo does).
    AlreadyRefused(RefuseReason),
}

/// What a temperature taken at the door decides.
///
/// - at or above the threshold: 复测 while re-checks are left (`Recheck`), else refused
///   (`Fever`); someone already refused for fever stays refused;
/// - below it: boards (`Boarded`) unless the certificate is not valid (`Certificate`); someone
///   already aboard stays aboard (`Kept`);
/// - in 复测 or refused for fever, a reading before the rest is over decides nothing (`Early`);
/// - refused for certificate or identity: not a door reading (`NotAtDoor`).
pub fn door_reading(
    state: DoorState,
    fever: bool,
    cert_ok: bool,
    history: &DoorHistory,
    now: NaiveDateTime,
    rules: &DoorRules,
) -> Result<ReadingOutcome, NotAtDoor> {
    if let DoorState::Refused(r) = state {
        if r != RefuseReason::Fever {
            return Err(NotAtDoor::AlreadyRefused(r));
        }
    }
    let waiting = matches!(
        state,
        DoorState::Recheck | DoorState::Refused(RefuseReason::Fever)
    );
    if waiting && history.wait_left(now, rules).is_some() {
        return Ok(ReadingOutcome::Early);
    }
    Ok(match (fever, state) {
        (true, DoorState::Refused(_)) => ReadingOutcome::Fever,
        (true, _) if history.rechecks_used < rules.fever_rechecks => ReadingOutcome::Recheck,
        (true, _) => ReadingOutcome::Fever,
        (false, DoorState::Boarded) => ReadingOutcome::Kept,
        (false, _) if !cert_ok => ReadingOutcome::Certificate,
        (false, _) => ReadingOutcome::Boarded,
    })
}

/// What a reading en route decides: only someone aboard is measured on a round; a fever marks
/// them for observation (moving the seat stays the attendant's act). `None`: not aboard.
pub fn round_reading(state: DoorState, fever: bool) -> Option<ReadingOutcome> {
    (state == DoorState::Boarded).then_some(if fever {
        ReadingOutcome::Observation
    } else {
        ReadingOutcome::Kept
    })
}

/// The state a reading's outcome leaves the passenger in.
pub fn after_reading(state: DoorState, outcome: ReadingOutcome) -> DoorState {
    match outcome {
        ReadingOutcome::Boarded => DoorState::Boarded,
        ReadingOutcome::Recheck => DoorState::Recheck,
        ReadingOutcome::Fever => DoorState::Refused(RefuseReason::Fever),
        ReadingOutcome::Certificate => DoorState::Refused(RefuseReason::Certificate),
        ReadingOutcome::Kept | ReadingOutcome::Early | ReadingOutcome::Observation => state,
    }
}

/// A refusal (with its reason, no-show among them) from any state that holds a seat; `None`
/// when the passenger was already refused or a no-show (the first reason stays).
pub fn refuse(state: DoorState, reason: RefuseReason) -> Option<DoorState> {
    state
        .holds_seat()
        .then_some(if reason == RefuseReason::NoShow {
            DoorState::NoShow
        } else {
            DoorState::Refused(reason)
        })
}

/// Why the last door decision cannot be undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndoRefused {
    /// Refused for fever or in 复测: a reading decided it, and only a new reading changes it.
    FeverDecision,
    /// Not checked yet: there is no decision to undo.
    Nothing,
}

/// Reverses the last door decision (boarded, refused for certificate or identity, no-show):
/// the passenger is back to being checked, on their seat.
pub fn undo(state: DoorState) -> Result<DoorState, UndoRefused> {
    match state {
        DoorState::Boarded | DoorState::NoShow => Ok(DoorState::Planned),
        DoorState::Refused(RefuseReason::Fever) | DoorState::Recheck => {
            Err(UndoRefused::FeverDecision)
        }
        DoorState::Refused(_) => Ok(DoorState::Planned),
        DoorState::Planned => Err(UndoRefused::Nothing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DoorState::*;
    use ReadingOutcome as O;

    fn at(min: i64) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2020, 2, 21)
            .unwrap()
            .and_hms_opt(7, 0, 0)
            .unwrap()
            + Duration::minutes(min)
    }

    fn rules(rechecks: u32, wait: i64) -> DoorRules {
        DoorRules {
            fever_threshold: 37.3,
            fever_rechecks: rechecks,
            recheck_wait: Duration::minutes(wait),
        }
    }

    /// A reading at minute `now` after the given earlier outcomes (each at its minute).
    fn read(state: DoorState, fever: bool, past: &[(i64, O)], now: i64, r: DoorRules) -> O {
        let h = DoorHistory::of(past.iter().map(|&(m, o)| (Some(at(m)), o)));
        door_reading(state, fever, true, &h, at(now), &r).unwrap()
    }

    #[test]
    fn a_normal_reading_boards_and_a_first_fever_is_rechecked_with_the_seat_held() {
        let r = rules(1, 10);
        assert_eq!(read(Planned, false, &[], 0, r), O::Boarded);
        assert_eq!(read(Planned, true, &[], 0, r), O::Recheck);
        assert!(after_reading(Planned, O::Recheck).holds_seat());
        assert!(!after_reading(Planned, O::Recheck).accounted());
        // A late no-show is read like anyone else.
        assert_eq!(read(NoShow, false, &[], 0, r), O::Boarded);
        assert_eq!(read(NoShow, true, &[], 0, r), O::Recheck);
    }

    #[test]
    fn the_recheck_waits_for_the_rest_then_boards_or_refuses() {
        let r = rules(1, 10);
        let past = [(0, O::Recheck)];
        assert_eq!(read(Recheck, false, &past, 9, r), O::Early);
        assert_eq!(read(Recheck, true, &past, 9, r), O::Early);
        assert_eq!(read(Recheck, false, &past, 10, r), O::Boarded);
        assert_eq!(read(Recheck, true, &past, 10, r), O::Fever);
        assert_eq!(
            after_reading(Recheck, O::Fever),
            Refused(RefuseReason::Fever)
        );
        assert!(!after_reading(Recheck, O::Fever).holds_seat());
        // An early reading decides nothing and does not restart the rest.
        let past = [(0, O::Recheck), (4, O::Early)];
        assert_eq!(read(Recheck, false, &past, 10, r), O::Boarded);
        let h = DoorHistory::of(past.iter().map(|&(m, o)| (Some(at(m)), o)));
        assert_eq!(h.wait_left(at(7), &r), Some(Duration::minutes(3)));
        assert_eq!(h.wait_left(at(10), &r), None);
    }

    #[test]
    fn more_rechecks_allow_more_fever_readings_and_none_is_the_strict_rule() {
        let r = rules(2, 0);
        assert_eq!(read(Recheck, true, &[(0, O::Recheck)], 0, r), O::Recheck);
        let twice = [(0, O::Recheck), (1, O::Recheck)];
        assert_eq!(read(Recheck, true, &twice, 2, r), O::Fever);
        assert_eq!(read(Planned, true, &[], 0, rules(0, 10)), O::Fever);
    }

    #[test]
    fn a_fever_for_someone_aboard_is_never_ignored() {
        let r = rules(1, 10);
        assert_eq!(read(Boarded, false, &[(0, O::Boarded)], 1, r), O::Kept);
        assert_eq!(read(Boarded, true, &[(0, O::Boarded)], 1, r), O::Recheck);
        // Boarding after a re-check gives a fresh re-check for a new fever.
        let past = [(0, O::Recheck), (10, O::Boarded)];
        assert_eq!(read(Boarded, true, &past, 11, r), O::Recheck);
        assert_eq!(read(Boarded, true, &past, 11, rules(0, 10)), O::Fever);
    }

    #[test]
    fn only_a_new_reading_after_the_rest_changes_a_fever_refusal() {
        let r = rules(1, 10);
        let past = [(0, O::Recheck), (10, O::Fever)];
        let refused = Refused(RefuseReason::Fever);
        assert_eq!(read(refused, false, &past, 15, r), O::Early);
        assert_eq!(read(refused, true, &past, 20, r), O::Fever);
        assert_eq!(read(refused, false, &past, 20, r), O::Boarded);
        assert_eq!(undo(refused), Err(UndoRefused::FeverDecision));
        assert_eq!(undo(Recheck), Err(UndoRefused::FeverDecision));
    }

    #[test]
    fn certificate_is_checked_when_the_temperature_allows_boarding() {
        let h = DoorHistory::default();
        let r = rules(1, 10);
        let read = |s, fever| door_reading(s, fever, false, &h, at(0), &r);
        assert_eq!(read(Planned, false), Ok(O::Certificate));
        assert_eq!(read(Planned, true), Ok(O::Recheck));
        assert_eq!(read(Boarded, false), Ok(O::Kept));
        for why in [RefuseReason::Certificate, RefuseReason::Identity] {
            assert_eq!(
                read(Refused(why), false),
                Err(NotAtDoor::AlreadyRefused(why))
            );
        }
    }

    #[test]
    fn refusals_free_the_seat_once_and_undo_puts_the_passenger_back() {
        for from in [Planned, Recheck, Boarded] {
            assert_eq!(refuse(from, RefuseReason::NoShow), Some(NoShow));
            assert_eq!(
                refuse(from, RefuseReason::Identity),
                Some(Refused(RefuseReason::Identity))
            );
        }
        assert_eq!(refuse(NoShow, RefuseReason::Identity), None);
        assert_eq!(
            refuse(Refused(RefuseReason::Certificate), RefuseReason::Fever),
            None
        );
        for from in [
            Boarded,
            NoShow,
            Refused(RefuseReason::Identity),
            Refused(RefuseReason::Certificate),
        ] {
            assert_eq!(undo(from), Ok(Planned), "{from:?}");
        }
        assert_eq!(undo(Planned), Err(UndoRefused::Nothing));
    }

    #[test]
    fn rounds_measure_only_those_aboard_and_a_fever_marks_observation() {
        assert_eq!(round_reading(Boarded, true), Some(O::Observation));
        assert_eq!(round_reading(Boarded, false), Some(O::Kept));
        assert_eq!(round_reading(Planned, true), None);
        assert_eq!(after_reading(Boarded, O::Observation), Boarded);
    }

    #[test]
    fn stored_rows_read_back_as_states() {
        assert_eq!(
            DoorState::of(SeatStatus::Refused, Some("identity")),
            Refused(RefuseReason::Identity)
        );
        assert_eq!(DoorState::of(SeatStatus::Recheck, None), Recheck);
        for s in [
            Planned,
            Recheck,
            Boarded,
            NoShow,
            Refused(RefuseReason::Fever),
        ] {
            let reason = s.reason().map(|r| r.as_str());
            assert_eq!(DoorState::of(s.status(), reason), s);
        }
    }
}
