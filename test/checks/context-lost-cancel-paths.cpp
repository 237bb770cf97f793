// RUN: %check_clang_tidy %s context-lost-cancel %t
// Control flow beyond go vet's testdata: loops, goto, switch, try/catch,
// overwrites, macros, NOLINT, and the whole-pair forms.

#include <ctx/context.hpp>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <vector>

extern ctx::Context bg;
extern bool condition;
extern int some_int;
void use(const ctx::Context &);
void sink(ctx::CancelFunc);
int work();

void early_return() {
  auto [c, cancel] = ctx::with_timeout(bg, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_timeout' is not used on all paths
  if (work() < 0)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  cancel();
}

void early_return_after_guard() {
  auto [c, cancel] = ctx::with_timeout(bg, {});
  auto guard = ctx::defer(cancel);
  if (work() < 0)
    return;
  use(c);
}

void loop_break_continue() {
  auto [c, cancel] = ctx::with_cancel(bg);
  for (int i = 0; i < 10; ++i) {
    if (i == 3)
      continue;
    if (i == 5) {
      cancel();
      break;
    }
  }
  // Reached from the loop's end without cancel.
}
// CHECK-MESSAGES: :[[@LINE-11]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
// CHECK-MESSAGES: :[[@LINE-2]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-12]]:19: note: assuming this condition is false

void loop_until_used() {
  auto [c, cancel] = ctx::with_cancel(bg);
  while (true) {
    if (work() > 0) {
      cancel();
      return;
    }
  }
}

void while_loop_used_after() {
  auto [c, cancel] = ctx::with_cancel(bg);
  while (work() > 0)
    use(c);
  cancel();
}

void do_while_return_inside() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  do {
    if (work() == 7)
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: note: this return statement may be reached without using 'cancel'
    // CHECK-MESSAGES: :[[@LINE-3]]:9: note: assuming this condition is true
  } while (work() > 0);
  cancel();
}

void goto_cleanup() {
  auto [c, cancel] = ctx::with_cancel(bg);
  if (work() < 0)
    goto out;
  use(c);
out:
  cancel();
}

void goto_skips_cleanup() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (work() < 0)
    goto out;
  cancel();
out:
  return;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: assuming this condition is true
}

void switch_default_missing() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  switch (some_int) {
  case 1:
    cancel();
    break;
  case 2:
    cancel();
    break;
  }
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-10]]:3: note: when no case of this switch matches

void switch_fallthrough_to_use() {
  auto [c, cancel] = ctx::with_cancel(bg);
  switch (some_int) {
  case 1:
    use(c);
    [[fallthrough]];
  case 2:
    cancel();
    break;
  default:
    sink(cancel);
  }
}

void try_catch_both_use() {
  auto [c, cancel] = ctx::with_cancel(bg);
  try {
    if (work() < 0)
      throw std::runtime_error("x");
    cancel();
  } catch (const std::exception &) {
    cancel();
  }
}

void catch_handler_leaks() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  try {
    if (work() < 0)
      throw std::runtime_error("x");
    cancel();
  } catch (const std::exception &) {
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  }
}

// Without StrictExceptions an uncaught throw is not an exit.
void uncaught_throw_is_not_an_exit() {
  auto [c, cancel] = ctx::with_cancel(bg);
  if (work() < 0)
    throw std::runtime_error("x");
  cancel();
}

// Overwriting the only copy of a cancel loses it (go vet counts the
// reassignment as a use; we do not).
void overwritten() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  std::tie(c, cancel) = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  std::tie(c, cancel) = ctx::with_timeout(bg, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: 'cancel' may be overwritten here before it is used
  cancel();
}

void overwritten_in_loop() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  for (int i = 0; i < 3; ++i) {
    cancel = ctx::with_cancel(bg).second;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: 'cancel' may be overwritten here before it is used
  }
  cancel();
}

void reassigned_after_use() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  std::tie(c, cancel) = ctx::with_cancel(bg);
  cancel();
  std::tie(c, cancel) = ctx::with_cancel(bg);
  auto guard = ctx::defer(cancel);
}

// The whole pair held in a variable: r.second and std::get<1>(r) are uses,
// r.first and std::get<0>(r) are not.
void whole_pair_used() {
  auto r = ctx::with_cancel(bg);
  use(r.first);
  r.second();
}
void whole_pair_get() {
  ctx::CancelPair r = ctx::with_cancel(bg);
  use(std::get<0>(r));
  auto guard = ctx::defer(std::get<1>(r));
}
void whole_pair_only_context() {
  auto r = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  use(r.first);
  use(std::get<0>(r));
}
void whole_pair_some_paths() {
  auto r = ctx::with_deadline_cause(bg, {}, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: the cancel function returned by 'ctx::with_deadline_cause' is not used on all paths; call it (or 'auto guard = ctx::defer(r.second);') before returning
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'r.second'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  r.second();
}
void whole_pair_reassigned() {
  ctx::CancelPair r;
  r = ctx::with_cancel(bg);
  std::get<ctx::CancelFunc>(r)();
}
void get_on_the_call() {
  ctx::CancelFunc cancel = std::get<1>(ctx::with_cancel(bg));
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  use(std::get<0>(ctx::with_cancel(bg)));
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: the cancel function returned by 'ctx::with_cancel' is discarded
}

// Discards of the whole result.
void whole_result_ignored() {
  (void)ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  static_cast<void>(ctx::with_cancel_cause(bg));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the cancel function returned by 'ctx::with_cancel_cause' is discarded
  if (condition)
    ctx::with_timeout_cause(bg, {}, {}).second;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the cancel function returned by 'ctx::with_timeout_cause' is discarded
}

// Handed on: none of these is ours to follow (gosec G118's false positives).
struct Holder {
  ctx::CancelFunc cancel;
};
Holder to_struct() {
  auto [c, cancel] = ctx::with_cancel(bg);
  Holder h{cancel};
  return h;
}
struct Service {
  ctx::CancelFunc stop;
  void start() {
    auto [c, cancel] = ctx::with_cancel(bg);
    stop = cancel;
  }
  void start2() { std::tie(std::ignore, stop) = ctx::with_cancel(bg); }
};
ctx::CancelFunc g_cancel;
void to_global() {
  ctx::Context c;
  std::tie(c, g_cancel) = ctx::with_cancel(bg);
  use(c);
}
void to_thread() {
  auto [c, cancel] = ctx::with_cancel(bg);
  std::thread([cancel] { cancel(); }).detach();
}
void to_deferred_lambda() {
  auto [c, cancel] = ctx::with_cancel(bg);
  auto guard = ctx::defer(std::function<void()>([&] { cancel(); }));
  use(c);
}
void to_container(std::vector<ctx::CancelFunc> &all) {
  auto [c, cancel] = ctx::with_cancel(bg);
  all.push_back(cancel);
}
ctx::CancelPair passed_through() { return ctx::with_cancel(bg); }
void passed_on() { sink(ctx::with_cancel(bg).second); }
void called_at_once() { ctx::with_cancel(bg).second(); }

// Macros that obtain or call the cancel.
#define CANCEL_LATER(f) auto guard_##f = ctx::defer(f)
#define CALL(f) f()
void macro_uses() {
  auto [c, cancel] = ctx::with_cancel(bg);
  CANCEL_LATER(cancel);
  auto [c2, cancel2] = ctx::with_cancel(bg);
  CALL(cancel2);
}
#define DERIVE(p) ctx::with_cancel(p)
void macro_factory() {
  auto [c, cancel] = DERIVE(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition)
    cancel();
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-4]]:7: note: assuming this condition is false

void nolint() {
  auto [c, cancel] = ctx::with_cancel(bg); // NOLINT(context-lost-cancel)
  ctx::with_cancel(bg); // NOLINT
  // NOLINTNEXTLINE(context-lost-cancel)
  auto [c2, cancel2] = ctx::with_cancel(bg);
  if (condition) {
    cancel();
    cancel2();
  }
}

// main is exempt from the path rule, not from the discard rule.
int main() {
  auto [c, cancel] = ctx::with_cancel(bg);
  if (condition)
    cancel();
  ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  return 0;
}
