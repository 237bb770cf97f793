// signal_context (Go's signal.NotifyContext) with real signals, raised on
// the test's thread (so that ThreadSanitizer, which delays a signal until its
// thread reaches a safe point, delivers it to a thread that gets there; a
// signal from another process is examples/http's SIGTERM test): the cause
// names the signal, several contexts listen at once, and ending one (stop,
// parent, the signal) stops its listening and gives the signal back to its
// previous handler.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>

#include <ctx/context.hpp>

namespace {

using namespace std::chrono_literals;

std::atomic<int> g_previous{0};
extern "C" void previous_handler(int) { g_previous.fetch_add(1); }

// Installs previous_handler for sig for the test's duration.
struct PreviousHandler {
  int sig;
  struct sigaction old {};
  explicit PreviousHandler(int s) : sig(s) {
    g_previous = 0;
    struct sigaction sa {};
    sa.sa_handler = &previous_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, &old);
  }
  ~PreviousHandler() { sigaction(sig, &old, nullptr); }
};

TEST(SignalContext, EndsOnTheSignalWithACauseNamingIt) {
  PreviousHandler prev(SIGUSR1);
  auto [c, stop] = ctx::signal_context(ctx::background(), {SIGUSR1, SIGUSR2});
  EXPECT_FALSE(c.err());
  ASSERT_EQ(::raise(SIGUSR1), 0);
  ASSERT_TRUE(c.done().wait_for(5s));
  EXPECT_EQ(c.err(), ctx::errc::canceled);
  const std::error_code why = ctx::cause(c);
  EXPECT_EQ(why, std::error_code(SIGUSR1, ctx::signal_category()));
  EXPECT_STREQ(why.category().name(), "signal");
  EXPECT_NE(why.message().find("SIGUSR1"), std::string::npos) << why.message();
  EXPECT_NE(why.message().find("signal received"), std::string::npos) << why.message();
  EXPECT_EQ(g_previous.load(), 0);  // caught by the context, not the old handler
  stop();
  EXPECT_EQ(ctx::cause(c), why);  // stop after the end changes nothing
}

TEST(SignalContext, GoStyleMessages) {
  EXPECT_EQ(std::error_code(SIGINT, ctx::signal_category()).message(),
            "interrupt signal received (SIGINT)");
  EXPECT_EQ(std::error_code(SIGTERM, ctx::signal_category()).message(),
            "terminated signal received (SIGTERM)");
}

TEST(SignalContext, SeveralListenAtOnce) {
  PreviousHandler p1(SIGUSR1);
  auto [a, stop_a] = ctx::signal_context(ctx::background(), {SIGUSR1});
  auto [b, stop_b] = ctx::signal_context(ctx::background(), {SIGUSR1});
  auto [other, stop_other] = ctx::signal_context(ctx::background(), {SIGUSR2});
  ASSERT_EQ(::raise(SIGUSR1), 0);
  ASSERT_TRUE(a.done().wait_for(5s));
  ASSERT_TRUE(b.done().wait_for(5s));
  EXPECT_FALSE(other.done().wait_for(20ms));  // another signal: still listening
  stop_a();
  stop_b();
  stop_other();
  EXPECT_EQ(other.err(), ctx::errc::canceled);
  EXPECT_EQ(ctx::cause(other), ctx::errc::canceled);  // stopped, not signalled
}

TEST(SignalContext, StopUnregistersAndRestoresThePreviousHandler) {
  PreviousHandler prev(SIGUSR2);
  auto [c, stop] = ctx::signal_context(ctx::background(), {SIGUSR2});
  stop();
  EXPECT_EQ(c.err(), ctx::errc::canceled);
  ASSERT_EQ(::raise(SIGUSR2), 0);
  for (int i = 0; i < 500 && g_previous.load() == 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(g_previous.load(), 1);
}

TEST(SignalContext, ParentEndUnregistersToo) {
  PreviousHandler prev(SIGUSR2);
  auto [parent, cancel] = ctx::with_cancel(ctx::background());
  auto [c, stop] = ctx::signal_context(parent, {SIGUSR2});
  auto [c2, stop2] = ctx::signal_context(parent, {SIGUSR2});
  cancel();
  EXPECT_EQ(c.err(), ctx::errc::canceled);
  ASSERT_EQ(::raise(SIGUSR2), 0);
  for (int i = 0; i < 500 && g_previous.load() == 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(g_previous.load(), 1);
  EXPECT_EQ(ctx::cause(c), ctx::errc::canceled);
  stop();
  stop2();
}

TEST(SignalContext, EndedParentGivesAnEndedContextThatDoesNotListen) {
  PreviousHandler prev(SIGUSR1);
  auto [parent, cancel] = ctx::with_cancel(ctx::background());
  cancel();
  auto [c, stop] = ctx::signal_context(parent, {SIGUSR1});
  EXPECT_EQ(c.err(), ctx::errc::canceled);
  ASSERT_EQ(::raise(SIGUSR1), 0);
  for (int i = 0; i < 500 && g_previous.load() == 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(g_previous.load(), 1);
  stop();
}

TEST(SignalContext, ChildrenEndWithTheSignalAsCause) {
  PreviousHandler prev(SIGUSR1);
  auto [c, stop] = ctx::signal_context(ctx::background(), {SIGUSR1});
  auto [child, cancel_child] = ctx::with_timeout(c, 1h);
  ASSERT_EQ(::raise(SIGUSR1), 0);
  ASSERT_TRUE(child.done().wait_for(5s));
  EXPECT_EQ(ctx::cause(child), std::error_code(SIGUSR1, ctx::signal_category()));
  cancel_child();
  stop();
}

TEST(SignalContext, RejectsWhatCannotBeCaught) {
  EXPECT_THROW((void)ctx::signal_context(ctx::background(), {SIGKILL}), std::invalid_argument);
  EXPECT_THROW((void)ctx::signal_context(ctx::background(), {0}), std::invalid_argument);
  EXPECT_THROW((void)ctx::signal_context(ctx::Context{}, {SIGUSR1}), std::invalid_argument);
}

}  // namespace
