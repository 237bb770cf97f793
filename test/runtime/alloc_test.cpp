// Allocation counts per operation, measured with a counting global operator
// new (this binary only), averaged over 100 runs after a warm-up, like Go's
// testing.AllocsPerRun in TestAllocs. Ceilings achieved (Go's limits in
// parentheses, from context_test.go TestAllocs):
//   background()                                  0  (0)
//   with_value(bg, k1, nullptr) + value(k1)       1  (3)
//   with_timeout(bg, 1ns) + wait                  1  (12)
//   with_cancel(bg) + cancel + wait               1  (5)
//   with_timeout(bg, 5ms) + cancel + wait         1  (8)
//   err(), done().ready() on live/ended context   0
//   with_cancel(parent) + cancel (registered)     1
//   co_await c.done() on an ended context         0
#include <gtest/gtest.h>

#include <atomic>
#include <coroutine>
#include <exception>
#include <cstdlib>
#include <new>

#include <ctx/context.hpp>

#include "counting_new.hpp"

using ctxtest::t_allocs;

namespace {

template <class F>
double allocs_per_run(int runs, F f) {
  f();  // warm-up (lazy singletons, timer thread, heap capacity)
  const std::size_t before = t_allocs;
  for (int i = 0; i < runs; ++i) f();
  return static_cast<double>(t_allocs - before) / runs;
}

struct key1 {
  int v;
  friend bool operator==(key1, key1) = default;
};

}  // namespace

using ctx::Context;

TEST(GoPort, TestAllocs) {
  const Context bg = ctx::background();
  struct Case {
    const char* desc;
    std::function<void()> f;
    double limit;
  };
  const Case cases[] = {
      {"background()", [] { (void)ctx::background(); }, 0},
      {"with_value(bg, k1, nullptr)",
       [&] {
         Context c = ctx::with_value(bg, key1{1}, nullptr);
         (void)c.value<std::nullptr_t>(key1{1});
       },
       1},
      {"with_timeout(bg, 1ns)",
       [&] {
         auto [c, cancel] = ctx::with_timeout(bg, std::chrono::nanoseconds(1));
         c.done().wait();
       },
       1},
      {"with_cancel(bg)",
       [&] {
         auto [c, cancel] = ctx::with_cancel(bg);
         cancel();
         c.done().wait();
       },
       1},
      {"with_timeout(bg, 5ms)",
       [&] {
         auto [c, cancel] = ctx::with_timeout(bg, std::chrono::milliseconds(5));
         cancel();
         c.done().wait();
       },
       1},
  };
  for (const auto& tc : cases) {
    double n = allocs_per_run(100, tc.f);
    EXPECT_LE(n, tc.limit) << tc.desc << " allocs = " << n;
    std::printf("%-32s %.2f allocs/op (ceiling %.0f)\n", tc.desc, n, tc.limit);
  }
}

using ctx::Context;

TEST(Allocs, HotPathsDoNotAllocate) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  auto [child, cc] = ctx::with_cancel(c);
  Context v = ctx::with_value(child, key1{1}, 5);
  EXPECT_EQ(allocs_per_run(100, [&] {
              (void)v.err();
              (void)v.done().ready();
              (void)c.err();
              (void)ctx::cause(v);
              (void)v.value<int>(key1{1});
              (void)v.deadline();
            }),
            0.0);
  cancel();
  EXPECT_EQ(allocs_per_run(100, [&] {
              (void)v.err();
              (void)v.done().ready();
              (void)ctx::cause(v);
            }),
            0.0);
  auto [p, pc] = ctx::with_cancel(ctx::background());
  EXPECT_LE(allocs_per_run(100, [&] {
              auto [k, kc] = ctx::with_cancel(p);
              kc();
            }),
            1.0);
  pc();
}

namespace {
// A coroutine that runs to completion at once (no suspension on an ended
// context) and measures, from inside, what each co_await allocated: the
// frame's own allocation happens before the first count.
struct Eager {
  struct promise_type {
    Eager get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() { std::terminate(); }
  };
};
Eager await_ended(Context c, int runs, std::size_t* allocs, int* completed) {
  co_await c.done();  // warm-up
  const std::size_t before = t_allocs;
  for (int i = 0; i < runs; ++i) {
    co_await c.done();
    ++*completed;
  }
  *allocs = t_allocs - before;
}
}  // namespace

TEST(Allocs, CoAwaitOnEndedContextDoesNotAllocate) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  auto [child, cc] = ctx::with_timeout(c, std::chrono::hours(1));
  cancel();
  for (const Context& x : {c, child}) {
    std::size_t allocs = 99;
    int completed = 0;
    await_ended(x, 100, &allocs, &completed);
    EXPECT_EQ(completed, 100);  // never suspended
    EXPECT_EQ(allocs, 0u);
  }
}
