//! (placeholder until this action lands)
