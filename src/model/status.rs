//! Lifecycles of a worker, a bus trip and a seat, as stored (lower-case words) and shown.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! text_enum {
    ($name:ident { $($variant:ident = $text:literal / $zh:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stored word, also the one scripts read in JSON.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            /// The one word people read for this state: Chinese, or the stored English word.
            pub fn label(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => self.as_str(),
                    Lang::Zh => match self { $($name::$variant => $zh),+ },
                }
            }
        }
        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(format!("unknown {}: '{s}'", stringify!($name))) }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

text_enum!(WorkerStatus {
    Registered = "registered" / "已登记",
    Planned = "planned" / "已编排",
    Boarded = "boarded" / "已登车",
    Departed = "departed" / "已发车",
    Arrived = "arrived" / "已到达",
    Withdrawn = "withdrawn" / "已退出",
    Refused = "refused" / "拒载",
    Standby = "standby" / "候补",
    OtherMeans = "other-means" / "自行返岗",
});

// The one word shown for a trip's state, on the board, in statistics and on manifests.
text_enum!(TripStatus {
    Planned = "planned" / "待发",
    Boarding = "boarding" / "登车中",
    Departed = "departed" / "已发车",
    Arrived = "arrived" / "已到达",
    Cancelled = "cancelled" / "已取消",
});

// State of one passenger's place on one trip. `recheck` (复测): a first fever reading at the
// door; the seat is held until a new reading after the rest decides.
text_enum!(SeatStatus {
    Planned = "planned" / "待登车",
    Recheck = "recheck" / "复测",
    Boarded = "boarded" / "已登车",
    Refused = "refused" / "拒载",
    NoShow = "no-show" / "未到",
});

// Where a temperature was taken: at the bus door, or on a round en route.
text_enum!(ReadingPlace {
    Door = "door" / "车门",
    Round = "round" / "途中",
});

// What one reading decided, kept with it (model/door.rs says when each applies).
text_enum!(ReadingOutcome {
    Boarded = "boarded" / "已登车",
    Kept = "kept" / "已记录",
    Recheck = "recheck" / "复测",
    Fever = "fever" / "发热",
    Certificate = "certificate" / "健康证明无效",
    Early = "early" / "复测过早",
    Observation = "observation" / "留观",
});

text_enum!(RefuseReason {
    Fever = "fever" / "发热",
    Certificate = "certificate" / "健康证明无效",
    Identity = "identity" / "身份不符",
    NoShow = "no-show" / "未到",
});

impl SeatStatus {
    /// A seat in one of these states is occupied; refused and no-show seats are free again.
    /// The store's queries are built from this list (`store::rules`).
    pub const HOLDING: &'static [SeatStatus] = &[
        SeatStatus::Planned,
        SeatStatus::Recheck,
        SeatStatus::Boarded,
    ];
    /// Holding a seat, not yet decided at the door: the bus may not leave with any of these.
    pub const UNDECIDED: &'static [SeatStatus] = &[SeatStatus::Planned, SeatStatus::Recheck];

    pub fn holds_seat(self) -> bool {
        SeatStatus::HOLDING.contains(&self)
    }
}

impl TripStatus {
    /// A trip not yet over: its bus is busy and `--bus PLATE` names it.
    pub const OPEN: &'static [TripStatus] = &[
        TripStatus::Planned,
        TripStatus::Boarding,
        TripStatus::Departed,
    ];
    /// Before departure: passengers may still be moved onto it, its roster changed.
    pub const BEFORE_DEPARTURE: &'static [TripStatus] =
        &[TripStatus::Planned, TripStatus::Boarding];

    pub fn is_open(self) -> bool {
        TripStatus::OPEN.contains(&self)
    }

    /// The trip's lifecycle: planned → boarding → departed → arrived, and cancelled from
    /// before departure. The ops' guards ask this before they act; each refusal still says
    /// why in the trip's own words.
    pub fn may_become(self, to: TripStatus) -> bool {
        use TripStatus::*;
        matches!(
            (self, to),
            (Planned, Boarding)
                | (Planned | Boarding, Departed)
                | (Departed, Arrived)
                | (Planned | Boarding, Cancelled)
        )
    }
}

impl WorkerStatus {
    /// A worker placed on a bus plan, travelling or arrived: name, employer and county stay.
    pub const ON_A_PLAN: &'static [WorkerStatus] = &[
        WorkerStatus::Planned,
        WorkerStatus::Boarded,
        WorkerStatus::Departed,
        WorkerStatus::Arrived,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn round_trip_text() {
        for s in WorkerStatus::ALL {
            assert_eq!(s.as_str().parse::<WorkerStatus>().unwrap(), *s);
        }
        assert_eq!(
            "no-show".parse::<RefuseReason>().unwrap(),
            RefuseReason::NoShow
        );
        assert!("nope".parse::<TripStatus>().is_err());
    }

    #[test]
    fn a_trip_goes_one_way() {
        use TripStatus::*;
        assert!(Planned.may_become(Departed) && Boarding.may_become(Departed));
        assert!(Departed.may_become(Arrived) && !Boarding.may_become(Arrived));
        assert!(Boarding.may_become(Cancelled) && !Departed.may_become(Cancelled));
        for s in TripStatus::ALL {
            assert!(!Arrived.may_become(*s) && !Cancelled.may_become(*s));
            assert!(!s.may_become(Planned), "nothing goes back to planned");
        }
    }

    #[test]
    fn every_state_has_a_chinese_word() {
        let words = WorkerStatus::ALL
            .iter()
            .map(|s| s.label(Lang::Zh))
            .chain(TripStatus::ALL.iter().map(|s| s.label(Lang::Zh)))
            .chain(SeatStatus::ALL.iter().map(|s| s.label(Lang::Zh)))
            .chain(ReadingOutcome::ALL.iter().map(|s| s.label(Lang::Zh)))
            .chain(RefuseReason::ALL.iter().map(|s| s.label(Lang::Zh)));
        for w in words {
            assert!(!w.chars().any(|c| c.is_ascii_alphabetic()), "{w}");
        }
        assert_eq!(SeatStatus::NoShow.label(Lang::En), "no-show");
    }
}
