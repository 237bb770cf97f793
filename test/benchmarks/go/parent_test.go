// Go's side of ParentDeriveCancel in ../context_bench.cpp (Go's own
// benchmark_test.go has no such benchmark): every goroutine derives a child of
// one shared cancellable parent and cancels it. scripts/bench-runtime-vs-go.sh
// runs it with -cpu 1,2,4,8 (GOMAXPROCS = RunParallel's goroutines = threads).
//
// CommonParentLoopOnly is Go's CommonParentCancel (benchmark_test.go) without
// the context: only its two loops of 100 divisions per operation, which
// decide most of that benchmark's time on both sides. The script subtracts
// it to compare what the contexts cost.
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

func BenchmarkCommonParentLoopOnly(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		x := 0
		for pb.Next() {
			for i := 0; i < 100; i++ {
				x /= x + 1
			}
			for i := 0; i < 100; i++ {
				x /= x + 1
			}
		}
	})
}
