#!/usr/bin/env bash
# The README's first command. On a fresh Debian 12 machine: installs what is
# missing, builds what the demo needs (ctxvet, the runtime, the example
# service) with the default preset, and runs ctxvet over examples/, whose
# deliberate mistakes are the expected output.
#
# Exit status: 0 when ctxvet ran (its findings are the point), non-zero when
# setup or the build failed or ctxvet could not check everything (its exit 2).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=${JOBS:-$(nproc)}
cmake --preset default > /dev/null
cmake --build --preset default -j "$jobs" --target ctxvet ctx-example-service
echo "== ctxvet -p build examples/" >&2
status=0
build/bin/ctxvet -p build -j "$jobs" examples/ || status=$?
case $status in
  0|1) echo "== ctxvet ran: each warning above is a // MISTAKE(...) marked in examples/" >&2 ;;
  *) echo "run.sh: ctxvet could not check examples/ (exit $status)" >&2; exit "$status" ;;
esac
