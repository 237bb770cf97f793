// A system header (included via -isystem) with leaking cancels: nothing in
// it may be reported by context-lost-cancel.
#pragma once
#include <ctx/context.hpp>

extern ctx::Context system_bg;
inline void system_discards() { ctx::with_cancel(system_bg); }
inline void system_leaks(bool b) {
  auto [c, cancel] = ctx::with_cancel(system_bg);
  if (b)
    return;
  cancel();
}
struct SystemMember {
  ctx::Context c = ctx::with_cancel(system_bg).first;
};
inline ctx::Context system_global = ctx::with_cancel(system_bg).first;
inline auto system_lambda = [] { ctx::with_cancel(system_bg); };
template <class T> void system_template() { ctx::with_cancel(system_bg); }
#define SYSTEM_DERIVE(p) ctx::with_cancel(p)
