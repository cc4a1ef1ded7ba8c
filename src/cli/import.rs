//! `zhitong import employers|workers|fleet FILE`: the summary on stdout, one
//! `FILE:LINE: field: 'value': reason` line per rejected row on stderr, or the `--json` object.

use super::*;
use crate::io::TextEncoding;
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
    };
    let report = import::import_file(ctx, kind, &args.file, &opts)?;
    if args.json {
        println!("{}", serde_json::to_string(&report).unwrap_or_default());
    } else {
        print_human(&report, ctx.lang);
    }
    if !report.committed {
        eprintln!(
            "zhitong: {}: {}",
            report.file,
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

fn print_human(r: &ImportReport, lang: Lang) {
    for bad in &r.rejected {
        eprintln!(
            "{}:{}: {}: '{}': {}",
            r.file,
            bad.line,
            bad.field,
            bad.value.replace('\n', "\\n"),
            bad.reason
        );
    }
    if !r.ignored_columns.is_empty() {
        eprintln!(
            "{}: {} {}",
            r.file,
            lang.pick("未识别的列（已忽略）：", "columns ignored (not known):"),
            r.ignored_columns.join(", ")
        );
    }
    let rejected = r.rejected.len();
    let line = match lang {
        Lang::Zh => format!(
            "{}（{}）：读取 {} 行，导入 {} 行（新增 {}，更新 {}，未变 {}），拒绝 {} 行",
            r.file, r.encoding, r.read, r.imported, r.new, r.updated, r.unchanged, rejected
        ),
        Lang::En => format!(
            "{} ({}): {} rows read, {} imported ({} new, {} updated, {} unchanged), {} rejected",
            r.file, r.encoding, r.read, r.imported, r.new, r.updated, r.unchanged, rejected
        ),
    };
    println!("{line}");
}
