// RUN: %check_clang_tidy %s context-lost-cancel %t
// A lambda that captures the cancel by reference uses it where the lambda is
// created, as a copy would. Only an escape before the cancel is assigned
// (a guard made before `std::tie(c, cancel) = ...`) turns the path check off
// for that assignment; a structured binding is always path-checked.

#include <ctx/context.hpp>
#include <functional>
#include <tuple>

extern ctx::Context bg;
extern bool condition;
bool cond();
void use(const ctx::Context &);
void sink_ptr(ctx::CancelFunc *);

// The example of issue 12: the capture on one branch only.
void issue_example(const ctx::Context &parent) {
  auto [c, cancel] = ctx::with_cancel(parent);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  use(c);
  if (cond()) {
    auto stop = [&] { cancel(); };
    stop();
  }
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: assuming this condition is false

void explicit_by_reference() {
  auto [c, cancel] = ctx::with_timeout(bg, std::chrono::seconds(1));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_timeout' is not used on all paths
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  [&cancel] { cancel(); }();
  use(c);
}

// An assignment after which the variable is captured by reference on one
// branch only: the capture is after the assignment, so the paths count.
void tie_then_capture() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  std::tie(c, cancel) = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition) {
    std::function<void()> later = [&] { cancel(); };
    later();
  }
  use(c);
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-7]]:7: note: assuming this condition is false

// Taking the address after the assignment is a use there, not an escape
// that hides the paths.
void address_after_assignment() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  cancel = ctx::with_cancel(bg).second;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  sink_ptr(&cancel);
}

// The whole pair captured by reference on one branch.
void pair_captured() {
  auto r = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  use(r.first);
  if (condition)
    [&] { r.second(); }();
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'r.second'
// CHECK-MESSAGES: :[[@LINE-4]]:7: note: assuming this condition is false

// A binding captured in a lambda written in a loop: the loop may run no
// iteration.
void captured_in_loop(int n) {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  for (int i = 0; i < n; ++i)
    [&] { cancel(); }();
  use(c);
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-5]]:19: note: assuming this condition is false

// Negatives.

// Captured on every path: a guard made right after the cancel is obtained.
void guard_after_binding() {
  auto [c, cancel] = ctx::with_cancel(bg);
  auto guard = ctx::defer(std::function<void()>([&] { cancel(); }));
  if (condition)
    return;
  use(c);
}
// Captured on both branches.
void captured_on_both_branches() {
  auto [c, cancel] = ctx::with_cancel(bg);
  if (condition) {
    [&] { cancel(); }();
    return;
  }
  auto g = [&cancel] { cancel(); };
  g();
  use(c);
}
// A guard created before std::tie: the variable escapes before the cancel
// is assigned, so code the paths do not show uses it (unchecked).
void guard_before_tie() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  auto guard = ctx::defer(std::function<void()>([&] { cancel(); }));
  std::tie(c, cancel) = ctx::with_cancel(bg);
  if (condition)
    return;
  use(c);
}
// Likewise for a reference-capturing init-capture before the assignment.
void init_capture_before_assignment() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  auto guard = ctx::defer(std::function<void()>([&f = cancel] { f(); }));
  cancel = ctx::with_cancel(bg).second;
  if (condition)
    return;
  use(c);
}
// The escape before the first assignment covers a later one too.
void escape_covers_every_later_assignment() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  auto guard = ctx::defer(std::function<void()>([&] { cancel(); }));
  std::tie(c, cancel) = ctx::with_cancel(bg);
  cancel();
  std::tie(c, cancel) = ctx::with_timeout(c, std::chrono::seconds(1));
  if (condition)
    return;
  use(c);
}
// A capture in a nested lambda is a capture by the outer lambda too.
void nested_capture() {
  auto [c, cancel] = ctx::with_cancel(bg);
  auto outer = [&] { return [&] { cancel(); }; };
  if (condition)
    return;
  outer()();
  use(c);
}
