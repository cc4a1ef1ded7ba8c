//! The journal of a pack. Each door and road act done in a pack is written down in the same
//! transaction as the act (event id, operator, clock time, kind, arguments by worker and
//! seat), so that `merge` can replay it into the ledger. While a merge replays an event, the
//! same call records the event as merged, again in the transaction of the act it replays:
//! an event is applied exactly once, whenever the process is stopped.

use super::departure::say;
use super::{OpError, OpResult};
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::store::pack::{self, MergedEvent, NewEntry};
use crate::store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The refusal a replayed act gets when its event was merged meanwhile by another merge.
pub const ALREADY_MERGED: Code = Code::AlreadyMerged;

/// What the acts of this context leave behind, besides themselves.
#[derive(Debug, Clone, Default)]
pub enum Journal {
    /// A ledger: nothing more.
    #[default]
    Off,
    /// A pack: every act goes into its journal.
    Pack,
    /// A merge replaying one event of a pack into the ledger.
    Replay(Box<Replay>),
}

impl Journal {
    pub fn is_pack(&self) -> bool {
        matches!(self, Journal::Pack)
    }
}

/// The event being replayed, and the merge doing it.
#[derive(Debug, Clone)]
pub struct Replay {
    pub event: String,
    pub pack: String,
    pub seq: i64,
    pub kind: String,
    pub road_at: String,
    pub road_operator: String,
    pub merged_at: String,
    pub merged_by: String,
}

/// An act's arguments as the journal keeps them (JSON); temperatures as typed after checking.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Args {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headcount: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    /// A round of several readings: (worker row id, temperature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readings: Option<Vec<(i64, String)>>,
}

impl Args {
    /// The arguments of an act that took one temperature (boarding, a round reading, a move to
    /// the observation rows).
    pub fn temp(t: crate::model::Temperature) -> Args {
        Args {
            temp: Some(t.to_string()),
            ..Args::default()
        }
    }
}

/// One act, as the door and road functions describe it just before they commit.
pub struct Act {
    /// `board`, `refuse`, `undo`, `round`, `readings`, `stop`, `observe`, `depart`, `arrive`.
    pub kind: &'static str,
    pub trip_id: i64,
    /// The passenger acted on (worker row id, seat), for acts on one passenger.
    pub who: Option<(i64, u32)>,
    pub args: Args,
}

impl Act {
    /// An act on one passenger.
    pub fn on(kind: &'static str, p: &crate::store::trips::PassengerRow, args: Args) -> Act {
        Act {
            kind,
            trip_id: p.trip_id,
            who: Some((p.worker_id, p.seat)),
            args,
        }
    }

    /// An act on the whole trip.
    pub fn trip(kind: &'static str, trip_id: i64, args: Args) -> Act {
        Act {
            kind,
            trip_id,
            who: None,
            args,
        }
    }
}

/// Writes down `act`, done `at` (the time the act itself was stamped with), as this
/// context's journal asks (see the module's text). In a pack that a refresh has replaced, no
/// act is recorded any more: the attendant must open the new file.
pub fn note(
    tx: &Tx<'_>,
    journal: &Journal,
    operator: &str,
    lang: Lang,
    at: &str,
    act: Act,
) -> OpResult<()> {
    // A context made without `Ctx::new` on a pack still journals: the file decides.
    let in_pack = match journal {
        Journal::Off => pack::is_pack_file(tx),
        _ => false,
    };
    match journal {
        Journal::Off if !in_pack => Ok(()),
        Journal::Off | Journal::Pack => {
            if let Some(at) = pack::superseded(tx)? {
                return Err(OpError::Failed(say!(
                    lang,
                    "此离线包已于 {} 被更新后的离线包取代：请关闭后重新打开该文件，本次操作未记录",
                    "this pack was replaced by a refreshed one at {}: close it and open the file again; nothing was recorded",
                    crate::clock::paper_text(&at)
                )));
            }
            let args =
                serde_json::to_string(&act.args).map_err(|e| OpError::Failed(e.to_string()))?;
            pack::append(
                tx,
                &NewEntry {
                    at,
                    operator,
                    kind: act.kind,
                    trip_id: act.trip_id,
                    worker_id: act.who.map(|w| w.0),
                    seat: act.who.map(|w| w.1),
                    args: &args,
                },
            )?;
            Ok(())
        }
        Journal::Replay(r) => {
            let worker_id = act.who.map(|w| w.0);
            let changed_at = match worker_id {
                Some(w) => pack::passenger_changed_at(tx, act.trip_id, w)?,
                None => None,
            };
            let fresh = pack::mark_merged(
                tx,
                &MergedEvent {
                    event: r.event.clone(),
                    pack: r.pack.clone(),
                    trip_id: act.trip_id,
                    seq: r.seq,
                    kind: r.kind.clone(),
                    worker_id,
                    seat: act.who.map(|w| w.1),
                    road_at: r.road_at.clone(),
                    road_operator: r.road_operator.clone(),
                    merged_at: r.merged_at.clone(),
                    merged_by: r.merged_by.clone(),
                    outcome: "applied".into(),
                    reason: None,
                    changed_at,
                },
            )?;
            if !fresh {
                // Another merge of the same pack recorded it a moment ago: this act is undone
                // with its transaction, so that the event counts once.
                return Err(OpError::refused(ALREADY_MERGED, r.event.clone()));
            }
            pack::audit_merge(
                tx,
                &r.merged_at,
                &r.merged_by,
                r.seq,
                &json!({"event": r.event, "pack": r.pack, "kind": r.kind,
                        "road_operator": r.road_operator, "road_at": r.road_at,
                        "outcome": "applied"}),
            )?;
            Ok(())
        }
    }
}

/// Refuses, in a pack, an action that needs the rest of the ledger (planning, stand-bys from
/// outside the trip, imports …): `Refused{code:"pack_only_this_trip"}`.
pub fn ledger_only(ctx: &super::Ctx) -> OpResult<()> {
    let lang = ctx.lang;
    if ctx.journal.is_pack() || ctx.store.pack().is_some() {
        return Err(OpError::refused(
            Code::PackOnlyThisTrip,
            say!(
                lang,
                "离线包只含本车次：此操作须联网后在台账上进行",
                "a pack holds this trip only: do this on the ledger once back on the network"
            ),
        ));
    }
    Ok(())
}
