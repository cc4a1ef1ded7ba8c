//! `zhitong trace` (placeholder until this action lands).

use super::*;

pub fn run(_ctx: &mut Ctx, _args: &TraceArgs) -> OpResult<Exit> {
    not_yet("trace")
}
