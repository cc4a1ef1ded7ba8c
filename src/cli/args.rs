//! The arguments of each command, as clap reads them (the commands' own files hold what they
//! do with them).

use super::NoticeArgs;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of workers in the ledger
    #[arg(long, default_value_t = 2000)]
    pub workers: usize,
    /// Random seed: the same seed builds the same database
    #[arg(long, default_value_t = 2020)]
    pub seed: u64,
    /// Build the database only, do not open the console
    #[arg(long)]
    pub no_tui: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportKind {
    Employers,
    Workers,
    Fleet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Encoding {
    Auto,
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(alias = "gb18030")]
    Gbk,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(value_enum)]
    pub kind: ImportKind,
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: Encoding,
    /// One bad row aborts the whole import; nothing is written
    #[arg(long)]
    pub strict: bool,
    /// Let a row rename a worker who is planned or has travelled (the old name is kept)
    #[arg(long)]
    pub allow_rename: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Departure day, YYYY-MM-DD
    #[arg(long)]
    pub date: String,
    /// Only workers and buses of this home county
    #[arg(long)]
    pub county: Option<String>,
    /// Write the plan (otherwise it is only shown)
    #[arg(long)]
    pub apply: bool,
    /// With --apply: write only if the plan still has this fingerprint (from plan --json)
    #[arg(long, value_name = "FP")]
    pub expect: Option<String>,
    #[arg(long)]
    pub json: bool,
    /// Show full ID numbers (audited)
    #[arg(long)]
    pub reveal: bool,
}

/// `--bus PLATE` (the bus's one open trip) or `--trip CODE` (one trip exactly).
#[derive(Debug, Args)]
#[group(id = "which", required = true, multiple = false)]
pub struct Which {
    /// The bus's open trip, whatever its date
    #[arg(long = "bus", value_name = "PLATE", group = "which")]
    pub plate: Option<String>,
    /// One trip by its code, e.g. 旬阳-20200221-01-1
    #[arg(long, value_name = "CODE", group = "which")]
    pub trip: Option<String>,
}

impl Which {
    pub fn trip_ref(&self) -> crate::ops::TripRef {
        match (&self.trip, &self.plate) {
            (Some(code), _) => crate::ops::TripRef::code(code.trim()),
            (None, Some(plate)) => crate::ops::TripRef::bus(plate.as_str()),
            // clap requires one of the two.
            (None, None) => crate::ops::TripRef::bus(""),
        }
    }
}

#[derive(Debug, Args)]
pub struct BusArg {
    #[command(flatten)]
    pub which: Which,
    #[arg(long)]
    pub json: bool,
}

/// `--id IDNUM` or `--seat N`: one passenger of the trip.
#[derive(Debug, Args)]
#[group(id = "person", required = true, multiple = false)]
pub struct Person {
    #[arg(long, value_name = "IDNUM", group = "person")]
    pub id: Option<String>,
    #[arg(long, value_name = "N", group = "person")]
    pub seat: Option<u32>,
}

impl Person {
    pub fn who(&self) -> crate::ops::departure::Who<'_> {
        use crate::ops::departure::Who;
        match (&self.id, self.seat) {
            (Some(id), _) => Who::IdNumber(id),
            (None, Some(n)) => Who::Seat(n),
            // clap requires one of the two; no passenger holds seat 0.
            (None, None) => Who::Seat(0),
        }
    }
}

#[derive(Debug, Args)]
pub struct BoardArgs {
    #[command(flatten)]
    pub which: Which,
    #[command(flatten)]
    pub person: Person,
    /// Temperature at the door, °C
    #[arg(long, value_name = "C", allow_hyphen_values = true)]
    pub temp: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReasonArg {
    Fever,
    Certificate,
    Identity,
    NoShow,
}

#[derive(Debug, Args)]
pub struct RefuseArgs {
    #[command(flatten)]
    pub which: Which,
    #[command(flatten)]
    pub person: Person,
    #[arg(long, value_enum)]
    pub reason: ReasonArg,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ArriveArgs {
    #[command(flatten)]
    pub which: Which,
    /// Who received the passengers at the factory gate: NAME for all, or EMPLOYER=NAME for
    /// one employer's passengers (repeat it for each employer of the bus)
    #[arg(long, value_name = "[EMPLOYER=]NAME")]
    pub receiver: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("change").required(true).multiple(true).args(["departure", "gathering"]))]
pub struct BatchArgs {
    /// Batch number, e.g. 旬阳-20200221-01
    #[arg(long, value_name = "CODE")]
    pub code: String,
    /// New departure time on the batch's day, HH:MM
    #[arg(long, value_name = "HH:MM")]
    pub departure: Option<String>,
    /// New gathering point
    #[arg(long, value_name = "PLACE")]
    pub gathering: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OtherMeansArgs {
    #[arg(long, value_name = "IDNUM")]
    pub id: String,
    /// How the worker travelled: 火车, 自驾, train, own car …
    #[arg(long, value_name = "TEXT")]
    pub means: String,
    /// Day of travel [default: the working day]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Passenger list per bus (CSV or print-ready HTML)
    Manifest(ManifestArgs),
    /// Advance notice to the destination provinces: buses, crews, expected arrival, employers
    Notice(NoticeArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManifestFormat {
    Csv,
    Html,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("scope").required(true).args(["plate", "trip", "date"]))]
pub struct ManifestArgs {
    /// The bus's open trip
    #[arg(long = "bus", value_name = "PLATE")]
    pub plate: Option<String>,
    /// One trip by its code
    #[arg(long, value_name = "CODE")]
    pub trip: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ManifestFormat,
    /// CSV text encoding (Excel on Chinese Windows reads GBK)
    #[arg(long, value_enum, default_value = "utf-8")]
    pub encoding: Encoding,
    /// Output file (`-` for stdout) [default: stdout]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file (never the database or a symlink)
    #[arg(long)]
    pub force: bool,
    /// Full ID numbers (audited)
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[arg(long)]
    pub json: bool,
    /// The daily bulletin text
    #[arg(long)]
    pub bulletin: bool,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    #[arg(long, value_name = "IDNUM")]
    pub id: String,
    #[arg(long)]
    pub json: bool,
    /// Show full ID numbers (audited)
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Days after arrival [default: retention_days of the policy]
    #[arg(long, value_name = "DAYS")]
    pub older_than: Option<u32>,
    /// Do not ask for confirmation
    #[arg(long)]
    pub yes: bool,
}
