// Input for ctx-tidy-matches-plugin.test: findings from our module and from
// clang-tidy's own, with fix-its and notes.
#include <stddef.h>
#include <ctx/context.hpp>

void sink(ctx::Context c);

void handler(const ctx::Context &c) {
  sink(ctx::todo());
}

void orphan() {
  sink(ctx::todo());
}

int divide(int a, int b) {
  double d = a / b; // bugprone-integer-division
  return static_cast<int>(d);
}

void copy_loop(const char *src, size_t n) {
  char buf[8];
  for (short i = 0; i < n; ++i) // short is narrower than size_t
    buf[i % 8] = src[i];
  (void)buf;
}
