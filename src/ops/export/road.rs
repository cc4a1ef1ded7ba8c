//! What happened at the door and on the road, as the papers show it: the counts of the whole
//! roster (refusals and no-shows stay counted after the bus has left) and the en-route log —
//! fevers found on rounds, moves to the observation rows, stops with their headcount.

use crate::clock;
use crate::i18n::Lang;
use crate::model::SeatStatus;
use crate::store::departure::TripEvent;
use crate::store::trips::PassengerRow;
use chrono::NaiveDate;

/// The whole roster counted, whoever the paper lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub boarded: u32,
    pub to_check: u32,
    pub recheck: u32,
    pub refused_fever: u32,
    pub refused_certificate: u32,
    pub refused_identity: u32,
    pub no_show: u32,
    /// Stand-bys holding or having used a freed seat.
    pub standby: u32,
    /// Aboard and under observation after a fever found en route.
    pub observation: u32,
}

impl Tally {
    pub fn of(roster: &[PassengerRow]) -> Tally {
        let mut t = Tally::default();
        for p in roster {
            match p.status {
                SeatStatus::Boarded => {
                    t.boarded += 1;
                    t.observation += u32::from(p.observation_at.is_some());
                }
                SeatStatus::Planned => t.to_check += 1,
                SeatStatus::Recheck => t.recheck += 1,
                SeatStatus::NoShow => t.no_show += 1,
                SeatStatus::Refused => match p.refused_reason.as_deref() {
                    Some("fever") => t.refused_fever += 1,
                    Some("certificate") => t.refused_certificate += 1,
                    _ => t.refused_identity += 1,
                },
            }
            t.standby += u32::from(p.standby && p.status.holds_seat());
        }
        t
    }

    pub fn refused(&self) -> u32 {
        self.refused_fever + self.refused_certificate + self.refused_identity
    }
}

/// One entry of the en-route log.
#[derive(Debug, Clone, PartialEq)]
pub struct EnRoute {
    /// As stored (`2020-02-21T10:05:12+08:00`); `words` shows it in the clock's forms.
    pub at: String,
    pub kind: EnRouteKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EnRouteKind {
    /// A fever found on a round (door fevers are the door's business).
    Fever {
        seat: u32,
        celsius: f64,
    },
    /// Moved to the observation rows.
    Move {
        from: Option<u32>,
        to: u32,
    },
    Stop {
        place: String,
        headcount: u32,
    },
    /// A temperature round: how many were measured at that time.
    Round {
        measured: u32,
    },
}

/// The trip's log as the papers show it, oldest first; readings of one round are one entry.
pub fn trip_log(events: &[TripEvent]) -> Vec<EnRoute> {
    let mut out: Vec<EnRoute> = Vec::new();
    for e in events {
        let minute = clock::paper_text(&e.at);
        let kind = match e.kind.as_str() {
            "round" => {
                // One row per reading (the fevers of the round come between them): the
                // readings taken in one minute are one round.
                let same_round = out
                    .iter_mut()
                    .rev()
                    .take_while(|x| clock::paper_text(&x.at) == minute)
                    .find_map(|x| match &mut x.kind {
                        EnRouteKind::Round { measured } => Some(measured),
                        _ => None,
                    });
                match (same_round, e.worker_id) {
                    (Some(m), Some(_)) => {
                        *m += 1;
                        continue;
                    }
                    _ => EnRouteKind::Round {
                        measured: e.headcount.unwrap_or(1),
                    },
                }
            }
            _ => match passenger_kind(e) {
                Some(k) => k,
                None => match e.kind.as_str() {
                    "stop" => EnRouteKind::Stop {
                        place: e.note.clone(),
                        headcount: e.headcount.unwrap_or(0),
                    },
                    _ => continue,
                },
            },
        };
        out.push(EnRoute {
            at: e.at.clone(),
            kind,
        });
    }
    out
}

/// A passenger's own en-route entries (fevers found on the road, moves), oldest first.
pub fn passenger_log(events: &[TripEvent], worker_id: i64) -> Vec<EnRoute> {
    events
        .iter()
        .filter(|e| e.worker_id == Some(worker_id))
        .filter_map(|e| {
            Some(EnRoute {
                at: e.at.clone(),
                kind: passenger_kind(e)?,
            })
        })
        .collect()
}

fn passenger_kind(e: &TripEvent) -> Option<EnRouteKind> {
    match e.kind.as_str() {
        "fever" if e.note != "at the door" => Some(EnRouteKind::Fever {
            seat: e.seat.unwrap_or(0),
            celsius: e.temperature.unwrap_or(0.0),
        }),
        "move" => Some(EnRouteKind::Move {
            from: e
                .note
                .strip_prefix("from seat ")
                .and_then(|n| n.trim().parse().ok()),
            to: e.seat.unwrap_or(0),
        }),
        _ => None,
    }
}

/// The seat a passenger was moved to in the observation rows, if they were.
pub fn observation_seat(log: &[EnRoute]) -> Option<u32> {
    log.iter().rev().find_map(|e| match e.kind {
        EnRouteKind::Move { to, .. } => Some(to),
        _ => None,
    })
}

/// One entry in words: `10:05 发热 38.1 °C（14座）`, `10:07 14座→41座（留观）`. Beside a
/// passenger of a trip that left on `day` the time alone says when, and an entry after midnight
/// carries its day (`02-22 01:30`); the trip's log (`None`) gives the papers' full form.
pub fn words(e: &EnRoute, lang: Lang, day: Option<NaiveDate>) -> String {
    let at = match day {
        Some(day) => clock::screen_text(&e.at, day),
        None => clock::paper_text(&e.at),
    };
    let what = match (&e.kind, lang) {
        (EnRouteKind::Fever { seat, celsius }, Lang::Zh) => {
            format!("途中发热 {celsius:.1} °C（{seat}座）")
        }
        (EnRouteKind::Fever { seat, celsius }, Lang::En) => {
            format!("fever en route {celsius:.1} °C (seat {seat})")
        }
        (EnRouteKind::Move { from, to }, Lang::Zh) => match from {
            Some(f) => format!("{f}座→{to}座（留观）"),
            None => format!("移至{to}座（留观）"),
        },
        (EnRouteKind::Move { from, to }, Lang::En) => match from {
            Some(f) => format!("seat {f} → {to} (observation)"),
            None => format!("moved to seat {to} (observation)"),
        },
        (EnRouteKind::Stop { place, headcount }, Lang::Zh) => {
            format!("停靠 {place}，点名 {headcount} 人")
        }
        (EnRouteKind::Stop { place, headcount }, Lang::En) => {
            format!("stop at {place}, {headcount} counted")
        }
        (EnRouteKind::Round { measured }, Lang::Zh) => format!("测温 {measured} 人"),
        (EnRouteKind::Round { measured }, Lang::En) => {
            format!("temperature round, {measured} measured")
        }
    };
    format!("{at} {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(
        at: &str,
        kind: &str,
        worker: Option<i64>,
        seat: Option<u32>,
        t: Option<f64>,
        note: &str,
    ) -> TripEvent {
        TripEvent {
            at: at.into(),
            kind: kind.into(),
            headcount: None,
            worker_id: worker,
            seat,
            temperature: t,
            note: note.into(),
        }
    }

    #[test]
    fn the_log_groups_a_round_and_keeps_fevers_moves_and_stops() {
        let events = vec![
            ev(
                "2020-02-21T06:50:00",
                "fever",
                Some(9),
                Some(5),
                Some(38.0),
                "at the door",
            ),
            ev(
                "2020-02-21T10:05:00",
                "round",
                Some(2),
                Some(14),
                Some(38.1),
                "",
            ),
            ev(
                "2020-02-21T10:05:00",
                "fever",
                Some(2),
                Some(14),
                Some(38.1),
                "en route",
            ),
            ev(
                "2020-02-21T10:05:00",
                "round",
                Some(1),
                Some(1),
                Some(36.5),
                "",
            ),
            ev(
                "2020-02-21T10:07:00",
                "move",
                Some(2),
                Some(41),
                Some(38.1),
                "from seat 14",
            ),
            TripEvent {
                headcount: Some(17),
                ..ev(
                    "2020-02-21T12:00:00",
                    "stop",
                    None,
                    None,
                    None,
                    "商洛服务区",
                )
            },
        ];
        let log = trip_log(&events);
        let day = NaiveDate::from_ymd_opt(2020, 2, 21);
        let zh: Vec<String> = log.iter().map(|e| words(e, Lang::Zh, day)).collect();
        assert_eq!(
            zh,
            [
                "10:05 测温 2 人",
                "10:05 途中发热 38.1 °C（14座）",
                "10:07 14座→41座（留观）",
                "12:00 停靠 商洛服务区，点名 17 人"
            ]
        );
        let mine = passenger_log(&events, 2);
        assert_eq!(mine.len(), 2, "a door fever is not an en-route event");
        assert_eq!(observation_seat(&mine), Some(41));
        assert_eq!(
            words(&mine[1], Lang::En, None),
            "2020-02-21 10:07 seat 14 → 41 (observation)"
        );
        assert_eq!(observation_seat(&passenger_log(&events, 1)), None);
    }

    #[test]
    fn an_entry_after_midnight_carries_its_day_beside_the_passenger() {
        let events = vec![
            ev(
                "2020-02-22T01:30:05+08:00",
                "round",
                Some(2),
                Some(14),
                Some(38.1),
                "",
            ),
            ev(
                "2020-02-22T01:30:40+08:00",
                "round",
                Some(1),
                Some(1),
                Some(36.5),
                "",
            ),
            ev(
                "2020-02-22T01:30:05+08:00",
                "fever",
                Some(2),
                Some(14),
                Some(38.1),
                "en route",
            ),
        ];
        let day = NaiveDate::from_ymd_opt(2020, 2, 21);
        let log = trip_log(&events);
        assert_eq!(
            words(&log[0], Lang::En, None),
            "2020-02-22 01:30 temperature round, 2 measured",
            "readings of one minute are one round"
        );
        let mine = passenger_log(&events, 2);
        assert_eq!(
            words(&mine[0], Lang::Zh, day),
            "02-22 01:30 途中发热 38.1 °C（14座）"
        );
        assert_eq!(
            words(&mine[0], Lang::Zh, day.and_then(|d| d.succ_opt())),
            "01:30 途中发热 38.1 °C（14座）"
        );
    }
}
