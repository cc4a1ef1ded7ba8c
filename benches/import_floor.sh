#!/bin/sh
# What SQLite itself needs to fill the ledger's workers table, against `sqlite3 .import` into a
# plain table, in the same run: the floor under any import into this schema.
#
# The rows are first staged (parsed by sqlite3, employers resolved, sorted by ID number: none
# of it timed), then copied into a fresh ledger's `workers` table by one INSERT … SELECT, in
# one transaction, with the
# ledger's settings (WAL, foreign keys off, 64 MB cache): no checks, no short steps, no other
# terminal. Three variants: the table with all its indexes (as the ledger needs them), with
# the unique ID-number index only, and with no index. zhitong's own import is timed beside.
#
#   ZHITONG_BENCH_DIR=DIR cargo bench --bench import   # leaves DIR/workers.csv, employers.csv
#   cargo build --release && sh benches/import_floor.sh DIR
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
ours=${ZHITONG_BIN:-"$here/target/release/zhitong"}
src=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export ZHITONG_OPERATOR=bench LANG=C
timed() { # label command...
    label=$1
    shift
    /usr/bin/time -f "%e %U %S" -o "$dir/t" "$@" > /dev/null 2>&1
    echo "$label: $(awk '{printf "%.2f s wall, %.2f s CPU", $1, $2 + $3}' "$dir/t")"
}
ledger() { # db: a fresh ledger with the employers
    rm -f "$1" "$1-wal" "$1-shm"
    "$ours" --db "$1" import employers "$src/employers.csv" > /dev/null 2>&1
}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
sqlite3 "$dir/stage.db" "CREATE TABLE stage (name, id_number, phone, county, township,
    village, employer, issued, valid_until, issuer)" ".import --csv --skip 1 $src/workers.csv stage" \
    2> /dev/null
# Staged ready to copy, untimed: employer names resolved, rows in ID-number order.
ledger "$dir/f.db"
sqlite3 "$dir/f.db" "ATTACH '$dir/stage.db' AS s;
    CREATE TABLE s.ready AS
    SELECT w.id_number, w.name, ifnull(w.phone, '') AS phone, ifnull(w.county, '') AS county,
           ifnull(w.township, '') AS township, ifnull(w.village, '') AS village,
           e.id AS employer_id, nullif(w.issued, '') AS issued,
           nullif(w.valid_until, '') AS valid_until, ifnull(w.issuer, '') AS issuer
    FROM s.stage w LEFT JOIN employers e ON e.name = w.employer ORDER BY w.id_number;"
cat > "$dir/fill.sql" <<SQL
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -65536;
ATTACH '$dir/stage.db' AS s;
BEGIN IMMEDIATE;
INSERT INTO workers (id_number, name, phone, county, township, village, employer_id,
                     cert_issued, cert_valid_until, cert_issuer)
SELECT * FROM s.ready ORDER BY rowid;
COMMIT;
SQL
for round in 1 2 3; do
    rm -f "$dir/plain.db"
    timed "round $round sqlite3 .import, plain table" sqlite3 "$dir/plain.db" \
        ".import --csv $src/workers.csv w"
    ledger "$dir/z.db"
    timed "round $round zhitong import workers" "$ours" --db "$dir/z.db" import workers \
        "$src/workers.csv"
    ledger "$dir/f.db"
    timed "round $round SQLite floor, all indexes" sqlite3 "$dir/f.db" ".read $dir/fill.sql"
    ledger "$dir/f.db"
    sqlite3 "$dir/f.db" "DROP INDEX workers_employer; DROP INDEX workers_county;"
    timed "round $round SQLite floor, ID-number index only" sqlite3 "$dir/f.db" ".read $dir/fill.sql"
    ledger "$dir/f.db"
    sqlite3 "$dir/f.db" "DROP INDEX workers_employer; DROP INDEX workers_county;
        DROP INDEX workers_id_number; DROP INDEX workers_other_means;"
    timed "round $round SQLite floor, no index" sqlite3 "$dir/f.db" ".read $dir/fill.sql"
done
echo "rows in the last floor table: $(sqlite3 "$dir/f.db" 'SELECT count(*) FROM workers')"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
