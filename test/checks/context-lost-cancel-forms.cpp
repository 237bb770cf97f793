// RUN: %check_clang_tidy %s context-lost-cancel %t
// Less common ways of obtaining, discarding and using a cancel: unevaluated
// operands, statement expressions, conditionals, for-init statements,
// std::ignore, bindings obtained again, moves, other scope guards, and
// cancels whose address escapes.

#include <ctx/context.hpp>
#include <cstdlib>
#include <exception>
#include <tuple>
#include <typeinfo>
#include <utility>

extern ctx::Context bg;
extern bool condition;
void use(const ctx::Context &);
void sink(ctx::CancelFunc);
void sink_ref(ctx::CancelFunc &);
void sink_ptr(ctx::CancelFunc *);

// Nothing is obtained in an unevaluated operand.
void unevaluated() {
  constexpr bool nx = noexcept(ctx::with_cancel(bg).first);
  (void)sizeof(ctx::with_cancel(bg).first);
  (void)alignof(decltype(ctx::with_cancel(bg)));
  (void)typeid(ctx::with_cancel(bg).first);
  using Pair = decltype(ctx::with_cancel(bg));
  static_assert(sizeof(ctx::with_timeout(bg, {})) > 0);
  (void)nx;
}
template <class P>
auto sfinae(P p) -> decltype(ctx::with_cancel(p), void());
template <class P>
  requires requires(P p) { ctx::with_cancel(p); }
void constrained(P p);

// A statement expression's value is its last statement's.
void statement_expression() {
  auto r = ({ ctx::with_cancel(bg); });
  r.second();
  auto r2 = ({ use(bg); ctx::with_cancel(bg); });
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: the cancel function returned by 'ctx::with_cancel' is discarded; the context stays registered with its parent until the parent ends [context-lost-cancel]
  use(r2.first);
  ({ ctx::with_cancel(bg); use(bg); });
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: the cancel function returned by 'ctx::with_cancel' is discarded
}

// Either branch of a conditional is the result.
void conditional() {
  auto r = condition ? ctx::with_cancel(bg) : ctx::with_timeout(bg, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  use(r.first);
  condition ? ctx::with_cancel(bg) : ctx::with_timeout(bg, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  // CHECK-MESSAGES: :[[@LINE-2]]:38: warning: the cancel function returned by 'ctx::with_timeout' is discarded
  auto [c, cancel] = condition ? ctx::with_cancel(bg) : ctx::with_timeout(bg, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths; call it (or 'auto guard = ctx::defer(cancel);') before returning
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  cancel();
  auto both = condition ? ctx::with_cancel(bg) : ctx::with_timeout(bg, {});
  both.second();
}

// A for-init statement's value is thrown away; std::ignore takes nothing.
void for_init_and_ignore() {
  for (ctx::with_cancel(bg); condition;) {
    // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  }
  std::ignore = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  // A variable declared there is followed; the loop may not run.
  for (auto r = ctx::with_cancel(bg); condition;)
    r.second();
}
// CHECK-MESSAGES: :[[@LINE-3]]:13: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
// CHECK-MESSAGES: :[[@LINE-2]]:1: note: the end of the function may be reached without using 'r.second'
// CHECK-MESSAGES: :[[@LINE-5]]:39: note: assuming this condition is false


// A binding obtained again through std::tie is followed like a variable.
void binding_reobtained() {
  auto [c, cancel] = ctx::with_cancel(bg);
  cancel();
  std::tie(c, cancel) = ctx::with_timeout(bg, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the cancel function returned by 'ctx::with_timeout' is not used on all paths
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  cancel();
}
void binding_reobtained_and_used() {
  auto [c, cancel] = ctx::with_cancel(bg);
  cancel();
  std::tie(c, cancel) = ctx::with_timeout(bg, {});
  auto guard = ctx::defer(cancel);
}
void binding_overwritten() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  cancel = ctx::with_timeout(bg, {}).second;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: 'cancel' may be overwritten here before it is used
  cancel();
}
// A binding of someone else's pair is not ours to follow.
void binding_of_a_reference(ctx::CancelPair &held) {
  auto &[c, cancel] = held;
  std::tie(c, cancel) = ctx::with_cancel(bg);
}

// Moving it on, or handing it to a scope guard of one's own, is a use.
template <class F> struct ScopeExit {
  explicit ScopeExit(F f);
  ~ScopeExit();
};
void moved() {
  auto [c, cancel] = ctx::with_cancel(bg);
  sink(std::move(cancel));
  auto r = ctx::with_cancel(bg);
  ctx::CancelPair other = std::move(r);
  other.second();
}
void own_scope_guard() {
  auto [c, cancel] = ctx::with_cancel(bg);
  ScopeExit<ctx::CancelFunc> guard(cancel);
  if (condition)
    return;
  use(c);
}

// A variable whose address escapes (captured by reference, `&cancel`, a
// reference bound to it) may be used by code the paths do not show: here a
// guard created before the cancel is assigned.
void guard_before_assignment() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  auto guard = ctx::defer(std::function<void()>([&] { cancel(); }));
  std::tie(c, cancel) = ctx::with_cancel(bg);
  if (condition)
    return;
  use(c);
}
void address_taken() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  sink_ptr(&cancel);
  std::tie(c, cancel) = ctx::with_cancel(bg);
}
void reference_bound() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  ctx::CancelFunc &alias = cancel;
  std::tie(c, cancel) = ctx::with_cancel(bg);
  if (condition)
    return;
  alias();
}
// Passing by reference is a use at that point, not an escape.
void passed_by_reference() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  sink_ref(cancel);
  std::tie(c, cancel) = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  cancel();
}

// std::terminate does not return.
void terminates() {
  auto [c, cancel] = ctx::with_cancel(bg);
  if (condition)
    std::terminate();
  cancel();
}
void quick_exit_too() {
  auto [c, cancel] = ctx::with_cancel(bg);
  if (condition)
    std::quick_exit(1);
  cancel();
}
