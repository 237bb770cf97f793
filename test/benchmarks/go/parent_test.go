// Go's side of ParentDeriveCancel in ../context_bench.cpp (Go's own
// benchmark_test.go has no such benchmark): every goroutine derives a child of
// one shared cancellable parent and cancels it. scripts/bench-runtime-vs-go.sh
// runs it with -cpu 1,2,4,8 (GOMAXPROCS = RunParallel's goroutines = threads).
package parentbench

import (
	"context"
	"testing"
)

func BenchmarkParentDeriveCancel(b *testing.B) {
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, c := context.WithCancel(parent)
			c()
		}
	})
}
