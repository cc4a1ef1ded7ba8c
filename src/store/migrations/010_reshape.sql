-- Reshaping the day (issue 13): moving a passenger, swapping a coach, cancelling a trip, one
-- receiver per employer at the gate, and what a plan assumed about each employer.

-- The history of a trip's changes after it was planned. Rows name records by id only; a
-- reason typed for a change is kept in `reasons` (purge blanks it there).
--   swap    the trip's coach changed: from_bus_id → to_bus_id (on_road: after departure)
--   move    a passenger came to this trip (from from_trip_id, the same trip for a seat change)
--   reseat  a passenger given another seat because the substitute coach has no such seat
--   cancel  the trip was cancelled
--   release a passenger returned to the pool when the trip was cancelled (from_seat)
CREATE TABLE trip_changes (
    id           INTEGER PRIMARY KEY,
    trip_id      INTEGER NOT NULL REFERENCES trips(id),
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('swap','move','reseat','cancel','release')),
    from_bus_id  INTEGER REFERENCES buses(id),
    to_bus_id    INTEGER REFERENCES buses(id),
    on_road      INTEGER NOT NULL DEFAULT 0,
    worker_id    INTEGER REFERENCES workers(id),
    from_trip_id INTEGER REFERENCES trips(id),
    from_seat    INTEGER,
    to_seat      INTEGER,
    reason_id    INTEGER REFERENCES reasons(id)
);
CREATE INDEX trip_changes_trip ON trip_changes(trip_id);
CREATE INDEX trip_changes_from_trip ON trip_changes(from_trip_id) WHERE from_trip_id IS NOT NULL;
CREATE INDEX trip_changes_old_bus ON trip_changes(from_bus_id) WHERE kind = 'swap';

-- A substitute coach driven by the crew of the coach it replaced (`swap --keep-crew`): the
-- crew shown and printed for the trip is that bus's. NULL: the trip's own bus's crew.
ALTER TABLE trips ADD COLUMN crew_bus_id INTEGER REFERENCES buses(id);
CREATE INDEX trips_crew_bus ON trips(crew_bus_id) WHERE crew_bus_id IS NOT NULL;

-- Who received the passengers of each employer at the hand-over (交接); '' once purged.
-- `trips.receiver` keeps one line for the whole trip, as before.
CREATE TABLE trip_receivers (
    trip_id     INTEGER NOT NULL REFERENCES trips(id),
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    name        TEXT NOT NULL,
    PRIMARY KEY (trip_id, employer_id)
);

-- What a batch's plan assumed about each employer it seated: where the factory gate was and
-- how many workers the employer expected. An employer changed since is flagged, never silent.
CREATE TABLE planned_employers (
    batch_id    INTEGER NOT NULL REFERENCES batches(id),
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    province    TEXT NOT NULL,
    city        TEXT NOT NULL,
    address     TEXT NOT NULL,
    expected    INTEGER NOT NULL,
    PRIMARY KEY (batch_id, employer_id)
);
CREATE INDEX planned_employers_employer ON planned_employers(employer_id);

-- Batches planned before this version assumed the employer as it is now.
INSERT OR IGNORE INTO planned_employers (batch_id, employer_id, province, city, address, expected)
    SELECT DISTINCT t.batch_id, e.id, e.province, e.city, e.address, e.expected
    FROM passengers p JOIN trips t ON t.id = p.trip_id
         JOIN workers w ON w.id = p.worker_id JOIN employers e ON e.id = w.employer_id;
