-- The whole job in one file: ledger, fleet, plan, departure day, audit.
-- Personal fields (name, id_number, phone, township, village, crew names) are blanked by purge;
-- county, employer and dates stay so that statistics still add up.

CREATE TABLE employers (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    province           TEXT NOT NULL,
    city               TEXT NOT NULL,
    address            TEXT NOT NULL DEFAULT '',
    contact            TEXT NOT NULL DEFAULT '',
    contact_phone      TEXT NOT NULL DEFAULT '',
    expected           INTEGER NOT NULL DEFAULT 0,
    distance_km        INTEGER NOT NULL DEFAULT 0,
    mutual_recognition INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE workers (
    id               INTEGER PRIMARY KEY,
    id_number        TEXT UNIQUE,                -- NULL once purged
    name             TEXT NOT NULL,
    phone            TEXT NOT NULL DEFAULT '',
    county           TEXT NOT NULL DEFAULT '',
    township         TEXT NOT NULL DEFAULT '',
    village          TEXT NOT NULL DEFAULT '',
    employer_id      INTEGER REFERENCES employers(id),
    cert_issued      TEXT,                        -- YYYY-MM-DD
    cert_valid_until TEXT,
    cert_issuer      TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'registered'
        CHECK (status IN ('registered','planned','boarded','departed','arrived',
                          'withdrawn','refused','standby','other-means')),
    other_means      TEXT,                        -- 'train', 'own car' … when status = other-means
    other_date       TEXT,
    purged           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX workers_employer ON workers(employer_id, status);

CREATE TABLE buses (
    id              INTEGER PRIMARY KEY,
    plate           TEXT NOT NULL UNIQUE,
    seats           INTEGER NOT NULL CHECK (seats > 0),
    operator        TEXT NOT NULL DEFAULT '',
    driver1         TEXT NOT NULL DEFAULT '',
    driver1_phone   TEXT NOT NULL DEFAULT '',
    driver2         TEXT NOT NULL DEFAULT '',
    driver2_phone   TEXT NOT NULL DEFAULT '',
    attendant       TEXT NOT NULL DEFAULT '',
    attendant_phone TEXT NOT NULL DEFAULT '',
    county          TEXT NOT NULL DEFAULT '',
    available_date  TEXT,                         -- NULL: any day
    sealed          INTEGER NOT NULL DEFAULT 0
);

-- 批次: buses of one origin county to one destination city on one day.
CREATE TABLE batches (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,        -- 旬阳-20200221-01
    date             TEXT NOT NULL,
    county           TEXT NOT NULL,
    province         TEXT NOT NULL,
    city             TEXT NOT NULL,
    departure        TEXT NOT NULL,               -- 2020-02-21T07:00
    gathering_point  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX batches_date ON batches(date);

-- One bus running one day's trip.
CREATE TABLE trips (
    id            INTEGER PRIMARY KEY,
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    bus_id        INTEGER NOT NULL REFERENCES buses(id),
    date          TEXT NOT NULL,
    rows          INTEGER NOT NULL,
    capacity      INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned','boarding','departed','arrived','cancelled')),
    departed_at   TEXT,
    arrived_at    TEXT,
    receiver      TEXT,
    arrived_count INTEGER,
    UNIQUE (bus_id, date)
);
CREATE INDEX trips_date ON trips(date);

-- A worker's place on a trip. Refused and no-show rows stay as the record; the partial unique
-- indexes make a seat (and a worker) impossible to give twice, whatever the code does.
CREATE TABLE passengers (
    id            INTEGER PRIMARY KEY,
    trip_id       INTEGER NOT NULL REFERENCES trips(id),
    worker_id     INTEGER NOT NULL REFERENCES workers(id),
    seat          INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned','boarded','refused','no-show')),
    standby       INTEGER NOT NULL DEFAULT 0,    -- took a freed seat on the day
    temperature   REAL,                          -- at the bus door
    boarded_at    TEXT,
    refused_reason TEXT CHECK (refused_reason IN ('fever','certificate','identity','no-show')),
    changed_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX passengers_seat_taken ON passengers(trip_id, seat)
    WHERE status IN ('planned','boarded');
CREATE UNIQUE INDEX passengers_worker_placed ON passengers(worker_id)
    WHERE status IN ('planned','boarded');
CREATE INDEX passengers_trip ON passengers(trip_id);
CREATE INDEX passengers_worker ON passengers(worker_id);

-- En route: temperature rounds, stops with headcount, moves to the observation rows.
CREATE TABLE trip_events (
    id         INTEGER PRIMARY KEY,
    trip_id    INTEGER NOT NULL REFERENCES trips(id),
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('round','stop','move','fever')),
    headcount  INTEGER,
    worker_id  INTEGER REFERENCES workers(id),
    seat       INTEGER,
    temperature REAL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX trip_events_trip ON trip_events(trip_id);

-- Append-only: who changed what, when. Rows name records by row id, never by personal data.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    operator  TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    before    TEXT,
    after     TEXT
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Small settings of this database: what built it (demo), the day a demo is anchored on.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
