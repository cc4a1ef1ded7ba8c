//! `pack`: one trip written out for the attendant's laptop (a database of the same schema
//! holding only that trip, no full ID number, no passenger phone), and `pack --refresh`: the
//! pack's journal merged into the ledger first, then the pack written again from the ledger
//! with every event it held, so that nothing recorded on it is lost.

use super::departure::{bus_trip, say, TripRef};
use super::merge::{self, MergeReport, PackJournal};
use super::{Ctx, OpError, OpResult};
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::io::outfile::{OutError, OutFile, Protected};
use crate::model::TripStatus;
use crate::store::pack::{self, PackInfo};
use crate::store::trips::TripInfo;
use crate::store::{audit, Store, StoreError};
use serde::Serialize;
use serde_json::json;
use std::path::{Path, PathBuf};

/// What was written.
#[derive(Debug, Clone, Serialize)]
pub struct PackReport {
    pub file: PathBuf,
    pub pack: String,
    /// The trip's code.
    pub trip: String,
    pub plate: String,
    /// Passenger records in the pack (every state).
    pub passengers: usize,
    pub made_at: String,
    /// With `--refresh`: what merging the old pack's journal did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged: Option<MergeReport>,
    /// With `--refresh`: events carried into the new pack.
    pub carried: usize,
}

/// Writes a new pack of the trip named to `out` (which must not exist). A trip that has
/// arrived or was cancelled: `Refused{code:"closed"}`.
pub fn make(ctx: &mut Ctx, which: impl Into<TripRef>, out: &Path) -> OpResult<PackReport> {
    let lang = ctx.lang;
    super::journal::ledger_only(ctx)?;
    if ctx.store.is_readonly() {
        return Err(StoreError::ReadOnly.into());
    }
    let trip = open_trip(ctx, which.into())?;
    // Never over a file: not even with a flag (a pack may hold events not merged yet).
    let dest = OutFile::check(out, false, Protected::database(ctx.store.path()))
        .map_err(|e| out_error(e, lang))?;
    let staged = dest.stage().map_err(|e| out_error(e, lang))?;
    let (info, passengers) = build(ctx, &trip, staged.path(), out, &[])?;
    staged.commit().map_err(|e| out_error(e, lang))?;
    Ok(report(out, info, passengers, None, 0))
}

/// Refreshes the pack at `out` (a pack of this ledger and of this trip): merges its journal,
/// writes the pack again from the ledger with every event it held (each marked with what the
/// ledger made of it), marks the old file as replaced and puts the new one in its place.
pub fn refresh(ctx: &mut Ctx, which: impl Into<TripRef>, out: &Path) -> OpResult<PackReport> {
    let lang = ctx.lang;
    super::journal::ledger_only(ctx)?;
    if ctx.store.is_readonly() {
        return Err(StoreError::ReadOnly.into());
    }
    let trip = open_trip(ctx, which.into())?;
    if !out.is_file() {
        return Err(OpError::Failed(say!(
            lang,
            "{}：没有要更新的离线包",
            "{}: there is no pack to refresh",
            out.display()
        )));
    }
    let mut old = merge::open_pack(ctx, out, true)?;
    let old_info = old
        .pack()
        .cloned()
        .ok_or_else(|| OpError::Failed(format!("{}: not a pack", out.display())))?;
    if old_info.trip != trip.code {
        return Err(OpError::Failed(say!(
            lang,
            "{}：这是车次 {} 的离线包，不是 {} 的",
            "{}: is the pack of trip {}, not of {}",
            out.display(),
            old_info.trip,
            trip.code
        )));
    }
    // Only the very file opened and checked here is replaced.
    let dest = OutFile::replacing(out, Protected::database(ctx.store.path()))
        .map_err(|e| out_error(e, lang))?;
    // The old pack's writers wait (or are refused once it is marked) while it is replaced.
    let hold = old.begin()?;
    let journal = PackJournal::read(&hold, old_info)?;
    let merged = merge::replay_all(ctx, &journal)?;
    let mut carried = Vec::with_capacity(journal.entries.len());
    for e in &journal.entries {
        let m = pack::merged(&ctx.store.db(), &e.event)?;
        carried.push((e.clone(), m.map(|m| (m.outcome, m.reason))));
    }
    let staged = dest.stage().map_err(|e| out_error(e, lang))?;
    let (info, passengers) = build(ctx, &trip, staged.path(), out, &carried)?;
    pack::set_superseded(&hold, &crate::clock::now_text())?;
    hold.commit()?;
    drop(old);
    staged.commit().map_err(|e| out_error(e, lang))?;
    Ok(report(out, info, passengers, Some(merged), carried.len()))
}

/// The writer's refusal as a pack's: no `--force` to suggest, `--refresh` for an existing pack.
fn out_error(e: OutError, lang: Lang) -> OpError {
    match e {
        OutError::Exists(p) | OutError::OtherDatabase(p) => OpError::Failed(say!(
            lang,
            "{}：文件已存在；离线包不会覆盖文件（更新本车次的离线包请加 --refresh）",
            "{}: already exists; a pack never overwrites a file (to refresh this trip's pack, add --refresh)",
            p
        )),
        other => OpError::Failed(other.message(lang)),
    }
}

/// The absolute path a pack is recorded under in the ledger (purge looks for it there).
fn absolute(dest: &Path) -> PathBuf {
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(dir), dest.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => dest.to_path_buf(),
    }
}

fn report(
    out: &Path,
    info: PackInfo,
    passengers: usize,
    merged: Option<MergeReport>,
    carried: usize,
) -> PackReport {
    PackReport {
        file: out.to_path_buf(),
        pack: info.id,
        trip: info.trip,
        plate: info.plate,
        passengers,
        made_at: info.made_at,
        merged,
        carried,
    }
}

/// The trip named, if a pack can still be made of it (not arrived, not cancelled).
fn open_trip(ctx: &Ctx, which: TripRef) -> OpResult<TripInfo> {
    let trip = bus_trip(ctx, which)?;
    closed(&trip, ctx.lang)?;
    Ok(trip)
}

fn closed(trip: &TripInfo, lang: Lang) -> OpResult<()> {
    let why = match trip.status {
        TripStatus::Arrived => say!(
            lang,
            "车次 {}（{}）已到达：不再制作离线包；已有离线包请用 merge 合并",
            "trip {} ({}) has arrived: no pack is made for it any more; merge an existing one with merge",
            trip.code,
            trip.plate
        ),
        TripStatus::Cancelled => say!(
            lang,
            "车次 {}（{}）已取消：不能制作离线包",
            "trip {} ({}) is cancelled: no pack is made for it",
            trip.code,
            trip.plate
        ),
        _ => return Ok(()),
    };
    Err(OpError::refused(Code::Closed, why))
}

/// An event of the pack a refresh replaces, with what the ledger made of it (outcome, reason).
type Carried = (pack::Entry, Option<(String, Option<String>)>);

/// Writes the pack into the staged file: its identity and carried events on its own
/// connection, then the trip copied from the ledger in one write transaction of the ledger,
/// which also records the pack (where, when, who) and audits it.
fn build(
    ctx: &mut Ctx,
    trip: &TripInfo,
    staged: &Path,
    dest: &Path,
    carried: &[Carried],
) -> OpResult<(PackInfo, usize)> {
    let conn = &ctx.store.db();
    let ledger = pack::ledger_id(conn)?.ok_or_else(|| {
        OpError::Failed("this ledger has no id (migration 009 did not run)".into())
    })?;
    let info = PackInfo {
        id: pack::random_id(conn)?,
        ledger,
        trip_id: trip.trip_id,
        trip: trip.code.clone(),
        plate: trip.plate.clone(),
        salt: pack::random_id(conn)?,
        made_at: crate::clock::now_text(),
        made_by: ctx.operator.clone(),
        policy: toml::to_string(&ctx.policy).map_err(|e| OpError::Failed(e.to_string()))?,
        superseded: None,
    };
    {
        let s = Store::open(staged)?;
        pack::write_info(&s.db(), &info)?;
        for (e, merged) in carried {
            let (outcome, reason) = match merged {
                Some((o, r)) => (Some(o.as_str()), r.as_deref()),
                None => (None, None),
            };
            pack::carry(&s.db(), e, outcome, reason)?;
        }
        // From now on the file is a pack: one file, no write-ahead log beside it.
        pack::keep_rollback_journal(&s.db())?;
    }
    pack::attach(&ctx.store.db(), staged)?;
    let filled = fill(ctx, &info, dest);
    let detached = pack::detach(&ctx.store.db());
    let passengers = filled?;
    detached?;
    Ok((info, passengers))
}

fn fill(ctx: &mut Ctx, info: &PackInfo, dest: &Path) -> OpResult<usize> {
    let lang = ctx.lang;
    let tx = ctx.store.begin()?;
    // Checked again under the lock: the trip may have arrived a moment ago.
    let trip = super::trip_ref::resolve(&tx, &TripRef::code(&info.trip), lang)?;
    closed(&trip, lang)?;
    let passengers = pack::fill(&tx, info)?;
    let path = absolute(dest).display().to_string();
    pack::record_pack(
        &tx,
        &info.id,
        info.trip_id,
        &path,
        &info.made_at,
        &info.made_by,
    )?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    audit(
        &tx,
        &ctx.operator,
        "pack",
        "trip",
        Some(info.trip_id),
        None,
        Some(&json!({"pack": info.id, "file": name, "passengers": passengers})),
    )?;
    tx.commit()?;
    Ok(passengers)
}

/// What a purge did with the packs made of the trips it purged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PackRemoval {
    /// Pack files deleted where they were written.
    pub removed: usize,
    /// Packs no longer where they were written (moved, copied away, deleted, or replaced by a
    /// refresh): they are forgotten; copies elsewhere are their holder's to delete.
    pub missing: usize,
}

/// Deletes the pack files of trips a purge with this cutoff removes, where they were written
/// and only if the file there is still that very pack (its id); every such pack is then
/// forgotten. Called by `purge` once the ledger's own data is gone.
pub fn remove_old_packs(ctx: &mut Ctx, cutoff: chrono::NaiveDate) -> OpResult<PackRemoval> {
    let mut done = PackRemoval::default();
    let packs = pack::packs_to_purge(&ctx.store.db(), cutoff)?;
    if packs.is_empty() {
        return Ok(done);
    }
    for (id, path) in &packs {
        let path = Path::new(path);
        let here = pack::info_of_file(path).is_some_and(|p| &p.id == id);
        if here {
            let fail = |e: std::io::Error| {
                OpError::Failed(say!(
                    ctx.lang,
                    "{}：离线包无法删除：{}",
                    "{}: the pack cannot be deleted: {}",
                    path.display(),
                    e
                ))
            };
            std::fs::remove_file(path).map_err(fail)?;
            let mut journal = path.as_os_str().to_owned();
            journal.push("-journal");
            let _ = std::fs::remove_file(PathBuf::from(journal));
            done.removed += 1;
        } else {
            done.missing += 1;
        }
    }
    let tx = ctx.store.begin()?;
    for (id, _) in &packs {
        pack::forget_pack(&tx, id)?;
    }
    audit(
        &tx,
        &ctx.operator,
        "purge",
        "pack",
        None,
        None,
        Some(&json!({"removed": done.removed, "missing": done.missing})),
    )?;
    tx.commit()?;
    Ok(done)
}
