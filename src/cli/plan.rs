//! `zhitong plan` (placeholder until this action lands).

use super::*;

pub fn run(_ctx: &mut Ctx, _args: &PlanArgs) -> OpResult<Exit> {
    not_yet("plan")
}
