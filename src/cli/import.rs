//! `zhitong import` (placeholder until this action lands).

use super::*;

pub fn run(_ctx: &mut Ctx, _args: &ImportArgs) -> OpResult<Exit> {
    not_yet("import")
}
