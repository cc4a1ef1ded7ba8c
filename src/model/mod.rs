//! The job's own vocabulary and rules, with no knowledge of files, SQLite or terminals:
//! identity numbers, phones, plates, temperatures, certificates, seat layouts, the policy and
//! the expected arrival.

pub mod area;
pub mod arrival;
pub mod certificate;
pub mod counts;
pub mod date;
pub mod door;
pub mod id_number;
pub mod layout;
pub mod phone;
pub mod plate;
pub mod policy;
pub mod records;
pub mod status;
pub mod temperature;
pub mod text;
pub mod width;

pub use arrival::NoticeMark;
pub use certificate::{CertState, HealthCertificate};
pub use counts::SeatCounts;
pub use date::parse_date;
pub use door::{DoorRules, DoorState};
pub use id_number::{mask_id, IdNumber, IdNumberError};
pub use layout::{Layout, Seat, SeatUse};
pub use phone::{mask_phone, Phone};
pub use plate::Plate;
pub use policy::Policy;
pub use status::{
    ReadingOutcome, ReadingPlace, RefuseReason, SeatStatus, TripStatus, WorkerStatus,
};
pub use temperature::Temperature;
pub use text::{FreeText, TextError};
