//! The terminal console (placeholder until the console lands).

use crate::ops::{Ctx, Exit, OpError, OpResult};

pub fn run(_ctx: Ctx, _bus: Option<String>) -> OpResult<Exit> {
    Err(OpError::Failed(
        "the console is not available in this build yet".into(),
    ))
}
