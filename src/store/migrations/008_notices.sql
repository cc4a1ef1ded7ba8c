-- The advance notice to a destination province (抵达预告): the officer records each time it
-- went out, to whom and when; the operator is in the audit log too. A corrected notice goes out
-- again, so a day and province may have several rows; the first one before a bus leaves is what
-- the departure board checks. Whom it went to is free text and may name a person: purge blanks
-- it with the trips of that day and province.
CREATE TABLE notices (
    id       INTEGER PRIMARY KEY,
    date     TEXT NOT NULL,            -- the departure day the notice covers
    province TEXT NOT NULL,            -- destination province as the batches name it (浙江省)
    sent_to  TEXT NOT NULL,            -- '' once purged
    at       TEXT NOT NULL,            -- RFC 3339 with offset, from the program's clock
    operator TEXT NOT NULL
);
CREATE INDEX notices_day ON notices(date, province);
