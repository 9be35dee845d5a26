#!/usr/bin/env bash
# Installs every Debian package casegraph's build, tests and benchmarks need, then
# configures and builds (Release). Idempotent: safe to rerun; skips apt when all
# packages are already installed.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git python3
  libsqlite3-dev sqlite3 libicu-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libtbb-dev libssl-dev libfmt-dev libsimdjson-dev libxxhash-dev libsodium-dev
  libcpp-httplib-dev libjemalloc-dev libgtest-dev libgmock-dev libbenchmark-dev libigraph-dev
  clang-format
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

BUILD_DIR="${BUILD_DIR:-build}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" "$@"
