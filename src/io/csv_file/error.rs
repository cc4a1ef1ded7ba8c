//! What stops a whole file from being read (exit 1, nothing imported), in both languages.

use crate::i18n::Lang;
use std::io;
use thiserror::Error;

/// Problems with the file as a whole: nothing is imported (exit 1).
#[derive(Debug, Error)]
pub enum FileError {
    #[error("{file}: cannot read: {source}")]
    Open { file: String, source: io::Error },
    #[error("{file}:{line}: cannot read: {source}")]
    Read {
        file: String,
        line: u64,
        source: io::Error,
    },
    #[error("{file}: the file is empty: a header row is needed")]
    Empty { file: String },
    /// `missing`: each column's Chinese header and key.
    #[error("{file}:{line}: missing required column {}", .missing.iter().map(|(zh, key)| format!("{zh} ({key})")).collect::<Vec<_>>().join(", "))]
    MissingColumns {
        file: String,
        line: u64,
        missing: Vec<(&'static str, &'static str)>,
    },
    #[error("{file}:{line}: column '{header}' appears twice (also as '{first}')")]
    DuplicateColumn {
        file: String,
        line: u64,
        header: String,
        first: String,
    },
    #[error("{file}:{line}: the header row is longer than 64 KB: not a spreadsheet export ('{excerpt}')")]
    HeaderTooLong {
        file: String,
        line: u64,
        excerpt: String,
    },
    #[error("{file}:{line}: a row longer than 16 MB: not a spreadsheet export ('{excerpt}')")]
    NeverEnds {
        file: String,
        line: u64,
        excerpt: String,
    },
    #[error("{file}:{line}: the header row is not readable text in {encoding}; try {hint}")]
    HeaderEncoding {
        file: String,
        line: u64,
        encoding: &'static str,
        /// The `--encoding` values not yet tried.
        hint: &'static str,
    },
}

impl FileError {
    /// The problem in the user's language (the English wording is `Display`'s).
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            FileError::Open { file, source } => {
                format!("{file}：无法读取：{}", crate::i18n::os_error(source, lang))
            }
            FileError::Read { file, line, source } => {
                format!(
                    "{file}:{line}：无法读取：{}",
                    crate::i18n::os_error(source, lang)
                )
            }
            FileError::Empty { file } => format!("{file}：文件是空的：需要一行表头"),
            FileError::MissingColumns {
                file,
                line,
                missing,
            } => {
                let zh: Vec<&str> = missing.iter().map(|(zh, _)| *zh).collect();
                format!("{file}:{line}：缺少必需的列 {}", zh.join("、"))
            }
            FileError::DuplicateColumn {
                file,
                line,
                header,
                first,
            } => format!("{file}:{line}：列'{header}'出现了两次（另一处为'{first}'）"),
            FileError::HeaderTooLong {
                file,
                line,
                excerpt,
            } => format!("{file}:{line}：表头超过 64 KB：不是表格导出的文件（'{excerpt}'）"),
            FileError::NeverEnds {
                file,
                line,
                excerpt,
            } => format!("{file}:{line}：有一行超过 16 MB：不是表格导出的文件（'{excerpt}'）"),
            FileError::HeaderEncoding {
                file,
                line,
                encoding,
                hint,
            } => format!("{file}:{line}：表头无法按 {encoding} 读取；可试 {hint}"),
        }
    }
}
