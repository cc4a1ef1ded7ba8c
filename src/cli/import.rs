//! `zhitong import employers|workers|fleet FILE`: the summary on stdout, one
//! `FILE:LINE: field: 'value': reason` line per rejected row on stderr, or the `--json` object.

use super::*;
use crate::io::TextEncoding;
use crate::model::text::visible;
use crate::ops::import::{self, ImportOptions, ImportReport, Kind};

pub fn run(ctx: &mut Ctx, args: &ImportArgs) -> OpResult<Exit> {
    let kind = match args.kind {
        ImportKind::Employers => Kind::Employers,
        ImportKind::Workers => Kind::Workers,
        ImportKind::Fleet => Kind::Fleet,
    };
    let opts = ImportOptions {
        encoding: text_encoding(args.encoding),
        strict: args.strict,
        allow_rename: args.allow_rename,
    };
    let report = import::import_file(ctx, kind, &args.file, &opts)?;
    if let Some(r) = &report.resumed {
        eprintln!("zhitong: {}: {}", report.file, r.text(ctx.lang));
    }
    if args.json {
        println!("{}", serde_json::to_string(&report).unwrap_or_default());
    } else {
        print_human(&report, ctx.lang);
    }
    if !report.committed {
        eprintln!(
            "zhitong: {}: {}",
            visible(&report.file),
            ctx.lang.pick(
                "有行被拒绝（--strict）：未写入任何数据",
                "nothing written: rows were rejected (--strict)"
            )
        );
    }
    Ok(report.exit())
}

pub(super) fn text_encoding(e: Encoding) -> TextEncoding {
    match e {
        Encoding::Auto => TextEncoding::Auto,
        Encoding::Utf8 => TextEncoding::Utf8,
        Encoding::Gbk => TextEncoding::Gbk,
    }
}

/// Rejected rows shown one per line before the rest are summed up: a township's file with a
/// wrong column can reject every row, and 100,000 lines would bury the summary.
const SHOWN_REJECTIONS: usize = 200;
/// Characters of a rejected value echoed back; the whole value is in `--json`.
const SHOWN_VALUE_CHARS: usize = 60;

fn print_human(r: &ImportReport, lang: Lang) {
    let file = visible(&r.file);
    let print = |bad: &crate::io::Rejection| {
        eprintln!(
            "{}:{}: {}: '{}': {}",
            file,
            bad.line,
            visible(&r.column_name(bad.field, lang)),
            shown_value(&bad.value),
            visible(&bad.reason_text(lang))
        );
    };
    let n = r.rejected.len();
    if n <= SHOWN_REJECTIONS + 1 {
        r.rejected.iter().for_each(print);
    } else {
        r.rejected[..SHOWN_REJECTIONS].iter().for_each(print);
        let hidden = &r.rejected[SHOWN_REJECTIONS..n - 1];
        let (from, to) = (hidden[0].line, hidden[hidden.len() - 1].line);
        eprintln!(
            "{}: {}",
            file,
            match lang {
                Lang::Zh => format!(
                    "…… 另有 {} 行被拒绝（第 {from}–{to} 行），--json 可列出全部",
                    hidden.len()
                ),
                Lang::En => format!(
                    "… {} more rejected rows (lines {from}–{to}); --json lists them all",
                    hidden.len()
                ),
            }
        );
        print(&r.rejected[n - 1]);
    }
    if !r.ignored_columns.is_empty() {
        eprintln!(
            "{}: {} {}",
            file,
            lang.pick("未识别的列（已忽略）：", "columns ignored (not known):"),
            visible(&r.ignored_columns.join(", "))
        );
    }
    let rejected = r.rejected.len();
    let line = match lang {
        Lang::Zh => format!(
            "{}（{}）：读取 {} 行，导入 {} 行（新增 {}，更新 {}，未变 {}），拒绝 {} 行",
            file, r.encoding, r.read, r.imported, r.new, r.updated, r.unchanged, rejected
        ),
        Lang::En => format!(
            "{} ({}): {} rows read, {} imported ({} new, {} updated, {} unchanged), {} rejected",
            file, r.encoding, r.read, r.imported, r.new, r.updated, r.unchanged, rejected
        ),
    };
    println!("{line}");
}

/// A cell as it may be echoed to a terminal: control, bidi and invisible characters (escape
/// sequences, NUL, U+202E) written out, and cut after a few dozen characters.
fn shown_value(value: &str) -> String {
    let head: String = value.chars().take(SHOWN_VALUE_CHARS).collect();
    let mut out = visible(&head).into_owned();
    if head.len() < value.len() {
        out.push_str(&format!("…({} chars)", value.chars().count()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shown_value;

    #[test]
    fn values_are_cut_and_control_characters_made_visible() {
        assert_eq!(shown_value("张伟"), "张伟");
        assert_eq!(shown_value("a\nb\u{1b}[2J\0"), "a\\nb\\u{1b}[2J\\u{0}");
        assert_eq!(shown_value("王\u{202E}五"), "王\\u{202e}五");
        let long = "王".repeat(100);
        assert_eq!(
            shown_value(&long),
            format!("{}…(100 chars)", "王".repeat(60))
        );
    }
}
