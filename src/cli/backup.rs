//! `zhitong backup` (placeholder until this action lands).

use super::*;

pub fn run(_ctx: &mut Ctx, _args: &BackupArgs) -> OpResult<Exit> {
    not_yet("backup")
}
