#!/bin/sh
# Run the benchmarks built in BUILD_DIR (configured with -DEVENTIDE_BENCH=ON)
# and print the comparison table. `make bench` calls this.
# Usage: sh bench/run.sh BUILD_DIR
# Environment: BENCH_RUNS, BENCH_ONLY, BENCH_SCALE (see bench/run.js).
set -e
if [ $# -ne 1 ]; then
  echo "usage: sh bench/run.sh BUILD_DIR" >&2
  exit 2
fi
if ! command -v node >/dev/null 2>&1; then
  echo "bench: node is required to drive the benchmarks" >&2
  exit 1
fi
exec node "$(dirname "$0")/run.js" "$1"
