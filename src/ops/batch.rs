//! Changing a planned batch (批次): its departure time and gathering point, which the plan takes
//! from the policy and the officer adjusts once the coach company and the township have agreed.

use super::{Ctx, OpError, OpResult};
use crate::i18n::Code;
use crate::model::FreeText;
use crate::store::{audit, plans};
use chrono::NaiveTime;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchChange {
    pub code: String,
    /// `2020-02-21T06:30`
    pub departure: String,
    pub gathering_point: String,
}

/// Sets the departure time (same day) and/or the gathering point of a batch. Refused once any
/// bus of the batch has left: the papers already say when and where it went.
pub fn edit_batch(
    ctx: &mut Ctx,
    code: &str,
    time: Option<&str>,
    gathering_point: Option<&str>,
) -> OpResult<BatchChange> {
    super::journal::ledger_only(ctx)?;
    let lang = ctx.lang;
    let time = time
        .map(|t| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| {
                OpError::Usage(format!(
                    "{} '{t}'",
                    lang.pick(
                        "出发时间应为 HH:MM，如 06:30：",
                        "departure time must be HH:MM, like 06:30:"
                    )
                ))
            })
        })
        .transpose()?;
    let point = gathering_point
        .map(|p| super::free_text(lang, FreeText::GatheringPoint, p))
        .transpose()?;
    let tx = ctx.store.begin()?;
    let (date, batch, left) = plans::batch_by_code(&tx, code.trim())?.ok_or_else(|| {
        OpError::Failed(format!(
            "{}: {}",
            code.trim(),
            lang.pick("没有这个批次", "no such batch")
        ))
    })?;
    if left > 0 {
        return Err(OpError::refused(
            Code::Closed,
            format!(
                "{}: {}",
                batch.code,
                lang.pick(
                    "已有车辆发车，不能再改",
                    "a bus of this batch has left: it can no longer change"
                )
            ),
        ));
    }
    let departure = match time {
        Some(t) => date.and_time(t).format("%Y-%m-%dT%H:%M").to_string(),
        None => batch.departure.clone(),
    };
    let gathering_point = point.unwrap_or_else(|| batch.gathering_point.clone());
    plans::update_batch(&tx, batch.id, &departure, &gathering_point)?;
    audit(
        &tx,
        &ctx.operator,
        "edit-batch",
        "batch",
        Some(batch.id),
        Some(
            &serde_json::json!({"departure": batch.departure, "gathering_point": batch.gathering_point}),
        ),
        Some(&serde_json::json!({"departure": departure, "gathering_point": gathering_point})),
    )?;
    tx.commit()?;
    Ok(BatchChange {
        code: batch.code,
        departure,
        gathering_point,
    })
}
