//! Fields typed by hand — a console form, the options of `register` — checked with the same
//! rules as a spreadsheet row, and a wrong one reported by its field in both languages.

use super::OpError;
use crate::i18n::Lang;
use crate::io::columns::Column;
use crate::io::Rejection;

/// `身份证号` / `id_number`: how a message names a column.
fn named(lang: Lang, column: &Column) -> String {
    match lang {
        Lang::Zh => column.zh.to_string(),
        Lang::En => column.key.to_string(),
    }
}

/// A row check's rejection as the error of one field: the value (masked as in an import
/// report) and the reason in the session's language.
pub(crate) fn rejected(lang: Lang, columns: &'static [Column], r: Rejection) -> OpError {
    let column = columns
        .iter()
        .find(|c| c.key == r.field)
        .unwrap_or(&columns[0]);
    let reason = r.reason_text(lang);
    let value = crate::model::text::visible(&r.value);
    let message = match (lang, value.is_empty()) {
        (Lang::Zh, true) => format!("{}：{reason}", named(lang, column)),
        (Lang::Zh, false) => format!("{}：'{value}'：{reason}", named(lang, column)),
        (Lang::En, true) => format!("{}: {reason}", named(lang, column)),
        (Lang::En, false) => format!("{}: '{value}': {reason}", named(lang, column)),
    };
    OpError::Field {
        field: column.key,
        reason,
        message,
        usage: false,
    }
}

/// Typed text that may be stored at all (`model::text::check_len`: no control, bidi or
/// invisible characters), else a usage error (exit 2) naming the field and never echoing the
/// text. What is required and how long a field may be is the row check's to say (exit 1), as
/// for a spreadsheet cell.
pub(crate) fn text(lang: Lang, column: &Column, value: &str) -> Result<(), OpError> {
    if value.trim().is_empty() {
        return Ok(());
    }
    crate::model::text::check_len(value, usize::MAX)
        .map_err(|e| field_error(lang, column, e.message(lang), true))?;
    Ok(())
}

/// An error about one field that no row check gives (a plate already in the fleet …).
pub(crate) fn field(lang: Lang, column: &Column, reason: String) -> OpError {
    field_error(lang, column, reason, false)
}

/// The field named in the user's language, then why; `usage` makes it exit 2.
fn field_error(lang: Lang, column: &Column, reason: String, usage: bool) -> OpError {
    OpError::Field {
        field: column.key,
        message: match lang {
            Lang::Zh => format!("{}：{reason}", named(lang, column)),
            Lang::En => format!("{}: {reason}", named(lang, column)),
        },
        reason,
        usage,
    }
}
