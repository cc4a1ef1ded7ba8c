-- Packs: one trip taken off the network on the attendant's laptop, its acts merged back later.
-- A pack is a database of this same schema holding only that trip; these tables and columns
-- are empty in a ledger except `merged_events`, `packs` and the ledger's own id.

-- Every ledger has an id of its own: a pack names the ledger it came from, and is merged only
-- there (a copy made with `backup` is the same ledger).
INSERT OR IGNORE INTO meta (key, value) VALUES ('ledger_id', lower(hex(randomblob(16))));

-- In a pack a worker carries no full ID number: the last four characters, and a salted digest
-- of the full normalised number so that a typed or scanned number still finds them. No index:
-- a pack holds one bus's passengers, and a ledger's bulk load should not rebuild one.
ALTER TABLE workers ADD COLUMN id_last4 TEXT;
ALTER TABLE workers ADD COLUMN id_digest TEXT;

-- In a pack: every door and road act, in order, with who did it and when, written in the same
-- transaction as the act. Workers and seats are named by the ledger's row ids, which the pack
-- keeps. `merged` and `merge_note` are set only on events a refresh carried over from the
-- pack it replaced (what the ledger made of them).
CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY,
    event      TEXT NOT NULL UNIQUE,
    at         TEXT NOT NULL,
    operator   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('board','refuse','undo','round','readings','stop',
                                             'observe','depart','arrive')),
    trip_id    INTEGER NOT NULL,
    worker_id  INTEGER,
    seat       INTEGER,
    args       TEXT NOT NULL DEFAULT '{}',
    merged     TEXT CHECK (merged IN ('applied','conflict')),
    merge_note TEXT
);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

-- In a pack: each passenger record as the ledger had it when the pack was made, so that a
-- merge can tell a decision taken at the office meanwhile from the pack's own.
CREATE TABLE pack_base (
    passenger_id INTEGER PRIMARY KEY,
    changed_at   TEXT NOT NULL
);

-- In a ledger: each pack event once merged, applied or not (then with its reason code), in the
-- same transaction as what it did. Row ids and codes only, never names.
CREATE TABLE merged_events (
    event         TEXT PRIMARY KEY,
    pack          TEXT NOT NULL,
    trip_id       INTEGER NOT NULL REFERENCES trips(id),
    seq           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    worker_id     INTEGER,
    seat          INTEGER,
    road_at       TEXT NOT NULL,
    road_operator TEXT NOT NULL,
    merged_at     TEXT NOT NULL,
    merged_by     TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('applied','conflict')),
    reason        TEXT,
    changed_at    TEXT                         -- the passenger record's, once applied
);
CREATE INDEX merged_events_passenger ON merged_events(trip_id, worker_id);

-- In a ledger: the packs made from it, where and by whom; purge removes those still in place.
CREATE TABLE packs (
    id       TEXT PRIMARY KEY,
    trip_id  INTEGER NOT NULL REFERENCES trips(id),
    path     TEXT NOT NULL,
    made_at  TEXT NOT NULL,
    made_by  TEXT NOT NULL
);
CREATE INDEX packs_trip ON packs(trip_id);
