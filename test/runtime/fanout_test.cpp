// A busy parent's per-CPU child registrations (the fan-out, issue 15;
// runtime/src/internal.hpp, Fanout): while it is open, children register in
// shards and hold their parent reference there, not on the parent's count;
// it closes when the parent ends or loses its last CancelFunc, and then
// every child's reference is on the parent's count again. These tests force
// the fan-out with debug::fan_out (contention makes it on its own) and check
// what a user sees: cancellation reaches every child, nothing is freed
// early or kept late, the lost-cancel detector still reports.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stop_token>
#include <thread>
#include <vector>

#include <ctx/context.hpp>
#include <ctx/debug.hpp>

namespace {

using namespace std::chrono_literals;

struct Key {};

// A value whose destruction is seen: put under a parent, it tells when the
// parent (which holds it) has been freed.
struct Tracked {
  std::shared_ptr<std::atomic<int>> alive;
  explicit Tracked(std::shared_ptr<std::atomic<int>> a) : alive(std::move(a)) { ++*alive; }
  Tracked(const Tracked& o) : alive(o.alive) { ++*alive; }
  ~Tracked() { --*alive; }
  bool operator==(const Tracked&) const = default;
};

TEST(FanOut, OnlyForALiveContextWithACancelFunc) {
  EXPECT_FALSE(ctx::debug::fan_out(ctx::background()));
  auto [p, cancel] = ctx::with_cancel(ctx::background());
  EXPECT_FALSE(ctx::debug::fan_out(ctx::with_value(p, Key{}, 1)));  // not its own state
  EXPECT_FALSE(ctx::debug::fan_out(ctx::from_stop_token(p, std::stop_token{})));  // no CancelFunc
  EXPECT_TRUE(ctx::debug::fan_out(p));
  EXPECT_TRUE(ctx::debug::fan_out(p));  // once made, it stays
  EXPECT_GE(ctx::debug::fan_out_shards(p), 2u);
  cancel();
  EXPECT_EQ(ctx::debug::fan_out_shards(p), 0u);  // closed by the end
  auto [q, qcancel] = ctx::with_cancel(ctx::background());
  qcancel();
  EXPECT_FALSE(ctx::debug::fan_out(q));  // ended
}

TEST(FanOut, ChildrenDoNotTouchTheParentsCount) {
  auto [p, cancel] = ctx::with_cancel(ctx::background());
  ASSERT_TRUE(ctx::debug::fan_out(p));
  const std::size_t before = ctx::debug::references(p);
  std::vector<ctx::CancelPair> kids;
  for (int i = 0; i < 100; ++i) kids.push_back(ctx::with_cancel(p));
  EXPECT_EQ(ctx::debug::references(p), before);
  EXPECT_EQ(ctx::debug::child_count(p), 100u);
  for (int i = 0; i < 50; ++i) kids[i].second();  // unregisters
  EXPECT_EQ(ctx::debug::child_count(p), 50u);
  kids.clear();
  EXPECT_EQ(ctx::debug::child_count(p), 0u);
  EXPECT_EQ(ctx::debug::references(p), before);
  cancel();
}

TEST(FanOut, ParentEndEndsChildrenOfEveryThread) {
  auto [p, cancel] = ctx::with_cancel_cause(ctx::background());
  ASSERT_TRUE(ctx::debug::fan_out(p));
  std::vector<ctx::CancelPair> kids(8);
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&, t] { kids[t] = ctx::with_timeout(p, 1h); });
  for (auto& t : ts) t.join();
  EXPECT_EQ(ctx::debug::child_count(p), 8u);
  const auto why = std::make_error_code(std::errc::connection_aborted);
  cancel(why);
  for (auto& [c, f] : kids) {
    EXPECT_EQ(c.err(), ctx::errc::canceled);
    EXPECT_EQ(ctx::cause(c), why);
  }
  EXPECT_EQ(ctx::debug::child_count(p), 0u);
  // Children are folded back onto the parent's count: each holds one.
  const std::size_t with_kids = ctx::debug::references(p);
  kids.clear();
  EXPECT_EQ(ctx::debug::references(p), with_kids - 8);
  // A child of the ended parent is born ended.
  auto [late, lcancel] = ctx::with_cancel(p);
  EXPECT_EQ(late.err(), ctx::errc::canceled);
  EXPECT_EQ(ctx::cause(late), why);
}

TEST(FanOut, DeadlineOfTheParentEndsTheChildren) {
  auto [p, cancel] = ctx::with_timeout(ctx::background(), 20ms);
  ASSERT_TRUE(ctx::debug::fan_out(p));
  auto [c, ccancel] = ctx::with_cancel(p);
  EXPECT_TRUE(c.done().wait_for(10s));
  EXPECT_EQ(c.err(), ctx::errc::deadline_exceeded);
  EXPECT_EQ(ctx::debug::fan_out_shards(p), 0u);
}

// A shard child's own deadline ends it and takes it out of its shard.
TEST(FanOut, ChildDeadlineUnregistersFromItsShard) {
  auto [p, cancel] = ctx::with_cancel(ctx::background());
  ASSERT_TRUE(ctx::debug::fan_out(p));
  auto [c, ccancel] = ctx::with_timeout(p, 1ms);
  EXPECT_TRUE(c.done().wait_for(10s));
  EXPECT_EQ(c.err(), ctx::errc::deadline_exceeded);
  // The timer's cancel wakes waiters before it unlinks (as Go's closes the
  // channel before removeChild): wait for the unlink.
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (ctx::debug::child_count(p) != 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(ctx::debug::child_count(p), 0u);
  EXPECT_FALSE(p.err());
  cancel();
}

// A child through a value node counts on the value node, and registers on
// the parent's own list: the parent's end reaches it too.
TEST(FanOut, ChildThroughAValueIsEndedToo) {
  auto [p, cancel] = ctx::with_cancel(ctx::background());
  ASSERT_TRUE(ctx::debug::fan_out(p));
  auto [direct, dcancel] = ctx::with_cancel(p);
  auto [indirect, icancel] = ctx::with_cancel(ctx::with_value(p, Key{}, 7));
  EXPECT_EQ(ctx::debug::child_count(p), 2u);
  cancel();
  EXPECT_EQ(direct.err(), ctx::errc::canceled);
  EXPECT_EQ(indirect.err(), ctx::errc::canceled);
  EXPECT_EQ(*indirect.value<int>(Key{}), 7);
}

// The fan-out holds the parent while children hold their reference in it;
// the last CancelFunc going closes it, and the parent is then freed with its
// last child, not before and not never.
TEST(FanOut, LastCancelFuncClosesAndTheParentIsFreedWithItsLastChild) {
  auto alive = std::make_shared<std::atomic<int>>(0);
  ctx::Context child;
  ctx::CancelFunc ccancel;
  {
    auto [p, cancel] = ctx::with_cancel(ctx::with_value(ctx::background(), Key{}, Tracked(alive)));
    ASSERT_TRUE(ctx::debug::fan_out(p));
    std::tie(child, ccancel) = ctx::with_cancel(p);
    const std::size_t open_refs = ctx::debug::references(p);  // p and cancel
    cancel = {};  // the last CancelFunc: never called
    EXPECT_EQ(ctx::debug::fan_out_shards(p), 0u);
    // The CancelFunc's reference gone, the child's folded onto the count.
    EXPECT_EQ(ctx::debug::references(p), open_refs);
    auto [later, lcancel] = ctx::with_cancel(p);  // registers, counted on the parent
    EXPECT_EQ(ctx::debug::child_count(p), 2u);
  }
  EXPECT_EQ(*alive, 1);  // the child keeps the parent
  ASSERT_NE(child.value<Tracked>(Key{}), nullptr);
  EXPECT_FALSE(child.err());
  ccancel();
  ccancel = {};
  EXPECT_EQ(*alive, 1);
  child = nullptr;
  EXPECT_EQ(*alive, 0);
}

TEST(FanOut, ParentFreedWhenItsShardChildrenGoFirst) {
  auto alive = std::make_shared<std::atomic<int>>(0);
  {
    auto [p, cancel] = ctx::with_cancel(ctx::with_value(ctx::background(), Key{}, Tracked(alive)));
    ASSERT_TRUE(ctx::debug::fan_out(p));
    for (int i = 0; i < 10; ++i) auto pair = ctx::with_cancel(p);  // dropped, never called
    EXPECT_EQ(ctx::debug::child_count(p), 0u);
  }
  EXPECT_EQ(*alive, 0);
}

TEST(FanOut, LostCancelDetectorStillReports) {
  int reports = 0;
  auto old = ctx::debug::set_lost_cancel_handler([&](const std::source_location&) { ++reports; });
  ctx::debug::clear_lost_cancel_reports();
  ctx::debug::set_lost_cancel_detection(true);
  auto [root, rcancel] = ctx::with_cancel(ctx::background());
  {
    auto [p, cancel] = ctx::with_cancel(root);
    ASSERT_TRUE(ctx::debug::fan_out(p));
    auto [c, ccancel] = ctx::with_cancel(p);
    cancel = {};  // lost: p is live and registered with root
    EXPECT_EQ(ctx::debug::fan_out_shards(p), 0u);
    ccancel();
  }
  ctx::debug::set_lost_cancel_detection(false);
  ctx::debug::set_lost_cancel_handler(std::move(old));
  rcancel();
  EXPECT_EQ(reports, 1);
}

// Threads derive, look up, cancel and drop children of one parent while it
// fans out by contention, then the parent ends or loses its CancelFunc
// while they run: every child ends, nothing is freed twice or kept (run
// under ThreadSanitizer and AddressSanitizer by scripts/test.sh).
void churn(bool by_cancel, bool forced) {
  auto alive = std::make_shared<std::atomic<int>>(0);
  std::vector<std::thread> ts;
  {
    auto [p, cancel] = ctx::with_cancel(ctx::with_value(ctx::background(), Key{}, Tracked(alive)));
    if (forced) ASSERT_TRUE(ctx::debug::fan_out(p));
    std::atomic<bool> stop{false};
    for (int t = 0; t < 4; ++t) {
      ts.emplace_back([&, p = p] {
        std::vector<ctx::CancelPair> held;
        for (int i = 0; !stop.load() || i < 2000; ++i) {
          auto [c, f] = ctx::with_cancel(p);
          if (c.value<Tracked>(Key{}) == nullptr) ADD_FAILURE();
          if (i % 3 == 0) held.push_back({c, f});  // outlive the parent's end
          else if (i % 3 == 1) f();
          if (held.size() > 64) held.erase(held.begin());
        }
        if (by_cancel)
          for (auto& [c, f] : held) EXPECT_TRUE(c.done().wait_for(10s));
      });
    }
    std::this_thread::sleep_for(20ms);
    if (by_cancel) cancel();
    else cancel = {};
    stop = true;
    for (auto& t : ts) t.join();
    EXPECT_EQ(ctx::debug::fan_out_shards(p), 0u);
  }
  EXPECT_EQ(*alive, 0);
}

TEST(FanOut, ChurnWhileTheParentEnds) { churn(true, true); }
TEST(FanOut, ChurnWhileTheParentLosesItsCancelFunc) { churn(false, true); }
// Fanned out (or not) by the threads' own contention.
TEST(FanOut, ChurnUnforced) {
  churn(true, false);
  churn(false, false);
}

}  // namespace
