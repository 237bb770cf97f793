// RUN: %check_clang_tidy %s context-lost-cancel %t
// CUDA (host side): host functions are analysed like any other.
#include <ctx/context.hpp>

#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))

extern ctx::Context bg;

__global__ void kernel(int *p) { *p = 1; }
__device__ int twice(int x) { return 2 * x; }

__host__ void launch(bool condition) {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition)
    cancel();
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-4]]:7: note: assuming this condition is false
