// The runtime at the edges of its environment: the clock's limits, file
// descriptors shared by several waiters, and fork().
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <ctx/context.hpp>
#include <ctx/debug.hpp>

#include "helpers.hpp"

namespace {

using namespace std::chrono_literals;
using ctx::Clock;
using ctxtest::kShort;

constexpr auto kMaxD = Clock::duration::max();
constexpr auto kMinD = Clock::duration::min();
constexpr auto kMaxT = Clock::time_point::max();
constexpr auto kMinT = Clock::time_point::min();

// ---------------------------------------------------------------------------
// Saturating deadlines (Go: WithTimeout(ctx, math.MaxInt64) never fires).
// Under the asan preset (UBSan, no recovery) an overflow aborts the test.
// ---------------------------------------------------------------------------

TEST(Saturation, MaxTimeoutNeverFiresAndKeepsNoTimer) {
  const std::size_t timers = ctx::debug::pending_timers();
  auto [c, cancel] = ctx::with_timeout(ctx::background(), kMaxD);
  EXPECT_FALSE(c.err());
  ASSERT_TRUE(c.deadline());
  EXPECT_EQ(*c.deadline(), kMaxT);
  EXPECT_EQ(ctx::debug::pending_timers(), timers);
  EXPECT_FALSE(c.done().wait_for(kShort));
  cancel();
  EXPECT_EQ(c.err(), ctx::errc::canceled);
}

TEST(Saturation, MaxTimeoutWithCauseAndUnderADeadlineParent) {
  auto [c, cancel] = ctx::with_timeout_cause(ctx::background(), kMaxD,
                                             std::make_error_code(std::errc::timed_out));
  EXPECT_FALSE(c.err());
  EXPECT_EQ(*c.deadline(), kMaxT);
  // A parent's finite deadline stays the child's; it still fires.
  auto [p, pcancel] = ctx::with_timeout(ctx::background(), 5ms);
  auto [k, kcancel] = ctx::with_timeout(p, kMaxD);
  EXPECT_EQ(k.deadline(), p.deadline());
  EXPECT_TRUE(k.done().wait_for(ctxtest::kQuiescent));
  EXPECT_EQ(k.err(), ctx::errc::deadline_exceeded);
  cancel();
  pcancel();
  kcancel();
}

TEST(Saturation, MinZeroAndNegativeTimeoutsHaveEnded) {
  for (Clock::duration d : {kMinD, Clock::duration::zero(), Clock::duration(-1), -Clock::duration(1h),
                            kMinD + Clock::duration(1)}) {
    auto [c, cancel] = ctx::with_timeout(ctx::background(), d);
    EXPECT_EQ(c.err(), ctx::errc::deadline_exceeded) << d.count();
    EXPECT_TRUE(c.done().ready());
    ASSERT_TRUE(c.deadline());
    EXPECT_LE(*c.deadline(), Clock::now());
    cancel();
  }
  auto [c, cancel] = ctx::with_timeout_cause(ctx::background(), kMinD,
                                             std::make_error_code(std::errc::timed_out));
  EXPECT_EQ(ctx::cause(c), std::errc::timed_out);
  cancel();
}

TEST(Saturation, LargeFiniteTimeoutsAreLiveWithExactDeadlines) {
  const auto before = Clock::now();
  auto [c, cancel] = ctx::with_timeout(ctx::background(), kMaxD / 2);
  EXPECT_FALSE(c.err());
  EXPECT_GE(*c.deadline(), before + kMaxD / 2);
  EXPECT_LT(*c.deadline(), kMaxT);
  cancel();
}

TEST(Saturation, DeadlinesAtTheClocksLimits) {
  auto [late, lcancel] = ctx::with_deadline(ctx::background(), kMaxT);
  EXPECT_FALSE(late.err());
  EXPECT_EQ(*late.deadline(), kMaxT);
  auto [late1, l1cancel] = ctx::with_deadline(ctx::background(), kMaxT - Clock::duration(1));
  EXPECT_FALSE(late1.err());
  EXPECT_FALSE(late1.done().wait_for(kShort));  // the timer thread sleeps till then
  auto [early, ecancel] = ctx::with_deadline_cause(ctx::background(), kMinT,
                                                   std::make_error_code(std::errc::timed_out));
  EXPECT_EQ(early.err(), ctx::errc::deadline_exceeded);
  EXPECT_EQ(ctx::cause(early), std::errc::timed_out);
  EXPECT_EQ(*early.deadline(), kMinT);
  // A child of the never-ending deadline can still time out on its own.
  auto [k, kcancel] = ctx::with_timeout(late, 2ms);
  EXPECT_TRUE(k.done().wait_for(ctxtest::kQuiescent));
  EXPECT_EQ(k.err(), ctx::errc::deadline_exceeded);
  EXPECT_FALSE(late.err());
  lcancel();
  l1cancel();
  ecancel();
  kcancel();
}

TEST(Saturation, WaitsAtTheClocksLimits) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  const ctx::Done d = c.done();
  EXPECT_FALSE(d.wait_for(kMinD));
  EXPECT_FALSE(d.wait_for(Clock::duration(-1)));
  EXPECT_FALSE(d.wait_for(Clock::duration::zero()));
  EXPECT_FALSE(d.wait_until(kMinT));
  std::thread t([cancel = cancel] {
    std::this_thread::sleep_for(2ms);
    cancel();
  });
  EXPECT_TRUE(d.wait_for(kMaxD));  // no bound: returns when the context ends
  t.join();
  EXPECT_TRUE(d.wait_until(kMaxT));
  EXPECT_TRUE(d.wait_for(kMinD));
  EXPECT_TRUE(d.wait_until(kMinT));
  EXPECT_FALSE(ctx::background().done().wait_for(kMinD));
}

// ---------------------------------------------------------------------------
// native_handle(): an ended context's fd stays readable whatever waiters read.
// ---------------------------------------------------------------------------

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

// What an ordinary event loop does with a readable eventfd: read it.
void drain(int fd) {
  std::uint64_t v = 0;
  ASSERT_EQ(::read(fd, &v, sizeof v), static_cast<ssize_t>(sizeof v));
  EXPECT_GT(v, 0u);
}

TEST(NativeHandle, StaysReadableAfterAWaiterReadsIt) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  const int fd = c.done().native_handle();
  EXPECT_FALSE(readable(fd));
  cancel();
  ASSERT_TRUE(readable(fd));
  drain(fd);
  drain(fd);
  // Another waiter, on another thread, polling with a timeout.
  bool seen = false;
  std::thread other([&seen, fd] {
    pollfd p{fd, POLLIN, 0};
    seen = ::poll(&p, 1, 1000) == 1;
  });
  other.join();
  EXPECT_TRUE(seen);
  for (int i = 0; i < 1000; ++i) drain(fd);
  EXPECT_TRUE(readable(fd));
}

TEST(NativeHandle, CreatedAfterTheEndAndForARecycledSignal) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  ctx::Done d = c.done();
  cancel();
  const int fd = d.native_handle();  // created after the end
  drain(fd);
  EXPECT_TRUE(readable(fd));
  // A Done whose context is gone and whose state moved on gets the shared
  // always-ended descriptor: reading it must not empty it for the others.
  ctx::Done gone;
  {
    auto [k, kcancel] = ctx::with_cancel(ctx::background());
    gone = k.done();
    kcancel();
  }
  for (int i = 0; i < 64; ++i) {
    auto [x, xcancel] = ctx::with_cancel(ctx::background());
    xcancel();
  }
  const int shared = ctx::Done(gone).native_handle();
  drain(shared);
  EXPECT_TRUE(readable(shared));
  EXPECT_TRUE(readable(ctx::Done(gone).native_handle()));
}

TEST(NativeHandle, ParentsEndReachesEveryWaiterOfTheChild) {
  auto [p, pcancel] = ctx::with_cancel(ctx::background());
  auto [c, ccancel] = ctx::with_cancel(p);
  const int fd = c.done().native_handle();
  std::atomic<int> woke{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([fd, &woke] {
      pollfd q{fd, POLLIN, 0};
      if (::poll(&q, 1, 5000) == 1) {
        std::uint64_t v;
        if (::read(fd, &v, sizeof v) == sizeof v) woke.fetch_add(1);
      }
    });
  }
  pcancel();
  for (auto& t : waiters) t.join();
  EXPECT_EQ(woke.load(), 4);
  EXPECT_TRUE(readable(fd));
  ccancel();
}

}  // namespace
