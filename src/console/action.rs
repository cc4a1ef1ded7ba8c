//! The messages of the console: what the screen asks of the database thread (`Request`), what
//! comes back (`Reply`), and what reaches `App::update` (`Action`).

use super::index::SearchIndex;
use super::screens::batches_review::Review;
use crate::model::RefuseReason;
use crate::ops::departure::StandbyCandidate;
use crate::ops::fleet::{CoachForm, SavedCoach};
use crate::ops::register::Registration;
use crate::ops::reshape::{MoveTarget, SwapCandidate};
use crate::ops::stats::Figures;
use crate::ops::worker::WorkerEdit;
use crate::ops::TripRef;
use crate::store::ledger::Bus;
use crate::store::trips::{PassengerRow, SeatedElsewhere, TripInfo};
use crate::store::views::{
    DestinationRow, EmployerCard, EmployerTrip, StatusCounts, TripCounts, WorkerLine,
};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use crossterm::event::KeyEvent;
use std::sync::Arc;

/// Reads. Only the newest pending load of each kind is run: an older one is dropped unread.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Counts {
        day: NaiveDate,
    },
    Destinations {
        day: NaiveDate,
    },
    Employer {
        id: i64,
    },
    WorkerPage {
        ids: Vec<i64>,
    },
    WorkerByIdNumber {
        id_number: String,
    },
    Board {
        day: NaiveDate,
    },
    Stats {
        day: NaiveDate,
        /// The console's clock: which buses are overdue in the bulletin.
        now: NaiveDateTime,
    },
    /// Workers who may take a freed seat on the trip.
    Standby {
        trip: TripRef,
        seat: Option<u32>,
    },
    /// Employers changed since planning, or placed beyond their expected count.
    Changes,
    /// The planner's proposal for a day (nothing written).
    Propose {
        day: NaiveDate,
        county: Option<String>,
    },
    /// One trip (by code, or a bus's open trip) with its roster.
    Roster {
        which: TripRef,
    },
    /// A roster search that found nobody on the trip: who matches on the day's other buses.
    Elsewhere {
        /// Code of the trip searched.
        trip: String,
        query: String,
    },
    /// One coach of the fleet, to edit.
    Coach {
        plate: String,
    },
    /// The buses a passenger may be moved to.
    MoveTargets {
        worker_id: i64,
    },
    /// The free seats a passenger may be given on a trip.
    MoveSeats {
        worker_id: i64,
        trip: TripRef,
    },
    /// The coaches that may replace a trip's.
    SwapCandidates {
        trip: TripRef,
    },
    /// A coach picked to replace a trip's: still free?
    SwapPicked {
        trip: TripRef,
        to: String,
    },
    Index,
}

impl Load {
    /// Loads of the same kind replace each other while queued.
    pub fn slot(&self) -> std::mem::Discriminant<Load> {
        std::mem::discriminant(self)
    }
}

/// Writes, each one user action in one transaction; never dropped or merged.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    EditWorker {
        id: i64,
        edit: WorkerEdit,
    },
    Withdraw {
        id: i64,
    },
    /// `:batch CODE HH:MM [place]`: a batch's departure time and gathering point.
    EditBatch {
        code: String,
        time: Option<String>,
        place: Option<String>,
    },
    RevealId {
        id: i64,
    },
    /// A walk-in, as typed in the Workers screen's form.
    Register {
        registration: Box<Registration>,
    },
    /// Adds a coach (`editing` None) or edits the coach with that plate.
    SaveCoach {
        editing: Option<String>,
        form: Box<CoachForm>,
    },
    Board {
        trip: TripRef,
        worker_id: i64,
        temp: String,
    },
    Refuse {
        trip: TripRef,
        worker_id: i64,
        reason: RefuseReason,
    },
    Undo {
        trip: TripRef,
        worker_id: i64,
        reason: String,
    },
    SeatStandby {
        trip: TripRef,
        worker_id: i64,
        seat: Option<u32>,
    },
    Depart {
        trip: TripRef,
    },
    Round {
        trip: TripRef,
        readings: Vec<(i64, String)>,
        /// The key that moves a passenger to observation, named in the fever lines.
        observe_key: String,
    },
    Stop {
        trip: TripRef,
        headcount: u32,
        place: String,
    },
    Observe {
        trip: TripRef,
        worker_id: i64,
        temp: String,
    },
    Arrive {
        trip: TripRef,
        receiver: Option<String>,
        headcount: Option<u32>,
    },
    Move {
        worker_id: i64,
        to: TripRef,
        seat: Option<u32>,
    },
    Swap {
        trip: TripRef,
        to: String,
        reason: String,
        keep_crew: bool,
    },
    CancelTrip {
        trip: TripRef,
        reason: String,
    },
    /// `:notice-sent PROVINCE TO…`: the advance notice of the day shown went out.
    NoticeSent {
        date: NaiveDate,
        province: String,
        to: String,
    },
    /// Applies the day's plan only if it is still the proposal reviewed (its fingerprint).
    ApplyPlan {
        day: NaiveDate,
        county: Option<String>,
        fingerprint: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Load(Load),
    Write(Write),
}

/// A change after planning the Destinations and Batches screens flag (`plan::Warning`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeNote {
    pub kind: &'static str,
    pub employer: Option<String>,
    pub batch: Option<String>,
    pub text: String,
}

/// One trip on the departure board.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    pub trip: TripInfo,
    pub counts: TripCounts,
    /// Employers riding the bus with their passengers holding a seat, the largest first.
    pub employers: Vec<(String, u32)>,
    /// Expected arrival (`model::arrival`); None when no distance is known or cancelled.
    pub eta: Option<DateTime<FixedOffset>>,
    /// When its destination province was first told of the trip's day, if it was.
    pub notified: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone)]
pub enum Reply {
    Counts(StatusCounts),
    Destinations {
        day: NaiveDate,
        rows: Vec<DestinationRow>,
    },
    Employer {
        id: i64,
        card: Option<Box<EmployerCard>>,
        trips: Vec<EmployerTrip>,
        workers: Vec<WorkerLine>,
    },
    WorkerPage(Vec<WorkerLine>),
    WorkerByIdNumber {
        id_number: String,
        line: Option<WorkerLine>,
    },
    Board {
        day: NaiveDate,
        rows: Vec<BoardRow>,
        /// Trips of earlier days still open (on the road overnight, or never left).
        earlier: Vec<BoardRow>,
    },
    Stats {
        day: NaiveDate,
        figures: Box<Figures>,
        bulletin: String,
    },
    Roster {
        which: TripRef,
        trip: Option<Box<TripInfo>>,
        passengers: Vec<PassengerRow>,
        last_round: Option<String>,
        /// The trip is still open: the departure-day actions may act on it.
        actionable: bool,
        /// Its expected arrival (`model::arrival`).
        eta: Option<DateTime<FixedOffset>>,
    },
    Standby {
        /// Code of the trip.
        trip: String,
        seat: Option<u32>,
        candidates: Vec<StandbyCandidate>,
    },
    Proposal {
        day: NaiveDate,
        county: Option<String>,
        review: Arc<Review>,
    },
    /// A roster action went through: one sentence, and details worth a dialog (arrival, round).
    RosterDone {
        /// Code of the trip acted on.
        trip: String,
        message: String,
        details: Vec<String>,
    },
    PlanApplied {
        day: NaiveDate,
        message: String,
    },
    /// Where a passenger may go: their place now and the buses that can take them.
    MoveTargets {
        worker_id: i64,
        name: String,
        plate: String,
        seat: u32,
        targets: Vec<MoveTarget>,
    },
    MoveSeats {
        worker_id: i64,
        name: String,
        /// Code of the trip.
        trip: String,
        plate: String,
        seats: Vec<u32>,
    },
    SwapCandidates {
        /// Code of the trip.
        trip: String,
        plate: String,
        passengers: u32,
        candidates: Vec<SwapCandidate>,
    },
    SwapPicked {
        trip: String,
        from: String,
        to: String,
        passengers: u32,
    },
    Changes(Vec<ChangeNote>),
    /// A move, swap or cancellation went through: one sentence, details worth a dialog.
    Reshaped {
        message: String,
        details: Vec<String>,
    },
    /// Applying was refused: the ledger changed since the proposal was reviewed. The new
    /// proposal comes back to be reviewed instead.
    PlanChanged {
        day: NaiveDate,
        county: Option<String>,
        review: Arc<Review>,
        message: String,
    },
    BatchEdited {
        message: String,
    },
    /// Who a roster search matches on the day's other buses (empty: nobody).
    Elsewhere {
        trip: String,
        query: String,
        found: Vec<SeatedElsewhere>,
    },
    /// A coach to edit (None: no such plate in the fleet).
    Coach {
        plate: String,
        bus: Option<Box<Bus>>,
    },
    /// An advance notice was recorded as sent.
    NoticeSent {
        message: String,
    },
    Index(Arc<SearchIndex>),
    Registered(WorkerLine),
    CoachSaved(Box<SavedCoach>),
    Edited(WorkerLine),
    Withdrawn(WorkerLine),
    Revealed {
        id: i64,
        id_number: String,
    },
    /// Another terminal or a command changed the database.
    DataChanged,
    /// How far a long job of this console is (a plan being written): one line for the status
    /// bar, `None` once it is over.
    Progress(Option<String>),
    /// A rule of the job refused the action; `recorded` when the refusal itself was written
    /// (a fever or an invalid certificate at the door frees the seat).
    Refused {
        code: crate::i18n::Code,
        message: String,
        recorded: bool,
    },
    /// A load or write failed (nothing written); `message` is one human sentence.
    Failed {
        message: String,
    },
    /// One typed field of a form is wrong (nothing written): `reason` goes beside the field,
    /// `message` (naming the field) to the status line.
    Invalid {
        field: &'static str,
        reason: String,
        message: String,
    },
    /// The answer to a write, whatever it was: the write is no longer waiting.
    Wrote(Box<Reply>),
}

// A reply crosses one channel and is matched once; boxing it would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The wall clock moved (countdowns, flash expiry, round reminders).
    Tick(NaiveDateTime),
    Reply(Reply),
}
