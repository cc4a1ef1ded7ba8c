//! `zhitong stats` (placeholder until this action lands).

use super::*;

pub fn run(_ctx: &mut Ctx, _args: &StatsArgs) -> OpResult<Exit> {
    not_yet("stats")
}
