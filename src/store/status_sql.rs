//! How the model's states are stored: each as its lower-case word (`planned`, `no-show`),
//! read back through the model's own parser. The model itself knows nothing of SQLite.

use crate::model::{
    ReadingOutcome, ReadingPlace, RefuseReason, SeatStatus, TripStatus, WorkerStatus,
};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

macro_rules! stored_as_word {
    ($($name:ty),+) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
        impl FromSql for $name {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                v.as_str()?.parse().map_err(|e: String| FromSqlError::Other(e.into()))
            }
        }
    )+};
}

stored_as_word!(
    WorkerStatus,
    TripStatus,
    SeatStatus,
    ReadingPlace,
    ReadingOutcome,
    RefuseReason
);
