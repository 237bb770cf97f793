// The runtime at the edges of its environment: the clock's limits, file
// descriptors shared by several waiters, and fork().
#include <poll.h>
#include <signal.h>
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
  for (Clock::duration d : {kMinD, Clock::duration::zero(), Clock::duration(-1),
                            -Clock::duration(1h), kMinD + Clock::duration(1)}) {
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

// ---------------------------------------------------------------------------
// fork(): the child has only the forking thread; its runtime must work.
// ---------------------------------------------------------------------------

// Each check in a child: a distinct exit code, read back by the parent.
#define CHILD_CHECK(cond, code) \
  do {                          \
    if (!(cond)) ::_exit(code); \
  } while (0)

int wait_child(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  if (WIFSIGNALED(status)) return 1000 + WTERMSIG(status);  // e.g. 1014: SIGALRM, hung
  return WEXITSTATUS(status);
}

// New contexts in the child: a timeout ends, after_func runs, fds signal.
void child_uses_new_contexts() {
  auto [t, tcancel] = ctx::with_timeout(ctx::background(), 5ms);
  CHILD_CHECK(t.done().wait_for(2s), 10);
  CHILD_CHECK(t.err() == ctx::errc::deadline_exceeded, 11);
  tcancel();
  std::atomic<bool> ran{false};
  auto [a, acancel] = ctx::with_cancel(ctx::background());
  ctx::StopFunc stop = ctx::after_func(a, [&ran] { ran.store(true); });
  acancel();
  for (int i = 0; i < 2000 && !ran.load(); ++i) std::this_thread::sleep_for(1ms);
  CHILD_CHECK(ran.load(), 12);
  auto [f, fcancel] = ctx::with_cancel(ctx::background());
  const int fd = f.done().native_handle();
  CHILD_CHECK(!readable(fd), 13);
  fcancel();
  CHILD_CHECK(readable(fd), 14);
}

TEST(Fork, ChildGetsAWorkingRuntime) {
  // The parent's runtime is running: a timer thread, after_func workers.
  {
    auto [w, wcancel] = ctx::with_timeout(ctx::background(), 1h);
    std::atomic<bool> ran{false};
    ctx::StopFunc s = ctx::after_func(w, [&ran] { ran.store(true); });
    wcancel();
    while (!ran.load()) std::this_thread::sleep_for(1ms);
  }
  ASSERT_TRUE(ctx::debug::timer_thread_started());
  // Inherited: a pending deadline with an fd, and a context a parent thread
  // is blocked on at the moment of the fork.
  auto [inh, icancel] = ctx::with_timeout(ctx::background(), 1h);
  const int ifd = inh.done().native_handle();
  auto [waited, wcancel] = ctx::with_cancel(ctx::background());
  std::thread blocked([d = waited.done()] { d.wait(); });
  std::this_thread::sleep_for(2ms);

  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::alarm(20);  // a hang reports itself as SIGALRM
    child_uses_new_contexts();
    // Inherited contexts are the child's copies: live as at the fork, their
    // descriptor the child's own, ended by a cancel in the child only.
    CHILD_CHECK(!inh.err(), 20);
    CHILD_CHECK(!readable(ifd), 21);
    icancel();
    CHILD_CHECK(inh.err() == ctx::errc::canceled, 22);
    CHILD_CHECK(readable(ifd), 23);
    // A parent thread was waiting on it; cancelling it here must not hang.
    wcancel();
    CHILD_CHECK(waited.done().wait_for(2s), 24);
    ::_exit(0);
  }
  EXPECT_EQ(wait_child(pid), 0);
  // The child's cancel did not reach the parent's context or its descriptor.
  EXPECT_FALSE(inh.err());
  EXPECT_FALSE(readable(ifd));
  EXPECT_FALSE(waited.err());
  wcancel();
  blocked.join();
  icancel();
  EXPECT_TRUE(readable(ifd));
}

TEST(Fork, ForkWhileOtherThreadsUseTheRuntime) {
  // Threads deriving, timing out and cancelling contexts while the main
  // thread forks: no lock may be left held in a child.
  std::atomic<bool> stop{false};
  std::vector<std::thread> busy;
  for (int i = 0; i < 2; ++i) {
    busy.emplace_back([&stop] {
      for (unsigned n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        auto [c, cancel] = ctx::with_timeout(ctx::background(), std::chrono::microseconds(50));
        auto [k, kcancel] = ctx::with_cancel(c);
        (void)ctx::after_func(k, [] {});
        (void)k.done().native_handle();
        if (n % 2 == 0) cancel();  // the others time out
        kcancel();
      }
    });
  }
  for (int i = 0; i < 10; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::alarm(20);
      child_uses_new_contexts();
      ::_exit(0);
    }
    EXPECT_EQ(wait_child(pid), 0) << "fork " << i;
  }
  stop.store(true);
  for (auto& t : busy) t.join();
}

TEST(Fork, SignalContextsAreTheChildsOwn) {
  // The parent listens to SIGUSR1. The child's SIGUSR1 must end the child's
  // copy of that context (it has no watcher thread of the parent's) and must
  // not end the parent's (the pipe was the parent's).
  auto [pc, pstop] = ctx::signal_context(ctx::background(), {SIGUSR1});
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::alarm(20);
    auto [cc, cstop] = ctx::signal_context(ctx::background(), {SIGUSR2});
    ::raise(SIGUSR1);
    CHILD_CHECK(pc.done().wait_for(5s), 30);
    CHILD_CHECK(ctx::cause(pc) == std::error_code(SIGUSR1, ctx::signal_category()), 31);
    CHILD_CHECK(!cc.err(), 32);
    ::raise(SIGUSR2);
    CHILD_CHECK(cc.done().wait_for(5s), 33);
    ::_exit(0);
  }
  EXPECT_EQ(wait_child(pid), 0);
  std::this_thread::sleep_for(50ms);  // a byte the parent's watcher got would have ended pc by now
  EXPECT_FALSE(pc.err());
  pstop();
}

}  // namespace

// ThreadSanitizer refuses threads in the child of a multi-threaded fork
// unless told otherwise; the child's threads are what is tested here.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
extern "C" const char* __tsan_default_options() { return "die_after_fork=0"; }
#endif
#endif
