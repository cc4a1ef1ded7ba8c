//! Answering one request of a screen on the database thread: loads read the ledger, writes
//! go through the ops functions (one user action each).

use super::{board, release_memory};
use crate::console::action::{Load, Reply, Request, Write};
use crate::console::index::SearchIndex;
use crate::console::screens::batches_review::Review;
use crate::console::screens::{reshape, roster_exec};
use crate::model::TripStatus;
use crate::ops::{self, Ctx, OpError, TripRef};
use crate::store::{trips, views, Db};
use std::sync::Arc;

/// Runs one request on the context (also used directly by tests, without a thread).
pub fn handle(ctx: &mut Ctx, req: Request) -> Reply {
    let heavy = matches!(
        req,
        Request::Load(Load::Propose { .. } | Load::Destinations { .. })
            | Request::Write(Write::ApplyPlan { .. })
    );
    let wrote = matches!(req, Request::Write(_));
    let result = match req {
        Request::Load(l) => load(ctx, l),
        Request::Write(w) => write(ctx, w),
    };
    if heavy {
        release_memory();
    }
    // Messages may name people: only the kind of failure goes to the log.
    let lang = ctx.lang;
    let reply = result.unwrap_or_else(|e| match e {
        OpError::Field {
            field,
            reason,
            message,
            ..
        } => {
            tracing::info!(field, "a typed field was refused");
            Reply::Invalid {
                field,
                reason,
                message,
            }
        }
        OpError::Refused { code, message } => {
            tracing::info!(code = code.as_str(), "refused by a rule");
            // At the door a reading and what it decided are written even when refused.
            Reply::Refused {
                code,
                message,
                recorded: ops::departure::RECORDED_REFUSALS.contains(&code),
            }
        }
        other => {
            tracing::info!(exit = ?other.exit(), "request failed");
            Reply::Failed {
                message: other.text(lang),
            }
        }
    });
    if wrote {
        Reply::Wrote(Box::new(reply))
    } else {
        reply
    }
}

fn load(ctx: &mut Ctx, l: Load) -> Result<Reply, OpError> {
    if let Some(done) = reshape::load(ctx, &l) {
        return done;
    }
    let conn = &ctx.store.db();
    let validity = ctx.policy.cert_validity_days;
    Ok(match l {
        Load::Counts { day } => Reply::Counts(views::status_counts(conn, day)?),
        Load::Destinations { day } => Reply::Destinations {
            day,
            rows: views::destinations(conn, day, validity)?,
        },
        Load::Employer { id } => Reply::Employer {
            id,
            card: views::employer_card(conn, id)?.map(Box::new),
            trips: views::employer_trips(conn, id)?,
            workers: views::employer_workers(conn, id, 2000)?,
        },
        Load::WorkerPage { ids } => Reply::WorkerPage(views::workers_by_ids(conn, &ids)?),
        Load::WorkerByIdNumber { id_number } => {
            let line = match trips::worker_by_id_number(conn, &id_number)? {
                Some(id) => views::worker(conn, id)?,
                None => None,
            };
            Reply::WorkerByIdNumber { id_number, line }
        }
        Load::Board { day } => board::load(conn, &ctx.policy, day)?,
        Load::Stats { day, now } => {
            let now = crate::clock::from_local(now).unwrap_or_else(crate::clock::now);
            let figures = ops::stats::figures_at(ctx, day, now)?;
            let bulletin = ops::stats::bulletin_text(&figures, ctx.lang);
            Reply::Stats {
                day,
                figures: Box::new(figures),
                bulletin,
            }
        }
        Load::Roster { which } => {
            let trip = match ops::departure::bus_trip(ctx, &which) {
                Ok(t) => Some(t),
                // A bus with no open trip: its last one, to look at.
                Err(e @ OpError::Failed(_)) if matches!(which, TripRef::Bus(_)) => {
                    // As typed (`陕g21000`, `21000`), resolved as `--bus` resolves it.
                    let plate = ops::trip_ref::bus_plate(conn, &which.to_string(), ctx.lang)?;
                    // The end of no plate of the fleet: what the trip lookup said.
                    if crate::model::Plate::parse(&plate).is_err() {
                        return Err(e);
                    }
                    trips::last_trip_of_bus(conn, &plate)?
                }
                Err(e) => return Err(e),
            };
            let actionable = trip.as_ref().is_some_and(|t| {
                matches!(
                    t.status,
                    TripStatus::Planned | TripStatus::Boarding | TripStatus::Departed
                )
            });
            let (passengers, last_round, eta) = match &trip {
                Some(t) => (
                    trips::roster(conn, t.trip_id)?,
                    views::last_round_at(conn, t.trip_id)?,
                    ops::arrival::trip_eta(
                        t,
                        crate::store::notices::trip_distance(conn, t.trip_id)?,
                        &ctx.policy,
                    ),
                ),
                None => (vec![], None, None),
            };
            Reply::Roster {
                which,
                trip: trip.map(Box::new),
                passengers,
                last_round,
                actionable,
                eta,
            }
        }
        Load::Standby { trip, seat } => {
            let code = ops::departure::bus_trip(ctx, &trip)?.code;
            Reply::Standby {
                candidates: ops::departure::standby_candidates(ctx, TripRef::code(code.clone()))?,
                trip: code,
                seat,
            }
        }
        Load::Propose { day, county } => {
            let plan = ops::plan::propose(ctx, day, county.as_deref())?;
            Reply::Proposal {
                review: Arc::new(Review::of(&plan, ctx.lang)),
                day,
                county,
            }
        }
        Load::Elsewhere { trip, query } => {
            let found = match trips::trip_by_code(conn, &trip)? {
                Some(t) => elsewhere(conn, &t, &query)?,
                None => vec![],
            };
            Reply::Elsewhere { trip, query, found }
        }
        Load::Coach { plate } => {
            let key = crate::model::Plate::parse(&plate)
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|_| plate.clone());
            Reply::Coach {
                bus: crate::store::ledger::bus_by_plate(conn, &key)?.map(|(_, b)| Box::new(b)),
                plate,
            }
        }
        Load::Index => {
            let ix = SearchIndex::load(conn)?;
            Reply::Index(Arc::new(ix))
        }
        Load::Changes => Reply::Changes(
            ops::plan::changes(ctx)?
                .into_iter()
                .map(|w| crate::console::action::ChangeNote {
                    kind: w.kind(),
                    employer: w.employer().map(str::to_string),
                    batch: w.batch().map(str::to_string),
                    text: w.text(ctx.lang),
                })
                .collect(),
        ),
        Load::MoveTargets { .. }
        | Load::MoveSeats { .. }
        | Load::SwapCandidates { .. }
        | Load::SwapPicked { .. } => {
            return Err(OpError::Failed("answered by the reshape dialogs".into()))
        }
    })
}

/// Passengers of the day's other buses matching a roster search: a name, or the last digits
/// (3 or more) of an ID number or phone. A seat number is only meaningful on its own bus.
fn elsewhere(
    conn: &Db<'_>,
    trip: &trips::TripInfo,
    query: &str,
) -> Result<Vec<trips::SeatedElsewhere>, OpError> {
    let q = query.trim();
    let digits = q
        .to_uppercase()
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || (c == 'X' && i + 1 == q.chars().count()));
    let found = if q.is_empty() || (digits && q.len() < 3) {
        vec![]
    } else if digits {
        trips::seated_elsewhere(
            conn,
            trip.date,
            trip.trip_id,
            None,
            Some(&q.to_uppercase()),
            5,
        )?
    } else {
        trips::seated_elsewhere(conn, trip.date, trip.trip_id, Some(q), None, 5)?
    };
    Ok(found)
}

fn write(ctx: &mut Ctx, w: Write) -> Result<Reply, OpError> {
    if let Some(done) = roster_exec::execute(ctx, &w) {
        return done;
    }
    if let Some(done) = reshape::execute(ctx, &w) {
        return done;
    }
    Ok(match w {
        Write::EditWorker { id, edit } => Reply::Edited(ops::worker::edit_worker(ctx, id, &edit)?),
        Write::Withdraw { id } => Reply::Withdrawn(ops::worker::withdraw_worker(ctx, id)?),
        Write::EditBatch { code, time, place } => {
            let c = ops::batch::edit_batch(ctx, &code, time.as_deref(), place.as_deref())?;
            let message = match ctx.lang {
                crate::i18n::Lang::Zh => format!(
                    "{} 改为 {} 出发，集合点 {}",
                    c.code,
                    c.departure.replace('T', " "),
                    c.gathering_point
                ),
                crate::i18n::Lang::En => format!(
                    "{} now leaves {} from {}",
                    c.code,
                    c.departure.replace('T', " "),
                    c.gathering_point
                ),
            };
            Reply::BatchEdited { message }
        }
        Write::Register { registration } => {
            Reply::Registered(ops::register::register(ctx, &registration)?)
        }
        Write::SaveCoach { editing, form } => Reply::CoachSaved(Box::new(ops::fleet::save_coach(
            ctx,
            editing.as_deref(),
            &form,
        )?)),
        Write::NoticeSent { date, province, to } => {
            let n = ops::notice::notice_sent(ctx, date, &province, &to)?;
            let at = crate::clock::screen_text(&n.at, date);
            let message = match ctx.lang {
                crate::i18n::Lang::Zh => format!(
                    "已记录：{} {} 的抵达预告已于 {at} 发给 {}",
                    n.date, n.province, n.to
                ),
                crate::i18n::Lang::En => format!(
                    "recorded: the notice for {}, {}, went to {} at {at}",
                    n.province, n.date, n.to
                ),
            };
            Reply::NoticeSent { message }
        }
        Write::RevealId { id } => Reply::Revealed {
            id,
            id_number: ops::worker::reveal_id(ctx, id)?,
        },
        Write::ApplyPlan {
            day,
            county,
            fingerprint,
        } => {
            let applied =
                ops::plan::apply_reviewed(ctx, day, county.as_deref(), Some(&fingerprint));
            let plan = match applied {
                Err(OpError::Refused {
                    code: crate::i18n::Code::PlanChanged,
                    message,
                }) => {
                    // Show what would be written now, instead of writing it unseen.
                    let plan = ops::plan::propose(ctx, day, county.as_deref())?;
                    return Ok(Reply::PlanChanged {
                        review: Arc::new(Review::of(&plan, ctx.lang)),
                        day,
                        county,
                        message,
                    });
                }
                other => other?,
            };
            let message = match ctx.lang {
                crate::i18n::Lang::Zh => format!(
                    "{day} 已编排：{} 人，新增 {} 辆车",
                    plan.placed(),
                    plan.new_buses()
                ),
                crate::i18n::Lang::En => format!(
                    "{day} planned: {} people, {} new buses",
                    plan.placed(),
                    plan.new_buses()
                ),
            };
            Reply::PlanApplied { day, message }
        }
        // Roster writes were handled above.
        other => return Err(OpError::Failed(format!("not a console action: {other:?}"))),
    })
}
