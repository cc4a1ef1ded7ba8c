//! Lifecycles of a worker, a bus trip and a seat, as stored (lower-case words) and shown.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! text_enum {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
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
        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                v.as_str()?.parse().map_err(|e: String| rusqlite::types::FromSqlError::Other(e.into()))
            }
        }
    };
}

text_enum!(WorkerStatus {
    Registered = "registered",
    Planned = "planned",
    Boarded = "boarded",
    Departed = "departed",
    Arrived = "arrived",
    Withdrawn = "withdrawn",
    Refused = "refused",
    Standby = "standby",
    OtherMeans = "other-means",
});

text_enum!(TripStatus {
    Planned = "planned",
    Boarding = "boarding",
    Departed = "departed",
    Arrived = "arrived",
    Cancelled = "cancelled",
});

// State of one passenger's place on one trip. `recheck` (复测): a first fever reading at the
// door; the seat is held until a new reading after the rest decides.
text_enum!(SeatStatus {
    Planned = "planned",
    Recheck = "recheck",
    Boarded = "boarded",
    Refused = "refused",
    NoShow = "no-show",
});

// Where a temperature was taken: at the bus door, or on a round en route.
text_enum!(ReadingPlace {
    Door = "door",
    Round = "round",
});

// What one reading decided, kept with it (model/door.rs says when each applies).
text_enum!(ReadingOutcome {
    Boarded = "boarded",
    Kept = "kept",
    Recheck = "recheck",
    Fever = "fever",
    Certificate = "certificate",
    Early = "early",
    Observation = "observation",
});

text_enum!(RefuseReason {
    Fever = "fever",
    Certificate = "certificate",
    Identity = "identity",
    NoShow = "no-show",
});

impl TripStatus {
    /// The one word shown for a trip's state, on the board, in statistics and on manifests.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.as_str(),
            Lang::Zh => match self {
                TripStatus::Planned => "待发",
                TripStatus::Boarding => "登车中",
                TripStatus::Departed => "已发车",
                TripStatus::Arrived => "已到达",
                TripStatus::Cancelled => "已取消",
            },
        }
    }
}

impl SeatStatus {
    /// A seat in one of these states is occupied; refused and no-show seats are free again.
    pub fn holds_seat(self) -> bool {
        matches!(
            self,
            SeatStatus::Planned | SeatStatus::Recheck | SeatStatus::Boarded
        )
    }

    /// The word shown to people: `待登车`, `复测` … or the stored English word.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.as_str(),
            Lang::Zh => match self {
                SeatStatus::Planned => "待登车",
                SeatStatus::Recheck => "复测",
                SeatStatus::Boarded => "已登车",
                SeatStatus::Refused => "拒载",
                SeatStatus::NoShow => "未到",
            },
        }
    }
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
}
