//! `zhitong demo` (placeholder until this action lands).

use super::*;

pub fn run(_cli: &Cli, _args: &DemoArgs) -> OpResult<Exit> {
    not_yet("demo")
}
