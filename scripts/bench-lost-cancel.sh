#!/bin/sh
# Times context-lost-cancel on generated functions with N branches after the
# cancel is obtained (test/checks/Inputs/gen_lost_cancel.py: three functions,
# N ifs / N ifs / an N-case switch). Reports the median over RUNS runs of the
# check's own time (clang-tidy --enable-check-profile), and of the whole
# clang-tidy process for reference.
#
# Usage: scripts/bench-lost-cancel.sh [BUILD_DIR] [N] [RUNS]
#   BUILD_DIR defaults to build (LLVM 19); build-llvm22 for LLVM 22.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
n=${2:-2000}
runs=${3:-7}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
version=$(sed -n 's/^CTX_LLVM_VERSION:[A-Z]*=//p' "$build/CMakeCache.txt")
tidy=/usr/lib/llvm-${version}/bin/clang-tidy
plugin="$build/lib/libctx-tidy.so"
[ -x "$tidy" ] && [ -f "$plugin" ] || { echo "build $build first (needs $plugin and $tidy)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$root/test/checks/Inputs/gen_lost_cancel.py" "$n" > "$tmp/gen.cpp"

: > "$tmp/check.txt"
: > "$tmp/total.txt"
i=0
while [ "$i" -lt "$runs" ]; do
  start=$(date +%s%N)
  "$tidy" --load "$plugin" -checks='-*,context-lost-cancel' --enable-check-profile --quiet \
    "$tmp/gen.cpp" -- -std=c++20 -I "$root/test/checks/Inputs" > "$tmp/out.txt" 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 )) >> "$tmp/total.txt"
  # The wall-time column of the check's profile line, in seconds.
  awk '/context-lost-cancel$/ { print $(NF-2) }' "$tmp/out.txt" | tail -1 >> "$tmp/check.txt"
  i=$((i + 1))
done
warnings=$(grep -c 'warning: the cancel function' "$tmp/out.txt" || true)
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "LLVM $version, N=$n branches, $runs runs, $warnings warnings (expected 2)"
echo "context-lost-cancel (check profile, wall): median $(median "$tmp/check.txt") s"
echo "whole clang-tidy run (parse + all):        median $(median "$tmp/total.txt") ms"
