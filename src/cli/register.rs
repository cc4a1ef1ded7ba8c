//! `zhitong register`: a walk-in entered at the gathering point, one line for people or the new
//! worker as JSON (ID number and phone masked).

use super::departure::print_json;
use super::*;
use crate::model::{mask_id, mask_phone, HealthCertificate};
use crate::ops::register::{register, Registration};
use crate::store::views::WorkerLine;
use serde::Serialize;

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// Name as on the ID card
    #[arg(long)]
    pub name: String,
    /// Resident ID number (18 characters)
    #[arg(long = "id", value_name = "IDNUM")]
    pub id_number: String,
    /// Mobile number
    #[arg(long)]
    pub phone: String,
    /// Home county, e.g. 旬阳县
    #[arg(long)]
    pub county: String,
    #[arg(long)]
    pub township: String,
    #[arg(long)]
    pub village: String,
    /// The employer the worker goes to, as named in the employers list
    #[arg(long)]
    pub employer: String,
    /// Health certificate issued on, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub cert_issued: String,
    /// Health certificate valid until, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub cert_valid_until: String,
    /// Clinic that issued the certificate
    #[arg(long)]
    pub issuer: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// The new worker as `--json` prints it: never a full ID number or phone.
#[derive(Debug, Serialize)]
struct RegisteredJson<'a> {
    worker_id: i64,
    name: &'a str,
    id_number: String,
    phone: String,
    county: &'a str,
    township: &'a str,
    village: &'a str,
    employer: &'a str,
    cert_issued: Option<chrono::NaiveDate>,
    cert_valid_until: Option<chrono::NaiveDate>,
    cert_issuer: &'a str,
    status: &'a str,
    /// Whether the certificate lets the worker travel on the working day.
    cert_valid_today: bool,
}

pub fn run(ctx: &mut Ctx, a: &RegisterArgs) -> OpResult<Exit> {
    let r = Registration {
        name: a.name.clone(),
        id_number: a.id_number.clone(),
        phone: a.phone.clone(),
        county: a.county.clone(),
        township: a.township.clone(),
        village: a.village.clone(),
        employer: a.employer.clone(),
        cert_issued: a.cert_issued.clone(),
        cert_valid_until: a.cert_valid_until.clone(),
        cert_issuer: a.issuer.clone().unwrap_or_default(),
    };
    let w = register(ctx, &r)?;
    let cert = HealthCertificate {
        issued: w.cert_issued,
        valid_until: w.cert_valid_until,
        issuer: String::new(),
    };
    let valid_today = cert
        .state_on(ctx.today, ctx.policy.cert_validity_days)
        .allows_travel();
    if a.json {
        return print_json(&RegisteredJson {
            worker_id: w.id,
            name: &w.name,
            id_number: w.id_number.as_deref().map(mask_id).unwrap_or_default(),
            phone: mask_phone(&w.phone),
            county: &w.county,
            township: &w.township,
            village: &w.village,
            employer: &w.employer,
            cert_issued: w.cert_issued,
            cert_valid_until: w.cert_valid_until,
            cert_issuer: &w.cert_issuer,
            status: w.status.as_str(),
            cert_valid_today: valid_today,
        });
    }
    println!("{}", registered_line(ctx.lang, &w));
    if !valid_today {
        eprintln!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!(
                    "注意：健康证明在 {} 无效，编排和候补不会安排此人",
                    ctx.today
                ),
                Lang::En => format!(
                    "note: the health certificate is not valid on {}: no plan or stand-by will seat this worker",
                    ctx.today
                ),
            }
        );
    }
    Ok(Exit::Ok)
}

/// `已登记 张三 110105********002X → 宁波舜宇光电（旬阳县 蜀河镇 红花村）`
fn registered_line(lang: Lang, w: &WorkerLine) -> String {
    let id = w.id_number.as_deref().map(mask_id).unwrap_or_default();
    let home = [w.county.as_str(), &w.township, &w.village]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    match lang {
        Lang::Zh => format!(
            "已登记 {} {id} → {}（{home}）：可由编排（plan --apply）或候补安排座位",
            w.name, w.employer
        ),
        Lang::En => format!(
            "registered {} {id} → {} ({home}): a plan (plan --apply) or a stand-by seats them",
            w.name, w.employer
        ),
    }
}
