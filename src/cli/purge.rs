//! `zhitong purge` (placeholder until this action lands).

use super::*;

pub fn run(_ctx: &mut Ctx, _args: &PurgeArgs) -> OpResult<Exit> {
    not_yet("purge")
}
