-- Long jobs and identities.
--
-- `jobs`: a long write (a large import, a plan applied batch by batch, a demo build) commits in
-- short steps so that the bus door never waits long for the office. Each job records here who
-- runs it, on what and how far it got, in the same transaction as each step: a terminal that
-- finds the database busy can say with what, and an import interrupted by a crash is known
-- (and finished) by the next run of the same file.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('import','plan','demo','purge')),
    subject     TEXT NOT NULL DEFAULT '',          -- file name, day
    operator    TEXT NOT NULL,
    pid         INTEGER,                           -- the process running it
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0,        -- rows or steps written so far
    total       INTEGER,
    state       TEXT NOT NULL DEFAULT 'running'
        CHECK (state IN ('running','finished','failed','interrupted')),
    finished_at TEXT
);
CREATE INDEX jobs_running ON jobs(state) WHERE state = 'running';

-- Every change of a worker's name (by re-import), oldest first. Personal data: purge blanks
-- both names together with the worker's own.
CREATE TABLE worker_names (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers(id),
    old_name   TEXT NOT NULL,
    new_name   TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    operator   TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT ''            -- FILE:LINE of the row that renamed
);
CREATE INDEX worker_names_worker ON worker_names(worker_id);

-- Planning a whole city county by county reads each county's registered workers through this
-- index instead of the whole ledger once per county.
CREATE INDEX workers_county ON workers(county, status);
