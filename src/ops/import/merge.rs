//! What a row changes in a stored record: the columns the file has, compared one by one, and
//! the rule that a worker on a bus plan keeps employer and county.

use crate::io::columns::{self, WORKERS};
use crate::io::Reason;
use crate::model::WorkerStatus;
use crate::store::ledger::{self, StoredWorker, Worker, WorkerRef};

/// For each column: keep the stored value when the file lacks the column, else note a change.
macro_rules! merge_fields {
    ($old:expr, $new:expr, $present:expr, $table:expr, $changed:expr; $($field:ident = $col:expr),+ $(,)?) => {
        $(
            if !$present[$col] {
                $new.$field = $old.$field.clone();
            } else if $new.$field != $old.$field {
                $changed.push($table[$col].key);
            }
        )+
    };
}

pub(super) enum Merge {
    Same,
    Changed(Worker, Vec<&'static str>),
    /// The field at fault and why.
    Refused(&'static str, Reason),
}

/// Compares a row with the stored worker, column by column for the columns the file has,
/// without copying anything unless something changed (a re-import is a million of these).
/// A worker on a plan (planned, boarded, departed, arrived) keeps employer and county, and
/// keeps the name unless `allow_rename`: the passenger list must not change who it names.
pub(super) fn merge_worker(
    stored: &StoredWorker,
    new: &WorkerRef<'_>,
    present: &[bool],
    allow_rename: bool,
) -> Merge {
    use columns::worker as c;
    let mut merged = stored.worker.as_ref();
    let mut changed = Vec::new();
    macro_rules! take {
        ($($field:ident = $col:expr),+ $(,)?) => {
            $(
                if present[$col] && new.$field != merged.$field {
                    merged.$field = new.$field;
                    changed.push(columns::WORKERS[$col].key);
                }
            )+
        };
    }
    take!(
        name = c::NAME,
        phone = c::PHONE,
        county = c::COUNTY,
        township = c::TOWNSHIP,
        village = c::VILLAGE,
        employer_id = c::EMPLOYER,
        cert_issued = c::CERT_ISSUED,
        cert_valid_until = c::CERT_VALID_UNTIL,
        cert_issuer = c::CERT_ISSUER
    );
    if changed.is_empty() {
        return Merge::Same;
    }
    let on_a_plan = matches!(
        stored.status,
        WorkerStatus::Planned
            | WorkerStatus::Boarded
            | WorkerStatus::Departed
            | WorkerStatus::Arrived
    );
    if on_a_plan && !allow_rename && changed.contains(&"name") {
        let reason = Reason::RenameNeedsFlag {
            old: stored.worker.name.to_string(),
            new: new.name.to_string(),
            status: stored.status,
        };
        return Merge::Refused("name", reason);
    }
    if on_a_plan {
        let (employer, county) = (
            &WORKERS[columns::worker::EMPLOYER],
            &WORKERS[columns::worker::COUNTY],
        );
        for (field, header) in [(employer.key, employer.zh), (county.key, county.zh)] {
            if changed.contains(&field) {
                let reason = Reason::FixedOnPlan {
                    field,
                    header,
                    status: stored.status,
                };
                return Merge::Refused(field, reason);
            }
        }
    }
    Merge::Changed(merged.to_owned(), changed)
}

pub(super) fn merge_employer(
    old: &ledger::Employer,
    mut new: ledger::Employer,
    present: &[bool],
) -> (ledger::Employer, Vec<&'static str>) {
    use columns::employer as c;
    let mut changed = Vec::new();
    merge_fields!(old, new, present, columns::EMPLOYERS, changed;
        province = c::PROVINCE, city = c::CITY, address = c::ADDRESS, contact = c::CONTACT,
        contact_phone = c::CONTACT_PHONE, expected = c::EXPECTED, distance_km = c::DISTANCE_KM,
        mutual_recognition = c::MUTUAL_RECOGNITION);
    (new, changed)
}

pub(crate) fn merge_bus(
    old: &ledger::Bus,
    mut new: ledger::Bus,
    present: &[bool],
) -> (ledger::Bus, Vec<&'static str>) {
    use columns::bus as c;
    let mut changed = Vec::new();
    merge_fields!(old, new, present, columns::FLEET, changed;
        seats = c::SEATS, operator = c::OPERATOR, driver1 = c::DRIVER1,
        driver1_phone = c::DRIVER1_PHONE, driver2 = c::DRIVER2, driver2_phone = c::DRIVER2_PHONE,
        attendant = c::ATTENDANT, attendant_phone = c::ATTENDANT_PHONE, county = c::COUNTY,
        available_date = c::AVAILABLE_DATE, sealed = c::SEALED);
    (new, changed)
}

/// A bus with an open trip keeps its rated seats and home county (they are part of a plan):
/// the field, its new value and why, when `fields` would change one of them.
pub(crate) fn locked_bus_change(
    conn: &crate::store::Db<'_>,
    bus_id: i64,
    merged: &ledger::Bus,
    fields: &[&'static str],
) -> crate::store::Result<Option<(&'static str, String, Reason)>> {
    let Some(&field) = fields.iter().find(|f| matches!(**f, "seats" | "county")) else {
        return Ok(None);
    };
    let Some(day) = ledger::bus_open_trip(conn, bus_id)? else {
        return Ok(None);
    };
    let value = match field {
        "seats" => merged.seats.to_string(),
        _ => merged.county.clone(),
    };
    let header = columns::FLEET
        .iter()
        .find(|c| c.key == field)
        .map_or(field, |c| c.zh);
    let reason = Reason::BusOnTrip { day, field, header };
    Ok(Some((field, value, reason)))
}
