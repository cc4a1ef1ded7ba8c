//! `zhitong board|refuse|depart|arrive` (placeholder until these actions land).

use super::*;

pub fn board(_ctx: &mut Ctx, _a: &BoardArgs) -> OpResult<Exit> {
    not_yet("board")
}
pub fn refuse(_ctx: &mut Ctx, _a: &RefuseArgs) -> OpResult<Exit> {
    not_yet("refuse")
}
pub fn depart(_ctx: &mut Ctx, _a: &BusArg) -> OpResult<Exit> {
    not_yet("depart")
}
pub fn arrive(_ctx: &mut Ctx, _a: &ArriveArgs) -> OpResult<Exit> {
    not_yet("arrive")
}
