//! `zhitong plan`: shows (or with `--apply` writes) the plan of a departure day, as a compact
//! table per batch and bus or as the JSON object of the command-line contract.

use super::*;
use crate::model::{mask_id, parse_date};
use crate::plan::{Plan, PlannedBatch, PlannedBus, Unplaced, UnplacedReason, Warning};
use serde::Serialize;

#[derive(Serialize)]
struct PlanJson<'a> {
    date: String,
    lower_bound: u32,
    buses: Vec<BusJson<'a>>,
    unplaced: Vec<UnplacedJson<'a>>,
    /// Digest of the proposal: `plan --apply --expect` writes only this one.
    fingerprint: String,
    /// Warnings that belong to no single bus, held-back buses among them.
    warnings: Vec<WarningJson<'a>>,
}

#[derive(Serialize)]
struct WarningJson<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    plate: Option<&'a str>,
    /// The trip that holds a bus back.
    #[serde(skip_serializing_if = "Option::is_none")]
    trip: Option<&'a str>,
    /// The day a held-back bus is free again (at the earliest, for a trip still open).
    #[serde(skip_serializing_if = "Option::is_none")]
    free_from: Option<String>,
    /// The employer a warning is about (changed after planning, beyond its expected count).
    #[serde(skip_serializing_if = "Option::is_none")]
    employer: Option<&'a str>,
    /// The batch planned under what the employer was then.
    #[serde(skip_serializing_if = "Option::is_none")]
    batch: Option<&'a str>,
    text: String,
}

impl<'a> WarningJson<'a> {
    fn new(w: &'a Warning, lang: Lang) -> Self {
        let (trip, free_from) = match w {
            Warning::BusBusy {
                trip, free_from, ..
            } => (Some(trip.as_str()), Some(free_from.to_string())),
            _ => (None, None),
        };
        WarningJson {
            kind: w.kind(),
            plate: w.plate(),
            trip,
            free_from,
            employer: w.employer(),
            batch: w.batch(),
            text: w.text(lang),
        }
    }
}

#[derive(Serialize)]
struct BusJson<'a> {
    batch: &'a str,
    /// The trip's code, `旬阳-20200221-01-1`.
    trip: &'a str,
    departure: &'a str,
    plate: &'a str,
    rated_seats: u32,
    rows: u32,
    capacity: u32,
    destination_city: &'a str,
    employers: &'a [String],
    warnings: Vec<String>,
    passengers: Vec<PassengerJson<'a>>,
}

#[derive(Serialize)]
struct PassengerJson<'a> {
    worker: i64,
    name: &'a str,
    id_number: String,
    village: &'a str,
    employer: &'a str,
    seat: u32,
    row: u32,
    col: u32,
}

#[derive(Serialize)]
struct UnplacedJson<'a> {
    worker: i64,
    name: &'a str,
    reason: &'static str,
}

pub fn run(ctx: &mut Ctx, args: &PlanArgs) -> OpResult<Exit> {
    let date = parse_date(&args.date).map_err(|e| super::date_usage(e, ctx.lang))?;
    let county = args.county.as_deref();
    if args.expect.is_some() && !args.apply {
        return Err(OpError::Usage(
            ctx.lang
                .pick(
                    "--expect 只与 --apply 一起使用",
                    "--expect goes with --apply",
                )
                .into(),
        ));
    }
    if args.json && !args.apply && !args.reveal {
        return stream_json(ctx, date, county);
    }
    let plan = if args.apply {
        crate::ops::plan::apply_reviewed(ctx, date, county, args.expect.as_deref())?
    } else {
        crate::ops::plan::propose(ctx, date, county)?
    };
    if args.reveal {
        // Audited before anything is shown.
        crate::ops::plan::record_reveal(ctx, date, county, plan.placed())?;
    }
    if args.json {
        let text = serde_json::to_string(&to_json(&plan, ctx.lang, args.reveal))
            .map_err(|e| OpError::Failed(e.to_string()))?;
        println!("{text}");
        for w in &plan.warnings {
            eprintln!("zhitong: {}", w.text(ctx.lang));
        }
    } else {
        print!("{}", human(&plan, ctx.lang, args.apply));
    }
    Ok(Exit::Ok)
}

fn bus_json<'a>(
    batch: &'a PlannedBatch,
    bus: &'a PlannedBus,
    lang: Lang,
    reveal: bool,
) -> BusJson<'a> {
    BusJson {
        batch: &batch.code,
        trip: &bus.trip_code,
        departure: &batch.departure,
        plate: &bus.plate,
        rated_seats: bus.rated_seats,
        rows: bus.rows,
        capacity: bus.capacity,
        destination_city: &batch.city,
        employers: &bus.employers,
        warnings: bus.warnings.iter().map(|w| w.text(lang)).collect(),
        passengers: bus
            .passengers
            .iter()
            .map(|p| PassengerJson {
                worker: p.worker,
                name: &p.name,
                id_number: if reveal {
                    p.id_number.clone()
                } else {
                    mask_id(&p.id_number)
                },
                village: &p.village,
                employer: &p.employer,
                seat: p.seat,
                row: p.row,
                col: p.col,
            })
            .collect(),
    }
}

fn unplaced_json(u: &Unplaced) -> UnplacedJson<'_> {
    UnplacedJson {
        worker: u.worker,
        name: &u.name,
        reason: u.reason.as_str(),
    }
}

fn to_json(plan: &Plan, lang: Lang, reveal: bool) -> PlanJson<'_> {
    PlanJson {
        date: plan.date.format("%Y-%m-%d").to_string(),
        lower_bound: plan.lower_bound,
        buses: plan
            .buses()
            .map(|(batch, bus)| bus_json(batch, bus, lang, reveal))
            .collect(),
        unplaced: plan.unplaced.iter().map(unplaced_json).collect(),
        fingerprint: plan.fingerprint(),
        warnings: plan
            .warnings
            .iter()
            .map(|w| WarningJson::new(w, lang))
            .collect(),
    }
}

/// A temporary file for text that waits for the end of the output (a city's unplaced workers
/// are tens of MB): created owner-only and unlinked at once, so it vanishes with the process.
fn spill() -> OpResult<std::io::BufWriter<std::fs::File>> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let path = std::env::temp_dir().join(format!(
        "zhitong-plan-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts
        .open(&path)
        .map_err(|e| OpError::Failed(format!("{}: {e}", path.display())))?;
    let _ = std::fs::remove_file(&path);
    Ok(std::io::BufWriter::new(file))
}

/// `plan --json` of a proposal, written as it is made, county by county: the same object as
/// `to_json`, without ever holding a whole city's plan or its text. Keys come in another order:
/// `lower_bound`, `fingerprint` and `warnings`, known only once every county is planned, come
/// last.
fn stream_json(ctx: &Ctx, date: chrono::NaiveDate, county: Option<&str>) -> OpResult<Exit> {
    use std::io::Write;
    let io = |e: std::io::Error| OpError::Failed(format!("stdout: {e}"));
    let lang = ctx.lang;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    // Written with the first county's plan: a refusal before it (a pack, an unknown county)
    // leaves stdout to the error object alone.
    let head = format!("{{\"date\":\"{}\",\"buses\":[", date.format("%Y-%m-%d"));
    let mut started = false;
    let json = |e: serde_json::Error| OpError::Failed(e.to_string());
    let mut first = true;
    // The unplaced come last, ordered by reason, county, worker as one plan orders them.
    // Counties arrive in name order and each county's list is in that order, so one text
    // per reason, appended county after county, is already sorted (and far smaller than
    // the records).
    let reasons = [
        UnplacedReason::NoBus,
        UnplacedReason::NoCertificate,
        UnplacedReason::UnknownEmployer,
    ];
    let mut unplaced = [spill()?, spill()?, spill()?];
    let end = crate::ops::plan::propose_each(ctx, date, county, |plan| {
        if !started {
            out.write_all(head.as_bytes()).map_err(io)?;
            started = true;
        }
        for (batch, bus) in plan.buses() {
            if !first {
                out.write_all(b",").map_err(io)?;
            }
            first = false;
            serde_json::to_writer(&mut out, &bus_json(batch, bus, lang, false)).map_err(json)?;
        }
        for u in &plan.unplaced {
            let i = reasons.iter().position(|r| *r == u.reason).unwrap_or(0);
            let text = &mut unplaced[i];
            text.write_all(b",").map_err(io)?;
            serde_json::to_writer(&mut *text, &unplaced_json(u)).map_err(json)?;
        }
        Ok(())
    })?;
    if !started {
        out.write_all(head.as_bytes()).map_err(io)?;
    }
    out.write_all(b"],\"unplaced\":[").map_err(io)?;
    let mut first = true;
    for text in unplaced {
        use std::io::{Read, Seek};
        let mut file = text.into_inner().map_err(|e| io(e.into_error()))?;
        file.rewind().map_err(io)?;
        // Each text starts with a comma.
        let mut comma = [0u8; 1];
        if file.read(&mut comma).map_err(io)? == 0 {
            continue;
        }
        if !first {
            out.write_all(b",").map_err(io)?;
        }
        first = false;
        std::io::copy(&mut file, &mut out).map_err(io)?;
    }
    write!(
        out,
        "],\"lower_bound\":{},\"fingerprint\":",
        end.lower_bound
    )
    .map_err(io)?;
    serde_json::to_writer(&mut out, &end.fingerprint).map_err(json)?;
    out.write_all(b",\"warnings\":").map_err(io)?;
    let warnings: Vec<WarningJson<'_>> = end
        .warnings
        .iter()
        .map(|w| WarningJson::new(w, lang))
        .collect();
    serde_json::to_writer(&mut out, &warnings).map_err(json)?;
    writeln!(out, "}}").map_err(io)?;
    out.flush().map_err(io)?;
    for w in &end.warnings {
        eprintln!("zhitong: {}", w.text(lang));
    }
    Ok(Exit::Ok)
}

/// Pads to a display width (Chinese characters take two columns), cutting what is too long.
fn pad(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push_str(&" ".repeat(width - used));
    out
}

fn fill_bar(load: u32, capacity: u32) -> String {
    const CELLS: u32 = 10;
    let full = (load * CELLS).checked_div(capacity).unwrap_or(0).min(CELLS);
    let pct = (load * 100).checked_div(capacity).unwrap_or(0);
    format!(
        "{}{} {pct:>3}%",
        "█".repeat(full as usize),
        "░".repeat((CELLS - full) as usize)
    )
}

fn bus_line(bus: &PlannedBus, lang: Lang) -> String {
    let employers = bus.employers.join("、");
    let mut seats = format!("{}/{}", bus.load(), bus.capacity);
    if bus.existing {
        seats.push_str(&format!(" (+{})", bus.passengers.len()));
    }
    format!(
        "  {} {} {} {} {}  {}\n",
        pad(&bus.plate, 10),
        pad(&seats, 11),
        pad(
            &format!("{}{}", bus.rated_seats, lang.pick("座", " seats")),
            9
        ),
        pad(&employers, 30),
        fill_bar(bus.load(), bus.capacity),
        bus.trip_code
    )
}

fn human(plan: &Plan, lang: Lang, applied: bool) -> String {
    let mut out = String::new();
    let date = plan.date.format("%Y-%m-%d");
    out.push_str(&if applied {
        format!("{}{date}\n", lang.pick("已写入计划 ", "Plan written for "))
    } else {
        format!(
            "{}{date}{}\n",
            lang.pick("计划预览 ", "Plan for "),
            lang.pick(
                "（未写入；加 --apply 写入）",
                " (not written; add --apply to write it)"
            )
        )
    });
    for batch in &plan.batches {
        out.push_str(&format!(
            "\n{}  {}{}  {} {}  {}\n",
            batch.code,
            batch.province,
            batch.city,
            lang.pick("发车", "departs"),
            batch.departure,
            batch.gathering_point
        ));
        out.push_str(&format!(
            "  {} {} {} {} {} {}\n",
            pad(lang.pick("车牌", "plate"), 10),
            pad(lang.pick("人数/限载", "seated/cap"), 11),
            pad(lang.pick("核定", "rated"), 9),
            pad(lang.pick("企业", "employers"), 30),
            pad(lang.pick("满载率", "fill"), 15),
            lang.pick("车次", "trip")
        ));
        for bus in &batch.buses {
            out.push_str(&bus_line(bus, lang));
            for w in &bus.warnings {
                out.push_str(&format!("    ! {}\n", w.text(lang)));
            }
        }
    }
    if !plan.warnings.is_empty() {
        out.push('\n');
        for w in &plan.warnings {
            out.push_str(&format!("! {}\n", w.text(lang)));
        }
    }
    if !plan.unplaced.is_empty() {
        out.push_str(&format!("\n{}\n", lang.pick("未安排：", "Not placed:")));
        for reason in [
            UnplacedReason::NoBus,
            UnplacedReason::NoCertificate,
            UnplacedReason::UnknownEmployer,
        ] {
            let names: Vec<&str> = plan
                .unplaced
                .iter()
                .filter(|u| u.reason == reason)
                .map(|u| u.name.as_str())
                .collect();
            if names.is_empty() {
                continue;
            }
            const SHOWN: usize = 20;
            let mut line = names
                .iter()
                .take(SHOWN)
                .copied()
                .collect::<Vec<_>>()
                .join("、");
            if names.len() > SHOWN {
                line.push_str(&format!(
                    "{}{}",
                    lang.pick(" … 另 ", " … and "),
                    names.len() - SHOWN
                ));
                line.push_str(lang.pick(" 人", " more"));
            }
            out.push_str(&format!(
                "  {} ({}): {line}\n",
                reason_text(reason, lang),
                names.len()
            ));
        }
    }
    let fp = plan.fingerprint();
    out.push_str(&if applied {
        format!("\n{} {fp}\n", lang.pick("方案指纹", "fingerprint"))
    } else {
        match lang {
            Lang::Zh => format!("\n方案指纹 {fp}（写入这一方案：plan --apply --expect {fp}）\n"),
            Lang::En => {
                format!("\nfingerprint {fp} (to write this proposal: plan --apply --expect {fp})\n")
            }
        }
    });
    let buses = plan.buses().count();
    let placed = plan.placed();
    out.push_str(&format!(
        "{}\n",
        match lang {
            Lang::Zh => format!(
                "{placed} 人，{buses} 辆车（至少需 {} 辆）",
                plan.lower_bound
            ),
            Lang::En => format!(
                "{placed} passengers, {buses} buses (lower bound {})",
                plan.lower_bound
            ),
        }
    ));
    out
}

fn reason_text(r: UnplacedReason, lang: Lang) -> &'static str {
    match r {
        UnplacedReason::NoBus => lang.pick("无车可排", "no-bus"),
        UnplacedReason::NoCertificate => lang.pick("健康证明无效", "no-certificate"),
        UnplacedReason::UnknownEmployer => lang.pick("企业不明", "unknown-employer"),
    }
}

/// `zhitong batch --code CODE [--departure HH:MM] [--gathering PLACE]`
pub fn edit_batch(ctx: &mut Ctx, a: &BatchArgs) -> OpResult<Exit> {
    let c = crate::ops::batch::edit_batch(
        ctx,
        &a.code,
        a.departure.as_deref(),
        a.gathering.as_deref(),
    )?;
    if a.json {
        let text = serde_json::to_string(&c).map_err(|e| OpError::Failed(e.to_string()))?;
        println!("{text}");
    } else {
        println!(
            "{} {} {}",
            c.code,
            c.departure.replace('T', " "),
            c.gathering_point
        );
    }
    Ok(Exit::Ok)
}
