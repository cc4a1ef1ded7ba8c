//! What can go wrong with the database, told in the user's language: the file (missing,
//! newer, read-only), the lock held by another terminal (naming the job that holds it), SQL.

use super::{busy, jobs};
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("database {path} was written by a newer zhitong (schema {found}, this program knows {known})")]
    TooNew {
        path: String,
        found: i64,
        known: usize,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the database is open read-only (--readonly): nothing was changed")]
    ReadOnly,
    /// Another connection held the write lock for the whole wait budget. `holder` is the long
    /// job recorded as running, when there is one.
    #[error("{}", busy_text(crate::i18n::Lang::En, *.waited, .holder.as_deref()))]
    Busy {
        waited: Option<Duration>,
        holder: Option<Box<jobs::Job>>,
    },
    #[error("no database at {path}: run `zhitong init`")]
    Missing { path: String },
    #[error("database: {0}")]
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    /// SQLITE_BUSY and SQLITE_LOCKED become `Busy`: SQLite's own text never reaches a user.
    fn from(e: rusqlite::Error) -> Self {
        if busy::is_busy(&e) {
            StoreError::Busy {
                waited: None,
                holder: None,
            }
        } else {
            StoreError::Sql(e)
        }
    }
}

impl StoreError {
    /// A rule of the database (unique, check, foreign key) refused the write.
    pub fn is_constraint(&self) -> bool {
        matches!(self, StoreError::Sql(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::ConstraintViolation)
    }

    /// The problem in the user's language (the English is `Display`'s).
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            StoreError::Open { path, source } => format!("数据库 {path}：{source}"),
            StoreError::TooNew { path, found, known } => format!(
                "数据库 {path} 由更新版本的 zhitong 写入（结构版本 {found}，本程序只认识到 {known}）"
            ),
            StoreError::Io(e) => crate::i18n::os_error(e, lang),
            StoreError::ReadOnly => "数据库以只读方式打开（--readonly）：没有做任何修改".into(),
            StoreError::Busy { waited, holder } => busy_text(lang, *waited, holder.as_deref()),
            StoreError::Missing { path } => {
                crate::i18n::Msg::NoDatabase { path: path.clone() }.text(lang)
            }
            StoreError::Sql(e) => format!("数据库：{e}"),
        }
    }
}

/// "The database is busy", in the user's language, with what holds it where known.
pub fn busy_text(
    lang: crate::i18n::Lang,
    waited: Option<Duration>,
    holder: Option<&jobs::Job>,
) -> String {
    use crate::i18n::Lang;
    use jobs::JobKind;
    let what = holder.map(|j| {
        let time = j.started_at.get(11..16).unwrap_or(&j.started_at);
        let pct = j.percent();
        match lang {
            Lang::Zh => {
                let doing = match j.kind {
                    JobKind::Import => "导入",
                    JobKind::Plan => "写入计划",
                    JobKind::Demo => "生成演示数据",
                    JobKind::Purge => "清除个人信息",
                };
                let pct = pct.map(|p| format!("，已完成 {p}%")).unwrap_or_default();
                format!(
                    "：{} 正在{doing} {}（{time} 开始{pct}）",
                    j.operator, j.subject
                )
            }
            Lang::En => {
                let doing = match j.kind {
                    JobKind::Import => "importing",
                    JobKind::Plan => "applying the plan of",
                    JobKind::Demo => "building the demo",
                    JobKind::Purge => "purging personal data",
                };
                let pct = pct.map(|p| format!(", {p}% done")).unwrap_or_default();
                format!(
                    ": {} is {doing} {} (since {time}{pct})",
                    j.operator, j.subject
                )
            }
        }
    });
    let what = what.unwrap_or_default();
    match (lang, waited) {
        (Lang::Zh, Some(w)) => format!(
            "数据库正忙{what}；已等待 {} 秒，未做任何更改，请稍后再试",
            w.as_secs_f64().round()
        ),
        (Lang::Zh, None) => format!("数据库正忙{what}；未做任何更改，请稍后再试"),
        (Lang::En, Some(w)) => format!(
            "the database is busy{what}; waited {} s, nothing was changed: try again shortly",
            w.as_secs_f64().round()
        ),
        (Lang::En, None) => {
            format!("the database is busy{what}; nothing was changed: try again shortly")
        }
    }
}
