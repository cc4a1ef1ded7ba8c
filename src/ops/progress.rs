//! How far a long job is, told to whoever shows it: the command line draws a progress bar on a
//! terminal, the console puts it in its status bar. The jobs only call `report`; nothing here
//! knows about terminals, and nothing in `store/` or `plan/` calls it.

use std::sync::{Arc, RwLock};

/// What is being done, for the words shown beside the bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and checking a file's rows.
    Reading,
    /// Writing rows to the ledger.
    Writing,
    /// Making a plan again before writing it (a whole county or city: seconds).
    Proposing,
    /// Writing a plan's batches.
    Planning,
    /// Generating demo data.
    Generating,
    /// Blanking personal data.
    Purging,
}

impl Stage {
    pub fn text(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Stage::Reading => lang.pick("读取检查", "reading"),
            Stage::Writing => lang.pick("写入台账", "writing"),
            Stage::Proposing => lang.pick("核对方案", "checking the plan"),
            Stage::Planning => lang.pick("写入批次", "writing batches"),
            Stage::Generating => lang.pick("生成", "generating"),
            Stage::Purging => lang.pick("清除", "purging"),
        }
    }

    /// The unit counted.
    pub fn unit(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Stage::Planning => lang.pick("个批次", "batches"),
            Stage::Proposing => lang.pick("个县", "counties"),
            _ => lang.pick("行", "rows"),
        }
    }
}

/// One report: `done` of `total` (unknown while a file is still being read); `finished` once
/// the stage is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// File name or day the job works on.
    pub subject: String,
    pub stage: Stage,
    pub done: u64,
    pub total: Option<u64>,
    pub finished: bool,
}

type Sink = Arc<dyn Fn(&Step) + Send + Sync>;

static SINK: RwLock<Option<Sink>> = RwLock::new(None);

/// Sends every report of this process to `sink` (replacing any other); `None` stops reporting.
pub fn set_sink(sink: Option<Sink>) {
    if let Ok(mut s) = SINK.write() {
        *s = sink;
    }
}

/// Tells the sink, if any, how far a job is. Cheap when nobody listens.
pub fn report(step: &Step) {
    let sink = SINK.read().ok().and_then(|s| s.clone());
    if let Some(sink) = sink {
        sink(step);
    }
}

/// Reports of one stage of one job, at most every `every` units (a million rows should not
/// make a million calls). The last report says `finished`, also when the job stops on an
/// error (the reporter is dropped): no bar or status bar is left showing a job that ended.
pub struct Reporter {
    step: Step,
    every: u64,
    next: u64,
}

impl Reporter {
    pub fn new(subject: &str, stage: Stage, total: Option<u64>, every: u64) -> Reporter {
        let step = Step {
            subject: subject.to_string(),
            stage,
            done: 0,
            total,
            finished: false,
        };
        report(&step);
        Reporter {
            step,
            every: every.max(1),
            next: every.max(1),
        }
    }

    pub fn set(&mut self, done: u64) {
        self.step.done = done;
        if done >= self.next {
            self.next = done + self.every;
            report(&self.step);
        }
    }

    pub fn finish(self) {
        // Reported by `drop`.
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.step.finished = true;
        report(&self.step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn reports_reach_the_sink_sparingly_and_end_with_finished() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        // Other tests of this process may report meanwhile: only this subject counts.
        set_sink(Some(Arc::new(move |st: &Step| {
            if st.subject == "progress-unit.csv" {
                s.lock().unwrap().push((st.done, st.finished))
            }
        })));
        let mut r = Reporter::new("progress-unit.csv", Stage::Writing, Some(1000), 100);
        for i in 1..=1000 {
            r.set(i);
        }
        r.finish();
        set_sink(None);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.first(), Some(&(0, false)));
        assert_eq!(seen.last(), Some(&(1000, true)));
        assert!(seen.len() <= 12, "{}", seen.len());
    }

    #[test]
    fn a_job_that_stops_half_way_still_says_it_ended() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        set_sink(Some(Arc::new(move |st: &Step| {
            if st.subject == "progress-stopped.csv" {
                s.lock().unwrap().push((st.done, st.finished))
            }
        })));
        let stopped = || -> Result<(), ()> {
            let mut r = Reporter::new("progress-stopped.csv", Stage::Planning, Some(10), 1);
            r.set(3);
            Err(())
        };
        assert!(stopped().is_err());
        set_sink(None);
        assert_eq!(seen.lock().unwrap().last(), Some(&(3, true)));
    }
}
