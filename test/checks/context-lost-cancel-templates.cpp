// RUN: %check_clang_tidy %s context-lost-cancel %t
// Templates (one report, on the pattern), lambdas, blocks of code nested in
// lambdas, and coroutines.

#include <coroutine>
#include <ctx/context.hpp>

extern ctx::Context bg;
extern bool condition;
void use(const ctx::Context &);

template <class T> struct Widget {
  void run() {
    auto [c, cancel] = ctx::with_cancel(bg);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
    if (condition)
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: note: this return statement may be reached without using 'cancel'
    // CHECK-MESSAGES: :[[@LINE-3]]:9: note: assuming this condition is true
    cancel();
  }
  void discard() { ctx::with_timeout(bg, {}); }
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: the cancel function returned by 'ctx::with_timeout' is discarded
};
template struct Widget<int>;
template struct Widget<char>;
void instantiate() {
  Widget<long>().run();
  Widget<long>().discard();
}

// A dependent argument: clang still resolves the only candidate, and an
// unreferenced binding is a discard whatever the instantiation.
template <class P> void dependent(P parent) {
  auto [c, cancel] = ctx::with_cancel(parent);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  use(c);
}
template void dependent<ctx::Context>(ctx::Context);
template <class P> void dependent_use(P parent) {
  auto [c, cancel] = ctx::with_cancel(parent);
  parent.adopt(cancel); // a dependent call: still a use
}
template <class P> void dependent_callee(P parent) {
  auto [c, cancel] = P::derive(parent); // not known to be a factory
  use(c);
}

template <class T> auto generic = [](auto x) {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (x)
    cancel();
};
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-4]]:7: note: assuming this condition is false

// A lambda capturing the cancel uses it (by copy, by reference, implicitly).
void captured() {
  auto [c, cancel] = ctx::with_cancel(bg);
  auto f = [cancel] { cancel(); };
  auto [c2, cancel2] = ctx::with_cancel(bg);
  auto g = [&] { cancel2(); };
  auto [c3, cancel3] = ctx::with_cancel(bg);
  auto h = [=] { cancel3(); };
  f();
  g();
  h();
}

// The lambda's own cancel is the lambda's business; the enclosing function's
// cancel is not tracked in the lambda.
void nested() {
  auto [c, cancel] = ctx::with_cancel(bg);
  auto f = [&] {
    auto [c2, cancel2] = ctx::with_cancel(c);
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
    if (condition)
      cancel2();
    cancel();
  };
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: the end of the function may be reached without using 'cancel2'
  // CHECK-MESSAGES: :[[@LINE-5]]:9: note: assuming this condition is false
  f();
}

// Coroutines: co_return is an exit.
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_value(int) {}
    void unhandled_exception() {}
  };
};
struct Awaitable {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  int await_resume() const noexcept { return 0; }
};

Task coro_leaks() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  int v = co_await Awaitable{};
  if (v > 0)
    co_return 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this co_return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  cancel();
  co_return 0;
}

Task coro_guarded() {
  auto [c, cancel] = ctx::with_cancel(bg);
  auto guard = ctx::defer(cancel);
  if (co_await Awaitable{} > 0)
    co_return 1;
  co_return 0;
}

// An explicit specialization is code of its own, even as a member of an
// implicitly instantiated class.
template <class T> struct Job {
  void run();
};
template <> void Job<int>::run() {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  cancel();
}
Job<int> job_int;
template <> struct Job<char> {
  void run() { ctx::with_cancel(bg); }
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: the cancel function returned by 'ctx::with_cancel' is discarded
};

// An unqualified call with a dependent argument stays unresolved in the
// template (argument-dependent lookup happens per instantiation); a factory
// among its candidates makes it one, reported on the template.
namespace unqualified {
using namespace ctx;
template <class P> void adl_binding(P p) {
  auto [c, cancel] = with_cancel(p);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  use(c);
}
template <class P> void adl_forms(P p) {
  with_timeout(p, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the cancel function returned by 'ctx::with_timeout' is discarded
  auto c = with_cancel(p).first;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  auto r = with_cancel(p);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'r.second'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  use(r.first);
  r.second();
}
template <class P> void adl_used(P p) {
  auto [c, cancel] = with_cancel(p);
  auto stop = with_timeout(p, {}).second;
  cancel();
  stop();
}
void instantiate_unqualified() {
  adl_binding(bg);
  adl_forms(bg);
  adl_used(bg);
}
} // namespace unqualified
