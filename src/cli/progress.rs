//! Progress bars on stderr for jobs that may take more than a second (import, demo, plan
//! --apply, purge): rows or steps done, rate and time left, in the user's language. Nothing
//! is drawn when stderr is not a terminal or the command prints JSON.

use crate::i18n::Lang;
use crate::ops::progress::{self, Stage, Step};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The bar being drawn and which job stage it shows.
type Current = Option<(String, Stage, ProgressBar)>;

/// Shows every job's progress of this process on stderr when it is a terminal and `json` is
/// off; otherwise shows nothing.
pub fn install(lang: Lang, json: bool) {
    if json || !std::io::stderr().is_terminal() {
        return;
    }
    let current: Arc<Mutex<Current>> = Arc::new(Mutex::new(None));
    progress::set_sink(Some(Arc::new(move |step: &Step| {
        let Ok(mut cur) = current.lock() else {
            return;
        };
        let same = matches!(&*cur, Some((s, st, _)) if *s == step.subject && *st == step.stage);
        if !same {
            if let Some((_, _, old)) = cur.take() {
                old.finish_and_clear();
            }
            *cur = Some((
                step.subject.clone(),
                step.stage,
                bar(lang, step.stage, &step.subject, step.total),
            ));
        }
        if let Some((_, _, pb)) = &*cur {
            if let Some(t) = step.total {
                pb.set_length(t);
            }
            pb.set_position(step.done);
            if step.finished {
                pb.finish_and_clear();
            }
        }
    })));
}

fn bar(lang: Lang, stage: Stage, subject: &str, total: Option<u64>) -> ProgressBar {
    let unit = stage.unit(lang);
    let template = match (total, lang) {
        (Some(_), Lang::Zh) => {
            format!("{{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} {{rate}} 剩余 {{eta}}")
        }
        (Some(_), Lang::En) => {
            format!("{{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} {{rate}} {{eta}} left")
        }
        (None, _) if stage == Stage::Proposing => "{spinner} {msg}…".to_string(),
        (None, _) => format!("{{spinner}} {{msg}} {{human_pos}} {unit} {{rate}}"),
    };
    let per_second = lang.pick("/秒", "/s");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "rate",
            move |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}{per_second}", thousands(s.per_sec() as u64));
            },
        )
        .progress_chars("=> ");
    let pb = match total {
        Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    pb.set_style(style);
    pb.set_message(format!("{} {subject}", stage.text(lang)));
    if total.is_none() {
        pb.enable_steady_tick(Duration::from_millis(120));
    }
    pb
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn rates_are_whole_numbers_with_separators() {
        assert_eq!(super::thousands(220_300), "220,300");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000_000), "1,000,000");
    }
}
