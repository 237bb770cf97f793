#!/usr/bin/env bash
# Runs Go's own context benchmarks and ctx's Google Benchmark ports on this
# machine, in one run, and prints a table of ns/op and the ratio ours/Go.
#   scripts/bench-runtime-vs-go.sh [build-dir]      (default: build)
# Needs a configured+built default preset (build/bin/ctx_runtime_bench).
# Env: GO (default /usr/lib/go-1.19/bin/go), BENCHTIME (Go -benchtime, default 1s),
#      MIN_TIME (Google Benchmark --benchmark_min_time, default 0.5).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bench="$build/bin/ctx_runtime_bench"
GO=${GO:-/usr/lib/go-1.19/bin/go}
[ -x "$bench" ] || { echo "missing $bench: cmake --build --preset default" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "Go: $("$GO" version)" >&2
(cd "$tmp" && GOCACHE="$tmp/gocache" GOPATH="$tmp/gopath" GOFLAGS= GOMAXPROCS=2 \
  "$GO" test -bench . -benchtime "${BENCHTIME:-1s}" -run '^$' context) > "$tmp/go.txt"
"$bench" --benchmark_min_time="${MIN_TIME:-0.5}" --benchmark_format=json > "$tmp/ours.json"
python3 - "$tmp/go.txt" "$tmp/ours.json" <<'PY'
import json, re, sys
go = {}
for line in open(sys.argv[1]):
    m = re.match(r'Benchmark(\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op', line)
    if m:
        go[m.group(1)] = float(m.group(3))
ours = {}
for b in json.load(open(sys.argv[2]))['benchmarks']:
    name = b['name']
    threads = 1
    m = re.search(r'/threads:(\d+)$', name)
    if m:
        threads = int(m.group(1))
    name = re.sub(r'/real_time', '', re.sub(r'/threads:\d+$', '', name)).replace(':', '=')
    unit = {'ns': 1, 'us': 1e3, 'ms': 1e6, 's': 1e9}[b.get('time_unit', 'ns')]
    # Go's ns/op for RunParallel is wall time / total ops across all threads;
    # Google Benchmark reports wall time per iteration per thread.
    ours[name] = b['real_time'] * unit / threads
names = list(go) + [n for n in ours if n not in go]
print(f"| {'benchmark':<45} | {'Go ns/op':>10} | {'ctx ns/op':>10} | {'ctx/Go':>7} |")
print(f"|{'-'*47}|{'-'*12}|{'-'*12}|{'-'*9}|")
for n in names:
    g, o = go.get(n), ours.get(n)
    gs = f"{g:.2f}" if g is not None else "-"
    os_ = f"{o:.2f}" if o is not None else "-"
    r = f"{o/g:.2f}" if g and o is not None else "-"
    print(f"| {n:<45} | {gs:>10} | {os_:>10} | {r:>7} |")
PY
