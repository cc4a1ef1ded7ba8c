//! 直通车 zhitong: dispatch console for point-to-point chartered return-to-work buses.
//! Data flows one way: files → io → model ← plan; store ← ops ← (cli, console).

pub mod cli;
pub mod clock;
pub mod console;
pub mod i18n;
pub mod io;
pub mod model;
pub mod ops;
pub mod plan;
pub mod store;
