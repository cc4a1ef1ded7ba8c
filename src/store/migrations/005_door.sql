-- The bus door: every temperature becomes a reading of its own (door or round, who took it,
-- what it decided), so that none is ever overwritten; a passenger may be in 复测 ('recheck'),
-- which holds the seat; a fever found en route marks the passenger under observation.
-- passengers is rebuilt (row ids and data kept) for the new status, for the seat and worker
-- indexes to count 复测 as holding a seat, and to move its one temperature into readings.

PRAGMA defer_foreign_keys = ON;

CREATE TABLE readings (
    id        INTEGER PRIMARY KEY,
    trip_id   INTEGER NOT NULL REFERENCES trips(id),
    worker_id INTEGER NOT NULL REFERENCES workers(id),
    seat      INTEGER NOT NULL,                -- where the passenger sat when measured
    at        TEXT NOT NULL,
    celsius   REAL NOT NULL,
    operator  TEXT NOT NULL,                   -- '' for readings taken before this migration
    place     TEXT NOT NULL CHECK (place IN ('door','round')),
    outcome   TEXT NOT NULL CHECK (outcome IN ('boarded','kept','recheck','fever','certificate',
                                               'early','observation'))
);
CREATE INDEX readings_passenger ON readings(trip_id, worker_id);

-- The temperatures kept so far, oldest first: the one at the door on each passenger row,
-- round readings from the trip log, and the reading taken when moving someone to the
-- observation rows (logged with the move, not as a round).
INSERT INTO readings (trip_id, worker_id, seat, at, celsius, operator, place, outcome)
SELECT trip_id, worker_id, seat, at, celsius, '', place, outcome FROM (
    SELECT p.trip_id, p.worker_id, p.seat, COALESCE(p.boarded_at, p.changed_at) AS at,
           p.temperature AS celsius, 'door' AS place,
           CASE WHEN p.status = 'boarded' THEN 'boarded'
                WHEN p.refused_reason = 'fever' THEN 'fever'
                WHEN p.refused_reason = 'certificate' THEN 'certificate'
                ELSE 'kept' END AS outcome,
           0 AS src, p.id AS n
    FROM passengers p WHERE p.temperature IS NOT NULL
    UNION ALL
    SELECT e.trip_id, e.worker_id, COALESCE(e.seat, 0), e.at, e.temperature, 'round',
           CASE WHEN EXISTS (SELECT 1 FROM trip_events f
                             WHERE f.trip_id = e.trip_id AND f.worker_id = e.worker_id
                               AND f.at = e.at AND f.kind = 'fever')
                THEN 'observation' ELSE 'kept' END,
           1, e.id
    FROM trip_events e
    WHERE e.kind = 'round' AND e.worker_id IS NOT NULL AND e.temperature IS NOT NULL
    UNION ALL
    SELECT e.trip_id, e.worker_id, COALESCE(e.seat, 0), e.at, e.temperature, 'round',
           'observation', 1, e.id
    FROM trip_events e
    WHERE e.kind = 'move' AND e.worker_id IS NOT NULL AND e.temperature IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM trip_events r
                      WHERE r.trip_id = e.trip_id AND r.worker_id = e.worker_id
                        AND r.at = e.at AND r.kind = 'round')
)
ORDER BY src, at, n;

CREATE TABLE passengers_new (
    id             INTEGER PRIMARY KEY,
    trip_id        INTEGER NOT NULL REFERENCES trips(id),
    worker_id      INTEGER NOT NULL REFERENCES workers(id),
    seat           INTEGER NOT NULL,
    status         TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned','recheck','boarded','refused','no-show')),
    standby        INTEGER NOT NULL DEFAULT 0,    -- took a freed seat on the day
    boarded_at     TEXT,
    refused_reason TEXT CHECK (refused_reason IN ('fever','certificate','identity','no-show')),
    observation_at TEXT,                          -- a fever found en route: observed since
    changed_at     TEXT NOT NULL
);
INSERT INTO passengers_new (id, trip_id, worker_id, seat, status, standby, boarded_at,
                            refused_reason, observation_at, changed_at)
SELECT p.id, p.trip_id, p.worker_id, p.seat, p.status, p.standby, p.boarded_at,
       p.refused_reason,
       (SELECT MIN(e.at) FROM trip_events e
        WHERE e.trip_id = p.trip_id AND e.worker_id = p.worker_id
          AND (e.kind = 'move' OR (e.kind = 'fever' AND e.note <> 'at the door'))),
       p.changed_at
FROM passengers p;
DROP TABLE passengers;
ALTER TABLE passengers_new RENAME TO passengers;
CREATE UNIQUE INDEX passengers_seat_taken ON passengers(trip_id, seat)
    WHERE status IN ('planned','recheck','boarded');
CREATE UNIQUE INDEX passengers_worker_placed ON passengers(worker_id)
    WHERE status IN ('planned','recheck','boarded');
CREATE INDEX passengers_trip ON passengers(trip_id);
CREATE INDEX passengers_worker ON passengers(worker_id);
