//! `stats`: the JSON contract of issues 2 and 5, the additions, the table and the bulletin,
//! on the fixture day (2020-02-21).

#[path = "fixtures/papers/helper.rs"]
mod helper;

use helper::*;
use serde_json::Value;

fn trip<'a>(v: &'a Value, plate: &str) -> &'a Value {
    v["trips"]
        .as_array()
        .expect("trips array")
        .iter()
        .find(|t| t["plate"] == plate)
        .unwrap_or_else(|| panic!("no trip {plate} in {v}"))
}

fn employer<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["by_employer"]
        .as_array()
        .expect("by_employer array")
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no employer {name} in {v}"))
}

#[test]
fn json_contract_counts_the_ledger_and_eligibility() {
    let db = day_db();
    let v = json(&ok(db.run(&["stats", "--json"])));
    assert_eq!(v["workers"], 26);
    assert_eq!(v["employers"], 5);
    assert_eq!(v["buses"], 6);
    // Registered with a certificate valid on the 21st: 501 (issued 18th), 505 (last day),
    // 506 (valid-until only). Not 502 (expired), 503 (not yet), 504 (none), 507 (withdrawn).
    assert_eq!(v["eligible"], 3);
    let changsha = employer(&v, "长沙湘江制衣厂");
    assert_eq!(changsha["registered"], 4);
    assert_eq!(changsha["eligible"], 1);
    let ningbo = employer(&v, "宁波甬达电器有限公司");
    assert_eq!(ningbo["eligible"], 2);
    assert_eq!(ningbo["departed"], 4);
}

#[test]
fn eligibility_follows_the_date_and_the_policy() {
    let db = day_db();
    // On the 22nd, 505's certificate has expired and 503's has started.
    let v = json(&ok(db.run(&["stats", "--json", "--date", "2020-02-22"])));
    assert_eq!(v["eligible"], 3);
    assert_eq!(employer(&v, "宁波甬达电器有限公司")["eligible"], 1);
    assert_eq!(employer(&v, "长沙湘江制衣厂")["eligible"], 2);
    // A 3-day validity: 501 (issued 18th) is out on the 21st, 505 and 502 too.
    let policy = db.dir.path().join("p.toml");
    std::fs::write(&policy, "cert_validity_days = 3\n").unwrap();
    let v = json(&ok(db.run(&[
        "--policy",
        policy.to_str().unwrap(),
        "stats",
        "--json",
    ])));
    assert_eq!(v["eligible"], 1);
}

#[test]
fn trips_of_the_day_follow_every_bus() {
    let db = day_db();
    let v = json(&ok(db.run(&["stats", "--json"])));
    let trips = v["trips"].as_array().unwrap();
    assert_eq!(trips.len(), 5, "the old trip of the 17th is not today's");
    let t = trip(&v, "陕G21001");
    assert_eq!(t["status"], "departed");
    // Six records: four boarded (one a stand-by on a freed seat), one refused, one no-show.
    // Expected counts those holding a seat, as the roster screen does.
    assert_eq!(
        (t["expected"].as_u64(), t["boarded"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(
        (t["refused"].as_u64(), t["no_show"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(t["standby"], 1);
    let t = trip(&v, "陕G21002");
    assert_eq!(t["status"], "boarding");
    assert_eq!(
        (
            t["expected"].as_u64(),
            t["boarded"].as_u64(),
            t["missing"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(trip(&v, "陕G21004")["status"], "cancelled");
    assert_eq!(trip(&v, "陕GD12345")["status"], "arrived");
    // Only buses that left count as sent; the boarding and planned ones do not yet.
    assert_eq!(v["day"]["buses"], 2);
    assert_eq!(v["day"]["people"], 6);
    assert_eq!(v["day"]["other_means"], 1);
    assert_eq!(v["cumulative"]["buses"], 3);
    assert_eq!(v["cumulative"]["people"], 9);
    assert_eq!(v["cumulative"]["other_means"], 2);
    assert_eq!(v["first_departure"], "2020-02-17");
    assert_eq!(v["day"]["by_province"][0]["name"], "浙江省");
    assert_eq!(v["day"]["by_province"][0]["people"], 4);
    assert_eq!(v["by_status"]["other-means"], 2);
}

#[test]
fn another_day_has_its_own_trips() {
    let db = day_db();
    let v = json(&ok(db.run(&["stats", "--json", "--date", "2020-02-17"])));
    assert_eq!(v["trips"].as_array().unwrap().len(), 1);
    assert_eq!(trip(&v, "陕G21000")["boarded"], 3);
    assert_eq!(v["cumulative"]["people"], 3);
}

#[test]
fn json_never_shows_personal_data() {
    let db = day_db();
    let (ids, phones) = ids_and_phones(&db);
    let out = stdout(&ok(db.run(&["stats", "--json"])));
    let human = stdout(&ok(db.run(&["--lang", "zh", "stats"])));
    for text in [&out, &human] {
        for s in ids.iter().chain(&phones) {
            assert!(!text.contains(s.as_str()), "{s} leaked");
        }
        assert!(!text.contains("王小明") && !text.contains("周志强"));
    }
}

#[test]
fn human_table_names_buses_and_employers() {
    let db = day_db();
    let out = stdout(&ok(db.run(&["--lang", "zh", "stats"])));
    assert!(out.contains("当日车次"), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("陕G21001"))
        .expect("bus line");
    assert!(
        line.contains("已发车") && line.contains("浙江宁波市"),
        "{line}"
    );
    assert!(out.contains("宁波甬达电器有限公司"));
    let en = stdout(&ok(db.run(&["--lang", "en", "stats"])));
    assert!(
        en.contains("Buses of the day") && en.contains("departed"),
        "{en}"
    );
}

#[test]
fn bulletin_is_built_from_the_data() {
    let db = day_db();
    let zh = stdout(&ok(db.run(&["stats", "--bulletin"])));
    assert_eq!(
        zh.trim(),
        "2月21日，旬阳县开行点对点包车2辆（2个批次），向浙江、甘肃等地输送务工人员6人，\
         其中浙江4人、甘肃2人；另有1人通过其他方式返岗。\
         自2月17日首发以来，累计开行点对点包车3辆（3个批次），输送务工人员9人，\
         其中2辆5人已安全抵达；另有2人通过其他方式返岗。\
         尚未发送抵达预告：山西、江苏、浙江、甘肃。"
    );
    let en = stdout(&ok(db.run(&["--lang", "en", "stats", "--bulletin"])));
    assert!(
        en.starts_with("21 February: Xunyang County ran 2 point-to-point chartered buses (2 batches), taking 6 workers to Zhejiang (4) and Gansu (2); 1 more left by other means."),
        "{en}"
    );
    // Boarding the Shanxi bus and sending it changes the bulletin the same day.
    rusqlite::Connection::open(db.store().path())
        .unwrap()
        .execute_batch(
            "UPDATE passengers SET status = 'boarded' WHERE worker_id = 302;
             UPDATE trips SET status = 'departed' WHERE id = 3;",
        )
        .unwrap();
    let zh = stdout(&ok(db.run(&["stats", "--bulletin"])));
    assert!(
        zh.starts_with("2月21日，旬阳县、石泉县开行点对点包车3辆（3个批次），向浙江、山西、甘肃等地输送务工人员8人"),
        "{zh}"
    );
}

#[test]
fn bad_date_is_a_usage_error() {
    let db = day_db();
    let o = db.run(&["stats", "--date", "2020-13-01"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--date"), "{}", stderr(&o));
}
