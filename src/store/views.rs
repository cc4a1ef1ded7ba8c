//! (filled in by the part of the job that owns it)
