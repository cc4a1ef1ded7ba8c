//! Telling the receiving side ahead, through the real binary on a ledger built with `zhitong
//! import`: the expected arrival of planned and departed buses, a bus overdue on the road, the
//! advance notice in CSV, HTML and JSON with passengers masked and revealed, and the notice
//! recorded as sent in `stats --json`, the bulletin and the audit log.

#[path = "fixtures/notice/mod.rs"]
mod fixture;

use fixture::*;
use serde_json::Value;

fn trip<'a>(stats: &'a Value, plate: &str) -> &'a Value {
    stats["trips"]
        .as_array()
        .expect("trips")
        .iter()
        .find(|t| t["plate"] == plate)
        .unwrap_or_else(|| panic!("no trip of {plate} in {stats}"))
}

#[test]
fn expected_arrival_from_the_plan_then_from_the_departure() {
    let d = imported();
    let s = d.json("2020-02-21T06:00", &["stats", "--date", DAY, "--json"]);
    // 1,100 km at 60 km/h: 18:20 at the wheel and nine 20-minute rests, from 07:00.
    assert_eq!(trip(&s, NINGBO_BUS)["eta"], "2020-02-22T04:20:00+08:00");
    assert_eq!(trip(&s, NINGBO_BUS)["distance_km"], 1100);
    // 950 km: 15:50 and seven rests.
    assert_eq!(trip(&s, SUZHOU_BUS)["eta"], "2020-02-22T01:10:00+08:00");
    // 120 km: exactly two hours, and no rest at the gate.
    assert_eq!(trip(&s, XIAN_BUS)["eta"], "2020-02-21T09:00:00+08:00");
    for t in s["trips"].as_array().unwrap() {
        assert_eq!(t["overdue"], false);
        assert_eq!(t["notice"], "missing");
    }

    // The Xi'an bus leaves 35 minutes late: its arrival moves with it, the others do not.
    d.board_and_depart(XIAN_BUS, "2020-02-21T07:35");
    let s = d.json("2020-02-21T08:00", &["stats", "--date", DAY, "--json"]);
    let eta = trip(&s, XIAN_BUS)["eta"].as_str().unwrap().to_string();
    assert!(eta.starts_with("2020-02-21T09:35:"), "{eta}");
    assert!(eta.ends_with("+08:00"), "{eta}");
    let roster = d.json("2020-02-21T08:00", &["roster", "--bus", XIAN_BUS, "--json"]);
    assert_eq!(
        roster["eta"].as_str(),
        Some(eta.as_str()),
        "the roster agrees"
    );
    let roster = d.json(
        "2020-02-21T08:00",
        &["roster", "--bus", NINGBO_BUS, "--json"],
    );
    assert_eq!(roster["eta"], "2020-02-22T04:20:00+08:00");
    assert_eq!(trip(&s, NINGBO_BUS)["eta"], "2020-02-22T04:20:00+08:00");
    // A policy with another pace gives another time: the numbers are the county's.
    let policy = d.dir.path().join("fast.toml");
    std::fs::write(&policy, "avg_speed_kmh = 80\nrest_minutes = 0\n").unwrap();
    let s = d.json(
        "2020-02-21T08:00",
        &["--policy", policy.to_str().unwrap(), "stats", "--json"],
    );
    // 1,100 km at 80 km/h: 825 minutes, no rests.
    assert_eq!(trip(&s, NINGBO_BUS)["eta"], "2020-02-21T20:45:00+08:00");

    // The roster and the human table show it in the screen form.
    let table = stdout(&d.ok("2020-02-21T08:00", &["--lang", "zh", "stats"]));
    let line = table.lines().find(|l| l.contains(NINGBO_BUS)).unwrap();
    assert!(line.contains("02-22 04:20"), "{table}");
    let line = table.lines().find(|l| l.contains(XIAN_BUS)).unwrap();
    assert!(line.contains(" 09:35 "), "{table}");
}

#[test]
fn a_bus_past_its_arrival_and_the_margin_is_overdue_until_handed_over() {
    let d = imported();
    d.board_and_depart(XIAN_BUS, "2020-02-21T07:35");
    // Expected 09:35; with the two-hour margin it is overdue from 11:35.
    let s = d.json("2020-02-21T11:30", &["stats", "--json"]);
    assert_eq!(trip(&s, XIAN_BUS)["overdue"], false);
    let s = d.json("2020-02-21T11:40", &["stats", "--json"]);
    assert_eq!(trip(&s, XIAN_BUS)["overdue"], true);
    assert_eq!(trip(&s, NINGBO_BUS)["overdue"], false, "not left yet");
    let table = stdout(&d.ok("2020-02-21T11:40", &["--lang", "zh", "stats"]));
    let line = table.lines().find(|l| l.contains(XIAN_BUS)).unwrap();
    assert!(line.contains("超时未到"), "{table}");
    // The bulletin names it with the attendant and the phone to call, in full.
    let b = stdout(&d.ok("2020-02-21T11:40", &["stats", "--bulletin"]));
    assert!(
        b.contains("超时未到1辆：陕G21002（车次 旬阳-20200221-03-1，开往西安市，预计 09:35 到达），随车人员 郑干事 13809150103。"),
        "{b}"
    );
    let b = stdout(&d.ok("2020-02-21T11:40", &["--lang", "en", "stats", "--bulletin"]));
    assert!(
        b.contains("Overdue: 1 bus: 陕G21002 (trip 旬阳-20200221-03-1, to 西安市, expected 09:35), attendant 郑干事 13809150103."),
        "{b}"
    );
    // Handed over: no longer overdue, nor in the bulletin.
    d.ok(
        "2020-02-21T11:50",
        &["arrive", "--bus", XIAN_BUS, "--receiver", "马科长"],
    );
    let s = d.json("2020-02-21T11:55", &["stats", "--json"]);
    assert_eq!(trip(&s, XIAN_BUS)["overdue"], false);
    let b = stdout(&d.ok("2020-02-21T11:55", &["stats", "--bulletin"]));
    assert!(!b.contains("超时未到"), "{b}");
}

#[test]
fn the_notice_in_three_formats_shows_passengers_only_when_revealed() {
    let d = imported();
    let now = "2020-02-21T06:00";
    let private = d.workers_ids_and_phones();
    let names = d.worker_names();
    let audits = || d.count("SELECT COUNT(*) FROM audit WHERE action = 'reveal'");

    // CSV: Excel's BOM, the header, a row per employer on each bus, the crews in full.
    let csv = d.ok(now, &["export", "notice", "--date", DAY]).stdout;
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(
        rows[0].starts_with("目的地省份,车次编号,车牌号"),
        "{}",
        rows[0]
    );
    assert_eq!(rows.len(), 1 + 3, "{text}");
    let ningbo = rows.iter().find(|r| r.contains(NINGBO_BUS)).unwrap();
    for want in [
        "浙江省",
        "旬阳-20200221-02-1",
        "安康汽运",
        "赵师傅 13809150001 / 孙师傅 13809150003",
        "刘干事 13809150101",
        "县政府广场",
        "2020-02-21 07:00",
        "2020-02-22 04:20",
        ",1100,",
        "宁波海天电子厂",
        "北仑区<大港路>1号",
        "13905740001",
        ",8,",
    ] {
        assert!(ningbo.contains(want), "{want} missing: {ningbo}");
    }
    // A contact typed like a formula is shown as typed, not run by the spreadsheet.
    assert!(ningbo.contains(",'=陈经理,"), "{ningbo}");
    for secret in private.iter().chain(&names) {
        assert!(!text.contains(secret.as_str()), "{secret} in the CSV");
    }

    // HTML: escaped, self-contained, no passenger either.
    let html = stdout(&d.ok(
        now,
        &["export", "notice", "--date", DAY, "--format", "html"],
    ));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("返岗务工人员点对点包车抵达预告"));
    assert!(html.contains("北仑区&lt;大港路&gt;1号"), "escaped");
    assert!(!html.contains("<大港路>"));
    assert!(html.contains("2020-02-22 04:20"));
    for remote in ["http:", "https:", "<script", "<link", "<img", "url("] {
        assert!(!html.contains(remote), "{remote}");
    }
    for secret in private.iter().chain(&names) {
        assert!(!html.contains(secret.as_str()), "{secret} in the HTML");
    }
    // One page per province.
    assert_eq!(html.matches("<section class=\"bus\">").count(), 3);

    // JSON: one object, no passenger lists at all.
    let j = d.json(
        now,
        &["export", "notice", "--date", DAY, "--format", "json"],
    );
    assert_eq!(j["date"], DAY);
    assert_eq!(j["revealed"], false);
    let notices = j["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 3);
    let zj = notices.iter().find(|n| n["province"] == "浙江省").unwrap();
    assert_eq!(
        (zj["buses"].clone(), zj["people"].clone()),
        (1.into(), 8.into())
    );
    let t = &zj["trips"][0];
    assert_eq!(t["plate"], NINGBO_BUS);
    assert_eq!(t["eta"], "2020-02-22T04:20:00+08:00");
    assert_eq!(t["departure"], "2020-02-21T07:00:00+08:00");
    assert_eq!(t["departed_at"], Value::Null);
    assert_eq!(t["attendant"]["phone"], "13809150101");
    assert_eq!(t["drivers"].as_array().unwrap().len(), 2);
    let firm = &t["employers"][0];
    assert_eq!(firm["contact_phone"], "13905740001");
    assert_eq!(firm["people"], 8);
    assert!(firm.get("passengers").is_none(), "{firm}");
    assert_eq!(audits(), 0, "nothing revealed, nothing audited");

    // --reveal: the passenger list per employer, audited one row per bus.
    let j = d.json(
        now,
        &[
            "export", "notice", "--date", DAY, "--format", "json", "--reveal",
        ],
    );
    assert_eq!(j["revealed"], true);
    let zj = j["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["province"] == "浙江省")
        .unwrap();
    let list = zj["trips"][0]["employers"][0]["passengers"]
        .as_array()
        .unwrap();
    assert_eq!(list.len(), 8);
    assert_eq!(list[0]["name"], "张伟");
    assert_eq!(list[0]["id_number"], "610928198001010119");
    assert_eq!(list[0]["phone"], "13900000000");
    assert_eq!(audits(), 3);
    let csv = stdout(&d.ok(
        now,
        &[
            "export",
            "notice",
            "--date",
            DAY,
            "--province",
            "浙江",
            "--reveal",
        ],
    ));
    assert_eq!(csv.lines().count(), 1 + 8, "a row per passenger: {csv}");
    assert!(
        csv.contains(",1,张伟,610928198001010119,13900000000"),
        "{csv}"
    );
    assert!(!csv.contains("苏州"), "only Zhejiang: {csv}");
    let html = stdout(&d.ok(
        now,
        &[
            "export",
            "notice",
            "--date",
            DAY,
            "--province",
            "浙江省",
            "--format",
            "html",
            "--reveal",
        ],
    ));
    assert!(html.contains("乘客名单（8 人）") && html.contains("610928198001010119"));
    assert!(html.contains("导出已记录审计日志"));
    assert_eq!(audits(), 3 + 1 + 1);
    let audit = d.count(
        "SELECT COUNT(*) FROM audit WHERE action = 'reveal' AND entity = 'trip'
           AND json_extract(after, '$.what') = 'notice' AND operator = '王科长'",
    );
    assert_eq!(audit, 5);

    // A read-only session may print the notice, not reveal passengers.
    let o = d.run(
        now,
        &["--readonly", "export", "notice", "--date", DAY, "--reveal"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--readonly"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(audits(), 5);
    d.ok(now, &["--readonly", "export", "notice", "--date", DAY]);

    // A province no bus goes to is named, with the day's destinations.
    let o = d.run(
        now,
        &["export", "notice", "--date", DAY, "--province", "北京"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "no bus goes to '北京' on 2020-02-21 (destinations that day: 江苏省, 浙江省, 陕西省)"
        ),
        "{}",
        stderr(&o)
    );
    let o = d.run(now, &["export", "notice", "--date", "2020-02-25"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no bus leaves on 2020-02-25"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_notice_file_goes_through_the_one_writer() {
    let d = imported();
    let now = "2020-02-21T06:00";
    let out = d.dir.path().join("notice.html");
    let path = out.to_str().unwrap();
    let args = [
        "export", "notice", "--date", DAY, "--format", "html", "--out", path,
    ];
    d.ok(now, &args);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Not replaced without --force; replaced with it; never the database.
    let o = d.run(now, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    d.ok(now, &[&args[..], &["--force"]].concat());
    let db = d.db.to_str().unwrap();
    let o = d.run(
        now,
        &["export", "notice", "--date", DAY, "--out", db, "--force"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        d.count("SELECT COUNT(*) FROM trips") == 3,
        "the database is intact"
    );
}

#[test]
fn a_notice_sent_is_recorded_with_who_and_when() {
    let d = imported();
    let o = d.ok(
        "2020-02-21T06:30",
        &[
            "--lang",
            "zh",
            "notice-sent",
            "--date",
            DAY,
            "--province",
            "浙江",
            "--to",
            "浙江省交通运输厅 李处长",
        ],
    );
    assert!(
        stdout(&o).contains("浙江省的车辆抵达预告已于 2020-02-21 06:30 发给 浙江省交通运输厅 李处长（操作员 王科长）"),
        "{}",
        stdout(&o)
    );
    let s = d.json("2020-02-21T06:40", &["stats", "--date", DAY, "--json"]);
    let n = &s["notices"].as_array().unwrap()[0];
    assert_eq!(n["date"], DAY);
    assert_eq!(n["province"], "浙江省");
    assert_eq!(n["to"], "浙江省交通运输厅 李处长");
    assert_eq!(n["operator"], "王科长");
    assert!(
        n["at"].as_str().unwrap().starts_with("2020-02-21T06:30:"),
        "{n}"
    );
    assert_eq!(trip(&s, NINGBO_BUS)["notice"], "sent");
    assert!(trip(&s, NINGBO_BUS)["notified_at"]
        .as_str()
        .unwrap()
        .starts_with("2020-02-21T06:30:"));
    assert_eq!(trip(&s, SUZHOU_BUS)["notice"], "missing");
    // The audit log keeps who sent which notice; the text typed stays out of it.
    let audited = d.count(
        "SELECT COUNT(*) FROM audit WHERE action = 'notice-sent' AND entity = 'notice'
           AND operator = '王科长' AND json_extract(after, '$.province') = '浙江省'
           AND json_extract(after, '$.date') = '2020-02-21'
           AND entity_id = (SELECT id FROM notices)",
    );
    assert_eq!(audited, 1);
    assert_eq!(
        d.count("SELECT COUNT(*) FROM audit WHERE after LIKE '%李处长%'"),
        0
    );

    // Shaanxi is told only after its bus left: late, and said so.
    d.board_and_depart(XIAN_BUS, "2020-02-21T07:05");
    let j = d.json(
        "2020-02-21T07:20",
        &[
            "notice-sent",
            "--date",
            DAY,
            "--province",
            "陕西省",
            "--to",
            "西安市人社局",
            "--json",
        ],
    );
    assert_eq!(j["province"], "陕西省");
    let s = d.json("2020-02-21T07:30", &["stats", "--json"]);
    assert_eq!(trip(&s, XIAN_BUS)["notice"], "late");
    let b = stdout(&d.ok("2020-02-21T07:30", &["stats", "--bulletin"]));
    assert!(
        b.contains("已发送抵达预告：浙江（06:30 发给 浙江省交通运输厅 李处长）、陕西（07:20 发给 西安市人社局）。尚未发送抵达预告：江苏。"),
        "{b}"
    );

    // Whom it went to is checked like any typed text; a wrong province is named; a read-only
    // session writes nothing.
    let before = d.count("SELECT COUNT(*) FROM notices");
    let o = d.run(
        "2020-02-21T07:40",
        &[
            "notice-sent",
            "--date",
            DAY,
            "--province",
            "江苏",
            "--to",
            "苏州\u{202e}人社局",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("recipient"), "{}", stderr(&o));
    assert!(!stderr(&o).contains('\u{202e}'));
    let o = d.run(
        "2020-02-21T07:40",
        &[
            "notice-sent",
            "--date",
            DAY,
            "--province",
            "上海",
            "--to",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = d.run(
        "2020-02-21T07:40",
        &[
            "--readonly",
            "notice-sent",
            "--date",
            DAY,
            "--province",
            "江苏",
            "--to",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = d.run(
        "2020-02-21T07:40",
        &["notice-sent", "--date", DAY, "--province", "江苏", "--json"],
    );
    assert_eq!(o.status.code(), Some(2), "--to is required");
    assert_eq!(d.count("SELECT COUNT(*) FROM notices"), before);
}

#[test]
fn purge_blanks_whom_the_notice_went_to_and_keeps_that_it_went() {
    let d = imported();
    d.ok(
        "2020-02-21T06:30",
        &[
            "notice-sent",
            "--date",
            DAY,
            "--province",
            "陕西",
            "--to",
            "西安市人社局 马科长",
        ],
    );
    d.board_and_depart(XIAN_BUS, "2020-02-21T07:05");
    d.ok("2020-02-21T09:10", &["arrive", "--bus", XIAN_BUS]);
    // A year and a day later, the Shaanxi trip is past its retention.
    d.ok("2021-02-22T08:00", &["purge", "--yes"]);
    assert_eq!(
        d.count("SELECT COUNT(*) FROM notices WHERE sent_to = '' AND province = '陕西省'"),
        1
    );
    let s = d.json("2021-02-22T08:00", &["stats", "--date", DAY, "--json"]);
    let n = &s["notices"][0];
    assert_eq!(
        (n["province"].clone(), n["to"].clone()),
        ("陕西省".into(), "".into())
    );
}
