//! Building a pack: the ledger's connection attaches the new (empty, migrated) pack file as
//! `pack` and copies one trip into it, column by column, so that nothing personal goes over
//! that the road does not need. Row ids are kept: the journal names workers by them.

use super::super::Result;
use super::PackInfo;
use crate::model::IdNumber;
use crate::store::Db;
use rusqlite::params;
use std::path::Path;

/// Attaches the pack file under construction as `pack` (outside any transaction).
pub fn attach(conn: &Db<'_>, path: &Path) -> Result<()> {
    conn.execute(
        "ATTACH DATABASE ?1 AS pack",
        [path.to_string_lossy().as_ref()],
    )?;
    Ok(())
}

pub fn detach(conn: &Db<'_>) -> Result<()> {
    conn.execute_batch("DETACH DATABASE pack")?;
    Ok(())
}

/// Copies trip `p.trip_id` into the attached pack, inside the caller's transaction (the
/// pack's identity is written on its own connection first: `meta` here is the ledger's): the
/// trip, its batch and coach with the crew, its passengers in every state with their readings
/// and trip log, their employers (name, place, receiving contact) and the workers themselves
/// with name, county, village, employer, certificate dates and status — no phone, no
/// township, and instead of the ID number its last four characters and a salted digest.
/// Returns how many passenger records went in.
pub fn fill(conn: &Db<'_>, p: &PackInfo) -> Result<usize> {
    let trip = p.trip_id;
    conn.execute(
        "INSERT INTO pack.batches (id, code, date, county, province, city, departure,
                                   gathering_point)
         SELECT b.id, b.code, b.date, b.county, b.province, b.city, b.departure, b.gathering_point
         FROM main.batches b JOIN main.trips t ON t.batch_id = b.id WHERE t.id = ?1",
        [trip],
    )?;
    conn.execute(
        "INSERT INTO pack.buses (id, plate, seats, operator, driver1, driver1_phone, driver2,
                                 driver2_phone, attendant, attendant_phone, county,
                                 available_date, sealed)
         SELECT bus.id, bus.plate, bus.seats, bus.operator, bus.driver1, bus.driver1_phone,
                bus.driver2, bus.driver2_phone, bus.attendant, bus.attendant_phone, bus.county,
                bus.available_date, bus.sealed
         FROM main.buses bus JOIN main.trips t ON t.bus_id = bus.id WHERE t.id = ?1",
        [trip],
    )?;
    conn.execute(
        "INSERT INTO pack.trips (id, code, batch_id, bus_id, date, rows, capacity, status,
                                 departed_at, arrived_at, receiver, arrived_count)
         SELECT id, code, batch_id, bus_id, date, rows, capacity, status, departed_at,
                arrived_at, receiver, arrived_count
         FROM main.trips WHERE id = ?1",
        [trip],
    )?;
    conn.execute(
        "INSERT INTO pack.employers (id, name, province, city, address, contact, contact_phone,
                                     expected, distance_km, mutual_recognition)
         SELECT e.id, e.name, e.province, e.city, e.address, e.contact, e.contact_phone,
                e.expected, e.distance_km, e.mutual_recognition
         FROM main.employers e
         WHERE e.id IN (SELECT w.employer_id FROM main.passengers p
                        JOIN main.workers w ON w.id = p.worker_id WHERE p.trip_id = ?1)",
        [trip],
    )?;
    conn.execute(
        "INSERT INTO pack.workers (id, id_number, name, phone, county, township, village,
                                   employer_id, cert_issued, cert_valid_until, cert_issuer,
                                   status, other_means, other_date, purged)
         SELECT w.id, NULL, w.name, '', w.county, '', w.village, w.employer_id, w.cert_issued,
                w.cert_valid_until, '', w.status, NULL, NULL, w.purged
         FROM main.workers w
         WHERE w.id IN (SELECT worker_id FROM main.passengers WHERE trip_id = ?1)",
        [trip],
    )?;
    digests(conn, trip, &p.salt)?;
    let passengers = conn.execute(
        "INSERT INTO pack.passengers (id, trip_id, worker_id, seat, status, standby, boarded_at,
                                      refused_reason, observation_at, changed_at)
         SELECT id, trip_id, worker_id, seat, status, standby, boarded_at, refused_reason,
                observation_at, changed_at
         FROM main.passengers WHERE trip_id = ?1",
        [trip],
    )?;
    conn.execute(
        "INSERT INTO pack.pack_base (passenger_id, changed_at)
         SELECT id, changed_at FROM main.passengers WHERE trip_id = ?1",
        [trip],
    )?;
    conn.execute(
        "INSERT INTO pack.readings (id, trip_id, worker_id, seat, at, celsius, operator, place,
                                    outcome)
         SELECT id, trip_id, worker_id, seat, at, celsius, operator, place, outcome
         FROM main.readings WHERE trip_id = ?1",
        [trip],
    )?;
    conn.execute(
        "INSERT INTO pack.trip_events (id, trip_id, at, kind, headcount, worker_id, seat,
                                       temperature, note)
         SELECT id, trip_id, at, kind, headcount, worker_id, seat, temperature, note
         FROM main.trip_events WHERE trip_id = ?1",
        [trip],
    )?;
    Ok(passengers)
}

/// The last four characters and the salted digest of each passenger's ID number; the number
/// itself is read here and goes no further.
fn digests(conn: &Db<'_>, trip: i64, salt: &str) -> Result<()> {
    let mut read = conn.prepare(
        "SELECT w.id, w.id_number FROM main.workers w
         WHERE w.id_number IS NOT NULL
           AND w.id IN (SELECT worker_id FROM main.passengers WHERE trip_id = ?1)",
    )?;
    let ids: Vec<(i64, String)> = read
        .query_map([trip], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut write =
        conn.prepare("UPDATE pack.workers SET id_last4 = ?2, id_digest = ?3 WHERE id = ?1")?;
    for (worker, number) in ids {
        // Stored numbers are normalised; one that does not parse cannot be typed either.
        let Ok(id) = IdNumber::parse(&number) else {
            continue;
        };
        write.execute(params![worker, id.last4(), id.salted_digest(salt)])?;
    }
    Ok(())
}
