//! `zhitong export manifest` (placeholder until this action lands).

use super::*;

pub fn manifest(_ctx: &mut Ctx, _a: &ManifestArgs) -> OpResult<Exit> {
    not_yet("export manifest")
}
