#!/usr/bin/env bash
# Installs, builds and runs the main job on an embedded case: creates a demo case,
# imports the bundled demo data (generated investigation in data/demo/), and prints a
# short investigation: statistics, a search, an expansion and a path.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
CG="${BUILD_DIR:-build}/casegraph"
CASE="${CASE:-demo.case}"
rm -f "$CASE" "$CASE-wal" "$CASE-shm"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Create a case" "$CG" init --case "$CASE"
step "Import the demo investigation (CSV + FtM mapping)" \
  "$CG" import --case "$CASE" --mapping data/demo/mapping.yml --dataset demo
step "What is in the case" "$CG" stats --case "$CASE"
gt() { python3 -c "import json,sys; d=json.load(open('data/demo/ground_truth.json')); print(eval(sys.argv[1]))" "$1"; }
owner=$(gt 'd["shell_chains"][0]["beneficial_owner"]["id"]')
target=$(gt 'd["shell_chains"][0]["target"]["id"]')
name=$("$CG" show --case "$CASE" "$owner" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["properties"]["name"][0]["value"])')
step "Search for a person of interest (any case, accents or word order)" "$CG" search --case "$CASE" "$name" --limit 5
step "Who and what is around them (Find Linked, depth 1)" "$CG" expand --case "$CASE" "$owner" --depth 1
step "How do they own the target company (path through ownerships)" \
  "$CG" path --case "$CASE" "$owner" "$target" --via-schema Ownership --max-hops 8
step "Who holds the network together" "$CG" brokers --case "$CASE" --schema Ownership
