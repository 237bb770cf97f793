// The run-time half of context-lost-cancel: when the last copy of a
// CancelFunc (or CancelCauseFunc) is destroyed without having been called
// while its context is live and registered with its parent, report where the
// context was created, once per call site. Off unless turned on (by
// CTX_DEBUG_LOST_CANCEL=1 at start-up or ctx::debug::set_lost_cancel_detection);
// off, a CancelFunc's destructor pays one relaxed load of the switch.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "internal.hpp"
#include <ctx/debug.hpp>

namespace ctx {
namespace detail {
namespace {

bool enabled_by_environment() noexcept {
  const char* v = std::getenv("CTX_DEBUG_LOST_CANCEL");
  return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

struct Reports {
  std::mutex m;
  std::set<std::tuple<std::string, std::uint_least32_t, std::uint_least32_t>> sites;
  debug::LostCancelHandler handler;  // empty: the default, a line on stderr
};
Reports& reports() {
  static Reports* const r = new Reports();  // immortal: CancelFuncs die during exit too
  return *r;
}

void print(const std::source_location& where) {
  std::fprintf(stderr,
               "ctx: lost cancel: the context created at %s:%u:%u (in %s) is live and registered "
               "with its parent, but the last copy of its cancel function was destroyed without "
               "being called; call it when done with the context (ctx::defer(cancel)). Reported "
               "once per call site.\n",
               where.file_name(), static_cast<unsigned>(where.line()),
               static_cast<unsigned>(where.column()), where.function_name());
}

void report(const std::source_location& where) noexcept {
  try {
    debug::LostCancelHandler h;
    {
      Reports& r = reports();
      std::lock_guard<std::mutex> g(r.m);
      if (!r.sites.emplace(where.file_name(), where.line(), where.column()).second) return;
      h = r.handler;
    }
    if (h) h(where);
    else print(where);
  } catch (...) {
    // Called from a destructor: a report that cannot be made is dropped.
  }
}

// Registered with a parent: linked into a cancellable parent's child list,
// or holding a custom parent's after_end registration.
bool registered(CancelNode* n) {
  if (n->linked.load(std::memory_order_acquire)) return true;
  NodeExtras* x = n->extras_or_null();
  if (x != nullptr && x->custom_link) {
    CustomLink* link = x->custom_link.get();
    std::lock_guard<std::mutex> g(link->m);
    return !link->finished;
  }
  return false;
}

}  // namespace

std::atomic<bool> lost_cancel_on{enabled_by_environment()};

void check_lost_cancel(CancelNode* n) noexcept {
  if (n->live() && registered(n)) report(n->created);
}

}  // namespace detail

namespace debug {

void set_lost_cancel_detection(bool on) noexcept {
  detail::lost_cancel_on.store(on, std::memory_order_relaxed);
}
bool lost_cancel_detection() noexcept {
  return detail::lost_cancel_on.load(std::memory_order_relaxed);
}
LostCancelHandler set_lost_cancel_handler(LostCancelHandler h) {
  detail::Reports& r = detail::reports();
  std::lock_guard<std::mutex> g(r.m);
  std::swap(r.handler, h);
  return h;
}
void clear_lost_cancel_reports() {
  detail::Reports& r = detail::reports();
  std::lock_guard<std::mutex> g(r.m);
  r.sites.clear();
}

}  // namespace debug
}  // namespace ctx
