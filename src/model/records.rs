//! The ledger's records as the job knows them — an employer, a worker, a bus — read from a
//! spreadsheet by `io`, kept by `store`; and the in-memory keys an import holds.

use chrono::NaiveDate;

/// An employer (用工企业) and its destination, keyed by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Employer {
    pub name: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub contact: String,
    pub contact_phone: String,
    pub expected: u32,
    pub distance_km: u32,
    pub mutual_recognition: bool,
}

/// A worker of the ledger (台账), keyed by the normalised ID number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Worker {
    pub id_number: String,
    pub name: String,
    pub phone: String,
    pub county: String,
    pub township: String,
    pub village: String,
    pub employer_id: Option<i64>,
    pub cert_issued: Option<NaiveDate>,
    pub cert_valid_until: Option<NaiveDate>,
    pub cert_issuer: String,
}

/// A worker's fields borrowed from wherever they are held (an import keeps each row's text in
/// one buffer: one allocation per row instead of seven).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerRef<'a> {
    pub id_number: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
    pub county: &'a str,
    pub township: &'a str,
    pub village: &'a str,
    pub employer_id: Option<i64>,
    pub cert_issued: Option<NaiveDate>,
    pub cert_valid_until: Option<NaiveDate>,
    pub cert_issuer: &'a str,
}

impl Worker {
    pub fn as_ref(&self) -> WorkerRef<'_> {
        WorkerRef {
            id_number: &self.id_number,
            name: &self.name,
            phone: &self.phone,
            county: &self.county,
            township: &self.township,
            village: &self.village,
            employer_id: self.employer_id,
            cert_issued: self.cert_issued,
            cert_valid_until: self.cert_valid_until,
            cert_issuer: &self.cert_issuer,
        }
    }
}

impl WorkerRef<'_> {
    pub fn to_owned(&self) -> Worker {
        Worker {
            id_number: self.id_number.to_string(),
            name: self.name.to_string(),
            phone: self.phone.to_string(),
            county: self.county.to_string(),
            township: self.township.to_string(),
            village: self.village.to_string(),
            employer_id: self.employer_id,
            cert_issued: self.cert_issued,
            cert_valid_until: self.cert_valid_until,
            cert_issuer: self.cert_issuer.to_string(),
        }
    }
}

/// A chartered coach or an employer's own bus, keyed by plate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bus {
    pub plate: String,
    pub seats: u32,
    pub operator: String,
    pub driver1: String,
    pub driver1_phone: String,
    pub driver2: String,
    pub driver2_phone: String,
    pub attendant: String,
    pub attendant_phone: String,
    pub county: String,
    /// `None`: available any day.
    pub available_date: Option<NaiveDate>,
    pub sealed: bool,
}

/// A hash map with rustc's fast hash: lookups of a million ID numbers and employer names during
/// an import, where the default SipHash showed in profiles. Keys come from the ledger and its
/// files, not from an adversary flooding a server.
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// The 17 digits before the check character as a number (they determine the 18th): a compact
/// key for a million ID numbers held in memory during an import.
pub fn id_key(id_number: &str) -> Option<u64> {
    let b = id_number.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        b[..17]
            .iter()
            .fold(0u64, |k, d| k * 10 + u64::from(d - b'0')),
    )
}
