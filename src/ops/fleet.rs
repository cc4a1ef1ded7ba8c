//! Adding or editing one coach of the fleet by hand (the console's coach form): the typed
//! fields go through the fleet import's own row check (`io::fleet`) and its rule that a bus
//! with an open trip keeps its seats and county; one audited transaction.

use super::import::merge::{locked_bus_change, merge_bus};
use super::{typed, Ctx, OpError, OpResult};
use crate::i18n::Lang;
use crate::io::columns::{bus as c, FLEET};
use crate::io::fleet::BusRows;
use crate::io::TypedRow;
use crate::model::Plate;
use crate::store::audit;
use crate::store::ledger::{self, Bus};
use serde_json::json;

/// What the officer typed, one text per fleet column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoachForm {
    pub plate: String,
    pub seats: String,
    pub operator: String,
    pub driver1: String,
    pub driver1_phone: String,
    pub driver2: String,
    pub driver2_phone: String,
    pub attendant: String,
    pub attendant_phone: String,
    pub county: String,
    pub available_date: String,
    pub sealed: String,
}

impl CoachForm {
    /// The cells in the fleet's column order (`io::columns::FLEET`).
    pub fn cells(&self) -> [&str; 12] {
        [
            &self.plate,
            &self.seats,
            &self.operator,
            &self.driver1,
            &self.driver1_phone,
            &self.driver2,
            &self.driver2_phone,
            &self.attendant,
            &self.attendant_phone,
            &self.county,
            &self.available_date,
            &self.sealed,
        ]
    }

    /// A stored coach as the form shows it (`是`/`否` or yes/no for sealed).
    pub fn of(b: &Bus, lang: Lang) -> CoachForm {
        CoachForm {
            plate: b.plate.clone(),
            seats: b.seats.to_string(),
            operator: b.operator.clone(),
            driver1: b.driver1.clone(),
            driver1_phone: b.driver1_phone.clone(),
            driver2: b.driver2.clone(),
            driver2_phone: b.driver2_phone.clone(),
            attendant: b.attendant.clone(),
            attendant_phone: b.attendant_phone.clone(),
            county: b.county.clone(),
            available_date: b.available_date.map(|d| d.to_string()).unwrap_or_default(),
            sealed: if b.sealed {
                lang.pick("是", "yes")
            } else {
                lang.pick("否", "no")
            }
            .to_string(),
        }
    }
}

/// The free-text columns.
const TEXTS: [usize; 5] = [c::OPERATOR, c::DRIVER1, c::DRIVER2, c::ATTENDANT, c::COUNTY];

/// The coach as saved: its row id, whether it is new, and which fields changed.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedCoach {
    pub id: i64,
    pub bus: Bus,
    pub new: bool,
    pub changed: Vec<&'static str>,
}

/// Adds a coach (`editing` None: its plate must be new to the fleet) or edits the coach with
/// plate `editing` (the plate itself stays: it is how trips and papers name the bus).
pub fn save_coach(ctx: &mut Ctx, editing: Option<&str>, form: &CoachForm) -> OpResult<SavedCoach> {
    let lang = ctx.lang;
    let cells = form.cells();
    for col in TEXTS {
        typed::text(lang, &FLEET[col], cells[col])?;
    }
    let row = TypedRow::new(&cells);
    let bus = BusRows::default()
        .parse(&row.row())
        .map_err(|bad| typed::rejected(lang, FLEET, bad))?;
    let operator = ctx.operator.clone();
    let tx = ctx.store.begin()?;
    let plate_field = &FLEET[c::PLATE];
    let (id, changed, new) = match editing {
        None => {
            if ledger::bus_by_plate(&tx, &bus.plate)?.is_some() {
                return Err(typed::field(
                    lang,
                    plate_field,
                    match lang {
                        Lang::Zh => format!("{} 已在车队中：请编辑该车", bus.plate),
                        Lang::En => format!("{} is already in the fleet: edit it", bus.plate),
                    },
                ));
            }
            let id = ledger::save_bus(&tx, None, &bus)?;
            (id, vec![], true)
        }
        Some(plate) => {
            let plate = Plate::parse(plate)
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|_| plate.to_string());
            let (id, old) = ledger::bus_by_plate(&tx, &plate)?.ok_or_else(|| {
                OpError::Failed(match lang {
                    Lang::Zh => format!("车队中没有 {plate}"),
                    Lang::En => format!("{plate} is not in the fleet"),
                })
            })?;
            if bus.plate != old.plate {
                return Err(typed::field(
                    lang,
                    plate_field,
                    match lang {
                        Lang::Zh => format!("车牌号不能修改（{}）：换车请新增一辆", old.plate),
                        Lang::En => format!(
                            "the plate cannot change ({}): add the other coach instead",
                            old.plate
                        ),
                    },
                ));
            }
            let present = [true; 12];
            let (merged, fields) = merge_bus(&old, bus.clone(), &present);
            if fields.is_empty() {
                return Ok(SavedCoach {
                    id,
                    bus: old,
                    new: false,
                    changed: vec![],
                });
            }
            if let Some((field, _, reason)) = locked_bus_change(&tx, id, &merged, &fields)? {
                let column = FLEET.iter().find(|c| c.key == field).unwrap_or(plate_field);
                return Err(typed::field(lang, column, reason.text(lang)));
            }
            ledger::save_bus(&tx, Some(id), &merged)?;
            (id, fields, false)
        }
    };
    audit(
        &tx,
        &operator,
        if new { "add" } else { "edit" },
        "bus",
        Some(id),
        None,
        Some(&json!({ "plate": bus.plate, "changed": changed })),
    )?;
    tx.commit()?;
    Ok(SavedCoach {
        id,
        bus,
        new,
        changed,
    })
}
