//! `export manifest`: who is listed at each stage of a trip, masking and the audited reveal,
//! spreadsheet safety (BOM, GBK, formula cells) and a self-contained HTML page.

#[path = "fixtures/papers/helper.rs"]
mod helper;

use helper::*;
use std::collections::BTreeMap;

/// Parses a UTF-8 (BOM) manifest into header and rows.
fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("starts with a BOM");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (head, rows)
}

/// Seat → (name, status) of one bus, from the English CSV.
fn seats(db: &Db, plate: &str) -> BTreeMap<u32, (String, String)> {
    let o = ok(db.run(&["--lang", "en", "export", "manifest", "--bus", plate]));
    let (head, rows) = csv_rows(&o.stdout);
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (seat, nm, st, pl) = (col("seat"), col("name"), col("status"), col("plate"));
    rows.iter()
        .map(|r| {
            assert_eq!(r[pl], plate);
            (r[seat].parse().unwrap(), (r[nm].clone(), r[st].clone()))
        })
        .collect()
}

#[test]
fn after_departure_the_manifest_lists_exactly_the_boarded_with_their_seats() {
    let db = day_db();
    let got = seats(&db, "陕G21001");
    let names: Vec<(u32, &str)> = got.iter().map(|(s, (n, _))| (*s, n.as_str())).collect();
    assert_eq!(
        names,
        vec![
            (1, "周志强"),
            (3, "吴丽娟"),
            (5, "'=HYPERLINK(\"http://evil.example/\",\"点我\")"),
            (7, "何玉梅"),
        ],
        "refused 郑海涛 (seat 7 before the stand-by) and no-show 冯建华 are not on it"
    );
    assert_eq!(got[&7].1, "boarded (stand-by)");
    assert!(got.values().all(|(_, s)| s.starts_with("boarded")));
}

#[test]
fn the_manifest_follows_the_bus_from_roster_to_departure() {
    let db = day_db();
    // Boarding under way: every record, each with its state.
    let got = seats(&db, "陕G21002");
    assert_eq!(got[&1], ("杨国庆".into(), "boarded".into()));
    assert_eq!(got[&3], ("朱明辉".into(), "to check".into()));
    assert_eq!(got[&5], ("林秀珍".into(), "refused (fever)".into()));
    // Planned: the roster as planned.
    let got = seats(&db, "陕G21003");
    assert_eq!(got.keys().copied().collect::<Vec<_>>(), vec![1, 3]);
    // The last passenger boards and the bus leaves: the refused one drops off the paper.
    rusqlite::Connection::open(db.store().path()).unwrap()
        .execute_batch(
            "UPDATE passengers SET status = 'boarded' WHERE worker_id = 302;
             INSERT INTO readings (trip_id, worker_id, seat, at, celsius, operator, place, outcome)
                 VALUES (3, 302, 3, '2020-02-21T07:40:00', 36.6, '随车员', 'door', 'boarded');
             UPDATE trips SET status = 'departed', departed_at = '2020-02-21T07:41:00' WHERE id = 3;",
        )
        .unwrap();
    let got = seats(&db, "陕G21002");
    assert_eq!(got.len(), 2);
    assert_eq!(got[&1].0, "杨国庆");
    assert_eq!(got[&3].0, "朱明辉");
}

#[test]
fn a_date_covers_every_bus_that_runs_and_skips_the_cancelled() {
    let db = day_db();
    let o = ok(db.run(&["export", "manifest", "--date", TODAY]));
    let (head, rows) = csv_rows(&o.stdout);
    assert_eq!(
        head[0], "车牌号",
        "papers are Chinese unless --lang en is typed"
    );
    let plates: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        plates.into_iter().collect::<Vec<_>>(),
        vec!["陕G21001", "陕G21002", "陕G21003", "陕GD12345"]
    );
    assert_eq!(rows.len(), 4 + 3 + 2 + 2);
}

#[test]
fn ids_and_phones_are_masked_in_csv_and_html() {
    let db = day_db();
    let (ids, phones) = ids_and_phones(&db);
    let csv = ok(db.run(&["export", "manifest", "--date", TODAY])).stdout;
    let gbk = ok(db.run(&["export", "manifest", "--date", TODAY, "--encoding", "gbk"])).stdout;
    let (gbk_text, _, bad) = encoding_rs::GBK.decode(&gbk);
    assert!(!bad);
    let html = ok(db.run(&["export", "manifest", "--date", TODAY, "--format", "html"])).stdout;
    let html = String::from_utf8(html).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    for text in [&csv, gbk_text.as_ref(), &html] {
        for s in ids.iter().chain(&phones) {
            assert!(!text.contains(s.as_str()), "{s} shown unmasked");
        }
        assert!(text.contains("610928********2473"), "masked form is shown");
        assert!(text.contains("139****0201"));
        assert!(text.contains("138****0011"), "crew phones masked too");
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit"),
        0,
        "a masked export is not a reveal"
    );
}

#[test]
fn a_reveal_shows_full_ids_keeps_phones_masked_and_is_audited() {
    let db = day_db();
    let (_, phones) = ids_and_phones(&db);
    let o = ok(db.run(&["export", "manifest", "--bus", "陕G21001", "--reveal"]));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("610928199207032473"), "{text}");
    assert!(
        !text.contains("610928199704020895"),
        "someone not on the paper stays hidden"
    );
    for p in &phones {
        assert!(!text.contains(p.as_str()), "phone {p} shown");
    }
    let (operator, action, entity, trip): (String, String, String, i64) =
        rusqlite::Connection::open(db.store().path())
            .unwrap()
            .query_row(
                "SELECT operator, action, entity, entity_id FROM audit",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    assert_eq!(
        (operator.as_str(), action.as_str(), entity.as_str(), trip),
        ("测试员", "reveal", "trip", 2)
    );
    // One row per bus on a day's reveal; the audit itself holds no ID number.
    ok(db.run(&[
        "export", "manifest", "--date", TODAY, "--reveal", "--format", "html",
    ]));
    assert_eq!(db.count("SELECT COUNT(*) FROM audit"), 1 + 4);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit WHERE after LIKE '%6109%' OR before LIKE '%6109%'"),
        0
    );
}

#[test]
fn formula_like_cells_are_neutralised_and_html_is_escaped() {
    let db = day_db();
    let o = ok(db.run(&["--lang", "en", "export", "manifest", "--bus", "陕G21001"]));
    let (head, rows) = csv_rows(&o.stdout);
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r[col("name")].as_str()).collect();
    assert!(names.contains(&"'=HYPERLINK(\"http://evil.example/\",\"点我\")"));
    let villages: Vec<&str> = rows.iter().map(|r| r[col("village")].as_str()).collect();
    assert!(villages.contains(&"'-2+3组"), "{villages:?}");
    for r in &rows {
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "live formula cell {cell:?}"
            );
        }
    }
    let html = ok(db.run(&[
        "export",
        "manifest",
        "--bus",
        "陕G21001",
        "--format",
        "html",
    ]))
    .stdout;
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("&lt;i&gt;石门&lt;/i&gt;村"));
    assert!(!html.contains("<i>石门"));
    assert!(html.contains("=HYPERLINK(&quot;http://evil.example/&quot;"));
}

#[test]
fn html_is_print_ready_and_self_contained() {
    let db = day_db();
    let html = ok(db.run(&["export", "manifest", "--date", TODAY, "--format", "html"])).stdout;
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("@page { size: A4"));
    assert_eq!(
        html.matches("<section class=\"bus\">").count(),
        4,
        "one page per bus"
    );
    assert!(html.contains("随车服务人员（签字）") && html.contains("接收人（签字）"));
    assert!(html.contains("Noto Sans CJK SC") && html.contains("Microsoft YaHei"));
    assert!(
        html.contains("宁波市北仑区大港工业城甬达路8号"),
        "the gate's address"
    );
    let lower = html.to_lowercase();
    for network in [
        "<script", "<link", "<img", "src=", "href=", "url(", "@import", "<iframe",
    ] {
        assert!(
            !lower.contains(network),
            "{network} in a manifest that must work offline"
        );
    }
}

#[test]
fn csv_opens_in_excel_with_a_bom_or_as_gbk() {
    let db = day_db();
    let utf8 = ok(db.run(&["export", "manifest", "--bus", "陕G21001"])).stdout;
    assert!(utf8.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(utf8.windows(2).any(|w| w == b"\r\n"), "CRLF rows for Excel");
    let gbk = ok(db.run(&[
        "export",
        "manifest",
        "--bus",
        "陕G21001",
        "--encoding",
        "gbk",
    ]))
    .stdout;
    assert!(!gbk.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(std::str::from_utf8(&gbk).is_err(), "GBK bytes, not UTF-8");
    let (text, _, bad) = encoding_rs::GBK.decode(&gbk);
    assert!(!bad);
    assert!(text.starts_with("车牌号,批次"));
    assert!(text.contains("何玉梅"));
}

#[test]
fn out_file_is_private_and_stdout_stays_empty() {
    let db = day_db();
    let out = db.out();
    let o = ok(db.run(&[
        "export",
        "manifest",
        "--bus",
        "陕G·21001",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(o.stdout.is_empty());
    let html = String::from_utf8(read(&out)).unwrap();
    assert!(html.contains("陕G21001"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn wrong_arguments_say_what_is_wrong() {
    let db = day_db();
    let o = db.run(&["export", "manifest", "--bus", "G2"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--bus"));
    let o = db.run(&["export", "manifest", "--bus", "陕A99999"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("陕A99999"), "{}", stderr(&o));
    let o = db.run(&["export", "manifest", "--date", "2020-02-25"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("2020-02-25"));
    let o = db.run(&[
        "export",
        "manifest",
        "--date",
        TODAY,
        "--format",
        "html",
        "--encoding",
        "gbk",
    ]);
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty());
}
