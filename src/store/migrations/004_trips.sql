-- The trip is the unit of identity: each one gets a stable code, the batch code plus an ordinal
-- (旬阳-20200221-01-1), and a bus may run trips on consecutive days (a trip of 1,500 km lasts
-- overnight), so the one-trip-per-bus-per-day rule goes. That a bus never has two open trips
-- is the planner's rule (a bus on the road is not offered). SQLite cannot drop a table
-- constraint, so the table is rebuilt; row ids are kept, so passengers and logs still point
-- at their trips.

PRAGMA defer_foreign_keys = ON;

-- The rows wait in a copy while the table is made again under its own name: putting them back
-- into `trips` itself is what settles the passengers' and logs' references (a renamed table
-- would not be their parent).
CREATE TEMP TABLE trips_copy AS
    SELECT t.id,
           (SELECT b.code FROM batches b WHERE b.id = t.batch_id) || '-' ||
               (SELECT COUNT(*) FROM trips o WHERE o.batch_id = t.batch_id AND o.id <= t.id)
               AS code,
           t.batch_id, t.bus_id, t.date, t.rows, t.capacity, t.status, t.departed_at,
           t.arrived_at, t.receiver, t.arrived_count
    FROM trips t;
DROP TABLE trips;
CREATE TABLE trips (
    id            INTEGER PRIMARY KEY,
    code          TEXT UNIQUE,                 -- 旬阳-20200221-01-1; set by trips_code when not given
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    bus_id        INTEGER NOT NULL REFERENCES buses(id),
    date          TEXT NOT NULL,               -- the day it leaves
    rows          INTEGER NOT NULL,
    capacity      INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned','boarding','departed','arrived','cancelled')),
    departed_at   TEXT,                        -- RFC 3339 with offset
    arrived_at    TEXT,
    receiver      TEXT,
    arrived_count INTEGER
);
INSERT INTO trips (id, code, batch_id, bus_id, date, rows, capacity, status, departed_at,
                   arrived_at, receiver, arrived_count)
    SELECT id, code, batch_id, bus_id, date, rows, capacity, status, departed_at, arrived_at,
           receiver, arrived_count
    FROM trips_copy ORDER BY id;
DROP TABLE trips_copy;
CREATE INDEX trips_date ON trips(date);
CREATE INDEX trips_bus ON trips(bus_id, status);

-- A trip written without a code (by hand, by an older tool) gets the next ordinal of its batch.
CREATE TRIGGER trips_code AFTER INSERT ON trips WHEN NEW.code IS NULL
BEGIN
    UPDATE trips SET code =
        (SELECT b.code FROM batches b WHERE b.id = NEW.batch_id) || '-' ||
        (SELECT COALESCE(MAX(CAST(substr(o.code, length(b.code) + 2) AS INTEGER)), 0) + 1
         FROM trips o JOIN batches b ON b.id = o.batch_id
         WHERE o.batch_id = NEW.batch_id AND o.code IS NOT NULL)
    WHERE id = NEW.id;
END;
