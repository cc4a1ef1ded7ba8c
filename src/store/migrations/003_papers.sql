-- Papers: the statistics screen and the daily bulletin count, on every refresh, the workers who
-- went back by other means (train, own car) per day. This partial index holds only those rows,
-- so the count no longer reads the whole ledger; rows of other states cost nothing.
CREATE INDEX workers_other_means ON workers(other_date, county, employer_id)
    WHERE status = 'other-means';
