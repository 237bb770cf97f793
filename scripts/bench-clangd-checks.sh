#!/usr/bin/env bash
# Measures each context-* check the way clangd itself does
# (`clangd --check=FILE --check-tidy-time=GLOB`: AST build time with one check
# enabled, relative to the build without checks) and prints the percentages.
# clangd only treats checks under 8% as fast, so any check at or above that
# fails the script. The measurement is noisy on a busy machine; -n N repeats it
# and reports the median per check.
#
# Usage: scripts/bench-clangd-checks.sh [-c CLANGD] [-g GLOB] [-n RUNS] [-t PCT] [FILE]
#   CLANGD  clangd-ctx to measure         (default: build/bin/clangd-ctx)
#   GLOB    checks to time                (default: context-*)
#   RUNS    repetitions, median reported  (default: 1)
#   PCT     threshold for failing         (default: 8, clangd's)
#   FILE    translation unit to build     (default: scripts/bench/clangd-checks-input.cpp,
#           ~380 lines of service code on the stand-in <ctx/context.hpp>)
set -euo pipefail

src_root=$(cd "$(dirname "$0")/.." && pwd)
clangd="$src_root/build/bin/clangd-ctx"
glob='context-*'
runs=1
threshold=8
while getopts c:g:n:t:h opt; do
  case $opt in
    c) clangd=$OPTARG ;;
    g) glob=$OPTARG ;;
    n) runs=$OPTARG ;;
    t) threshold=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
file=${1:-$src_root/scripts/bench/clangd-checks-input.cpp}
clangd=$(realpath "$clangd" 2>/dev/null || echo "$clangd")  # runs from a scratch dir
[ -x "$clangd" ] || { echo "no clangd-ctx at $clangd (build it, or pass -c)" >&2; exit 2; }
[ -f "$file" ] || { echo "no such file: $file" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A scratch project so no .clangd or compile database of the caller applies.
cp "$file" "$work/input.cpp"
printf -- '-std=c++20\n-I%s\n' "$src_root/test/checks/Inputs" > "$work/compile_flags.txt"

for ((i = 1; i <= runs; i++)); do
  (cd "$work" && XDG_CONFIG_HOME="$work/xdg" "$clangd" --check=input.cpp \
      --check-tidy-time="$glob" --check-locations=false 2>&1) > "$work/run$i.log" || {
    echo "clangd-ctx --check failed; log:" >&2; cat "$work/run$i.log" >&2; exit 1; }
  # Lines look like `I[hh:mm:ss.mmm]   context-todo = 3%`.
  sed -nE 's/^I\[[^]]*\] +([a-z0-9.-]+) = (-?[0-9]+)%$/\1 \2/p' "$work/run$i.log" >> "$work/all.txt"
done
[ -s "$work/all.txt" ] || { echo "no measurements for '$glob' in clangd's output" >&2; exit 1; }

echo "clangd: $("$clangd" --version | sed -n 2p)"
echo "file:   $file ($(wc -l < "$file") lines), runs: $runs, fast threshold: ${threshold}%"
printf '%-32s %8s  %s\n' check median runs
sort -k1,1 -k2,2n "$work/all.txt" | awk -v t="$threshold" '
  function flush() {
    if (name == "") return
    m = v[int(n / 2) + 1]  # upper median: err towards slow
    printf "%-32s %7d%%  %s%s\n", name, m, list, (m >= t ? "  SLOW" : "")
    if (m >= t) slow++
  }
  $1 != name { flush(); name = $1; n = 0; list = "" }
  { v[++n] = $2; list = list (n > 1 ? " " : "") $2 "%" }
  END { flush(); exit slow > 0 }'
