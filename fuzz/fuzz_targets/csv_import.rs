//! Any bytes as a spreadsheet of employers, workers or fleet, in any `--encoding`, strict or not,
//! through the import's library entry point into one database: an error naming the file or a
//! report whose every rejection names a line and a known field — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Cursor;
use std::sync::{Mutex, OnceLock};
use zhitong::i18n::Lang;
use zhitong::io::TextEncoding;
use zhitong::model::Policy;
use zhitong::ops::import::{import_reader, ImportOptions, Kind};
use zhitong::ops::Ctx;
use zhitong::store::Store;

const EMPLOYERS: &str =
    "企业名称,省,市\n宁波海天电子厂,浙江省,宁波市\n苏州精密机械厂,江苏省,苏州市\n";

/// One database per fuzzing process, under fuzz/target (libFuzzer exits without running
/// destructors, so a temporary directory would be left behind anyway), holding two employers.
fn ctx() -> &'static Mutex<Ctx> {
    static CTX: OnceLock<Mutex<Ctx>> = OnceLock::new();
    CTX.get_or_init(|| {
        let db = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join(format!("csv_import-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&db);
        let store = Store::open(&db).expect("fuzz database");
        let mut ctx = Ctx::new(store, "fuzz".into(), Policy::default(), Lang::En);
        let input = Box::new(Cursor::new(EMPLOYERS.as_bytes().to_vec()));
        import_reader(
            &mut ctx,
            Kind::Employers,
            "e.csv",
            input,
            &ImportOptions::default(),
        )
        .expect("employers");
        Mutex::new(ctx)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let kind = [Kind::Workers, Kind::Employers, Kind::Fleet][usize::from(first % 3)];
    let encoding =
        [TextEncoding::Auto, TextEncoding::Utf8, TextEncoding::Gbk][usize::from(first / 3 % 3)];
    let opts = ImportOptions {
        encoding,
        strict: first & 0x80 != 0,
    };
    let mut ctx = ctx().lock().unwrap_or_else(|e| e.into_inner());
    let input = Box::new(Cursor::new(body.to_vec()));
    match import_reader(&mut ctx, kind, "f.csv", input, &opts) {
        Err(e) => assert!(e.to_string().starts_with("f.csv"), "{e}"),
        Ok(report) => {
            let keys: Vec<&str> = kind.columns().iter().map(|c| c.key).collect();
            for r in &report.rejected {
                assert!(r.line >= 1, "{r:?}");
                assert!(r.field == "row" || keys.contains(&r.field), "{r:?}");
                assert!(!r.reason.is_empty(), "{r:?}");
            }
            if report.committed {
                assert_eq!(report.read, report.imported + report.rejected.len() as u64);
            } else {
                assert!(opts.strict && !report.rejected.is_empty());
            }
        }
    }
});
