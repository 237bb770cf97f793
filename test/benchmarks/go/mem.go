// Heap bytes per context held at once, Go's side of
// test/benchmarks/context_mem_bench.cpp (run by scripts/bench-runtime-memory.sh):
// runtime.MemStats.HeapAlloc after a GC, with N contexts kept alive, minus
// the same before; the slices holding them are allocated before.
//   go run mem.go <kind> [N]
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

type key struct{}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func main() {
	kind := os.Args[1]
	n := 1000000
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[2])
	}
	parent, cancelParent := context.WithCancel(context.Background())
	defer cancelParent()
	if kind == "timeout_bg" { // the timer machinery is not per context
		_, f := context.WithTimeout(context.Background(), time.Hour)
		f()
	}
	cs := make([]context.Context, 0, n)
	fs := make([]context.CancelFunc, 0, n)
	bg := context.Background()
	before := heap()
	for i := 0; i < n; i++ {
		switch kind {
		case "cancel_child":
			c, f := context.WithCancel(parent)
			cs, fs = append(cs, c), append(fs, f)
		case "cancel_bg":
			c, f := context.WithCancel(bg)
			cs, fs = append(cs, c), append(fs, f)
		case "timeout_bg":
			c, f := context.WithTimeout(bg, time.Hour)
			cs, fs = append(cs, c), append(fs, f)
		case "value_bg":
			cs = append(cs, context.WithValue(bg, key{}, i))
		case "cancel_child_done":
			c, f := context.WithCancel(parent)
			_ = c.Done()
			cs, fs = append(cs, c), append(fs, f)
		default:
			fmt.Fprintln(os.Stderr, "unknown kind", kind)
			os.Exit(2)
		}
	}
	after := heap()
	fmt.Printf("%s heap_bytes_per_ctx=%.1f\n", kind, float64(after-before)/float64(n))
	runtime.KeepAlive(cs)
	runtime.KeepAlive(fs)
	for _, f := range fs {
		f()
	}
}
