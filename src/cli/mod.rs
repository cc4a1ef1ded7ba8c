//! The command-line contract of DESIGN §5: argument parsing, opening the context, and mapping
//! results to exit codes. Each command's printing lives in its own file beside this one.

mod args;
mod backup;
mod demo;
mod departure;
mod door;
mod export;
mod import;
mod notice;
mod pack;
mod plan;
mod progress;
mod purge;
mod register;
mod reshape;
mod stats;
mod trace;
pub mod zh_help;

pub use args::*;
pub use notice::{NoticeArgs, NoticeFormatArg, NoticeSentArgs};

use crate::i18n::{Lang, Msg};
use crate::model::Policy;
use crate::ops::{Ctx, ErrorJson, Exit, OpError, OpResult};
use crate::store::{Notice, Store, StoreError};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "zhitong",
    version,
    about = "直通车 — dispatch console for point-to-point return-to-work buses"
)]
pub struct Cli {
    /// Database file [default: zhitong.db in the data directory]
    #[arg(long, global = true, value_name = "PATH", env = "ZHITONG_DB")]
    pub db: Option<PathBuf>,
    /// Who is acting, as recorded in the audit log [default: the login name]
    #[arg(long, global = true, value_name = "NAME", env = "ZHITONG_OPERATOR")]
    pub operator: Option<String>,
    /// Interface language [default: from the locale]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Policy file (TOML) [default: policy.toml in the data directory, else built-in]
    #[arg(long, global = true, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Refuse every write
    #[arg(long, global = true)]
    pub readonly: bool,
    /// Open the console on this bus's open trip (attendant mode)
    #[arg(long, value_name = "PLATE", conflicts_with = "trip")]
    pub bus: Option<String>,
    /// Open the console on this trip (attendant mode), e.g. 旬阳-20200221-01-1
    #[arg(long, value_name = "CODE")]
    pub trip: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `db` came from `$ZHITONG_DB`, not from `--db` (a demo never writes there).
    #[arg(skip)]
    pub db_from_env: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a demo database from assets/, then open it
    Demo(DemoArgs),
    /// Create an empty database
    Init,
    /// Import a ledger, employer or fleet spreadsheet (CSV)
    Import(ImportArgs),
    /// Plan a departure day: batches, buses, seats
    Plan(PlanArgs),
    /// Change a planned batch's departure time or gathering point
    Batch(BatchArgs),
    /// Check a passenger in at the bus door
    Board(BoardArgs),
    /// Refuse a passenger boarding
    Refuse(RefuseArgs),
    /// Reverse a passenger's last door decision before departure (not a fever refusal)
    Undo(door::UndoArgs),
    /// One reading of an en-route temperature round
    Round(door::RoundArgs),
    /// One trip's passengers with status and latest reading
    Roster(door::RosterArgs),
    /// Record a bus's departure
    Depart(BusArg),
    /// Record a bus's arrival and hand-over
    Arrive(ArriveArgs),
    /// Mark a worker as gone back by other means (train, own car …), counted apart
    OtherMeans(OtherMeansArgs),
    /// Move a passenger to another bus or seat before either bus leaves
    Move(reshape::MoveArgs),
    /// Put a trip on a substitute coach (a breakdown); the trip keeps its code
    Swap(reshape::SwapArgs),
    /// Cancel a trip before it leaves: its passengers go back to the pool
    Cancel(reshape::CancelArgs),
    /// Register a walk-in: a worker not in the ledger, checked like an imported row
    Register(register::RegisterArgs),
    /// Export papers
    #[command(subcommand)]
    Export(ExportCommand),
    /// Record that the advance notice to a destination province went out
    NoticeSent(NoticeSentArgs),
    /// Figures: counts, eligibility, trips, the daily bulletin
    Stats(StatsArgs),
    /// Close contacts of one passenger
    Trace(TraceArgs),
    /// Consistent copy of the database through SQLite's online backup
    Backup(BackupArgs),
    /// Delete personal data of trips that arrived long ago
    Purge(PurgeArgs),
    /// Write one trip for the road (no full ID numbers), or refresh such a pack
    Pack(pack::PackArgs),
    /// Replay a pack's events into the ledger, once; exit 3 when some were not applied
    Merge(pack::MergeArgs),
}

/// A `--date` that is not a date: a usage error in the user's language.
pub(crate) fn date_usage(e: crate::model::date::DateError, lang: Lang) -> OpError {
    OpError::Usage(format!("--date: {}", e.message(lang)))
}

/// Where the data lives: the default database, the policy file.
pub fn data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "zhitong")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn default_db() -> PathBuf {
    data_dir().join("zhitong.db")
}

/// Who acts: the first of `--operator` (or `$ZHITONG_OPERATOR`), `$USER`, `$LOGNAME` and the login
/// name that is set. It goes into every audit row and onto the status bar, so it is checked
/// like any typed text: a name given that cannot be stored is refused, not skipped.
fn operator(cli: &Cli, lang: Lang) -> OpResult<String> {
    let given = [
        cli.operator.clone(),
        std::env::var("USER").ok(),
        std::env::var("LOGNAME").ok(),
        login_name(),
    ]
    .into_iter()
    .flatten()
    .find(|s| !s.trim().is_empty());
    match given {
        Some(name) => crate::ops::free_text(lang, crate::model::FreeText::Operator, &name),
        None => Ok("unknown".into()),
    }
}

/// The account name of this process's user (over SSH, cron or tmux `USER` may be unset, and the
/// audit log must still say who acted), from the system's user database: `/etc/passwd` or a
/// directory service alike.
fn login_name() -> Option<String> {
    #[cfg(unix)]
    {
        use nix::unistd::{getuid, User};
        User::from_uid(getuid()).ok().flatten().map(|u| u.name)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

pub fn load_policy(explicit: Option<&Path>, lang: Lang) -> OpResult<Policy> {
    let map = |e: crate::model::policy::PolicyError| OpError::Failed(e.message(lang));
    match explicit {
        Some(p) => Policy::load(p).map_err(map),
        None => {
            let p = data_dir().join("policy.toml");
            if p.exists() {
                Policy::load(&p).map_err(map)
            } else {
                Ok(Policy::default())
            }
        }
    }
}

/// Opens the context for a command on an existing database: a missing file is exit 1 ("no
/// database at PATH: run `zhitong init`") and nothing is created.
pub fn open_ctx(cli: &Cli, db: &Path) -> OpResult<Ctx> {
    open_ctx_with(cli, db, false)
}

/// Opens the context for `init`, `demo` and `import`, the commands that may create the
/// database; creating it is said on stderr ("created PATH").
pub fn open_ctx_creating(cli: &Cli, db: &Path) -> OpResult<Ctx> {
    open_ctx_with(cli, db, true)
}

/// The operator and the policy are checked first: a refused argument leaves no file behind.
fn open_ctx_with(cli: &Cli, db: &Path, create: bool) -> OpResult<Ctx> {
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let operator = operator(cli, lang)?;
    let policy = load_policy(cli.policy.as_deref(), lang)?;
    let opened = match (cli.readonly, create) {
        (true, _) => Store::open_readonly(db),
        (false, true) => Store::open(db),
        (false, false) => Store::open_existing(db),
    };
    let store = opened.map_err(|e| match e {
        StoreError::Missing { path } => OpError::Failed(Msg::NoDatabase { path }.text(lang)),
        e => e.into(),
    })?;
    for notice in store.notices() {
        let path = store.path().display().to_string();
        let msg = match *notice {
            Notice::Created => Msg::DatabaseCreated { path },
            Notice::Narrowed { from } => Msg::DatabaseNarrowed { path, from },
            Notice::StillWide { mode } => Msg::DatabaseStillWide { path, mode },
        };
        eprintln!("{}", msg.text(lang));
    }
    // A pack decides by the rules the office worked under when it was made, unless a policy
    // file is named; the laptop's own defaults do not apply to it.
    let policy = match (store.pack(), &cli.policy) {
        (Some(p), None) => {
            let shown = store.path().display().to_string();
            Policy::from_toml(&p.policy, &shown).map_err(|e| OpError::Failed(e.message(lang)))?
        }
        _ => policy,
    };
    Ok(Ctx::new(store, operator, policy, lang))
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> Exit {
    let json = command_wants_json(&cli);
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    // The clock is checked before anything is opened: a rehearsal with a mistyped day must
    // not write today's date into the ledger.
    if let Err(e) = crate::clock::init() {
        let e = OpError::Usage(e.message(lang));
        report(&e, json, lang);
        return e.exit();
    }
    // The console shows progress in its own status bar.
    if cli.command.is_some() {
        progress::install(lang, json);
    }
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            report(&e, json, lang);
            e.exit()
        }
    }
}

fn command_wants_json(cli: &Cli) -> bool {
    match &cli.command {
        Some(Command::Import(a)) => a.json,
        Some(Command::Plan(a)) => a.json,
        Some(Command::Board(a)) => a.json,
        Some(Command::Refuse(a)) => a.json,
        Some(Command::Undo(a)) => a.json,
        Some(Command::Round(a)) => a.json,
        Some(Command::Roster(a)) => a.json,
        Some(Command::Depart(a)) => a.json,
        Some(Command::Arrive(a)) => a.json,
        Some(Command::Stats(a)) => a.json,
        Some(Command::Trace(a)) => a.json,
        Some(Command::OtherMeans(a)) => a.json,
        Some(Command::Batch(a)) => a.json,
        Some(Command::Register(a)) => a.json,
        Some(Command::NoticeSent(a)) => a.json,
        Some(Command::Pack(a)) => a.json,
        Some(Command::Merge(a)) => a.json,
        Some(Command::Move(a)) => a.json,
        Some(Command::Swap(a)) => a.json,
        Some(Command::Cancel(a)) => a.json,
        _ => false,
    }
}

/// Errors go to stderr as one sentence; with `--json` the same object also goes to stdout.
/// Whatever of the input a message quotes cannot drive the terminal: control, bidi and
/// invisible characters are written out (line breaks between sentences stay).
fn report(e: &OpError, json: bool, lang: Lang) {
    let msg = e.text(lang);
    let shown: Vec<String> = msg
        .split('\n')
        .map(|l| crate::model::text::visible(l).into_owned())
        .collect();
    eprintln!("zhitong: {}", shown.join("\n"));
    if json {
        let obj = ErrorJson {
            error: &msg,
            code: e.code(),
        };
        println!("{}", serde_json::to_string(&obj).unwrap_or_default());
    }
}

fn dispatch(cli: Cli) -> OpResult<Exit> {
    let db = cli.db.clone().unwrap_or_else(default_db);
    let Some(command) = &cli.command else {
        let ctx = open_ctx(&cli, &db)?;
        let which = match (&cli.trip, &cli.bus) {
            (Some(code), _) => Some(crate::ops::TripRef::code(code.trim())),
            (None, Some(plate)) => Some(crate::ops::TripRef::bus(plate.as_str())),
            (None, None) => None,
        };
        return crate::console::run(ctx, which);
    };
    match command {
        Command::Demo(a) => demo::run(&cli, a),
        Command::Init => {
            let ctx = open_ctx_creating(&cli, &db)?;
            println!("{}", ctx.store.path().display());
            Ok(Exit::Ok)
        }
        Command::Import(a) => import::run(&mut open_ctx_creating(&cli, &db)?, a),
        Command::Plan(a) => plan::run(&mut open_ctx(&cli, &db)?, a),
        Command::Board(a) => departure::board(&mut open_ctx(&cli, &db)?, a),
        Command::Refuse(a) => departure::refuse(&mut open_ctx(&cli, &db)?, a),
        Command::Undo(a) => door::undo(&mut open_ctx(&cli, &db)?, a),
        Command::Round(a) => door::round(&mut open_ctx(&cli, &db)?, a),
        Command::Roster(a) => door::roster(&mut open_ctx(&cli, &db)?, a),
        Command::Depart(a) => departure::depart(&mut open_ctx(&cli, &db)?, a),
        Command::Arrive(a) => departure::arrive(&mut open_ctx(&cli, &db)?, a),
        Command::Export(ExportCommand::Manifest(a)) => {
            export::manifest(&mut open_ctx(&cli, &db)?, a)
        }
        Command::Export(ExportCommand::Notice(a)) => notice::export(&mut open_ctx(&cli, &db)?, a),
        Command::NoticeSent(a) => notice::sent(&mut open_ctx(&cli, &db)?, a),
        Command::Stats(a) => stats::run(&mut open_ctx(&cli, &db)?, a),
        Command::Trace(a) => trace::run(&mut open_ctx(&cli, &db)?, a),
        Command::OtherMeans(a) => departure::other_means(&mut open_ctx(&cli, &db)?, a),
        Command::Batch(a) => plan::edit_batch(&mut open_ctx(&cli, &db)?, a),
        Command::Move(a) => reshape::move_passenger(&mut open_ctx(&cli, &db)?, a),
        Command::Swap(a) => reshape::swap(&mut open_ctx(&cli, &db)?, a),
        Command::Cancel(a) => reshape::cancel(&mut open_ctx(&cli, &db)?, a),
        Command::Register(a) => register::run(&mut open_ctx(&cli, &db)?, a),
        Command::Backup(a) => backup::run(&mut open_ctx(&cli, &db)?, a),
        Command::Purge(a) => purge::run(&mut open_ctx(&cli, &db)?, a),
        Command::Pack(a) => pack::pack(&mut open_ctx(&cli, &db)?, a),
        Command::Merge(a) => pack::merge(&mut open_ctx(&cli, &db)?, a),
    }
}
