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

use super::{Ctx, Exit, OpError, OpResult};
use crate::io::columns::{self, Column};
use crate::io::employers::EmployerRows;
use crate::io::fleet::BusRows;
use crate::io::workers::WorkerRows;
use crate::io::{CsvFile, FileError, Next, Rejection, Row, TextEncoding};
use crate::model::WorkerStatus;
use crate::store::{audit, ledger, ledger::StoredWorker, ledger::Worker};
use rusqlite::Transaction;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc;

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
    let file =
        CsvFile::from_reader(name, input, opts.encoding, kind.columns()).map_err(file_error)?;
    import_csv(ctx, kind, file, opts)
}

fn file_error(e: FileError) -> OpError {
    OpError::Failed(e.to_string())
}

fn import_csv(
    ctx: &mut Ctx,
    kind: Kind,
    file: CsvFile,
    opts: &ImportOptions,
) -> OpResult<ImportReport> {
    let mut report = ImportReport::new(kind, &file);
    let present: Vec<bool> = (0..kind.columns().len()).map(|c| file.has(c)).collect();
    let operator = ctx.operator.clone();
    let employers = match kind {
        Kind::Workers => ledger::employer_ids(&ctx.store.conn)?,
        _ => HashMap::new(),
    };
    let tx = ctx.store.write()?;
    let mut new_ids = NewIds::default();
    match kind {
        Kind::Workers => {
            // Random ID numbers touch index pages all over the file: keep them in memory.
            let cache = ledger::widen_cache(&tx, 128 * 1024)?;
            let mut writer = ledger::WorkerWriter::new(&tx)?;
            let mut rows = WorkerRows::new(&employers);
            report.read = pipeline(
                file,
                |row| rows.parse(row),
                &mut report.rejected,
                |line, w| {
                    if let Some(id) = writer.insert_new(&tx, &w)? {
                        report.new += 1;
                        new_ids.add(id);
                        return Ok(None);
                    }
                    let stored = writer.find(&w.id_number)?.ok_or_else(|| {
                        OpError::Failed(format!("line {line}: worker vanished during the import"))
                    })?;
                    match merge_worker(&stored, w, &present) {
                        Merge::Same => report.unchanged += 1,
                        Merge::Refused(field, reason, new) => {
                            let value = match field {
                                "employer" => employer_name(&employers, new.employer_id),
                                _ => new.county,
                            };
                            return Ok(Some(Rejection::new(line, field, value, reason)));
                        }
                        Merge::Changed(merged, fields) => {
                            writer.update(stored.id, &merged)?;
                            audit_update(&tx, &operator, "worker", stored.id, &fields)?;
                            report.updated += 1;
                        }
                    }
                    Ok(None)
                },
            )?;
            drop(writer);
            ledger::restore_cache(&tx, cache)?;
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
                            new_ids.add(ledger::save_employer(&tx, None, &e)?);
                            report.new += 1;
                        }
                        Some((id, old)) => {
                            let (merged, fields) = merge_employer(&old, e, &present);
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
                            new_ids.add(ledger::save_bus(&tx, None, &b)?);
                            report.new += 1;
                        }
                        Some((id, old)) => {
                            let (merged, fields) = merge_bus(&old, b, &present);
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

/// Reads and checks rows on a second thread while this one writes: on two cores the parse
/// and the SQLite inserts overlap instead of adding up.
/// Rows rejected by the parser or by `write` (which sees the ledger) go to `rejected`, in order.
fn pipeline<T, P, W>(
    mut file: CsvFile,
    mut parse: P,
    rejected: &mut Vec<Rejection>,
    mut write: W,
) -> OpResult<u64>
where
    T: Send,
    P: FnMut(&Row<'_>) -> Result<T, Rejection> + Send,
    W: FnMut(u64, T) -> OpResult<Option<Rejection>>,
{
    const CHUNK: usize = 1024;
    type Chunk<T> = Vec<Result<(u64, T), Rejection>>;
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::sync_channel::<Chunk<T>>(8);
        let reader = s.spawn(move || -> Result<u64, FileError> {
            let mut read = 0;
            let mut chunk = Vec::with_capacity(CHUNK);
            loop {
                let item = match file.next_row()? {
                    Next::End => break,
                    Next::Bad(r) => Err(r),
                    Next::Row(row) => parse(&row).map(|t| (row.line, t)),
                };
                read += 1;
                chunk.push(item);
                if chunk.len() == CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                    if tx.send(full).is_err() {
                        // The writer stopped on an error of its own; it reports that one.
                        return Ok(read);
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = tx.send(chunk);
            }
            Ok(read)
        });
        let mut failed = None;
        'chunks: for chunk in rx.iter() {
            for item in chunk {
                match item.map(|(line, t)| write(line, t)) {
                    Err(r) | Ok(Ok(Some(r))) => rejected.push(r),
                    Ok(Ok(None)) => {}
                    Ok(Err(e)) => {
                        failed = Some(e);
                        break 'chunks;
                    }
                }
            }
        }
        drop(rx);
        let read = reader
            .join()
            .map_err(|_| OpError::Failed("the file reader stopped unexpectedly".into()))?;
        match failed {
            Some(e) => Err(e),
            None => read.map_err(file_error),
        }
    })
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

/// For each column: keep the stored value when the file lacks the column, else note a change.
macro_rules! merge_fields {
    ($old:expr, $new:expr, $present:expr, $table:expr, $changed:expr; $($field:ident = $col:expr),+ $(,)?) => {
        $(
            if !$present[$col] {
                $new.$field = $old.$field.clone();
            } else if $new.$field != $old.$field {
                $changed.push($table[$col].key);
            }
        )+
    };
}

enum Merge {
    Same,
    Changed(Worker, Vec<&'static str>),
    /// The field at fault, why, and the row as read (for the value shown).
    Refused(&'static str, String, Worker),
}

fn merge_worker(stored: &StoredWorker, mut new: Worker, present: &[bool]) -> Merge {
    use columns::worker as c;
    let old = &stored.worker;
    let mut changed = Vec::new();
    merge_fields!(old, new, present, columns::WORKERS, changed;
        name = c::NAME, phone = c::PHONE, county = c::COUNTY, township = c::TOWNSHIP,
        village = c::VILLAGE, employer_id = c::EMPLOYER, cert_issued = c::CERT_ISSUED,
        cert_valid_until = c::CERT_VALID_UNTIL, cert_issuer = c::CERT_ISSUER);
    if changed.is_empty() {
        return Merge::Same;
    }
    let on_a_plan = matches!(
        stored.status,
        WorkerStatus::Planned
            | WorkerStatus::Boarded
            | WorkerStatus::Departed
            | WorkerStatus::Arrived
    );
    if on_a_plan {
        for field in ["employer", "county"] {
            if changed.contains(&field) {
                let reason = format!(
                    "the worker is already {} on a bus: the {field} cannot change by import; take them off the plan first",
                    stored.status
                );
                return Merge::Refused(field, reason, new);
            }
        }
    }
    Merge::Changed(new, changed)
}

fn employer_name(employers: &HashMap<String, i64>, id: Option<i64>) -> String {
    id.and_then(|id| employers.iter().find(|(_, v)| **v == id))
        .map(|(k, _)| k.clone())
        .unwrap_or_default()
}

fn merge_employer(
    old: &ledger::Employer,
    mut new: ledger::Employer,
    present: &[bool],
) -> (ledger::Employer, Vec<&'static str>) {
    use columns::employer as c;
    let mut changed = Vec::new();
    merge_fields!(old, new, present, columns::EMPLOYERS, changed;
        province = c::PROVINCE, city = c::CITY, address = c::ADDRESS, contact = c::CONTACT,
        contact_phone = c::CONTACT_PHONE, expected = c::EXPECTED, distance_km = c::DISTANCE_KM,
        mutual_recognition = c::MUTUAL_RECOGNITION);
    (new, changed)
}

fn merge_bus(
    old: &ledger::Bus,
    mut new: ledger::Bus,
    present: &[bool],
) -> (ledger::Bus, Vec<&'static str>) {
    use columns::bus as c;
    let mut changed = Vec::new();
    merge_fields!(old, new, present, columns::FLEET, changed;
        seats = c::SEATS, operator = c::OPERATOR, driver1 = c::DRIVER1,
        driver1_phone = c::DRIVER1_PHONE, driver2 = c::DRIVER2, driver2_phone = c::DRIVER2_PHONE,
        attendant = c::ATTENDANT, attendant_phone = c::ATTENDANT_PHONE, county = c::COUNTY,
        available_date = c::AVAILABLE_DATE, sealed = c::SEALED);
    (new, changed)
}
