//! `import employers|workers|fleet`: one spreadsheet read row by row, the good rows saved with
//! their audit rows, every bad row reported. Employers and buses go in one transaction; workers
//! are read whole, then written in short steps (`workers`). The command line and console share it.
//!
//! Decisions a user will notice:
//! - `imported` = `new` + `updated` + `unchanged` = `read` − rejected rows.
//! - A column the file does not have leaves the stored value alone (a certificate-only sheet
//!   updates certificates); a column that is present but empty clears the value.
//! - A worker already planned on a bus (planned, boarded, departed, arrived) keeps employer and
//!   county, and keeps the name unless `--allow-rename` (every rename is kept in the name
//!   history): a row changing them is rejected with the reason; phone, village and certificate
//!   still update. A bus with an open trip keeps its rated seats and county.
//! - `--strict`: any rejected row and nothing is written; the report then counts nothing
//!   imported. (A row that another terminal makes unacceptable while a worker file is being
//!   written is rejected then, and the rows before it stay.)
//! - Audit: one row per import (kind, file name, counts), one per updated record naming the
//!   changed fields only. New rows get no row of their own: the import row gives their id
//!   ranges.

pub(crate) mod merge;
mod pipeline;
mod workers;

use self::merge::{locked_bus_change, merge_bus, merge_employer};
use self::pipeline::pipeline;
use super::{Ctx, Exit, OpError, OpResult};
use crate::io::columns::{self, Column};
use crate::io::employers::EmployerRows;
use crate::io::fleet::BusRows;
use crate::io::{CsvFile, FileError, Rejection, TextEncoding};
use crate::store::{audit, ledger};
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
    /// A worker who is planned or has travelled may change name (kept in the name history).
    pub allow_rename: bool,
}

/// An interrupted import of the same file that this one finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resumed {
    pub started_at: String,
    /// Rows the interrupted run had written.
    pub done: i64,
    pub total: Option<i64>,
}

impl Resumed {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        workers::resumed_text(self, lang)
    }
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
    /// Each known column's key with its header as the file writes it.
    #[serde(skip)]
    pub headers: Vec<(&'static str, String)>,
    /// False when `--strict` rolled the import back.
    #[serde(skip)]
    pub committed: bool,
    /// Set when this run finished an import of the same file that was interrupted.
    #[serde(skip)]
    pub resumed: Option<Resumed>,
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
            headers: file.headers(),
            committed: false,
            resumed: None,
        }
    }

    /// The column `key` as a Chinese report names it: the file's own header (`身份证号码`),
    /// else its Chinese name; `row` is the row as a whole. English reports keep the key
    /// (`id_number`), as scripts reading them always have.
    pub fn column_name(&self, key: &str, lang: crate::i18n::Lang) -> String {
        if lang == crate::i18n::Lang::En {
            return key.to_string();
        }
        if let Some((_, h)) = self.headers.iter().find(|(k, _)| *k == key) {
            return h.clone();
        }
        if key == "row" {
            return "整行".to_string();
        }
        let known = columns::WORKERS
            .iter()
            .chain(columns::EMPLOYERS)
            .chain(columns::FLEET)
            .find(|c| c.key == key);
        known.map_or_else(|| key.to_string(), |c| c.zh.to_string())
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
    let lang = ctx.lang;
    let file =
        CsvFile::open(path, opts.encoding, kind.columns()).map_err(|e| file_error(e, lang))?;
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
    let lang = ctx.lang;
    let file = CsvFile::from_reader(name, input, opts.encoding, kind.columns())
        .map_err(|e| file_error(e, lang))?;
    import_csv(ctx, kind, file, opts)
}

pub(super) fn file_error(e: FileError, lang: crate::i18n::Lang) -> OpError {
    OpError::Failed(e.message(lang))
}

fn import_csv(
    ctx: &mut Ctx,
    kind: Kind,
    file: CsvFile,
    opts: &ImportOptions,
) -> OpResult<ImportReport> {
    let mut report = ImportReport::new(kind, &file);
    let present: Vec<bool> = (0..kind.columns().len()).map(|c| file.has(c)).collect();
    if kind != Kind::Workers {
        return write_rows(ctx, kind, file, opts, report, &present);
    }
    workers::import(ctx, file, opts, &mut report, &present)?;
    if !report.committed {
        (report.new, report.updated, report.unchanged) = (0, 0, 0);
    }
    report.imported = report.new + report.updated + report.unchanged;
    Ok(report)
}

/// Employers and buses: a few thousand rows at most, written in one transaction.
fn write_rows(
    ctx: &mut Ctx,
    kind: Kind,
    file: CsvFile,
    opts: &ImportOptions,
    mut report: ImportReport,
    present: &[bool],
) -> OpResult<ImportReport> {
    let operator = ctx.operator.clone();
    let lang = ctx.lang;
    let tx = ctx.store.begin()?;
    let mut new_ids = NewIds::default();
    match kind {
        Kind::Workers => {
            return Err(OpError::Failed(
                "workers are imported in steps (`workers::import`)".into(),
            ))
        }
        Kind::Employers => {
            let mut rows = EmployerRows::default();
            report.read = pipeline(
                file,
                |row| rows.parse(row),
                &mut report.rejected,
                lang,
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
                lang,
                |line, b| {
                    match ledger::bus_by_plate(&tx, &b.plate)? {
                        None => {
                            new_ids.add(ledger::save_bus(&tx, None, b)?);
                            report.new += 1;
                        }
                        Some((id, old)) => {
                            let (merged, fields) = merge_bus(&old, b.clone(), present);
                            if fields.is_empty() {
                                report.unchanged += 1;
                            } else if let Some((field, value, reason)) =
                                locked_bus_change(&tx, id, &merged, &fields)?
                            {
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

pub(super) fn audit_update(
    tx: &crate::store::Tx<'_>,
    operator: &str,
    entity: &str,
    id: i64,
    fields: &[&'static str],
) -> OpResult<()> {
    let after = json!({ "changed": fields });
    audit(tx, operator, "import", entity, Some(id), None, Some(&after))?;
    Ok(())
}

pub(super) fn employer_name(employers: &ledger::FastMap<String, i64>, id: Option<i64>) -> String {
    id.and_then(|id| employers.iter().find(|(_, v)| **v == id))
        .map(|(k, _)| k.clone())
        .unwrap_or_default()
}
