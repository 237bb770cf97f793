// CUDA (host side): the second-set checks run as on C++; no crash.
// RUN: %check_clang_tidy %s context-not-inherited,context-not-passed,context-unchecked-loop %t -- -- -include stdlib.h

#define __global__ __attribute__((global))
#define __host__ __attribute__((host))
#include <ctx/context.hpp>

void fetch(int id);
void fetch(ctx::Context c, int id);
__global__ void kernel(int *out) { *out = 1; }
__host__ void launch(const ctx::Context &c, int *out) {
  fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fetch' is called without the context in scope
  // CHECK-FIXES: {{^}}  fetch(c, 1);{{$}}
  ctx::Context other = ctx::background();
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-6]]:42: note: the context in scope
  // CHECK-FIXES: {{^}}  ctx::Context other = c;{{$}}
}
