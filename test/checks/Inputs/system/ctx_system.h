// A system header (included via -isystem): nothing in it may be reported.
#pragma once
#include <ctx/context.hpp>
#include <string>

struct SystemHolder {
  ctx::Context held;
};
void system_wrong_order(int x, ctx::Context c);
inline void system_calls_null() {
  system_wrong_order(1, nullptr);
  (void)ctx::with_value(ctx::background(), "system-key", 1);
  (void)ctx::todo();
}
