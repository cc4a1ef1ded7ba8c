//! The one clock: every timestamp written and every "today" come from here. It owns the stored
//! text form of a moment (RFC 3339 with the UTC offset) and the forms screens and papers show.
//!
//! `ZHITONG_NOW=2020-02-21T06:30` (local time, or with an offset) sets the clock for rehearsals
//! and tests; it then runs on in real time. `ZHITONG_TODAY=2020-02-21` is that day at the current
//! time of day. Both are checked once at start-up (`init`): a value that does not parse stops
//! the program before anything is done, instead of quietly falling back to the real date.

use crate::i18n::Lang;
use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, TimeZone};
use std::cell::Cell;
use std::sync::OnceLock;
use std::time::Instant;

pub const NOW_VAR: &str = "ZHITONG_NOW";
pub const TODAY_VAR: &str = "ZHITONG_TODAY";

/// A clock variable that does not parse: the program stops with exit 2, nothing done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockError {
    pub var: &'static str,
    pub value: String,
}

impl ClockError {
    pub fn message(&self, lang: Lang) -> String {
        let v = &self.value;
        match (self.var, lang) {
            (NOW_VAR, Lang::Zh) => format!(
                "环境变量 {NOW_VAR}='{v}' 无法识别：应为 2020-02-21T06:30（本地时间）或 2020-02-21T06:30+08:00，未做任何操作"
            ),
            (NOW_VAR, Lang::En) => format!(
                "environment variable {NOW_VAR}='{v}' is not a time like 2020-02-21T06:30 (local) or 2020-02-21T06:30+08:00: nothing was done"
            ),
            (_, Lang::Zh) => format!(
                "环境变量 {}='{v}' 无法识别：应为日期，如 2020-02-21，未做任何操作",
                self.var
            ),
            (_, Lang::En) => format!(
                "environment variable {}='{v}' is not a date like 2020-02-21: nothing was done",
                self.var
            ),
        }
    }
}

/// A set moment and when it was set: the clock runs on from there (or stands still).
#[derive(Debug, Clone, Copy)]
struct Anchor {
    at: DateTime<FixedOffset>,
    set: Instant,
    runs: bool,
}

impl Anchor {
    fn new(at: DateTime<FixedOffset>) -> Anchor {
        Anchor {
            at,
            set: Instant::now(),
            runs: true,
        }
    }

    fn now(&self) -> DateTime<FixedOffset> {
        if !self.runs {
            return self.at;
        }
        let run = chrono::Duration::from_std(self.set.elapsed()).unwrap_or_default();
        self.at + run
    }
}

/// `None` inside: the wall clock.
static PROCESS: OnceLock<Option<Anchor>> = OnceLock::new();

thread_local! {
    /// A clock set for one thread only (tests that rehearse several days in one process).
    static THREAD: Cell<Option<Anchor>> = const { Cell::new(None) };
}

/// Reads and checks both clock variables; call once at start-up, before any command runs.
/// `ZHITONG_NOW` wins when both are set (both must parse).
pub fn init() -> Result<(), ClockError> {
    let anchor = from_env()?;
    // A second call (tests, the library used twice) keeps the first setting.
    let _ = PROCESS.set(anchor);
    Ok(())
}

fn from_env() -> Result<Option<Anchor>, ClockError> {
    let var = |name: &'static str| match std::env::var(name) {
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(v)) => Err(ClockError {
            var: name,
            value: v.to_string_lossy().into_owned(),
        }),
    };
    let now = var(NOW_VAR)?
        .map(|v| {
            parse_now(&v).ok_or(ClockError {
                var: NOW_VAR,
                value: v,
            })
        })
        .transpose()?;
    let today = var(TODAY_VAR)?
        .map(|v| {
            parse_today(&v).ok_or(ClockError {
                var: TODAY_VAR,
                value: v,
            })
        })
        .transpose()?;
    Ok(now.or(today).map(Anchor::new))
}

/// `2020-02-21T06:30`, `2020-02-21T06:30:15` (local time) or either with an offset
/// (`+08:00`, `Z`); a space may stand for the `T`.
pub fn parse_now(text: &str) -> Option<DateTime<FixedOffset>> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    let s = s.replacen(' ', "T", 1);
    if let Ok(t) = DateTime::parse_from_rfc3339(&s) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M%:z") {
        return Some(t);
    }
    if let Ok(n) = NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%MZ") {
        return Some(n.and_utc().fixed_offset());
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
        .and_then(from_local)
}

/// A day for `ZHITONG_TODAY`, at the current local time of day.
pub fn parse_today(text: &str) -> Option<DateTime<FixedOffset>> {
    let s = text.trim();
    // Only the plain form: a variable is typed by whoever scripts the rehearsal.
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    if s.len() != 10 {
        return None;
    }
    from_local(day.and_time(Local::now().time()))
}

/// A wall-clock time of this machine's zone, with its offset (the earlier of two at a change).
pub fn from_local(n: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    Local
        .from_local_datetime(&n)
        .earliest()
        .map(|t| t.fixed_offset())
}

/// Sets the clock of the calling thread only (from `at`, running on); `None` gives it back to
/// the process clock. For tests and benches that live through several days in one process.
pub fn set_thread(at: Option<DateTime<FixedOffset>>) {
    THREAD.with(|c| c.set(at.map(Anchor::new)));
}

/// Runs `f` with the calling thread's clock standing still at `at`, then gives the thread its
/// clock back (also if `f` panics). A merge replays each act of a pack this way, so that what
/// the act writes carries the time it was done on the road.
pub fn standing_at<T>(at: DateTime<FixedOffset>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Anchor>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREAD.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(THREAD.with(Cell::get));
    THREAD.with(|c| {
        c.set(Some(Anchor {
            at,
            set: Instant::now(),
            runs: false,
        }))
    });
    f()
}

/// Now, with the offset it is written in.
pub fn now() -> DateTime<FixedOffset> {
    if let Some(a) = THREAD.with(Cell::get) {
        return a.now();
    }
    // Without `init` (library tests), the variables are read here; one that does not parse
    // is the start-up check's business, so the wall clock is used.
    match PROCESS.get_or_init(|| from_env().unwrap_or(None)) {
        Some(a) => a.now(),
        None => Local::now().fixed_offset(),
    }
}

/// The working day.
pub fn today() -> NaiveDate {
    now().date_naive()
}

/// The stored form: `2020-02-21T06:42:10+08:00`.
pub fn stamp(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Now, in the stored form.
pub fn now_text() -> String {
    stamp(now())
}

/// A stored moment. Rows written before times carried an offset (`2020-02-21T07:03:12`, or
/// to the minute) are read as this machine's local time.
pub fn parse_stored(text: &str) -> Option<DateTime<FixedOffset>> {
    let s = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t);
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .and_then(from_local)
}

/// A stored moment in the stored form (an old row gains its offset); text that is not a time
/// is kept as it is.
pub fn normalize(text: &str) -> String {
    parse_stored(text).map_or_else(|| text.to_string(), stamp)
}

/// The day a stored moment fell on, where it was written.
pub fn day_of(text: &str) -> Option<NaiveDate> {
    parse_stored(text).map(|t| t.date_naive())
}

/// On screen: `06:42` on the day shown, `02-21 06:42` on any other day.
pub fn screen(t: DateTime<FixedOffset>, day: NaiveDate) -> String {
    if t.date_naive() == day {
        t.format("%H:%M").to_string()
    } else {
        t.format("%m-%d %H:%M").to_string()
    }
}

/// `screen` for a stored text (shown as it is when it is not a time).
pub fn screen_text(text: &str, day: NaiveDate) -> String {
    parse_stored(text).map_or_else(|| text.to_string(), |t| screen(t, day))
}

/// On papers: `2020-02-21 06:42`.
pub fn paper(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// `paper` for a stored text (shown as it is when it is not a time).
pub fn paper_text(text: &str) -> String {
    parse_stored(text).map_or_else(|| text.to_string(), paper)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn a_standing_clock_gives_the_thread_its_own_clock_back() {
        set_thread(Some(at("2020-02-22T20:00:00+08:00")));
        let inside = standing_at(at("2020-02-21T06:40:05+08:00"), || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            now_text()
        });
        assert_eq!(inside, "2020-02-21T06:40:05+08:00", "it stands still");
        assert_eq!(today().to_string(), "2020-02-22");
        let caught = std::panic::catch_unwind(|| {
            standing_at(at("2020-02-21T06:40:05+08:00"), || panic!("replay failed"))
        });
        assert!(caught.is_err());
        assert_eq!(today().to_string(), "2020-02-22", "also after a panic");
        set_thread(None);
    }

    #[test]
    fn now_takes_local_times_and_offsets_and_nothing_else() {
        assert_eq!(
            parse_now("2020-02-21T06:30+08:00"),
            Some(at("2020-02-21T06:30:00+08:00"))
        );
        assert_eq!(
            parse_now("2020-02-21T06:30:15+08:00"),
            Some(at("2020-02-21T06:30:15+08:00"))
        );
        assert_eq!(
            parse_now("2020-02-21T22:30Z"),
            Some(at("2020-02-21T22:30:00+00:00"))
        );
        let local = parse_now("2020-02-21T06:30").unwrap();
        assert_eq!(local.naive_local().to_string(), "2020-02-21 06:30:00");
        assert_eq!(
            parse_now(" 2020-02-21 06:30:15 ").unwrap().naive_local(),
            local.naive_local() + chrono::Duration::seconds(15)
        );
        for bad in [
            "",
            "  ",
            "2020-02-30T06:30",
            "2020-02-21",
            "2020-02-21T25:00",
            "06:30",
            "2020-02-21T06:30+8",
            "tomorrow",
            "2020-02-21T06:30:00+08:00 extra",
        ] {
            assert_eq!(parse_now(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn today_takes_one_real_day() {
        let d = parse_today("2020-02-21").unwrap();
        assert_eq!(d.date_naive().to_string(), "2020-02-21");
        for bad in [
            "",
            "2020-02-30",
            "2020-2-21",
            "2020/02/21",
            "21.02.2020",
            "2020-02-21T06:30",
        ] {
            assert_eq!(parse_today(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_thread_clock_runs_on_from_where_it_was_set() {
        set_thread(Some(at("2020-02-21T23:59:59+08:00")));
        let t = now();
        assert!(t >= at("2020-02-21T23:59:59+08:00"));
        assert!(t < at("2020-02-22T00:00:59+08:00"));
        assert_eq!(now_text().get(19..), Some("+08:00"));
        set_thread(Some(at("2020-02-22T00:00:01+08:00")));
        assert_eq!(today().to_string(), "2020-02-22");
        set_thread(None);
    }

    #[test]
    fn stored_forms_old_rows_and_what_screens_and_papers_show() {
        let t = at("2020-02-21T06:42:10+08:00");
        assert_eq!(stamp(t), "2020-02-21T06:42:10+08:00");
        assert_eq!(parse_stored("2020-02-21T06:42:10+08:00"), Some(t));
        let day = NaiveDate::from_ymd_opt(2020, 2, 21).unwrap();
        assert_eq!(screen(t, day), "06:42");
        assert_eq!(screen(t, day.succ_opt().unwrap()), "02-21 06:42");
        assert_eq!(paper(t), "2020-02-21 06:42");
        // A row written without an offset is local time, and gains the local offset.
        let old = parse_stored("2020-02-21T07:03:12").unwrap();
        assert_eq!(old.naive_local().to_string(), "2020-02-21 07:03:12");
        assert_eq!(
            normalize("2020-02-21T07:03"),
            stamp(old - chrono::Duration::seconds(12))
        );
        assert_eq!(paper_text("2020-02-21T07:03:12"), "2020-02-21 07:03");
        assert_eq!(day_of("2020-02-22T00:10:00+08:00"), day.succ_opt());
        assert_eq!(screen_text("early morning", day), "early morning");
        assert_eq!(normalize("early morning"), "early morning");
    }

    #[test]
    fn errors_name_the_variable_in_both_languages() {
        let e = ClockError {
            var: TODAY_VAR,
            value: "2020-02-30".into(),
        };
        assert!(e.message(Lang::En).contains("ZHITONG_TODAY='2020-02-30'"));
        assert!(e.message(Lang::Zh).contains("ZHITONG_TODAY='2020-02-30'"));
        let e = ClockError {
            var: NOW_VAR,
            value: String::new(),
        };
        assert!(e.message(Lang::Zh).starts_with("环境变量 ZHITONG_NOW=''"));
    }
}
