//! One function per user action (import, plan, board, refuse, depart, arrive, export, purge …),
//! called by both the command line and the console, so that every rule lives in one place.

pub mod arrival;
pub mod backup;
pub mod batch;
pub mod demo;
pub mod departure;
pub mod export;
pub mod fleet;
pub mod import;
pub mod journal;
pub mod merge;
pub mod notice;
pub mod pack;
pub mod plan;
pub mod progress;
pub mod purge;
pub mod register;
pub mod reshape;
pub mod stats;
pub mod trace;
pub mod trip_ref;
mod typed;
pub mod worker;

pub use journal::Journal;
pub use trip_ref::TripRef;

use crate::i18n::{Code, Lang};
use crate::model::{FreeText, Policy};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

/// Who is acting, on which database, under which rules, on which day.
pub struct Ctx {
    pub store: Store,
    pub operator: String,
    pub policy: Policy,
    pub lang: Lang,
    /// The working day when the context was opened (`crate::clock::today`).
    pub today: NaiveDate,
    /// What door and road acts leave behind: nothing in a ledger, a journal entry in a pack,
    /// the merge's record while a merge replays a pack's event (`ops::journal`).
    pub journal: Journal,
}

impl Ctx {
    pub fn new(mut store: Store, operator: String, policy: Policy, lang: Lang) -> Ctx {
        store.set_busy_wait(policy.busy_wait());
        let journal = if store.pack().is_some() {
            Journal::Pack
        } else {
            Journal::Off
        };
        Ctx {
            store,
            operator,
            policy,
            lang,
            today: today(),
            journal,
        }
    }
}

/// The working day, from the one clock (`crate::clock`: `ZHITONG_NOW`, `ZHITONG_TODAY`, else
/// the local date).
pub fn today() -> NaiveDate {
    crate::clock::today()
}

/// Process exit codes of the command-line contract (DESIGN §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Error = 1,
    Usage = 2,
    /// Import finished but some rows were rejected.
    Rejected = 3,
    /// A rule refused the action (fever, wrong bus, unaccounted passengers …).
    Refused = 4,
}

#[derive(Debug, Error)]
pub enum OpError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Bad arguments: exit 2.
    #[error("{0}")]
    Usage(String),
    /// Refused by a rule of the job: exit 4. `code` gives scripts a stable word (`fever`,
    /// `wrong-bus`, `not-on-roster`, `certificate`, `unaccounted` …: `i18n::Code`).
    #[error("{message}")]
    Refused { code: Code, message: String },
    /// Anything else that stopped the action: exit 1, nothing written.
    #[error("{0}")]
    Failed(String),
    /// One typed field is wrong (a form's, or a command's option): `message` names it for the
    /// command line, `reason` is what a form shows beside the field. Exit 1, or 2 (`usage`) for
    /// text that may not be stored at all (control, bidi, invisible characters).
    #[error("{message}")]
    Field {
        field: &'static str,
        reason: String,
        message: String,
        usage: bool,
    },
}

impl OpError {
    pub fn exit(&self) -> Exit {
        match self {
            OpError::Usage(_) | OpError::Field { usage: true, .. } => Exit::Usage,
            OpError::Refused { .. } => Exit::Refused,
            _ => Exit::Error,
        }
    }
    /// The message for a user of `lang`: the same as `Display`, except where the text is
    /// produced below the language (the database being busy).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            OpError::Store(e) => e.message(lang),
            other => other.to_string(),
        }
    }

    /// The JSON `code` of a failure: the refusal's word, `usage`, `busy` (the database stayed
    /// locked by another terminal for the whole wait: worth retrying), else `error`.
    pub fn code(&self) -> Code {
        match self {
            OpError::Refused { code, .. } => *code,
            OpError::Usage(_) | OpError::Field { usage: true, .. } => Code::Usage,
            OpError::Store(StoreError::Busy { .. }) => Code::Busy,
            _ => Code::Error,
        }
    }

    pub fn refused(code: Code, message: impl Into<String>) -> OpError {
        OpError::Refused {
            code,
            message: message.into(),
        }
    }
}

/// What `--json` prints when an action is refused or fails.
#[derive(Debug, Serialize)]
pub struct ErrorJson<'a> {
    pub error: &'a str,
    pub code: Code,
}

pub type OpResult<T> = Result<T, OpError>;

/// Checks free text typed for `kind` (see `model::text`: no control, bidi or invisible
/// characters, within its length): the trimmed text, or a usage error naming the field and
/// never echoing the text. Every action that stores free text calls this, in the command
/// line and the console alike.
pub fn free_text(lang: Lang, kind: FreeText, value: &str) -> OpResult<String> {
    crate::model::text::check(kind, value).map_err(|e| {
        OpError::Usage(match lang {
            Lang::Zh => format!("{}：{}", kind.label(lang), e.message(lang)),
            Lang::En => format!("{}: {}", kind.label(lang), e.message(lang)),
        })
    })
}
