#!/usr/bin/env bash
# Runs Go's own context benchmarks and ctx's Google Benchmark ports on this
# machine, in one run, and prints a table of ns/op and the ratio ours/Go.
#   scripts/bench-runtime-vs-go.sh [build-dir]      (default: build)
# Needs a configured+built default preset (build/bin/ctx_runtime_bench).
# Env: GO (default /usr/lib/go-1.19/bin/go), BENCHTIME (Go -benchtime, default 1s),
#      MIN_TIME (Google Benchmark --benchmark_min_time, default 0.5),
#      ROUNDS (default 3, at least 3).
#
# The two sides alternate, Go, ctx, Go, ctx, ... ROUNDS times, so that a burst
# of load from elsewhere lands in one round of one side, not in all of it.
# Each row shows the median of Go's and of ctx's ns/op over the rounds, the
# median of the per-round ratios ctx/Go (each ratio from a Go run and the ctx
# run right after it) and their spread, min-max: a row is decided by the
# median ratio, and a wide spread says the machine was not quiet.
# ParentDeriveCancel (not in Go's file) runs on both sides with 1, 2, 4 and 8
# threads (Go: -cpu 1,2,4,8 of test/benchmarks/go/parent_test.go) and is shown
# again as operations per second per thread, next to Cpp/OwnParentDeriveCancel
# (a parent per thread: what the machine itself loses). CommonParentLoopOnly
# (both sides, GOMAXPROCS=2) is CommonParentCancel's division loops alone;
# CommonParentCancel minus it, per round, is what the contexts cost.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bench="$build/bin/ctx_runtime_bench"
GO=${GO:-/usr/lib/go-1.19/bin/go}
ROUNDS=${ROUNDS:-3}
[ -x "$bench" ] || { echo "missing $bench: cmake --build --preset default" >&2; exit 1; }
[ "$ROUNDS" -ge 3 ] || { echo "ROUNDS must be at least 3 (a median of a spread)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/parent"
cp test/benchmarks/go/parent_test.go "$tmp/parent/"
printf 'module parentbench\n\ngo 1.19\n' > "$tmp/parent/go.mod"
export GOCACHE="$tmp/gocache" GOPATH="$tmp/gopath" GOFLAGS= GOPROXY=off
echo "Go: $("$GO" version); $ROUNDS rounds; load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# Compile both test binaries first, so that no round times a compiler.
(cd "$tmp" && "$GO" test -c -o "$tmp/context.test" context)
(cd "$tmp/parent" && "$GO" test -c -o "$tmp/parent.test" .)
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS: Go" >&2
  (cd "$tmp" && GOMAXPROCS=2 ./context.test -test.bench . -test.benchtime "${BENCHTIME:-1s}" \
     -test.run '^$' && ./parent.test -test.bench ParentDeriveCancel -test.benchtime \
     "${BENCHTIME:-1s}" -test.run '^$' -test.cpu 1,2,4,8 && GOMAXPROCS=2 ./parent.test \
     -test.bench CommonParentLoopOnly -test.benchtime "${BENCHTIME:-1s}" -test.run '^$') \
     > "$tmp/go.$r.txt"
  echo "round $r/$ROUNDS: ctx" >&2
  "$bench" --benchmark_min_time="${MIN_TIME:-0.5}" --benchmark_format=json > "$tmp/ours.$r.json"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$tmp" "$ROUNDS" <<'PY'
import json, re, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])

def go_round(path):
    go = {}
    for line in open(path):
        m = re.match(r'Benchmark(\S+?)(?:-(\d+))?\s+\d+\s+([\d.]+) ns/op', line)
        if not m:
            continue
        name = m.group(1)
        if name == 'ParentDeriveCancel':  # run with -cpu 1,2,4,8: the suffix is the threads
            name += f"/threads={m.group(2) or 1}"
        go[name] = float(m.group(3))
    return go

def ours_round(path):
    ours = {}
    for b in json.load(open(path))['benchmarks']:
        name = b['name']
        threads = 1
        m = re.search(r'/threads:(\d+)$', name)
        if m:
            threads = int(m.group(1))
        name = re.sub(r'/real_time', '', re.sub(r'/threads:\d+$', '', name)).replace(':', '=')
        if name in ('ParentDeriveCancel', 'Cpp/OwnParentDeriveCancel'):
            # Go's ns/op: wall time / all threads' operations.
            ours[f"{name}/threads={threads}"] = 1e9 / (b['ops/s/thread'] * threads)
            continue
        unit = {'ns': 1, 'us': 1e3, 'ms': 1e6, 's': 1e9}[b.get('time_unit', 'ns')]
        # Go's ns/op for RunParallel is wall time / all threads' operations.
        # So is Google Benchmark's real_time with ->Threads(n)->UseRealTime():
        # the threads' mean wall time over the iterations of all threads
        # (1.7: "iterations" in the JSON is the sum over the threads).
        ours[name] = b['real_time'] * unit
    return ours

gos = [go_round(f"{tmp}/go.{r}.txt") for r in range(1, rounds + 1)]
ourss = [ours_round(f"{tmp}/ours.{r}.json") for r in range(1, rounds + 1)]
names = []
for d in gos + ourss:
    names += [n for n in d if n not in names]
med = statistics.median
print(f"| {'benchmark':<45} | {'Go ns/op':>10} | {'ctx ns/op':>10} | {'ctx/Go':>6} | {'spread':>11} |")
print(f"|{'-'*47}|{'-'*11}:|{'-'*11}:|{'-'*7}:|{'-'*12}:|")
for n in names:
    g = [d[n] for d in gos if n in d]
    o = [d[n] for d in ourss if n in d]
    ratios = [og[n] / gg[n] for gg, og in zip(gos, ourss) if n in gg and n in og and gg[n]]
    gs = f"{med(g):.2f}" if g else "-"
    os_ = f"{med(o):.2f}" if o else "-"
    r = f"{med(ratios):.2f}" if ratios else "-"
    sp = f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "-"
    print(f"| {n:<45} | {gs:>10} | {os_:>10} | {r:>6} | {sp:>11} |")

print()
# CommonParentCancel's two loops of 100 divisions (CommonParentLoopOnly, both
# sides) take most of its time: what is left is what the contexts cost.
ctx_part = []
for gg, og in zip(gos, ourss):
    try:
        g = gg['CommonParentCancel'] - gg['CommonParentLoopOnly']
        o = og['CommonParentCancel'] - og['CommonParentLoopOnly']
    except KeyError:
        continue
    ctx_part.append((g, o))
if ctx_part:
    print("CommonParentCancel minus CommonParentLoopOnly, per round (Go, ctx ns/op; ratio): " +
          ", ".join(f"{g:.0f}, {o:.0f}; {o / g:.2f}" if g > 0 else f"{g:.0f}, {o:.0f}; -"
                    for g, o in ctx_part))
    print()
print("ParentDeriveCancel, operations per second per thread (median of the rounds):")
print()
print("(ctx, own parent: Cpp/OwnParentDeriveCancel, a parent per thread, nothing shared:")
print("what the machine itself loses as threads are added.)")
print()
print(f"| threads | {'Go ops/s/thread':>15} | {'ctx ops/s/thread':>16} | {'ctx, own parent':>15} |")
print(f"|--------:|{'-'*16}:|{'-'*17}:|{'-'*16}:|")
def per_thread(sides, n, t):
    v = [1e9 / (d[n] * t) for d in sides if n in d]
    return f"{med(v) / 1e6:.2f} M" if v else "-"
for t in (1, 2, 4, 8):
    n = f"ParentDeriveCancel/threads={t}"
    own = per_thread(ourss, f"Cpp/OwnParentDeriveCancel/threads={t}", t)
    print(f"| {t:>7} | {per_thread(gos, n, t):>15} | {per_thread(ourss, n, t):>16} | {own:>15} |")
PY
