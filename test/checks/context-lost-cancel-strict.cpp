// RUN: %check_clang_tidy %s context-lost-cancel %t
// RUN: %check_clang_tidy -check-suffix=STRICT %s context-lost-cancel %t -- \
// RUN:   -config="{CheckOptions: {context-lost-cancel.StrictExceptions: true}}"
// RUN: %check_clang_tidy -check-suffix=FACTORIES %s context-lost-cancel %t -- \
// RUN:   -config="{CheckOptions: {context-lost-cancel.CancelFactories: '::lib::derive'}}"
// RUN: %check_clang_tidy -check-suffix=TYPES %s context-lost-cancel %t -- \
// RUN:   -config="{CheckOptions: {context-lost-cancel.CancelFactories: '::lib::derive', context-lost-cancel.ContextTypes: '::lib::Ctx'}}"

#include <ctx/context.hpp>
#include <stdexcept>

extern ctx::Context bg;
int work();                 // may throw
int quiet() noexcept;

// Without StrictExceptions a call that may throw is not an exit: fine. With
// it, only a guard taken before the call survives.
void cancel_after_work() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  work();
  // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:3: note: this call may throw before 'cancel' is used
  cancel();
}

void guard_first() {
  auto [c, cancel] = ctx::with_cancel(bg);
  auto guard = ctx::defer(cancel);
  work();
}

void noexcept_calls_are_fine() {
  auto [c, cancel] = ctx::with_cancel(bg);
  quiet();
  cancel();
}

void explicit_throw() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (quiet() < 0)
    throw 42;
  // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:5: note: this throw may be reached without using 'cancel'
  // CHECK-MESSAGES-STRICT: :[[@LINE-3]]:7: note: assuming this condition is true
  cancel();
}

// A user library with its own context type and factory.
namespace lib {
struct Ctx {};
struct Stop {
  void operator()() const noexcept;
};
std::pair<Ctx, Stop> derive(const Ctx &);
std::pair<int, Stop> not_a_context(const Ctx &);
} // namespace lib

void user_library(const lib::Ctx &p) {
  auto [c, stop] = lib::derive(p);
  // CHECK-MESSAGES-TYPES: :[[@LINE-1]]:12: warning: the cancel function returned by 'lib::derive' is discarded
  auto [n, stop2] = lib::not_a_context(p);
}

// With CancelFactories replaced, the ctx factories are no longer tracked.
void replaced_factories() {
  ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  // CHECK-MESSAGES-STRICT: :[[@LINE-2]]:3: warning: the cancel function returned by 'ctx::with_cancel' is discarded
}
