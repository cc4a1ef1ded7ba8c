//! When a coach is expected at the factory gate (预计到达), when it is overdue (超时未到), and
//! whether the destination province heard of it before it left (未通知). Arithmetic over the
//! policy only, so the board, the roster, the papers and the bulletin all say the same.

use super::{Policy, TripStatus};
use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

/// Minutes at the wheel for `km`: ⌈km × 60 / avg_speed_kmh⌉.
pub fn driving_minutes(km: u32, policy: &Policy) -> i64 {
    let speed = i64::from(policy.avg_speed_kmh.max(1));
    (i64::from(km) * 60 + speed - 1) / speed
}

/// Rests taken on the way: one after each full `rest_every_hours` of driving that is followed
/// by more driving. A rest that would fall at the very moment of arrival is not taken: the bus
/// is at the gate (120 km at 60 km/h arrives after 2:00, not 2:20).
pub fn rests(driving_minutes: i64, policy: &Policy) -> i64 {
    let stretch = i64::from(policy.rest_every_hours.max(1)) * 60;
    if driving_minutes <= 0 {
        0
    } else {
        (driving_minutes - 1) / stretch
    }
}

/// Door to gate: driving plus the rests on the way.
pub fn travel_time(km: u32, policy: &Policy) -> Duration {
    let driving = driving_minutes(km, policy);
    Duration::minutes(driving + rests(driving, policy) * i64::from(policy.rest_minutes))
}

/// The expected arrival of a trip: from the planned departure until the bus leaves, then from
/// the actual departure. None for a cancelled trip, and when the distance is not known (0 km:
/// an employer imported without one) — an honest blank rather than "arrives as it leaves".
pub fn expected_arrival(
    status: TripStatus,
    planned: Option<DateTime<FixedOffset>>,
    departed: Option<DateTime<FixedOffset>>,
    km: u32,
    policy: &Policy,
) -> Option<DateTime<FixedOffset>> {
    if km == 0 {
        return None;
    }
    let from = match status {
        TripStatus::Cancelled => return None,
        TripStatus::Planned | TripStatus::Boarding => planned,
        TripStatus::Departed | TripStatus::Arrived => departed.or(planned),
    }?;
    Some(from + travel_time(km, policy))
}

/// A bus that left, is not handed over yet, and is more than `overdue_margin_hours` past its
/// expected arrival: someone should call the attendant.
pub fn is_overdue(
    status: TripStatus,
    eta: Option<DateTime<FixedOffset>>,
    now: DateTime<FixedOffset>,
    policy: &Policy,
) -> bool {
    status == TripStatus::Departed
        && eta.is_some_and(|e| now > e + Duration::hours(i64::from(policy.overdue_margin_hours)))
}

/// Whether the destination province was told of a trip (the advance notice, 抵达预告).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeMark {
    /// Told before the bus left (or, before it leaves, told already).
    Sent,
    /// Told only after the bus had left.
    Late,
    /// Not told at all.
    Missing,
}

impl NoticeMark {
    /// The first notice recorded for the trip's day and province against its departure. A
    /// trip handed over or cancelled has nothing left to tell: None.
    pub fn of(
        status: TripStatus,
        first_sent: Option<DateTime<FixedOffset>>,
        departed: Option<DateTime<FixedOffset>>,
    ) -> Option<NoticeMark> {
        match status {
            TripStatus::Arrived | TripStatus::Cancelled => None,
            TripStatus::Planned | TripStatus::Boarding => Some(match first_sent {
                Some(_) => NoticeMark::Sent,
                None => NoticeMark::Missing,
            }),
            TripStatus::Departed => Some(match (first_sent, departed) {
                (None, _) => NoticeMark::Missing,
                (Some(s), Some(d)) if s > d => NoticeMark::Late,
                _ => NoticeMark::Sent,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn eta(status: TripStatus, km: u32) -> Option<String> {
        expected_arrival(
            status,
            Some(at("2020-02-21T07:00:00+08:00")),
            Some(at("2020-02-21T07:20:30+08:00")),
            km,
            &Policy::default(),
        )
        .map(|t| t.to_rfc3339())
    }

    #[test]
    fn a_rest_at_the_gate_is_not_taken() {
        let p = Policy::default();
        // 119 km: 1:59 at the wheel, no rest. 120 km: 2:00 exactly, arrives before resting.
        assert_eq!(travel_time(119, &p), Duration::minutes(119));
        assert_eq!(travel_time(120, &p), Duration::minutes(120));
        // One minute more: the rest after two hours is taken on the way.
        assert_eq!(travel_time(121, &p), Duration::minutes(121 + 20));
        assert_eq!(travel_time(240, &p), Duration::minutes(240 + 20));
        assert_eq!(travel_time(241, &p), Duration::minutes(241 + 40));
        // Ningbo from Xunyang: 1,100 km, 18:20 at the wheel, nine rests.
        assert_eq!(travel_time(1100, &p), Duration::minutes(1100 + 9 * 20));
        // A part of a minute is a minute: 1 km at 60 km/h is one minute, at 80 km/h too.
        assert_eq!(travel_time(1, &p), Duration::minutes(1));
        let fast = Policy {
            avg_speed_kmh: 80,
            ..p.clone()
        };
        assert_eq!(driving_minutes(1, &fast), 1);
        assert_eq!(driving_minutes(80, &fast), 60);
        assert_eq!(driving_minutes(81, &fast), 61);
        let no_rest = Policy {
            rest_minutes: 0,
            ..p
        };
        assert_eq!(travel_time(1100, &no_rest), Duration::minutes(1100));
    }

    #[test]
    fn planned_until_it_leaves_then_actual() {
        assert_eq!(
            eta(TripStatus::Planned, 121).as_deref(),
            Some("2020-02-21T09:21:00+08:00")
        );
        assert_eq!(
            eta(TripStatus::Boarding, 121),
            eta(TripStatus::Planned, 121)
        );
        assert_eq!(
            eta(TripStatus::Departed, 121).as_deref(),
            Some("2020-02-21T09:41:30+08:00")
        );
        assert_eq!(
            eta(TripStatus::Arrived, 121),
            eta(TripStatus::Departed, 121)
        );
        assert_eq!(eta(TripStatus::Cancelled, 121), None);
        assert_eq!(eta(TripStatus::Planned, 0), None, "distance unknown");
        // Overnight: the offset is kept, the day turns.
        assert_eq!(
            eta(TripStatus::Departed, 1100).as_deref(),
            Some("2020-02-22T04:40:30+08:00")
        );
    }

    #[test]
    fn overdue_only_after_the_margin_and_only_on_the_road() {
        let p = Policy::default();
        let e = Some(at("2020-02-21T12:00:00+08:00"));
        let on_road = |now: &str| is_overdue(TripStatus::Departed, e, at(now), &p);
        assert!(!on_road("2020-02-21T13:59:59+08:00"));
        assert!(
            !on_road("2020-02-21T14:00:00+08:00"),
            "exactly at the margin"
        );
        assert!(on_road("2020-02-21T14:00:01+08:00"));
        // The same instant written in another offset is the same instant.
        assert!(on_road("2020-02-21T06:00:01+00:00"));
        let late = at("2020-02-22T00:00:00+08:00");
        assert!(!is_overdue(TripStatus::Arrived, e, late, &p));
        assert!(!is_overdue(TripStatus::Boarding, e, late, &p));
        assert!(!is_overdue(TripStatus::Departed, None, late, &p));
    }

    #[test]
    fn the_notice_mark_follows_the_departure() {
        use NoticeMark::*;
        let sent = Some(at("2020-02-21T06:30:00+08:00"));
        let left = Some(at("2020-02-21T07:00:00+08:00"));
        let after = Some(at("2020-02-21T08:00:00+08:00"));
        assert_eq!(
            NoticeMark::of(TripStatus::Planned, None, None),
            Some(Missing)
        );
        assert_eq!(NoticeMark::of(TripStatus::Boarding, sent, None), Some(Sent));
        assert_eq!(NoticeMark::of(TripStatus::Departed, sent, left), Some(Sent));
        assert_eq!(NoticeMark::of(TripStatus::Departed, left, left), Some(Sent));
        assert_eq!(
            NoticeMark::of(TripStatus::Departed, after, left),
            Some(Late)
        );
        assert_eq!(
            NoticeMark::of(TripStatus::Departed, None, left),
            Some(Missing)
        );
        assert_eq!(NoticeMark::of(TripStatus::Arrived, None, left), None);
        assert_eq!(NoticeMark::of(TripStatus::Cancelled, None, None), None);
    }

    proptest! {
        /// Further is never sooner, and every rest is a whole stretch of driving.
        #[test]
        fn travel_grows_with_distance(km in 0u32..5000, speed in 20u32..=100, every in 1u32..=12, rest in 0u32..=120) {
            let p = Policy { avg_speed_kmh: speed, rest_every_hours: every, rest_minutes: rest, ..Policy::default() };
            prop_assert!(travel_time(km, &p) <= travel_time(km + 1, &p));
            let d = driving_minutes(km, &p);
            prop_assert!(rests(d, &p) * i64::from(every) * 60 < d.max(1));
        }
    }
}
