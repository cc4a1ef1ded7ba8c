//! Chinese and English interface text: the user's language (from `--lang`, else the locale),
//! the catalogue of typed messages (`Msg`), and the codes scripts read (`Code`). Short texts
//! still written where they are produced choose with `Lang::pick` or `say!`.

mod catalogue;
mod code;

pub(crate) use catalogue::catalogue;
pub use catalogue::Msg;
pub use code::Code;

use serde::Serialize;

/// An error of the operating system as people read it: the common ones in Chinese (the
/// system's own text is English), the rest as the system says them.
pub fn os_error(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind;
    let zh = match e.kind() {
        ErrorKind::NotFound => "文件或目录不存在",
        ErrorKind::PermissionDenied => "没有权限",
        ErrorKind::AlreadyExists => "文件已存在",
        ErrorKind::IsADirectory => "这是一个目录",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::InvalidData => "内容无法读取",
        _ => "",
    };
    match lang {
        Lang::Zh if !zh.is_empty() => zh.to_string(),
        _ => e.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh_*` in LC_ALL / LC_MESSAGES / LANG means Chinese; anything else English.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return if v.to_ascii_lowercase().starts_with("zh") {
                        Lang::Zh
                    } else {
                        Lang::En
                    };
                }
            }
        }
        Lang::En
    }

    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
