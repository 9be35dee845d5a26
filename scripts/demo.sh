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
name=$("$CG" show --case "$CASE" "$owner" --json | python3 -c 'import json,sys; n=json.load(sys.stdin)["properties"]["name"][0]["value"].split(); print(" ".join(reversed(n)).lower())')
step "Search for a person of interest (any case, accents or word order)" "$CG" search --case "$CASE" "$name" --limit 5
step "Who and what is around them (Find Linked, depth 1)" "$CG" expand --case "$CASE" "$owner" --depth 1
step "How do they own the target company (shortest path through ownerships)" \
  "$CG" path --case "$CASE" "$owner" "$target" --via-schema Ownership --max-hops 8
step "Who really owns the target (shares multiplied along the chains, >= 25%)" \
  "$CG" owners --case "$CASE" "$target" --threshold 0.25
step "Money going round in circles within 30 days" "$CG" cycles --case "$CASE" --max-length 6 --window 30
step "Many small deposits into one account within 3 days (smurfing)" \
  "$CG" fan --case "$CASE" --direction in --window 3 --min-counterparties 10
step "Who met the owner at the same place and time" "$CG" cooccur --case "$CASE" "$owner" --window 24
step "Every read above was recorded" "$CG" audit --case "$CASE" --verify
