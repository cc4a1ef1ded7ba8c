#!/bin/sh
# The whole 1,000,000-worker demo city planned for one day, `plan --json` to a file: wall time
# and peak memory (GNU time), best of three, for this build and, when given, another build
# measured in the same run as the reference (e.g. a build of the commit before the change).
#
#   cargo build --release && sh benches/city_plan.sh [REFERENCE_BINARY]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
ours="$here/target/release/zhitong"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export ZHITONG_TODAY=2020-02-21 ZHITONG_OPERATOR=bench LANG=C
measure() { # name binary db
    for round in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$dir/t" "$2" --db "$3" plan --date 2020-02-21 --json \
            > "$dir/plan-$1.json" 2> /dev/null
        echo "$1 round $round: $(awk '{printf "%.2f s, peak %.0f MB", $1, $2/1024}' "$dir/t")"
    done
}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ours" --db "$dir/city.db" demo --workers 1000000 --no-tui > /dev/null
if [ $# -ge 1 ]; then
    "$1" --db "$dir/city-ref.db" demo --workers 1000000 --no-tui > /dev/null
fi
measure ours "$ours" "$dir/city.db"
if [ $# -ge 1 ]; then
    measure reference "$1" "$dir/city-ref.db"
fi
# Worker row ids may differ between the two builds' demo ledgers; the counts may not.
for f in "$dir"/plan-*.json; do
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sys.argv[1].split('/')[-1], len(d['buses']), 'buses,', sum(len(b['passengers']) for b in d['buses']), 'placed,', len(d['unplaced']), 'unplaced, lower bound', d['lower_bound'])" "$f" 2>/dev/null || true
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
