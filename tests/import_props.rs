//! Whatever bytes arrive as a spreadsheet, reading and importing them never panics: the
//! answer is a report or a whole-file error.

use proptest::prelude::*;
use std::io::Cursor;
use std::sync::Mutex;
use zhitong::i18n::Lang;
use zhitong::io::{columns, CsvFile, Next, TextEncoding};
use zhitong::model::Policy;
use zhitong::ops::import::{import_reader, ImportOptions, Kind};
use zhitong::ops::Ctx;
use zhitong::store::Store;

/// CSV-like text: the header of a kind, then cells made of the characters that trip parsers.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::sample::select(vec![
        "姓名,身份证号,手机号,区县,意向企业,健康证明签发日期,健康证明有效期至\r\n",
        "name,id_number,employer,cert_issued\n",
        "企业名称,省,市,需求人数,距离公里,健康互认\n",
        "车牌号,核定座位,驾驶员,驾驶员电话,副驾驶员,副驾驶员电话,出发区县,可用日期,全封闭空调\n",
    ]);
    let cell = "[0-9a-zX陕G张三,\"\r\n 年月日/\\-.＋０９\u{FEFF}\u{3000}]{0,20}";
    (header, prop::collection::vec(cell, 0..40)).prop_map(|(h, cells)| {
        let mut s = h.to_string();
        s.push_str(&cells.join(","));
        s.into_bytes()
    })
}

fn any_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..300), csvish()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn reading_never_panics(bytes in any_input(), enc in 0..3u8) {
        let enc = [TextEncoding::Auto, TextEncoding::Utf8, TextEncoding::Gbk][enc as usize];
        for table in [columns::WORKERS, columns::EMPLOYERS, columns::FLEET] {
            if let Ok(mut f) = CsvFile::from_reader("p.csv", Box::new(Cursor::new(bytes.clone())), enc, table) {
                let mut last = 0;
                while let Ok(next) = f.next_row() {
                    let line = match next {
                        Next::Row(r) => r.line,
                        Next::Bad(b) => b.line,
                        Next::End => break,
                    };
                    // Lines only go forward, and never past the file's line count.
                    prop_assert!(line > last);
                    prop_assert!(line <= breaks(&bytes) + 1);
                    last = line;
                }
            }
        }
    }
}

/// LF, CRLF and a lone CR each end a line.
fn breaks(b: &[u8]) -> u64 {
    (0..b.len())
        .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
        .count() as u64
}

static CTX: Mutex<Option<(tempfile::TempDir, Ctx)>> = Mutex::new(None);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn importing_never_panics(bytes in any_input(), kind in 0..3u8, strict in any::<bool>()) {
        let mut guard = CTX.lock().unwrap_or_else(|e| e.into_inner());
        let (_, ctx) = guard.get_or_insert_with(|| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&dir.path().join("p.db")).unwrap();
            (dir, Ctx::new(store, "prop".into(), Policy::default(), Lang::En))
        });
        let kind = [Kind::Employers, Kind::Workers, Kind::Fleet][kind as usize];
        let opts = ImportOptions { strict, ..Default::default() };
        if let Ok(report) = import_reader(ctx, kind, "p.csv", Box::new(Cursor::new(bytes)), &opts) {
            prop_assert_eq!(report.imported + report.rejected.len() as u64,
                if report.committed { report.read } else { report.rejected.len() as u64 });
        }
    }
}
