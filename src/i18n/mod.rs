//! Chinese and English interface text: the user's language (from `--lang`, else the locale),
//! the catalogue of typed messages (`Msg`), and the codes scripts read (`Code`). Short texts
//! still written where they are produced choose with `Lang::pick` or `say!`.

mod catalogue;
mod code;

pub(crate) use catalogue::catalogue;
pub use catalogue::Msg;
pub use code::Code;

use serde::Serialize;

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
