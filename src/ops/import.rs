//! `import employers|workers|fleet`: one spreadsheet read row by row, the good rows saved in one
//! transaction with its audit rows, every bad row reported. The command line and console share it.
//!
//! Decisions a user will notice:
//! - `imported` = `new` + `updated` + `unchanged` = `read` − rejected rows.
//! - A column the file does not have leaves the stored value alone (a certificate-only sheet
//!   updates certificates); a column that is present but empty clears the value.
//! - A worker already planned on a bus (planned, boarded, departed, arrived) keeps employer and
//!   county: a row changing them is rejected with the reason; name, phone, village and
//!   certificate still update. A bus with an open trip keeps its rated seats and county.
//! - `--strict`: any rejected row rolls everything back; the report then counts nothing imported.
//! - Audit: one row per import (kind, file name, counts), one per updated record naming the
//!   changed fields only. New rows get no row of their own: the import row gives their id range.

mod merge;
mod pipeline;

use self::merge::{merge_bus, merge_employer, merge_worker, Merge};
use self::pipeline::pipeline;
use super::{Ctx, Exit, OpError, OpResult};
use crate::io::columns::{self, Column};
use crate::io::employers::EmployerRows;
use crate::io::fleet::BusRows;
use crate::io::workers::WorkerRows;
use crate::io::{CsvFile, FileError, Rejection, TextEncoding};
use crate::store::{audit, ledger};
use rusqlite::Transaction;
use serde::Serialize;
use serde_json::json;
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Employers,
    Workers,
    Fleet,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Employers => "employers",
            Kind::Workers => "workers",
            Kind::Fleet => "fleet",
        }
    }
    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Employers => columns::EMPLOYERS,
            Kind::Workers => columns::WORKERS,
            Kind::Fleet => columns::FLEET,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    pub encoding: TextEncoding,
    /// One rejected row and nothing is written.
    pub strict: bool,
}

/// What happened; serialises to exactly the `--json` object of the command-line contract.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub kind: &'static str,
    /// Non-blank data rows in the file.
    pub read: u64,
    pub imported: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<Rejection>,
    #[serde(skip)]
    pub file: String,
    #[serde(skip)]
    pub encoding: &'static str,
    /// Header cells that matched no known column.
    #[serde(skip)]
    pub ignored_columns: Vec<String>,
    /// False when `--strict` rolled the import back.
    #[serde(skip)]
    pub committed: bool,
}

impl ImportReport {
    fn new(kind: Kind, file: &CsvFile) -> ImportReport {
        ImportReport {
            kind: kind.as_str(),
            read: 0,
            imported: 0,
            new: 0,
            updated: 0,
            unchanged: 0,
            rejected: Vec::new(),
            file: file.name().to_string(),
            encoding: file.encoding().as_str(),
            ignored_columns: file.ignored_columns().to_vec(),
            committed: false,
        }
    }

    /// 0 all rows taken, 3 some rejected, 1 strict and rolled back.
    pub fn exit(&self) -> Exit {
        match (self.rejected.is_empty(), self.committed) {
            (true, _) => Exit::Ok,
            (false, true) => Exit::Rejected,
            (false, false) => Exit::Error,
        }
    }
}

/// Imports one CSV file. Whole-file problems (unreadable, missing or duplicate column) are an
/// `OpError::Failed` naming the file and header; row problems are in the report.
pub fn import_file(
    ctx: &mut Ctx,
    kind: Kind,
    path: &Path,
    opts: &ImportOptions,
) -> OpResult<ImportReport> {
    super::journal::ledger_only(ctx)?;
    let file = CsvFile::open(path, opts.encoding, kind.columns()).map_err(file_error)?;
    import_csv(ctx, kind, file, opts)
}

/// Imports CSV text from any stream; `name` stands for the file in messages and the audit.
pub fn import_reader(
    ctx: &mut Ctx,
    kind: Kind,
    name: &str,
    input: Box<dyn Read + Send>,
    opts: &ImportOptions,
) -> OpResult<ImportReport> {
    super::journal::ledger_only(ctx)?;
    let file =
        CsvFile::from_reader(name, input, opts.encoding, kind.columns()).map_err(file_error)?;
    import_csv(ctx, kind, file, opts)
}

pub(super) fn file_error(e: FileError) -> OpError {
    OpError::Failed(e.to_string())
}

fn import_csv(
    ctx: &mut Ctx,
    kind: Kind,
    file: CsvFile,
    opts: &ImportOptions,
) -> OpResult<ImportReport> {
    let report = ImportReport::new(kind, &file);
    let present: Vec<bool> = (0..kind.columns().len()).map(|c| file.has(c)).collect();
    // Every employer reference of a worker file is checked against the employers read inside
    // the transaction; see `bulk_load_mode` for what else changes for the load.
    let bulk = kind == Kind::Workers && !ctx.store.is_readonly();
    if bulk {
        ledger::bulk_load_mode(&ctx.store.conn, true)?;
    }
    let result = write_rows(ctx, kind, file, opts, report, &present);
    if bulk {
        ledger::bulk_load_mode(&ctx.store.conn, false)?;
    }
    result
}

fn write_rows(
    ctx: &mut Ctx,
    kind: Kind,
    file: CsvFile,
    opts: &ImportOptions,
    mut report: ImportReport,
    present: &[bool],
) -> OpResult<ImportReport> {
    let operator = ctx.operator.clone();
    let tx = ctx.store.write()?;
    let employers = match kind {
        Kind::Workers => ledger::employer_ids(&tx)?,
        _ => ledger::FastMap::default(),
    };
    let mut new_ids = NewIds::default();
    match kind {
        Kind::Workers => {
            let ctx = LoadCtx {
                tx: &tx,
                operator: &operator,
                present,
            };
            load_workers(&ctx, file, &employers, &mut report, &mut new_ids)?;
        }
        Kind::Employers => {
            let mut rows = EmployerRows::default();
            report.read = pipeline(
                file,
                |row| rows.parse(row),
                &mut report.rejected,
                |_, e| {
                    match ledger::employer_by_name(&tx, &e.name)? {
                        None => {
                            new_ids.add(ledger::save_employer(&tx, None, e)?);
                            report.new += 1;
                        }
                        Some((id, old)) => {
                            let (merged, fields) = merge_employer(&old, e.clone(), present);
                            if fields.is_empty() {
                                report.unchanged += 1;
                            } else {
                                ledger::save_employer(&tx, Some(id), &merged)?;
                                audit_update(&tx, &operator, "employer", id, &fields)?;
                                report.updated += 1;
                            }
                        }
                    }
                    Ok(None)
                },
            )?;
        }
        Kind::Fleet => {
            let mut rows = BusRows::default();
            report.read = pipeline(
                file,
                |row| rows.parse(row),
                &mut report.rejected,
                |line, b| {
                    match ledger::bus_by_plate(&tx, &b.plate)? {
                        None => {
                            new_ids.add(ledger::save_bus(&tx, None, b)?);
                            report.new += 1;
                        }
                        Some((id, old)) => {
                            let (merged, fields) = merge_bus(&old, b.clone(), present);
                            let locked = fields.iter().find(|f| matches!(**f, "seats" | "county"));
                            if fields.is_empty() {
                                report.unchanged += 1;
                            } else if let (Some(&field), Some(day)) =
                                (locked, ledger::bus_open_trip(&tx, id)?)
                            {
                                let value = match field {
                                    "seats" => merged.seats.to_string(),
                                    _ => merged.county.clone(),
                                };
                                let reason = format!("the bus has a trip on {day}: {field} cannot change until it is over or cancelled");
                                return Ok(Some(Rejection::new(line, field, value, reason)));
                            } else {
                                ledger::save_bus(&tx, Some(id), &merged)?;
                                audit_update(&tx, &operator, "bus", id, &fields)?;
                                report.updated += 1;
                            }
                        }
                    }
                    Ok(None)
                },
            )?;
        }
    }
    if opts.strict && !report.rejected.is_empty() {
        drop(tx);
        (report.new, report.updated, report.unchanged) = (0, 0, 0);
        return Ok(report);
    }
    report.imported = report.new + report.updated + report.unchanged;
    let summary = json!({
        "file": report.file,
        "encoding": report.encoding,
        "read": report.read,
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected.len(),
        "new_ids": new_ids.range(),
    });
    audit(
        &tx,
        &operator,
        "import",
        kind.as_str(),
        None,
        None,
        Some(&summary),
    )?;
    tx.commit()?;
    report.committed = true;
    Ok(report)
}

/// What every loader needs besides the file.
struct LoadCtx<'a> {
    tx: &'a Transaction<'a>,
    operator: &'a str,
    /// Which known columns the file has.
    present: &'a [bool],
}

/// New rows after which a worker load drops the indexes of `workers` and rebuilds them at the
/// end: by sorting once, ~3× cheaper than a million random inserts into the ID number index.
/// Below it (and below half the ledger's size) row-by-row upkeep costs less than a rebuild.
const BULK_AFTER: u64 = 20_000;

fn load_workers(
    ctx: &LoadCtx<'_>,
    file: CsvFile,
    employers: &ledger::FastMap<String, i64>,
    report: &mut ImportReport,
    new_ids: &mut NewIds,
) -> OpResult<()> {
    let tx = ctx.tx;
    // Whether an ID number is new is decided here, not by the unique index, so that the
    // index can be dropped during the load; it still guards the result when rebuilt.
    let known = ledger::worker_keys(tx)?;
    let bulk_after = BULK_AFTER.max(known.len() as u64 / 2);
    let mut dropped: Option<Vec<String>> = None;
    // While rows are appended, a large page cache keeps SQLite from spilling to the WAL
    // mid-transaction; the index sort afterwards runs better on the default.
    let cache = ledger::widen_cache(tx, 128 * 1024)?;
    let mut writer = ledger::WorkerWriter::new(tx)?;
    let mut rows = WorkerRows::new(employers);
    let (mut new, mut updated, mut unchanged) = (0, 0, 0);
    report.read = pipeline(
        file,
        |row| rows.parse(row),
        &mut report.rejected,
        |line, parsed| {
            let w = parsed.worker();
            let key = ledger::id_key(w.id_number).unwrap_or_default();
            let Some(&id) = known.get(&key) else {
                // Not added to `known`: the reader already refuses a second row of a number.
                if let Some((first, last)) = writer.add_new(tx, &w)? {
                    new_ids.add(first);
                    new_ids.add(last);
                }
                new += 1;
                if new == bulk_after && dropped.is_none() {
                    dropped = Some(ledger::drop_indexes(tx, "workers")?);
                }
                return Ok(None);
            };
            let stored = writer.find(id)?.ok_or_else(|| {
                OpError::Failed(format!("line {line}: worker vanished during the import"))
            })?;
            match merge_worker(&stored, &w, ctx.present) {
                Merge::Same => unchanged += 1,
                Merge::Refused(field, reason) => {
                    let value = match field {
                        "employer" => employer_name(employers, w.employer_id),
                        _ => w.county.to_string(),
                    };
                    return Ok(Some(Rejection::new(line, field, value, reason)));
                }
                Merge::Changed(merged, fields) => {
                    writer.update(stored.id, &merged.as_ref())?;
                    audit_update(tx, ctx.operator, "worker", stored.id, &fields)?;
                    updated += 1;
                }
            }
            Ok(None)
        },
    )?;
    if let Some((first, last)) = writer.flush(tx)? {
        new_ids.add(first);
        new_ids.add(last);
    }
    drop(writer);
    ledger::restore_cache(tx, cache)?;
    if let Some(definitions) = dropped {
        ledger::rebuild_indexes(tx, &definitions)?;
    }
    (report.new, report.updated, report.unchanged) = (new, updated, unchanged);
    Ok(())
}

/// Row ids given to new records: contiguous within one import (one writer holds the lock).
#[derive(Default)]
struct NewIds(Option<(i64, i64)>);

impl NewIds {
    fn add(&mut self, id: i64) {
        self.0 = Some(match self.0 {
            None => (id, id),
            Some((a, b)) => (a.min(id), b.max(id)),
        });
    }
    fn range(&self) -> Option<[i64; 2]> {
        self.0.map(|(a, b)| [a, b])
    }
}

fn audit_update(
    tx: &Transaction<'_>,
    operator: &str,
    entity: &str,
    id: i64,
    fields: &[&'static str],
) -> OpResult<()> {
    let after = json!({ "changed": fields });
    audit(tx, operator, "import", entity, Some(id), None, Some(&after))?;
    Ok(())
}

fn employer_name(employers: &ledger::FastMap<String, i64>, id: Option<i64>) -> String {
    id.and_then(|id| employers.iter().find(|(_, v)| **v == id))
        .map(|(k, _)| k.clone())
        .unwrap_or_default()
}
