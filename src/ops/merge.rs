//! `merge`: a pack's journal replayed into the ledger, in order, through the same door and road
//! functions the attendant used, so that the ledger's rules hold. Each event is applied in its
//! own write transaction that also records it as merged (`ops::journal`): merging twice, or
//! again after the process was killed, applies every event exactly once. An event that
//! conflicts with what the office did meanwhile is not applied and is listed with its reason.

use super::departure::{self, say, TripRef, Who, RECORDED_REFUSALS};
use super::journal::{Args, Journal, Replay, ALREADY_MERGED};
use super::{Ctx, OpError, OpResult};
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::model::{FreeText, RefuseReason, TripStatus};
use crate::store::pack::{self, Entry, MergedEvent, PackInfo};
use crate::store::{Db, Store};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

/// What a merge did: `{"applied", "already", "conflicts": [{"event", "seat", "name",
/// "reason"}]}` (the JSON of `merge --json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MergeReport {
    /// Events applied by this merge.
    pub applied: u32,
    /// Events an earlier merge applied.
    pub already: u32,
    /// Events not applied (now, or by an earlier merge), in journal order.
    pub conflicts: Vec<Conflict>,
    /// The trip has arrived (or was cancelled) in the ledger: the pack's work is done and it
    /// only holds personal data now (not in the JSON).
    #[serde(skip)]
    pub trip_over: bool,
}

/// An event that was not applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub event: String,
    pub seat: Option<u32>,
    pub name: Option<String>,
    /// A stable code: `moved`, `not_on_trip`, `trip_swapped`, `trip_cancelled`,
    /// `office_later`, or the refusal code of the rule that stopped it (`closed`,
    /// `already-refused`, `unaccounted` …).
    pub reason: String,
    /// The sentence for people (not in the JSON).
    #[serde(skip)]
    pub message: String,
}

/// A pack as a merge reads it.
pub struct PackJournal {
    pub info: PackInfo,
    pub entries: Vec<Entry>,
    /// Passenger records' `changed_at` when the pack was made, by record id.
    pub base: HashMap<i64, String>,
    /// Where each worker stands in the pack now (status, reason, seat), by worker row id.
    pub states: HashMap<i64, pack::PassengerState>,
}

impl PackJournal {
    pub fn read(conn: &Db<'_>, info: PackInfo) -> OpResult<PackJournal> {
        Ok(PackJournal {
            states: pack::passenger_states(conn, info.trip_id)?,
            info,
            entries: pack::entries(conn)?,
            base: pack::base(conn)?,
        })
    }
}

/// Opens `file` as a pack of this ledger (`writable` for a refresh, which marks it replaced):
/// not a pack, or a pack of another ledger, is an error (exit 1) naming the file.
pub fn open_pack(ctx: &Ctx, file: &Path, writable: bool) -> OpResult<Store> {
    let shown = file.display();
    let lang = ctx.lang;
    if !file.is_file() {
        return Err(OpError::Failed(say!(
            lang,
            "{}：找不到此离线包文件",
            "{}: no such pack file",
            shown
        )));
    }
    if pack::info_of_file(file).is_none() {
        return Err(OpError::Failed(say!(
            lang,
            "{}：不是离线包（用 zhitong pack 制作）",
            "{}: not a pack (packs are made with zhitong pack)",
            shown
        )));
    }
    // Read-only unless a migration is due (a pack made by an older version) or it is refreshed.
    let store = if writable {
        Store::open(file)?
    } else {
        Store::open_readonly(file).or_else(|_| Store::open(file))?
    };
    let Some(info) = store.pack() else {
        return Err(OpError::Failed(format!("{shown}: not a pack")));
    };
    let mine = pack::ledger_id(&ctx.store.db())?.unwrap_or_default();
    if info.ledger != mine {
        return Err(OpError::Failed(say!(
            lang,
            "{}：此离线包来自另一个台账，不能合并到 {}",
            "{}: this pack comes from another ledger and cannot be merged into {}",
            shown,
            ctx.store.path().display()
        )));
    }
    Ok(store)
}

/// `merge FILE`: replays the pack's journal into the ledger (see the module's text).
pub fn merge(ctx: &mut Ctx, file: &Path) -> OpResult<MergeReport> {
    super::journal::ledger_only(ctx)?;
    let store = open_pack(ctx, file, false)?;
    let info = store
        .pack()
        .cloned()
        .ok_or_else(|| OpError::Failed(format!("{}: not a pack", file.display())))?;
    let journal = PackJournal::read(&store.db(), info)?;
    drop(store);
    let mut report = replay_all(ctx, &journal)?;
    report.trip_over = departure::bus_trip(ctx, TripRef::code(&journal.info.trip))
        .is_ok_and(|t| matches!(t.status, TripStatus::Arrived | TripStatus::Cancelled));
    Ok(report)
}

/// Replays every event of `p` in order; stops at the first fault of the database itself
/// (busy, disk), leaving what was applied recorded and the rest for the next merge.
pub fn replay_all(ctx: &mut Ctx, p: &PackJournal) -> OpResult<MergeReport> {
    if ctx.store.is_readonly() {
        return Err(crate::store::StoreError::ReadOnly.into());
    }
    let mut report = MergeReport::default();
    for e in &p.entries {
        match replay(ctx, p, e)? {
            Outcome::Applied => report.applied += 1,
            Outcome::Already => report.already += 1,
            Outcome::Conflict(c) => report.conflicts.push(c),
        }
    }
    Ok(report)
}

enum Outcome {
    Applied,
    Already,
    Conflict(Conflict),
}

fn replay(ctx: &mut Ctx, p: &PackJournal, e: &Entry) -> OpResult<Outcome> {
    let lang = ctx.lang;
    // Names as the ledger has them: the pack came back from the road and is not trusted
    // further than its acts, which the ledger's rules check again.
    let name = match e.worker_id {
        Some(w) => pack::worker_name(&ctx.store.db(), w)?,
        None => None,
    };
    let conflict = |reason: &str, message: String| Conflict {
        event: e.event.clone(),
        seat: e.seat,
        name: name.clone(),
        reason: reason.to_string(),
        message,
    };
    // What an earlier (or a simultaneous) merge decided for this event stands.
    let settled = |ctx: &Ctx| -> OpResult<Option<Outcome>> {
        Ok(pack::merged(&ctx.store.db(), &e.event)?.map(|m| {
            if m.outcome == "applied" {
                return Outcome::Already;
            }
            let reason = m.reason.unwrap_or_default();
            let message = reason_text(&reason, lang);
            Outcome::Conflict(conflict(&reason, message))
        }))
    };
    // A conflict is recorded unless another merge of the same pack settled the event
    // meanwhile (its later events can be what made this one fail).
    let not_applied = |ctx: &mut Ctx, c: Conflict| -> OpResult<Outcome> {
        if let Some(done) = settled(ctx)? {
            return Ok(done);
        }
        if !record_conflict(ctx, p, e, &c.reason)? {
            if let Some(done) = settled(ctx)? {
                return Ok(done);
            }
        }
        Ok(Outcome::Conflict(c))
    };
    if let Some(done) = settled(ctx)? {
        return Ok(done);
    }
    if let Some((reason, message)) = precheck(ctx, p, e)? {
        return not_applied(ctx, conflict(reason, message));
    }
    let road_at = crate::clock::parse_stored(&e.at);
    let operator = super::free_text(lang, FreeText::Operator, &e.operator);
    let (Some(road_at), Ok(road_operator)) = (road_at, operator) else {
        return not_applied(ctx, conflict("unreadable", reason_text("unreadable", lang)));
    };
    let replay = Replay {
        event: e.event.clone(),
        pack: p.info.id.clone(),
        seq: e.seq,
        kind: e.kind.clone(),
        road_at: e.at.clone(),
        road_operator: e.operator.clone(),
        merged_at: crate::clock::now_text(),
        merged_by: ctx.operator.clone(),
    };
    // The act is done again as the attendant did it: their name, their time.
    let office = std::mem::replace(&mut ctx.operator, road_operator);
    let before = std::mem::replace(&mut ctx.journal, Journal::Replay(Box::new(replay)));
    let result = crate::clock::standing_at(road_at, || act(ctx, &p.info.trip, e));
    ctx.operator = office;
    ctx.journal = before;
    let recorded = || -> OpResult<bool> { Ok(pack::merged(&ctx.store.db(), &e.event)?.is_some()) };
    match result {
        Ok(()) => {
            if !recorded()? {
                // The act changed nothing (refusing someone already refused): nothing to apply,
                // and nothing was written with it; the event is recorded as applied.
                record(ctx, p, e, "applied", None)?;
            }
            Ok(Outcome::Applied)
        }
        Err(OpError::Refused { code, .. }) if code == ALREADY_MERGED => Ok(Outcome::Already),
        Err(OpError::Refused { code, .. }) if RECORDED_REFUSALS.contains(&code) && recorded()? => {
            Ok(Outcome::Applied)
        }
        Err(OpError::Store(err)) => Err(OpError::Store(err)),
        Err(err) => {
            let reason = match &err {
                OpError::Refused { code, .. } => match *code {
                    Code::WrongBus => "moved",
                    Code::NotOnRoster => "not_on_trip",
                    other => other.as_str(),
                },
                _ => "refused",
            };
            not_applied(ctx, conflict(reason, err.to_string()))
        }
    }
}

/// Conflicts seen before the act is tried: the trip cancelled or on another coach, or a
/// decision on this passenger taken at the office after the attendant's act.
fn precheck(ctx: &Ctx, p: &PackJournal, e: &Entry) -> OpResult<Option<(&'static str, String)>> {
    let lang = ctx.lang;
    let conn = &ctx.store.db();
    let trip = match departure::bus_trip(ctx, TripRef::code(&p.info.trip)) {
        Ok(t) => t,
        Err(OpError::Store(err)) => return Err(OpError::Store(err)),
        Err(err) => return Ok(Some(("not_on_trip", err.to_string()))),
    };
    if trip.status == TripStatus::Cancelled {
        return Ok(Some((
            "trip_cancelled",
            reason_text("trip_cancelled", lang),
        )));
    }
    if trip.plate != p.info.plate {
        return Ok(Some((
            "trip_swapped",
            say!(
                lang,
                "车次 {} 已换车为 {}（离线包为 {}）",
                "trip {} now runs on {} (the pack was made for {})",
                trip.code,
                trip.plate,
                p.info.plate
            ),
        )));
    }
    let Some(worker) = e.worker_id else {
        return Ok(None);
    };
    let Some((record, changed)) = pack::passenger_record(conn, trip.trip_id, worker)? else {
        return Ok(None);
    };
    let ours = pack::last_applied_change(conn, trip.trip_id, worker)?;
    let untouched = p.base.get(&record) == Some(&changed) || ours.as_ref() == Some(&changed);
    let later = match (
        crate::clock::parse_stored(&changed),
        crate::clock::parse_stored(&e.at),
    ) {
        (Some(office), Some(road)) => office > road,
        // A time that cannot be read: the office's record wins over a guess.
        _ => true,
    };
    if untouched || !later {
        return Ok(None);
    }
    // The office and the road came to the same (the office boarded whom the attendant
    // boarded): the road's act is replayed, and the ledger's rules make it a reading kept.
    let road = p.states.get(&worker).cloned();
    if road.is_some() && road == pack::passenger_state(conn, trip.trip_id, worker)? {
        return Ok(None);
    }
    Ok(Some((
        "office_later",
        say!(
            lang,
            "办公室在 {} 已对此人另行处理，晚于随车员的记录（{}）",
            "the office changed this passenger's record at {}, after the attendant's act ({})",
            crate::clock::paper_text(&changed),
            crate::clock::paper_text(&e.at)
        ),
    )))
}

/// Does the journal's act again on the ledger's trip `code`.
fn act(ctx: &mut Ctx, code: &str, e: &Entry) -> OpResult<()> {
    let args: Args = serde_json::from_str(&e.args)
        .map_err(|err| OpError::Failed(format!("event {}: {err}", e.event)))?;
    let trip = TripRef::code(code);
    let who = || {
        e.worker_id
            .map(Who::Worker)
            .ok_or_else(|| OpError::Failed(format!("event {}: no passenger", e.event)))
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    match e.kind.as_str() {
        "board" => departure::board(ctx, trip, who()?, &text(&args.temp)).map(drop),
        "refuse" => {
            let reason: RefuseReason = text(&args.reason).parse().map_err(OpError::Failed)?;
            departure::refuse(ctx, trip, who()?, reason).map(drop)
        }
        "undo" => departure::undo(ctx, trip, who()?, &text(&args.reason)).map(drop),
        "round" => departure::round(ctx, trip, who()?, &text(&args.temp)).map(drop),
        "observe" => departure::move_to_observation(ctx, trip, who()?, &text(&args.temp)).map(drop),
        "readings" => {
            let readings = args.readings.unwrap_or_default();
            departure::temperature_round(ctx, trip, &readings).map(drop)
        }
        "stop" => {
            departure::stop(ctx, trip, args.headcount.unwrap_or(0), &text(&args.place)).map(drop)
        }
        "depart" => departure::depart(ctx, trip).map(drop),
        "arrive" => {
            departure::arrive(ctx, trip, args.receiver.as_deref(), args.headcount).map(drop)
        }
        other => Err(OpError::Failed(format!(
            "event {}: unknown kind '{other}'",
            e.event
        ))),
    }
}

fn record_conflict(ctx: &mut Ctx, p: &PackJournal, e: &Entry, reason: &str) -> OpResult<bool> {
    record(ctx, p, e, "conflict", Some(reason))
}

/// Records an event as merged in a transaction of its own (a conflict, or an act that changed
/// nothing), with the audit line of who merged it; false when another merge recorded it first.
fn record(
    ctx: &mut Ctx,
    p: &PackJournal,
    e: &Entry,
    outcome: &str,
    reason: Option<&str>,
) -> OpResult<bool> {
    let at = crate::clock::now_text();
    let by = ctx.operator.clone();
    let tx = ctx.store.begin()?;
    let changed_at = match e.worker_id {
        Some(w) if outcome == "applied" => pack::passenger_changed_at(&tx, e.trip_id, w)?,
        _ => None,
    };
    let fresh = pack::mark_merged(
        &tx,
        &MergedEvent {
            event: e.event.clone(),
            pack: p.info.id.clone(),
            trip_id: e.trip_id,
            seq: e.seq,
            kind: e.kind.clone(),
            worker_id: e.worker_id,
            seat: e.seat,
            road_at: e.at.clone(),
            road_operator: e.operator.clone(),
            merged_at: at.clone(),
            merged_by: by.clone(),
            outcome: outcome.into(),
            reason: reason.map(str::to_string),
            changed_at,
        },
    )?;
    if fresh {
        pack::audit_merge(
            &tx,
            &at,
            &by,
            e.seq,
            &json!({"event": e.event, "pack": p.info.id, "kind": e.kind,
                    "road_operator": e.operator, "road_at": e.at,
                    "outcome": outcome, "reason": reason}),
        )?;
    }
    tx.commit()?;
    Ok(fresh)
}

/// A conflict's reason in words (for conflicts recorded by an earlier merge).
pub fn reason_text(reason: &str, lang: Lang) -> String {
    match reason {
        "moved" => say!(
            lang,
            "此人已被调到其他车辆",
            "the passenger was moved to another bus"
        ),
        "not_on_trip" => say!(
            lang,
            "此人已不在本车次",
            "the passenger is no longer on this trip"
        ),
        "trip_swapped" => say!(lang, "车次已换车", "the trip was moved to another coach"),
        "trip_cancelled" => say!(lang, "车次已取消", "the trip was cancelled"),
        "office_later" => say!(
            lang,
            "办公室在随车员之后另行处理了此人",
            "the office decided otherwise after the attendant's act"
        ),
        "unreadable" => say!(
            lang,
            "记录的时间或操作人无法识别",
            "the event's time or operator cannot be read"
        ),
        // A refusal code of the ledger's rules, said by its title (`i18n::Code`).
        other => match (lang, Code::parse(other)) {
            (Lang::Zh, Some(code)) => format!("台账规则不允许：{}", code.title(lang)),
            (Lang::Zh, None) => "台账规则不允许".to_string(),
            (Lang::En, _) => format!("refused by the ledger's rules: {other}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_in_chinese_without_english_words() {
        for r in [
            "moved",
            "not_on_trip",
            "trip_swapped",
            "trip_cancelled",
            "office_later",
            "unreadable",
            "closed",
            "already-refused",
            "seat-taken",
            "unaccounted",
            "not-departed",
            "not-aboard",
            "observation-full",
            "undo_fever",
            "a-code-of-later-days",
        ] {
            let zh = reason_text(r, Lang::Zh);
            assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{r}: {zh}");
            assert!(reason_text(r, Lang::En).is_ascii(), "{r}");
        }
    }
}
