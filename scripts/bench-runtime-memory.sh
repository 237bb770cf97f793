#!/usr/bin/env bash
# Bytes per context with 1,000,000 contexts held at once, ctx and Go, in one
# run (issue 15): ctx as the growth of glibc's mallinfo2().uordblks (RSS
# alongside), node cache and signal pool cold (first contexts of the process)
# and warm (as many made and dropped before); Go as runtime.MemStats.HeapAlloc
# after a GC. Each measurement is a fresh process.
#   scripts/bench-runtime-memory.sh [build-dir]      (default: build)
# Needs build/bin/ctx_runtime_mem_bench. Env: GO (default
# /usr/lib/go-1.19/bin/go), N (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bench="$build/bin/ctx_runtime_mem_bench"
GO=${GO:-/usr/lib/go-1.19/bin/go}
N=${N:-1000000}
[ -x "$bench" ] || { echo "missing $bench: cmake --build build --target ctx_runtime_mem_bench" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "Go: $("$GO" version)" >&2
cp test/benchmarks/go/mem.go "$tmp/"
(cd "$tmp" && GOCACHE="$tmp/gocache" GOPATH="$tmp/gopath" GOFLAGS= GO111MODULE=off \
  "$GO" build -o "$tmp/gomem" mem.go)
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
printf '| %-50s | %10s | %10s | %10s | %10s | %8s |\n' kind "ctx cold" "ctx warm" "ctx RSS" "Go" "ctx/Go"
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..52})" ------------ ------------ ------------ ------------ ----------
while read -r kind label; do
  cold=$("$bench" "$kind" cold "$N")
  warm=$("$bench" "$kind" warm "$N")
  go=$("$tmp/gomem" "$kind" "$N")
  c=$(field malloc_bytes_per_ctx <<<"$cold")
  w=$(field malloc_bytes_per_ctx <<<"$warm")
  r=$(field rss_bytes_per_ctx <<<"$cold")
  g=$(field heap_bytes_per_ctx <<<"$go")
  ratio=$(awk -v a="$c" -v b="$w" -v g="$g" 'BEGIN { m = a > b ? a : b; printf "%.2f", m / g }')
  printf '| %-50s | %10s | %10s | %10s | %10s | %8s |\n' "$label" "$c" "$w" "$r" "$g" "$ratio"
done <<'KINDS'
cancel_child `with_cancel` of a cancellable parent
cancel_bg `with_cancel(background())`
timeout_bg `with_timeout(background(), 1h)`
value_bg `with_value(background(), Key{}, int)`
cancel_child_done `with_cancel` of a cancellable parent, then `done()`
KINDS
