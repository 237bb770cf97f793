#!/usr/bin/env bash
# ctxvet's parallel speed-up and its cost against run-clang-tidy with the
# plugin, on examples/ and on a generated N-file project (docs/performance.md
# "## ctxvet" records the results).
#
#   scripts/bench-ctxvet.sh [BUILD_DIR [N_FILES [RUNS]]]   (defaults: build 200 3)
#
# BUILD_DIR is a configured and built default-preset tree (ctxvet, the plugin
# and examples/' compile commands). Each configuration runs RUNS times; the
# median wall time is reported. The machine's load average is printed, since
# other work on the same cores skews every number.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
n=${2:-200}
runs=${3:-3}
llvm=$(sed -n 's/^CTX_LLVM_VERSION:STRING=//p' "$build/CMakeCache.txt")
ctxvet=$build/bin/ctxvet
plugin=$build/lib/libctx-tidy.so
rct=/usr/lib/llvm-$llvm/bin/run-clang-tidy
tidy=/usr/lib/llvm-$llvm/bin/clang-tidy
for f in "$ctxvet" "$plugin" "$rct" "$tidy"; do
  [ -e "$f" ] || { echo "bench-ctxvet: missing $f" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generated project: N translation units, each a small service module on
# the real runtime header (with a few findings), so a TU costs what a typical
# one in a ctx code base does: the standard headers ctx pulls in, and code.
gen=$work/gen
mkdir -p "$gen/src"
python3 - "$gen" "$n" "$root/runtime/include" <<'PY'
import json, os, sys
gen, n, inc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
units = []
for i in range(n):
    path = os.path.join(gen, 'src', 'module%03d.cpp' % i)
    with open(path, 'w') as f:
        f.write('''#include <ctx/context.hpp>
#include <map>
#include <string>
#include <vector>

namespace m%(i)d {
struct Key {};
struct Store {
  std::map<std::string, std::vector<int>> rows;
  int get(const ctx::Context& c, const std::string& k) const {
    if (c.err()) return -1;
    auto it = rows.find(k);
    return it == rows.end() ? 0 : static_cast<int>(it->second.size());
  }
};
int lookup(const std::string& k, const ctx::Context& c) { return Store{}.get(c, k); }
int serve(const ctx::Context& parent, const std::vector<std::string>& keys) {
  auto [c, cancel] = ctx::with_timeout(parent, std::chrono::milliseconds(%(i)d + 1));
  auto guard = ctx::defer(cancel);
  ctx::Context tagged = ctx::with_value(c, Key{}, std::string("m%(i)d"));
  int total = 0;
  for (const auto& k : keys) total += lookup(k, tagged);
  return total + lookup("warm", ctx::todo());
}
}  // namespace m%(i)d
''' % {'i': i})
    units.append({'directory': gen, 'file': path,
                  'arguments': ['clang++', '-std=c++20', '-I' + inc, '-c', path]})
json.dump(units, open(os.path.join(gen, 'compile_commands.json'), 'w'))
PY

# examples/: its own compile database, from the build's.
ex=$work/examples
mkdir -p "$ex"
python3 - "$build/compile_commands.json" "$root/examples" "$ex/compile_commands.json" <<'PY'
import json, sys
db, under, out = sys.argv[1:4]
json.dump([e for e in json.load(open(db)) if e['file'].startswith(under + '/')], open(out, 'w'))
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_runs() {  # label, command...; prints the median seconds
  local label=$1; shift
  local s e rc
  : > "$work/times"
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N)
    rc=0
    "$@" > "$work/out" 2>&1 || rc=$?
    e=$(date +%s.%N)
    # Findings are expected (exit 1); anything else means the time is of a
    # failed run, so stop and show why.
    if [ "$rc" -gt 1 ]; then
      echo "bench-ctxvet: '$label' exited $rc:" >&2
      tail -n 20 "$work/out" >&2
      return 2
    fi
    # Both sets have findings: a run that reports none did not run the checks.
    if ! grep -q '\[context-' "$work/out"; then
      echo "bench-ctxvet: '$label' reported no context-* finding:" >&2
      tail -n 20 "$work/out" >&2
      return 2
    fi
    awk -v a="$e" -v b="$s" 'BEGIN { print a - b }' >> "$work/times"
  done
  local t
  t=$(median < "$work/times")
  printf '%-46s %7.2f s\n' "$label" "$t" >&2
  echo "$t"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)  ($(nproc) cores, LLVM $llvm, $runs runs each, median)" >&2
for set in examples gen; do
  dir=$work/$set
  count=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$dir/compile_commands.json")
  echo "== $set: $count translation units" >&2
  j1=$(time_runs "ctxvet -j1" "$ctxvet" -p "$dir" -j1) || exit 2
  j2=$(time_runs "ctxvet -j2" "$ctxvet" -p "$dir" -j2) || exit 2
  r2=$(time_runs "run-clang-tidy-$llvm -j 2 -load plugin" "$rct" -j 2 -clang-tidy-binary "$tidy" \
         -load "$plugin" -checks='-*,context-*' -header-filter='.*' -quiet -p "$dir") || exit 2
  printf '%-46s %7.2fx   (goal >= 1.8x)\n' "speed-up ctxvet -j2 over -j1" "$(awk -v a="$j1" -v b="$j2" 'BEGIN { print a / b }')" >&2
  printf '%-46s %7.2fx   (goal >= 1.0x)\n' "ctxvet -j2 vs run-clang-tidy -j 2 (their/our time)" "$(awk -v a="$r2" -v b="$j2" 'BEGIN { print a / b }')" >&2
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
