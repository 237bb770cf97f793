// <ctx/asio.hpp>: ctx::async_wait with callbacks, coroutines and futures,
// Go's select (a timer || ctx.Done()) with Asio's awaitable operators, the
// cancellation slot tied to a context, and what happens when the coroutine
// or the io_context goes away while waiting. Run under TSan and ASan.
#include <gtest/gtest.h>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <ctx/asio.hpp>

namespace {

using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;

TEST(AsioWait, EndedBeforeCompletesOnTheExecutorNotInline) {
  asio::io_context io;
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  cancel();
  int calls = 0;
  std::error_code got = asio::error::would_block;
  ctx::async_wait(c, io.get_executor(), [&](std::error_code ec) {
    ++calls;
    got = ec;
  });
  EXPECT_EQ(calls, 0);  // not inline
  io.run();
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(got);
}

TEST(AsioWait, EndedWhileWaitingCompletesOnTheIoThread) {
  asio::io_context io;
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  std::atomic<std::thread::id> ran_on{};
  std::error_code got = asio::error::would_block;
  ctx::async_wait(c, io.get_executor(), [&](std::error_code ec) {
    ran_on = std::this_thread::get_id();
    got = ec;
  });
  std::thread canceller([cancel = cancel] {
    std::this_thread::sleep_for(20ms);
    cancel();
  });
  io.run();  // returns once the wait completed: it kept the io_context busy
  canceller.join();
  EXPECT_EQ(ran_on.load(), std::this_thread::get_id());
  EXPECT_FALSE(got);
  EXPECT_EQ(c.err(), ctx::errc::canceled);
}

TEST(AsioWait, DeadlineWithUseFuture) {
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  auto [c, cancel] = ctx::with_timeout(ctx::background(), 20ms);
  std::future<void> f = ctx::async_wait(c, io.get_executor(), asio::use_future);
  EXPECT_EQ(f.wait_for(5s), std::future_status::ready);
  f.get();  // no exception: the wait succeeded
  EXPECT_EQ(c.err(), ctx::errc::deadline_exceeded);
  work.reset();
  runner.join();
  cancel();
}

// Go's select { case <-time.After(d): case <-ctx.Done(): }.
asio::awaitable<int> select(ctx::Context c, std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  auto r = co_await (t.async_wait(asio::use_awaitable) || ctx::async_wait(c, asio::use_awaitable));
  co_return static_cast<int>(r.index());
}

TEST(AsioWait, SelectDoneWinsOverTimer) {
  asio::io_context io;
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  std::future<int> r = asio::co_spawn(io, select(c, 2s), asio::use_future);
  std::thread canceller([cancel = cancel] {
    std::this_thread::sleep_for(20ms);
    cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  io.run();
  canceller.join();
  EXPECT_EQ(r.get(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);  // the 2 s timer was cancelled
}

TEST(AsioWait, SelectTimerWinsAndTheWaitIsCancelled) {
  asio::io_context io;
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  std::future<int> r = asio::co_spawn(io, select(c, 10ms), asio::use_future);
  io.run();  // returns: the losing async_wait completed (aborted), no work left
  EXPECT_EQ(r.get(), 0);
  EXPECT_FALSE(c.err());
  cancel();  // nothing is registered any more (ASan: nothing dangling)
  std::this_thread::sleep_for(5ms);
}

TEST(AsioWait, CancellationSlotAbortsTheWait) {
  asio::io_context io;
  asio::cancellation_signal sig;
  std::error_code got;
  ctx::async_wait(ctx::background(), io.get_executor(),
                  asio::bind_cancellation_slot(sig.slot(), [&](std::error_code ec) { got = ec; }));
  asio::post(io, [&] { sig.emit(asio::cancellation_type::terminal); });
  io.run();
  EXPECT_EQ(got, asio::error::operation_aborted);
}

TEST(AsioWait, ManyWaitersOnOneContext) {
  asio::io_context io;
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  constexpr int kN = 200;
  int done = 0;
  for (int i = 0; i < kN; ++i)
    asio::co_spawn(io, [&, c = c]() -> asio::awaitable<void> {
      co_await ctx::async_wait(c, asio::use_awaitable);
      ++done;  // all on the io thread: no atomic needed
    }, asio::detached);
  io.run_for(10ms);
  EXPECT_EQ(done, 0);
  cancel();
  io.restart();
  io.run();
  EXPECT_EQ(done, kN);
}

struct Mark {
  std::atomic<int>* n;
  ~Mark() { n->fetch_add(1); }
};

// The io_context goes away with coroutines suspended in async_wait: their
// frames are destroyed (no leak), and the context ending later resumes
// nothing.
TEST(AsioWait, IoContextDestroyedWhileWaiting) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  std::atomic<int> destroyed{0};
  int started = 0;
  int resumed = 0;
  {
    asio::io_context io;
    for (int i = 0; i < 3; ++i)
      asio::co_spawn(io, [&, c = c]() -> asio::awaitable<void> {
        Mark m{&destroyed};
        ++started;
        co_await ctx::async_wait(c, asio::use_awaitable);
        ++resumed;
      }, asio::detached);
    // Until all three wait (a fixed 5 ms started only one under ASan on a
    // loaded machine: a coroutine that never ran has no Mark to destroy).
    while (started < 3) io.run_one();
  }
  EXPECT_EQ(destroyed.load(), 3);
  cancel();
  std::this_thread::sleep_for(10ms);
  EXPECT_EQ(resumed, 0);
}

TEST(ContextCancellation, EndingTheContextCancelsTheOperation) {
  asio::io_context io;
  auto [c, cancel] = ctx::with_timeout(ctx::background(), 20ms);
  std::error_code got;
  asio::co_spawn(io, [&, c = c]() -> asio::awaitable<void> {
    asio::steady_timer t(io, 5s);
    ctx::context_cancellation on_end(c, io.get_executor());
    auto [ec] = co_await t.async_wait(
        asio::bind_cancellation_slot(on_end.slot(), asio::experimental::as_tuple(asio::use_awaitable)));
    got = ec;
  }, asio::detached);
  const auto start = std::chrono::steady_clock::now();
  io.run();
  EXPECT_EQ(got, asio::error::operation_aborted);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  cancel();
}

TEST(ContextCancellation, AlreadyEndedCancelsTheNextOperation) {
  asio::io_context io;
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  cancel();
  std::error_code got;
  asio::steady_timer t(io, 5s);
  ctx::context_cancellation on_end(c, io.get_executor());
  t.async_wait(asio::bind_cancellation_slot(on_end.slot(), [&](std::error_code ec) { got = ec; }));
  io.run_for(2s);
  EXPECT_EQ(got, asio::error::operation_aborted);
}

TEST(ContextCancellation, DisarmedWhenDestroyedFirst) {
  asio::io_context io;
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  std::error_code got = asio::error::would_block;
  asio::steady_timer t(io, 20ms);
  {
    auto on_end = std::make_unique<ctx::context_cancellation>(c, io.get_executor());
    t.async_wait([&](std::error_code ec) { got = ec; });  // not bound: unaffected
  }
  cancel();
  io.run();
  EXPECT_FALSE(got);
}

}  // namespace
