//! Changes an officer makes to one worker of the ledger: contact and certificate details,
//! withdrawing them, and revealing their full ID number — each one audited transaction.

use super::{Ctx, OpError, OpResult};
use crate::i18n::Code;
use crate::i18n::Lang;
use crate::model::{parse_date, Phone, WorkerStatus};
use crate::store::{audit, views};
use serde_json::json;

/// What the edit form sends, as typed. Empty dates mean "no certificate recorded".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkerEdit {
    pub phone: String,
    pub village: String,
    pub cert_issued: String,
    pub cert_valid_until: String,
}

/// "证明签发日期 (cert_issued): …" — the form's label for the officer, the field's name for a
/// log or a script.
fn field_error(lang: Lang, field: &str, message: impl std::fmt::Display) -> OpError {
    let label = match field {
        "phone" => "手机号",
        "village" => "村",
        "cert_issued" => "证明签发日期",
        "cert_valid_until" => "证明有效期至",
        other => other,
    };
    OpError::Failed(match lang {
        Lang::Zh => format!("{label}：{message}"),
        Lang::En => format!("{field}: {message}"),
    })
}

fn not_in_ledger(lang: Lang, worker_id: i64) -> OpError {
    OpError::Failed(match lang {
        Lang::Zh => format!("台账中没有工人 #{worker_id}"),
        Lang::En => format!("worker #{worker_id} is not in the ledger"),
    })
}

/// Validates the form with the model's rules, then writes it with an audit row naming the
/// fields that changed (never their personal values).
pub fn edit_worker(
    ctx: &mut Ctx,
    worker_id: i64,
    edit: &WorkerEdit,
) -> OpResult<views::WorkerLine> {
    super::journal::ledger_only(ctx)?;
    let phone = match edit.phone.trim() {
        "" => String::new(),
        p => Phone::parse(p)
            .map_err(|_| {
                field_error(
                    ctx.lang,
                    "phone",
                    crate::io::Reason::NotMobile.text(ctx.lang),
                )
            })?
            .as_str()
            .to_string(),
    };
    let village = edit.village.trim().to_string();
    if village.chars().count() > 40 {
        return Err(field_error(
            ctx.lang,
            "village",
            ctx.lang.pick("最多 40 个字", "at most 40 characters"),
        ));
    }
    let lang = ctx.lang;
    let date = |field: &str, s: &str| match s.trim() {
        "" => Ok(None),
        t => parse_date(t)
            .map(Some)
            .map_err(|e| field_error(lang, field, e.message(lang))),
    };
    let cert_issued = date("cert_issued", &edit.cert_issued)?;
    let cert_valid_until = date("cert_valid_until", &edit.cert_valid_until)?;
    if let (Some(i), Some(u)) = (cert_issued, cert_valid_until) {
        if u < i {
            return Err(field_error(
                lang,
                "cert_valid_until",
                match lang {
                    Lang::Zh => format!("{u} 早于签发日期 {i}"),
                    Lang::En => format!("{u} is before the issue date {i}"),
                },
            ));
        }
    }
    let tx = ctx.store.begin()?;
    let before =
        views::worker(&tx, worker_id)?.ok_or_else(|| not_in_ledger(ctx.lang, worker_id))?;
    if before.id_number.is_none() {
        return Err(OpError::Failed(match ctx.lang {
            Lang::Zh => format!("工人 #{worker_id} 的个人信息已清除：无可修改"),
            Lang::En => format!("worker #{worker_id} was purged: nothing to edit"),
        }));
    }
    let update = views::WorkerUpdate {
        phone,
        village,
        cert_issued,
        cert_valid_until,
    };
    let mut changed = Vec::new();
    if update.phone != before.phone {
        changed.push("phone");
    }
    if update.village != before.village {
        changed.push("village");
    }
    if update.cert_issued != before.cert_issued {
        changed.push("cert_issued");
    }
    if update.cert_valid_until != before.cert_valid_until {
        changed.push("cert_valid_until");
    }
    if changed.is_empty() {
        return Ok(before);
    }
    views::update_worker(&tx, worker_id, &update)?;
    audit(
        &tx,
        &ctx.operator,
        "edit",
        "worker",
        Some(worker_id),
        Some(
            &json!({ "cert_issued": before.cert_issued, "cert_valid_until": before.cert_valid_until }),
        ),
        Some(
            &json!({ "changed": changed, "cert_issued": update.cert_issued,
                      "cert_valid_until": update.cert_valid_until }),
        ),
    )?;
    let after = views::worker(&tx, worker_id)?.unwrap_or(before);
    tx.commit()?;
    Ok(after)
}

/// Takes a worker out of the plan pool. Only someone not holding a seat can be withdrawn: a
/// planned passenger is refused or marked no-show on the roster first, so no seat is orphaned.
pub fn withdraw_worker(ctx: &mut Ctx, worker_id: i64) -> OpResult<views::WorkerLine> {
    super::journal::ledger_only(ctx)?;
    let tx = ctx.store.begin()?;
    let w = views::worker(&tx, worker_id)?.ok_or_else(|| not_in_ledger(ctx.lang, worker_id))?;
    match w.status {
        WorkerStatus::Registered | WorkerStatus::Standby | WorkerStatus::Refused => {}
        WorkerStatus::Withdrawn => return Ok(w),
        other => {
            return Err(OpError::refused(
                Code::Placed,
                match ctx.lang {
                    Lang::Zh => format!(
                        "{} 已有座位或已出行（{}）：只有未编排的工人可以移出台账",
                        w.name,
                        other.label(Lang::Zh)
                    ),
                    Lang::En => format!(
                        "{} is {other}: only workers without a seat can be withdrawn",
                        w.name
                    ),
                },
            ))
        }
    }
    views::set_worker_status(&tx, worker_id, WorkerStatus::Withdrawn)?;
    audit(
        &tx,
        &ctx.operator,
        "withdraw",
        "worker",
        Some(worker_id),
        Some(&json!({ "status": w.status })),
        Some(&json!({ "status": WorkerStatus::Withdrawn })),
    )?;
    let after = views::worker(&tx, worker_id)?.unwrap_or(w);
    tx.commit()?;
    Ok(after)
}

/// The full ID number of one worker; the reveal itself is recorded in the audit log first, so a
/// read-only session cannot reveal.
pub fn reveal_id(ctx: &mut Ctx, worker_id: i64) -> OpResult<String> {
    super::journal::ledger_only(ctx)?;
    let tx = ctx.store.begin()?;
    let w = views::worker(&tx, worker_id)?.ok_or_else(|| not_in_ledger(ctx.lang, worker_id))?;
    let id = w.id_number.ok_or_else(|| {
        OpError::Failed(match ctx.lang {
            Lang::Zh => format!("工人 #{worker_id} 的个人信息已清除，没有证号"),
            Lang::En => format!("worker #{worker_id} was purged: no ID number kept"),
        })
    })?;
    audit(
        &tx,
        &ctx.operator,
        "reveal",
        "worker",
        Some(worker_id),
        None,
        None,
    )?;
    tx.commit()?;
    Ok(id)
}
