// RUN: %check_clang_tidy %s context-lost-cancel %t -- -- -isystem %ctx_inputs/system
// The scenarios of go vet's lostcancel testdata (golang/tools,
// go/analysis/passes/lostcancel/testdata/src/a/a.go), in their C++ form.

#include <ctx/context.hpp>
#include <ctx_lost_cancel_system.h>
#include <cstdlib>
#include <tuple>

extern ctx::Context bg;
extern bool condition;
extern int some_int;
void print(int);
void use(const ctx::Context &);
[[noreturn]] void fail_now();

// The three forms of obtaining it: a binding, a declared variable, an
// assignment to an existing local.
void binding() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths; call it (or 'auto guard = ctx::defer(cancel);') before returning [context-lost-cancel]
  if (false) {
    (void)cancel;
  }
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'

void declared() {
  ctx::CancelFunc cancel2 = ctx::with_deadline(bg, ctx::Clock::time_point{}).second;
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: the cancel function returned by 'ctx::with_deadline' is not used on all paths; call it (or 'auto guard = ctx::defer(cancel2);') before returning
  if (false) {
    (void)cancel2;
  }
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel2'

void assigned() {
  ctx::Context c;
  ctx::CancelFunc cancel3;
  std::tie(c, cancel3) = ctx::with_timeout(bg, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the cancel function returned by 'ctx::with_timeout' is not used on all paths
  if (false) {
    (void)cancel3;
  }
  use(c);
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel3'

// Go: ctx, _ := context.WithCancel(bg) and its := / = variants.
void discarded() {
  ctx::Context c;
  std::tie(c, std::ignore) = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the cancel function returned by 'ctx::with_cancel' is discarded; the context stays registered with its parent until the parent ends [context-lost-cancel]
  c = ctx::with_timeout(bg, {}).first;
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the cancel function returned by 'ctx::with_timeout' is discarded
  auto [c2, unused] = ctx::with_deadline(bg, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: the cancel function returned by 'ctx::with_deadline' is discarded
  use(c);
  use(c2);
}

void deferred() {
  auto [c, cancel] = ctx::with_cancel(bg);
  auto guard = ctx::defer(cancel); // ok
}

void used_on_one_branch() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition) {
    cancel();
  }
  return;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: assuming this condition is false
}

void infinite_loop_is_fine() {
  auto [c, cancel] = ctx::with_cancel(bg);
  if (condition) {
    cancel();
  } else {
    for (;;) {
      print(0);
    }
  }
}

void finite_loop_leaks() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition) {
    cancel();
  } else {
    for (int i = 0; i < 10; i++) {
      print(0);
    }
  }
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-6]]:21: note: assuming this condition is false

void switch_all_paths_end() {
  auto [c, cancel] = ctx::with_cancel(bg);
  switch (some_int) {
  case 0:
    fail_now();
  case 1:
    std::abort();
  case 2:
    cancel();
    break;
  case 3:
    print(1);
    [[fallthrough]];
  default:
    std::exit(1);
  }
}

void switch_case_falls_out() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  switch (some_int) {
  case 0:
    fail_now();
  case 1:
    std::abort();
  case 2:
    cancel();
    break;
  case 3:
    print(1);
    break;
  default:
    std::exit(1);
  }
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-8]]:3: note: taking this 'case'

// Go's select has no C++ counterpart; its blocking form (one case that
// panics) is a path that does not return.
void blocking_then_unused() {
  auto [c, cancel] = ctx::with_cancel(bg);
  fail_now();
  if (false)
    (void)cancel;
}

// Go: go func() { ... }(): a lambda is analysed as a function of its own.
void in_lambda() {
  auto f = [] {
    auto [c, cancel] = ctx::with_cancel(bg);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
    if (false)
      (void)cancel;
    use(c);
  };
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: the end of the function may be reached without using 'cancel'
  f();
}

// Go issue 16143: calling a member that holds a function.
struct HoldsFn {
  void (*f)();
};
void member_call() {
  HoldsFn x{};
  x.f();
}

// Go issue 16230: returning the cancel (Go's named results) hands it on.
ctx::CancelPair returns_pair() {
  ctx::CancelPair r;
  r = ctx::with_cancel(bg);
  return r;
}
std::pair<ctx::Context, ctx::CancelFunc> returns_parts() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  std::tie(c, cancel) = ctx::with_cancel(bg);
  return {c, cancel};
}
auto returns_from_lambda = [] {
  auto [c, cancel] = ctx::with_cancel(bg);
  return cancel;
};

// Go issue 31856: assigned inside a lambda to the enclosing function's
// local, which is not the lambda's to track; called outside.
void assigned_in_lambda() {
  ctx::CancelFunc cancel;
  [&] { std::tie(std::ignore, cancel) = ctx::with_cancel(bg); }();
  cancel();
}
void assigned_in_lambda_kept() {
  ctx::Context c;
  ctx::CancelFunc cancel;
  [&] { std::tie(c, cancel) = ctx::with_cancel(bg); }();
  cancel();
}

// Go's typeparams testdata: a template is analysed once, on its pattern.
template <class T> void in_template() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (false)
    (void)cancel;
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
template void in_template<int>();
template void in_template<long>();

template <class T> void in_template_deferred() {
  auto [c, cancel] = ctx::with_cancel(bg);
  auto guard = ctx::defer(cancel);
}
template void in_template_deferred<int>();

// A user-defined factory-looking member is not a factory.
struct OtherLib {
  std::pair<ctx::Context, ctx::CancelFunc> with_cancel(const ctx::Context &);
};
void not_a_factory(OtherLib &l) {
  auto [c, cancel] = l.with_cancel(bg);
  use(c);
}

// Nothing in a system header is reported (see ctx_lost_cancel_system.h), not
// even through an instantiation made here; a system macro expanded here is
// this file's code.
void system_header_code() {
  system_template<int>();
  auto [c, cancel] = SYSTEM_DERIVE(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is discarded
}

// signal_context's stop is a cancel (Go's signal.NotifyContext): forgetting
// it leaves the signal handler registered.
void signal_stop_lost() {
  auto [c, stop] = ctx::signal_context(bg, {15, 2});
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::signal_context' is not used on all paths; call it (or 'auto guard = ctx::defer(stop);') before returning [context-lost-cancel]
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'stop'
  stop();
}
void signal_stop_deferred() {
  auto [c, stop] = ctx::signal_context(bg, {15});
  auto guard = ctx::defer(stop);
  use(c);
}
