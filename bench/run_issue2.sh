#!/usr/bin/env bash
# Reproduces the issue 2 benchmark figures (docs/benchmarks.md, "Foundation (issue 2)"):
# for each scale, generates a synthetic case, imports it with the casegraph CLI (CSV +
# mapping), measures SQLite's own write time for that case's rows (sqlite_floor_bench, WAL
# and rollback journal), exports it to FtM JSON lines and imports that into a fresh case, writes 1,000
# random query pairs, runs the case-based CSR/expand/path benchmark, and runs the SQLite
# and Kuzu peers on the same CSVs and the same pairs. Every result is a JSON file in OUT.
#
# Usage: bench/run_issue2.sh [SCALE...]        (default: 1000000)
# Env:   OUT=bench/results/issue2 (small JSON results)  DATA_ROOT=bench/results/tmp (git-ignored data, cases)
#        BUILD=build-bench  SEED=7  PAIRS=1000  MAX_HOPS=8
#        SQLITE_PATH_QUERIES=20 (the recursive CTE takes seconds per query)
#        KUZU_QUERIES=1000 (pairs given to Kuzu; lower it at 10 M links to save time)
#        SKIP_KUZU=1 / SKIP_SQLITE=1 / SKIP_BUILD=1
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD:-$root/build-bench}"
out="${OUT:-$root/bench/results/issue2}"
seed="${SEED:-7}"
npairs="${PAIRS:-1000}"
max_hops="${MAX_HOPS:-8}"
sqlite_path_queries="${SQLITE_PATH_QUERIES:-20}"
kuzu_queries="${KUZU_QUERIES:-1000}"
scales=("$@")
[ ${#scales[@]} -eq 0 ] && scales=(1000000)
mkdir -p "$out"

if [ -z "${SKIP_BUILD:-}" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target casegraph case_query_bench sqlite_peer_bench \
    sqlite_floor_bench -j2
fi
cli="$build/casegraph"
if [ -z "${SKIP_KUZU:-}" ] && [ ! -d "$root/bench/peers/node_modules/kuzu" ]; then
  (cd "$root/bench/peers" && npm ci --no-audit --no-fund)
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GB"
  echo "kernel: $(uname -sr)"
  echo "node: $(node --version 2>/dev/null || echo none)"
} > "$out/machine.txt"

for scale in "${scales[@]}"; do
  data="${DATA_ROOT:-$root/bench/results/tmp}/issue2_$scale"
  res="$out/$scale"
  mkdir -p "$res"
  echo "== scale $scale: generate" >&2
  rm -rf "$data"
  "$cli" generate --scale "$scale" --seed "$seed" --out "$data" --json > "$res/generate.json"
  python3 "$root/bench/peers/make_pairs.py" "$data" "$res/pairs.tsv" "$npairs" "$seed"

  echo "== scale $scale: import CSV + mapping" >&2
  case_csv="$data/csv.case"
  rm -f "$case_csv" "$case_csv"-wal "$case_csv"-shm
  "$cli" init --case "$case_csv" --json > /dev/null
  /usr/bin/time -f '%e s %M KB' -o "$res/import_csv.time" \
    "$cli" import --case "$case_csv" --mapping "$data/mapping.yml" --json > "$res/import_csv.json"

  echo "== scale $scale: SQLite write floor of the imported case" >&2
  "$build/bench/sqlite_floor_bench" --case "$case_csv" --json > "$res/sqlite_floor_wal.json"
  "$build/bench/sqlite_floor_bench" --case "$case_csv" --rollback-journal --json \
    > "$res/sqlite_floor_journal.json"

  echo "== scale $scale: export FtM JSON lines, import into a fresh case" >&2
  /usr/bin/time -f '%e s %M KB' -o "$res/export_ftm.time" \
    "$cli" export --case "$case_csv" --format ftm --out "$data/export.ftm.json" --json > "$res/export_ftm.json"
  case_ftm="$data/ftm.case"
  rm -f "$case_ftm" "$case_ftm"-wal "$case_ftm"-shm
  "$cli" init --case "$case_ftm" --json > /dev/null
  /usr/bin/time -f '%e s %M KB' -o "$res/import_ftm.time" \
    "$cli" import --case "$case_ftm" "$data/export.ftm.json" --json > "$res/import_ftm.json"

  echo "== scale $scale: CSR build, expand-2 and path on the case" >&2
  /usr/bin/time -f '%e s %M KB' -o "$res/casegraph_queries.time" \
    "$build/bench/case_query_bench" --case "$case_csv" --pairs "$res/pairs.tsv" \
    --max-hops "$max_hops" > "$res/casegraph.json"

  if [ -z "${SKIP_SQLITE:-}" ]; then
    echo "== scale $scale: SQLite peer" >&2
    "$build/bench/sqlite_peer_bench" --data "$data" --pairs "$res/pairs.tsv" \
      --db "$data/sqlite_peer.db" --max-hops "$max_hops" \
      --path-queries "$sqlite_path_queries" > "$res/sqlite.json"
    rm -f "$data/sqlite_peer.db"*
  fi
  if [ -z "${SKIP_KUZU:-}" ]; then
    echo "== scale $scale: Kuzu peer" >&2
    head -n "$kuzu_queries" "$res/pairs.tsv" > "$res/pairs_kuzu.tsv"
    node "$root/bench/peers/kuzu_peer.js" --data "$data" --pairs "$res/pairs_kuzu.tsv" \
      --db "$data/kuzu.db" --max-hops "$max_hops" > "$res/kuzu.json"
    rm -rf "$data/kuzu.db" "$data/kuzu.db.wal"
  fi
  python3 "$root/bench/peers/summarize.py" "$res" > "$res/summary.md"
  cat "$res/summary.md"
done
