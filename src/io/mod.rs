//! Files in: CSV spreadsheets in UTF-8 or GBK with Chinese or English headers, read row by row
//! into validated ledger records, each bad row named by line, field, value and reason.
//! Files out: `outfile`, the one writer that never destroys an existing file or the database.

pub mod bounds;
pub mod columns;
pub mod csv_file;
mod decode;
pub mod employers;
pub mod fleet;
pub mod outfile;
mod reason;
pub mod values;
pub mod workers;

pub use csv_file::{CsvFile, Detected, FileError, Next, Row, TextEncoding, TypedRow};
pub use reason::Reason;

use crate::i18n::Lang;
use serde::Serialize;

/// One rejected row: its physical line in the file (header = line 1), the English name of the
/// field at fault (`row` when the row as a whole is malformed), the cell and why. The cell is
/// kept with anything that is or looks like an ID number or a phone masked (`610902********1234`,
/// `138****5678`): a report goes to terminals, logs and mail, and never needs the full number.
/// `reason` is the English wording scripts read in `--json`; `why` the typed reason, for the
/// user's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    pub line: u64,
    pub field: &'static str,
    pub value: String,
    pub reason: String,
    /// Boxed: rejections are few, and a row's `Result` stays small.
    #[serde(skip)]
    pub why: Box<Reason>,
}

impl Rejection {
    pub fn new(line: u64, field: &'static str, value: impl Into<String>, why: Reason) -> Rejection {
        Rejection {
            line,
            field,
            value: masked(value.into()),
            // Reasons may quote the cell ("found '13912345678'").
            reason: masked(why.text(Lang::En)),
            why: Box::new(why),
        }
    }

    /// Why, in `lang`; numbers it quotes from the cell masked.
    pub fn reason_text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.reason.clone(),
            Lang::Zh => masked(self.why.text(lang)),
        }
    }
}

fn masked(s: String) -> String {
    match crate::model::text::mask_numbers(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(m) => m,
    }
}

/// Builds the rejection for `column` of `row` from a validation message.
pub(crate) fn reject(
    row: &Row<'_>,
    table: &'static [columns::Column],
    column: usize,
    reason: Reason,
) -> Rejection {
    Rejection::new(row.line, table[column].key, row.get(column), reason)
}
