// CUDA (host side): the checks run as on C++; no crash.
// RUN: %check_clang_tidy %s context-stored-in-struct,context-stored-in-global,context-derived-in-loop,context-first-parameter,context-null,context-builtin-key,context-todo %t -- -- -include stdlib.h

#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#include <ctx/context.hpp>

struct Launch {
  ctx::Context c;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: member 'c' stores a context
};
__global__ void kernel(int *out) { *out = 1; }
__host__ void launch(int n, const ctx::Context &c);
// CHECK-MESSAGES: :[[@LINE-1]]:49: warning: context 'c'
__host__ void run() {
  launch(1, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: null context '{}'
  // CHECK-FIXES: {{^}}  launch(1, ctx::todo());{{$}}
}
