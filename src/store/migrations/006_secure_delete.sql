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
