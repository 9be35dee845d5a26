#!/usr/bin/env bash
# Installs, builds and runs the whole test suite: unit tests (ctest, one gtest binary
# per module) and the data-driven end-to-end CLI tests in tests/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR="${BUILD_DIR:-build}"
cd "$BUILD_DIR"
ctest --output-on-failure -j"$(nproc)" --timeout 600
