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
owner=$(python3 -c 'import json;print(json.load(open("data/demo/ground_truth.json"))["shell_chain"]["beneficial_owner"]["id"])')
target=$(python3 -c 'import json;print(json.load(open("data/demo/ground_truth.json"))["shell_chain"]["companies"][-1]["id"])')
name=$(python3 -c 'import json;print(json.load(open("data/demo/ground_truth.json"))["shell_chain"]["beneficial_owner"]["name"])')
step "Search for the suspected beneficial owner" "$CG" search --case "$CASE" "$name" --limit 5
step "Who is around them (depth 2)" "$CG" expand --case "$CASE" "$owner" --depth 1
step "How are they connected to the last shell company" "$CG" path --case "$CASE" "$owner" "$target" --max-hops 8
step "Who owns that company in the end" "$CG" owners --case "$CASE" "$target" --threshold 0.25 || true
