//! The program's messages: each one a typed value carrying what it names (a path, a plate, a
//! count), with its Chinese and its English wording side by side, rendered in the user's
//! language with `Msg::text`.
//!
//! A new message: add a variant to the table below — its fields, then `zh(…)` and `en(…)`
//! format strings that name the fields (`{plate}`, `{n}`, `{path}`) — and build it where the
//! message arises: `Msg::NoOpenTrip { plate, .. }.text(lang)`. Values quoted from the input go in as
//! they were typed; the Chinese wording has no English words besides them, file names, plates
//! and units (tests/chinese_output.rs drives the command line in Chinese to check).

/// Declares a catalogue: an enum whose variants carry their values, each with its wording as
/// the arguments of a `format!` in each language (`zh("第 {line} 行")`); the arguments may
/// compute from the fields (`zh("{s}", s = status.label(Lang::Zh))`). Used for `Msg` here and
/// for the typed reasons of other layers (`io::Reason`).
macro_rules! catalogue {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $(
        $(#[$doc:meta])*
        $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })?
            => zh($($zh:tt)+), en($($en:tt)+);
    )+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        $vis enum $name { $( $(#[$doc])* $variant $({ $($field: $ty),* })?, )+ }

        impl $name {
            /// The text in `lang`.
            pub fn text(&self, lang: $crate::i18n::Lang) -> String {
                match self {
                    $(
                        #[allow(unused_variables)]
                        $name::$variant $({ $($field),* })? => match lang {
                            $crate::i18n::Lang::Zh => format!($($zh)+),
                            $crate::i18n::Lang::En => format!($($en)+),
                        },
                    )+
                }
            }

            /// Every variant's name, for tests that walk the catalogue.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),+];
        }
    };
}
pub(crate) use catalogue;

catalogue! {
    /// One message of the program, with the values it names.
    pub enum Msg {
    // Opening the database.
    /// A command other than init/demo/import on a path with no database.
    NoDatabase { path: String }
        => zh("{path} 处没有数据库：请先运行 `zhitong init`"),
           en("no database at {path}: run `zhitong init`");
    DatabaseCreated { path: String }
        => zh("已创建 {path}"),
           en("created {path}");
    /// The database file was readable by others and has been narrowed to its owner.
    DatabaseNarrowed { path: String, from: u32 }
        => zh("注意：{path} 原先其他用户也可读取（权限 {from:03o}），已改为仅本人可读写（600）"),
           en("warning: {path} was readable by others (mode {from:03o}); narrowed to owner-only (600)");
    DatabaseStillWide { path: String, mode: u32 }
        => zh("警告：{path} 其他用户可读取（权限 {mode:03o}），且无法更改：请让文件所有者执行 chmod 600"),
           en("warning: {path} is readable by others (mode {mode:03o}) and cannot be narrowed: ask its owner to chmod 600");

    // Which trip, which bus.
    /// Several plates of the fleet end with what was typed for `--bus`.
    AmbiguousPlate { suffix: String, n: usize, plates: String }
        => zh("有 {n} 辆车的车牌以 {suffix} 结尾：{plates}；请输入完整车牌"),
           en("{n} plates end with {suffix}: {plates}; type the whole plate");
    NotAPlate { typed: String }
        => zh("'{typed}' 不是车牌（车牌形如 陕G12345）"),
           en("'{typed}' is not a plate like 陕G12345");
    NoSuchBus { plate: String }
        => zh("车队中没有车辆 {plate}（请核对车牌）"),
           en("no bus {plate} in the fleet (check the plate)");
    NoSuchTrip { code: String }
        => zh("没有车次 {code}（请核对车次编号）"),
           en("no trip {code} (check the trip code)");
    /// A bus with several open trips (a ledger written before one open trip per bus).
    SeveralOpenTrips { plate: String, n: usize, trips: String }
        => zh("{plate} 有 {n} 个未结束的车次：{trips}；请用 --trip 车次编号 指明"),
           en("{plate} has {n} open trips: {trips}; name one with --trip CODE");
    NoOpenTrip { plate: String, last: String, status: &'static str }
        => zh("{plate} 没有未结束的车次（上一车次 {last}：{status}）；查看该车次请用 --trip {last}"),
           en("{plate} has no open trip (its last trip {last}: {status}); to see that one use --trip {last}");
    /// A coach taken off its trip by a swap (a breakdown): where the trip went.
    SwappedOff { plate: String, trip: String, now: String }
        => zh("{plate} 已换下：车次 {trip} 现由 {now} 执行；请用 --bus {now} 或 --trip {trip}"),
           en("{plate} was swapped out: trip {trip} now runs on {now}; use --bus {now} or --trip {trip}");
    NeverPlanned { plate: String }
        => zh("{plate} 没有车次：尚未编排"),
           en("{plate} has no trip: it has not been planned");

    // Readings.
    /// A temperature that could not be read; `why` is the parse error in the same language.
    TemperatureRejected { why: String }
        => zh("体温 {why}：输入有误，未记录任何内容"),
           en("temperature {why}: nothing recorded");
}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_message_names_its_values_in_both_languages() {
        let m = Msg::AmbiguousPlate {
            suffix: "21003".into(),
            n: 2,
            plates: "陕A21003, 陕G21003".into(),
        };
        assert_eq!(
            m.text(Lang::Zh),
            "有 2 辆车的车牌以 21003 结尾：陕A21003, 陕G21003；请输入完整车牌"
        );
        assert_eq!(
            m.text(Lang::En),
            "2 plates end with 21003: 陕A21003, 陕G21003; type the whole plate"
        );
        let narrowed = Msg::DatabaseNarrowed {
            path: "z.db".into(),
            from: 0o644,
        };
        assert!(narrowed.text(Lang::Zh).contains("权限 644"));
        assert!(Msg::NAMES.contains(&"NoDatabase"));
    }
}
