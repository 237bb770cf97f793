// `co_await c.done()` in plain C++20 coroutines (no library): ended before
// the await, ended while suspended, destroyed while suspended, many waiters,
// cascades, deadlines, custom contexts, and races between awaiting and
// cancelling. Run under TSan and ASan by their presets.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include <ctx/context.hpp>

#include "helpers.hpp"

namespace {

using namespace std::chrono_literals;

// A coroutine owned by its handle: starts at once, stays suspended at its
// end until destroyed, so a test can destroy it at any suspension point.
struct Task {
  struct promise_type {
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    // Suspends at the end and says so (release): a test thread may destroy
    // the frame once it sees finished() (acquire), wherever it was resumed.
    struct Final {
      bool await_ready() noexcept { return false; }
      void await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        h.promise().finished.store(true, std::memory_order_release);
      }
      void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    std::atomic<bool> finished{false};
    void return_void() noexcept {}
    void unhandled_exception() { std::terminate(); }
  };
  explicit Task(std::coroutine_handle<promise_type> h) : h(h) {}
  Task(Task&& o) noexcept : h(std::exchange(o.h, nullptr)) {}
  Task& operator=(Task&&) = delete;
  ~Task() {
    if (h) h.destroy();
  }
  bool finished() const { return h.promise().finished.load(std::memory_order_acquire); }
  void reset() {
    if (h) h.destroy();
    h = nullptr;
  }
  std::coroutine_handle<promise_type> h;
};

// Counts how far a coroutine got, and on which thread it was resumed.
struct Probe {
  std::atomic<int> before{0};
  std::atomic<int> after{0};
  std::atomic<std::thread::id> resumed_on{};
  std::atomic<bool> destroyed{false};
};

struct DestroyMark {
  Probe* p;
  ~DestroyMark() { p->destroyed = true; }
};

Task wait_done(ctx::Context c, Probe* p) {
  DestroyMark mark{p};
  p->before.fetch_add(1);
  co_await c.done();
  p->resumed_on = std::this_thread::get_id();
  EXPECT_TRUE(c.err());  // resumed only once ended
  p->after.fetch_add(1);
}

template <class F>
bool eventually(F f, std::chrono::milliseconds limit = std::chrono::seconds(5));

// Frames may be destroyed only once finished (a resumed coroutine runs on a
// worker until its final suspension).
bool all_finished(const std::vector<Task>& tasks) {
  for (const Task& t : tasks)
    if (t.h && !t.finished()) return false;
  return true;
}

template <class F>
bool eventually(F f, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!f()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(CoAwaitDone, EndedBeforeAwaitDoesNotSuspend) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  cancel();
  Probe p;
  Task t = wait_done(c, &p);
  EXPECT_TRUE(t.finished());
  EXPECT_EQ(p.after.load(), 1);
  EXPECT_EQ(p.resumed_on.load(), std::this_thread::get_id());
}

TEST(CoAwaitDone, EndedWhileSuspendedResumesOnAWorkerNotTheCanceller) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  Probe p;
  Task t = wait_done(c, &p);
  EXPECT_EQ(p.before.load(), 1);
  std::this_thread::sleep_for(10ms);
  EXPECT_EQ(p.after.load(), 0);
  EXPECT_FALSE(t.finished());
  cancel();
  ASSERT_TRUE(eventually([&] { return p.after.load() == 1; }));
  EXPECT_NE(p.resumed_on.load(), std::this_thread::get_id());
  ASSERT_TRUE(eventually([&] { return t.finished(); }));
}

TEST(CoAwaitDone, DestroyedWhileSuspendedIsNeverResumed) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  Probe p;
  {
    Task t = wait_done(c, &p);
    EXPECT_FALSE(t.finished());
  }  // destroys the frame; its awaiter unregisters (ASan: no use after free)
  EXPECT_TRUE(p.destroyed.load());
  cancel();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(p.after.load(), 0);
}

TEST(CoAwaitDone, ManyWaitersOnOneContextAllResumeOnce) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  constexpr int kN = 1000;
  Probe p;
  std::vector<Task> tasks;
  tasks.reserve(kN);
  for (int i = 0; i < kN; ++i) tasks.push_back(wait_done(c, &p));
  // Some go away before the end: they must not be resumed.
  for (int i = 0; i < kN; i += 10) tasks[i].reset();
  cancel();
  ASSERT_TRUE(eventually([&] { return p.after.load() == kN - kN / 10; }));
  std::this_thread::sleep_for(10ms);
  EXPECT_EQ(p.after.load(), kN - kN / 10);
  ASSERT_TRUE(eventually([&] { return all_finished(tasks); }));
}

// A resumed coroutine destroys another one still waiting on the same
// context (what a when_any does with its losers): the other is unlinked,
// not resumed.
struct Pair {
  std::unique_ptr<Task> a, b;
  std::atomic<int> resumed{0};
};
Task destroy_other(ctx::Context c, Pair* pair, bool first) {
  co_await c.done();
  if (first) pair->b.reset();
  else pair->a.reset();
  pair->resumed.fetch_add(1);  // after the reset: the test reads the pointers then
}

TEST(CoAwaitDone, ResumedCoroutineDestroysAnotherWaiter) {
  for (int round = 0; round < 50; ++round) {
    auto [c, cancel] = ctx::with_cancel(ctx::background());
    Pair pair;
    pair.a = std::make_unique<Task>(destroy_other(c, &pair, true));
    pair.b = std::make_unique<Task>(destroy_other(c, &pair, false));
    cancel();
    ASSERT_TRUE(eventually([&] { return pair.resumed.load() >= 1; }));
    std::this_thread::sleep_for(1ms);
    EXPECT_EQ(pair.resumed.load(), 1);
    ASSERT_NE(pair.a == nullptr, pair.b == nullptr);  // exactly one was destroyed
    Task* winner = pair.a ? pair.a.get() : pair.b.get();
    ASSERT_TRUE(eventually([&] { return winner->finished(); }));
    pair.a.reset();
    pair.b.reset();
  }
}

TEST(CoAwaitDone, ParentCancelResumesWaitersOnDescendants) {
  auto [parent, cancel] = ctx::with_cancel(ctx::background());
  auto [child, cancel_child] = ctx::with_cancel(parent);
  auto [grandchild, cancel_gc] = ctx::with_timeout(child, ctxtest::kVeryLong);
  Probe p;
  Task a = wait_done(parent, &p);
  Task b = wait_done(child, &p);
  Task d = wait_done(grandchild, &p);
  cancel();
  ASSERT_TRUE(eventually([&] { return p.after.load() == 3; }));
  ASSERT_TRUE(eventually([&] { return a.finished() && b.finished() && d.finished(); }));
  cancel_child();
  cancel_gc();
}

Task check_deadline(ctx::Context c, Probe* p) {
  co_await c.done();
  EXPECT_EQ(c.err(), ctx::errc::deadline_exceeded);
  p->after.fetch_add(1);
}

TEST(CoAwaitDone, DeadlineResumes) {
  // Taken before the deadline is set: the deadline is 20 ms after a moment
  // no earlier than this one, so the resume is at least 20 ms after it.
  const auto start = std::chrono::steady_clock::now();
  auto [c, cancel] = ctx::with_timeout(ctx::background(), 20ms);
  Probe p;
  Task t = check_deadline(c, &p);
  ASSERT_TRUE(eventually([&] { return t.finished(); }));
  EXPECT_EQ(p.after.load(), 1);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  cancel();
}

TEST(CoAwaitDone, CustomContextResumes) {
  auto [inner, cancel] = ctx::with_cancel(ctx::background());
  ctx::Context custom = ctx::make_context(std::make_shared<ctxtest::OtherContext>(inner));
  Probe p;
  Task t = wait_done(custom, &p);
  cancel();
  ASSERT_TRUE(eventually([&] { return t.finished(); }));
  EXPECT_EQ(p.after.load(), 1);
}

TEST(CoAwaitDone, BackgroundNeverResumesAndDestroysCleanly) {
  Probe p;
  {
    Task t = wait_done(ctx::background(), &p);
    Task u = wait_done(ctx::without_cancel(ctx::background()), &p);
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(p.after.load(), 0);
  }
  EXPECT_TRUE(p.destroyed.load());
}

Task wait_default(ctx::Done d, Probe* p) {
  co_await d;
  p->after.fetch_add(1);
}

TEST(CoAwaitDone, DoneOutlivesItsContext) {
  Probe p;
  std::optional<Task> t;
  ctx::CancelFunc cancel;
  {
    auto [c, cf] = ctx::with_cancel(ctx::background());
    cancel = cf;
    t.emplace(wait_default(c.done(), &p));
  }  // the last Context handle is gone; the Done keeps waiting
  cancel();
  ASSERT_TRUE(eventually([&] { return t->finished(); }));
  EXPECT_EQ(p.after.load(), 1);
  Task never = wait_default(ctx::Done{}, &p);  // a default Done never ends
  std::this_thread::sleep_for(2ms);
  EXPECT_EQ(p.after.load(), 1);
}

// Awaiting and cancelling race: every coroutine finishes exactly once,
// whether it saw the end before suspending or was resumed after.
TEST(CoAwaitDone, AwaitRacesWithCancel) {
  for (int round = 0; round < 300; ++round) {
    auto [c, cancel] = ctx::with_cancel(ctx::background());
    Probe p;
    std::thread canceller([cancel = cancel] { cancel(); });
    std::vector<Task> tasks;
    for (int i = 0; i < 4; ++i) tasks.push_back(wait_done(c, &p));
    canceller.join();
    ASSERT_TRUE(eventually([&] { return p.after.load() == 4; })) << "round " << round;
    ASSERT_TRUE(eventually([&] { return all_finished(tasks); }));
  }
}

}  // namespace
