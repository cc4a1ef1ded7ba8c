//! The refusal codes and failure kinds that scripts read in `--json` (`{"error":…,"code":…}`):
//! one enum, so the command line, the console and the README's list cannot drift apart.
//! Each spelling is a contract (DESIGN §5): older codes are hyphenated (`wrong-bus`), newer ones
//! use underscores (`fever_recheck`); none is ever renamed.
//!
//! A new code: add a line to the table below with its spelling and its title in both languages,
//! then add the spelling to the README's list (a test checks that every code is there).

use super::Lang;
use serde::{Serialize, Serializer};
use std::fmt;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, $zh:literal, $en:literal; )+) => {
        /// Why an action was refused (exit 4), or what kind of failure stopped it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $(#[$doc])* $variant, )+ }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The spelling scripts see, exactly as it has always been.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text),+ }
            }

            /// What the code means, in a few words of the user's language.
            pub fn title(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Code::$variant, Lang::Zh) => $zh, (Code::$variant, Lang::En) => $en,)+
                }
            }

            /// The code of a spelling, `None` for a word this version does not know.
            pub fn parse(s: &str) -> Option<Code> {
                match s { $($text => Some(Code::$variant),)+ _ => None }
            }
        }
    };
}

codes! {
    // At the door.
    Fever = "fever", "发烧拒载", "fever";
    FeverRecheck = "fever_recheck", "发烧待复测", "fever, re-check";
    RecheckWait = "recheck_wait", "复测等待中", "re-check not yet due";
    Certificate = "certificate", "健康证明无效", "certificate not valid";
    WrongBus = "wrong-bus", "不是这辆车", "wrong bus";
    NotOnRoster = "not-on-roster", "不在乘车名单上", "not on the roster";
    AlreadyRefused = "already-refused", "已被拒载", "already refused";
    SeatTaken = "seat-taken", "座位已被占用", "seat taken";
    SeatNotAllowed = "seat-not-allowed", "座位不可用", "seat not allowed";
    Full = "full", "车辆已满", "bus full";
    AlreadyPlaced = "already-placed", "已有座位", "already placed";
    NotEligible = "not-eligible", "不符合乘车条件", "not eligible";
    InvalidState = "invalid-state", "状态不允许", "state does not allow it";
    Placed = "placed", "已排座或已出行", "placed or travelled";
    UndoFever = "undo_fever", "发烧结论不能撤销", "a fever decision stays";
    UndoDeparted = "undo_departed", "车辆已发车，不能撤销", "the bus has left";
    UndoNothing = "undo_nothing", "没有可撤销的登车记录", "nothing to undo";
    // Departure, the road and arrival.
    Closed = "closed", "车次已发车、到达或取消", "trip closed";
    Unaccounted = "unaccounted", "尚有乘客未核验", "passengers unaccounted";
    Empty = "empty", "无人登车", "nobody boarded";
    NotDeparted = "not-departed", "车辆尚未发车", "not departed";
    NotAboard = "not-aboard", "此人不在车上", "not aboard";
    ObservationFull = "observation-full", "留观区已满", "observation rows full";
    FeverEnRoute = "fever_en_route", "途中发烧", "fever en route";
    // Which trip.
    AmbiguousTrip = "ambiguous_trip", "该车有多个未结束车次", "several open trips";
    AmbiguousPlate = "ambiguous_plate", "多辆车车牌相符", "several plates match";
    // Planning.
    PlanChanged = "plan_changed", "编排方案已变化", "plan changed";
    // Reshaping a day.
    DifferentCity = "different_city", "目的城市不同", "different city";
    BusFull = "bus_full", "车辆已满", "bus full";
    SeatBlocked = "seat_blocked", "座位不可用", "seat blocked";
    TooManyEmployers = "too_many_employers", "企业过多", "too many employers";
    Departed = "departed", "车辆已发车", "departed";
    NotPlaced = "not_placed", "此人没有座位", "not placed";
    SameBus = "same_bus", "同一辆车", "same bus";
    BusBusy = "bus_busy", "车辆另有车次", "bus busy";
    NotAvailable = "not_available", "车辆当天不可用", "not available";
    Shortfall = "shortfall", "座位不够", "seats short";
    // A pack on the road.
    PackOnlyThisTrip = "pack_only_this_trip", "离线包只含本车次", "a pack holds one trip";
    AlreadyMerged = "already_merged", "已合并过", "already merged";
    // Failures that are not refusals.
    Usage = "usage", "用法有误", "usage";
    Busy = "busy", "数据库忙", "database busy";
    Error = "error", "出错", "error";
}

impl Code {
    /// A code only the merge of a pack sees (an event replayed twice); never printed.
    pub fn is_internal(self) -> bool {
        matches!(self, Code::AlreadyMerged)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_reads_back_and_is_unique() {
        for c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(*c));
            assert!(!c.title(Lang::Zh).chars().any(|ch| ch.is_ascii_alphabetic()));
        }
        let mut seen: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), Code::ALL.len());
        assert_eq!(Code::parse("a-code-of-later-days"), None);
    }
}
