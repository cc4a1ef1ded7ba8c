-- Purge, safe to interrupt (issue 12).
--
-- Every connection now turns on secure_delete, so deleted and overwritten text is zeroed in
-- place. A database written before may still hold old text in its free space: the next purge
-- runs one whole-file VACUUM on it, then removes this key. A database created from now on
-- never has the key (it is removed as the file is created).
INSERT OR REPLACE INTO meta (key, value) VALUES ('scrub_once', 'written before secure_delete');

-- Purge empties the notes of a worker's en-route events (moves to the observation rows) by
-- worker: without this index each purged worker read every event of the year.
CREATE INDEX IF NOT EXISTS trip_events_worker ON trip_events(worker_id)
    WHERE worker_id IS NOT NULL;

-- The reason typed for a correction (an undo at the door) is free text and may name people.
-- It is kept here, where purge blanks it with the passenger or the trip, and not in the
-- append-only audit log, whose rows name records by row id only: the audit row of the
-- correction points at its reason by `reason_id`.
CREATE TABLE reasons (
    id        INTEGER PRIMARY KEY,
    trip_id   INTEGER NOT NULL REFERENCES trips(id),
    worker_id INTEGER REFERENCES workers(id),      -- NULL: about the whole trip
    at        TEXT NOT NULL,
    action    TEXT NOT NULL,                       -- the audit action it explains: 'undo'
    text      TEXT NOT NULL                        -- '' once purged
);
CREATE INDEX reasons_trip ON reasons(trip_id);
CREATE INDEX reasons_worker ON reasons(worker_id) WHERE worker_id IS NOT NULL;

-- Undo reasons written so far sit in the audit rows (`after.why`): each moves here, under the
-- audit row's own id, and the audit row keeps only the pointer. This is the one rewrite the
-- log ever gets; its append-only guard is lifted for this statement alone.
CREATE TEMP TABLE undo_reasons AS
    SELECT a.id AS audit_id, p.trip_id, p.worker_id, a.at,
           json_extract(a.after, '$.why') AS text
    FROM audit a JOIN passengers p ON p.id = a.entity_id
    WHERE a.action = 'undo' AND a.entity = 'passenger'
      AND json_valid(a.after) AND json_type(a.after, '$.why') = 'text';
INSERT INTO reasons (id, trip_id, worker_id, at, action, text)
    SELECT audit_id, trip_id, worker_id, at, 'undo', text FROM undo_reasons ORDER BY audit_id;
DROP TRIGGER audit_no_update;
UPDATE audit SET after = json_set(json_remove(after, '$.why'), '$.reason_id', id)
    WHERE id IN (SELECT audit_id FROM undo_reasons);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
DROP TABLE undo_reasons;
