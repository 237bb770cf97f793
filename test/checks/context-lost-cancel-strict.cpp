// RUN: %check_clang_tidy %s context-lost-cancel %t
// RUN: %check_clang_tidy -check-suffix=STRICT %s context-lost-cancel %t -- \
// RUN:   -config="{CheckOptions: {context-lost-cancel.StrictExceptions: true}}"
// RUN: %check_clang_tidy -check-suffix=FACTORIES %s context-lost-cancel %t -- \
// RUN:   -config="{CheckOptions: {context-lost-cancel.CancelFactories: '::lib::derive'}}"
// RUN: %check_clang_tidy -check-suffix=TYPES %s context-lost-cancel %t -- \
// RUN:   -config="{CheckOptions: {context-lost-cancel.CancelFactories: '::lib::derive;::lib::derive2', context-lost-cancel.ContextTypes: '::lib::Ctx'}}"
// RUN: %check_clang_tidy -check-suffix=TYPES-STRICT %s context-lost-cancel %t -- \
// RUN:   -config="{CheckOptions: {context-lost-cancel.StrictExceptions: true, context-lost-cancel.CancelFactories: '::lib::derive;::lib::derive2', context-lost-cancel.ContextTypes: '::lib::Ctx'}}"

#include <ctx/context.hpp>
#include <stdexcept>
#include <tuple>

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
  // CHECK-MESSAGES-TYPES-STRICT: :[[@LINE-2]]:12: warning: the cancel function returned by 'lib::derive' is discarded
  auto [n, stop2] = lib::not_a_context(p);
}

// With CancelFactories replaced, the ctx factories are no longer tracked.
void replaced_factories() {
  ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  // CHECK-MESSAGES-STRICT: :[[@LINE-2]]:3: warning: the cancel function returned by 'ctx::with_cancel' is discarded
}

// A call that may throw inside a try: the exception goes to the handlers,
// which are paths of their own.
void handler_returns() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  try {
    work();
  } catch (...) {
    return;
    // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  }
  cancel();
}
void handler_cancels() {
  auto [c, cancel] = ctx::with_cancel(bg);
  try {
    work();
  } catch (...) {
    cancel();
    return;
  }
  cancel();
}
// A handler that does not catch everything lets other exceptions leave.
void handler_not_catch_all() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  try {
    work();
    // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:5: note: this call may throw before 'cancel' is used
  } catch (const std::exception &) {
    cancel();
    return;
  }
  cancel();
}
void throw_not_caught() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  try {
    if (quiet() < 0)
      throw 42;
    // CHECK-MESSAGES-STRICT: :[[@LINE-1]]:7: note: this throw may be reached without using 'cancel'
  } catch (const std::exception &) {
  }
  cancel();
}

// The statement that obtains the cancel is not one that may throw before it
// is used, even when its assignment operator may throw.
namespace lib {
struct ThrowingStop {
  ThrowingStop();
  ThrowingStop &operator=(const ThrowingStop &);
  void operator()() const noexcept;
};
std::pair<Ctx, ThrowingStop> derive2(const Ctx &);
} // namespace lib
void obtained_by_throwing_assignment(const lib::Ctx &p) {
  lib::Ctx c;
  lib::ThrowingStop stop;
  std::tie(c, stop) = lib::derive2(p);
  stop();
}
