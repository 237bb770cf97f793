// The run-time lost-cancel detector (ctx/debug.hpp): what is reported, what
// is not, once per call site, naming where the context was created.
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <ctx/context.hpp>
#include <ctx/debug.hpp>

#include "helpers.hpp"

namespace {

using namespace std::chrono_literals;

class LostCancel : public ::testing::Test {
 protected:
  void SetUp() override {
    was_on_ = ctx::debug::lost_cancel_detection();
    ctx::debug::clear_lost_cancel_reports();
    old_ = ctx::debug::set_lost_cancel_handler([this](const std::source_location& where) {
      std::lock_guard<std::mutex> g(m_);
      lines_.push_back(where.line());
      files_.push_back(where.file_name());
    });
    ctx::debug::set_lost_cancel_detection(true);
  }
  void TearDown() override {
    ctx::debug::set_lost_cancel_detection(was_on_);
    ctx::debug::set_lost_cancel_handler(std::move(old_));
  }
  std::vector<unsigned> lines() {
    std::lock_guard<std::mutex> g(m_);
    return lines_;
  }
  std::vector<std::string> files() {
    std::lock_guard<std::mutex> g(m_);
    return files_;
  }
  // A live, cancellable parent: children register with it.
  std::pair<ctx::Context, ctx::CancelFunc> parent_ = ctx::with_cancel(ctx::background());
  const ctx::Context& parent() const { return parent_.first; }

 private:
  bool was_on_ = false;
  ctx::debug::LostCancelHandler old_;
  std::mutex m_;
  std::vector<unsigned> lines_;
  std::vector<std::string> files_;
};

TEST_F(LostCancel, DroppedUncalledWhileRegisteredIsReportedWithItsCreationSite) {
  ctx::Context kept;
  {
    auto [c, cancel] = ctx::with_cancel(parent());
    kept = c;
    EXPECT_TRUE(lines().empty());
  }
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_NE(files().at(0).find("lost_cancel_test.cpp"), std::string::npos);
  EXPECT_FALSE(kept.err());  // reporting ends nothing
}

TEST_F(LostCancel, ReportNamesTheFactoryCallersLine) {
  unsigned line = 0;
  {
    auto [c, cancel] = ctx::with_timeout(parent(), 1h); line = __LINE__;
  }
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_EQ(lines().at(0), line);
}

TEST_F(LostCancel, EveryFactoryAndOncePerCallSite) {
  for (int i = 0; i < 3; ++i) {
    { auto [c, cancel] = ctx::with_cancel(parent()); }
    { auto [c, cancel] = ctx::with_cancel_cause(parent()); }
    { auto [c, cancel] = ctx::with_deadline(parent(), ctx::Clock::now() + 1h); }
    { auto [c, cancel] = ctx::with_deadline_cause(parent(), ctx::Clock::now() + 1h, {}); }
    { auto [c, cancel] = ctx::with_timeout(parent(), 1h); }
    { auto [c, cancel] = ctx::with_timeout_cause(parent(), ctx::Clock::duration::max(), {}); }
  }
  EXPECT_EQ(lines().size(), 6u);
  ctx::debug::clear_lost_cancel_reports();
  { auto [c, cancel] = ctx::with_cancel(parent()); }
  EXPECT_EQ(lines().size(), 7u);
}

TEST_F(LostCancel, OnlyTheLastCopyCounts) {
  auto [c, cancel] = ctx::with_cancel(parent());
  {
    ctx::CancelFunc copy = cancel;
    ctx::CancelFunc moved = std::move(copy);
    ctx::CancelFunc assigned;
    assigned = moved;
  }
  EXPECT_TRUE(lines().empty());
  ctx::CancelFunc last = std::move(cancel);
  { ctx::CancelFunc gone = std::move(last); }
  EXPECT_EQ(lines().size(), 1u);
}

TEST_F(LostCancel, ADoneKeepsTheChildRegisteredAfterEveryHandleIsGone) {
  ctx::Done d;
  {
    auto [c, cancel] = ctx::with_cancel(parent());
    d = c.done();
  }
  EXPECT_EQ(lines().size(), 1u);
  EXPECT_EQ(ctx::debug::child_count(parent()), 1u);  // the leak being reported
  parent_.second();
  EXPECT_TRUE(d.ready());
}

TEST_F(LostCancel, UnderACustomParent) {
  ctx::Context custom = ctxtest::other(parent());
  { auto [c, cancel] = ctx::with_cancel(custom); }
  EXPECT_EQ(lines().size(), 1u);
}

TEST_F(LostCancel, NotReportedWhenCalledOrDeferred) {
  {
    auto [c, cancel] = ctx::with_cancel(parent());
    cancel();
  }
  {
    auto [c, cancel] = ctx::with_timeout(parent(), 1h);
    auto guard = ctx::defer(cancel);
  }
  {
    auto [c, cancel] = ctx::with_cancel_cause(parent());
    cancel(std::make_error_code(std::errc::io_error));
  }
  EXPECT_TRUE(lines().empty());
  EXPECT_EQ(ctx::debug::child_count(parent()), 0u);
}

TEST_F(LostCancel, NotReportedWhenNotRegisteredOrAlreadyEnded) {
  // background() keeps no list of children: nothing stays registered.
  { auto [c, cancel] = ctx::with_cancel(ctx::background()); }
  { auto [c, cancel] = ctx::with_timeout(ctx::background(), 1h); }
  // Born ended: a past deadline, an ended parent.
  { auto [c, cancel] = ctx::with_timeout(parent(), -1s); }
  auto [ended, end] = ctx::with_cancel(parent());
  end();
  { auto [c, cancel] = ctx::with_cancel(ended); }
  // Ended before its function is dropped: by its parent, by its deadline.
  {
    auto [p, pcancel] = ctx::with_cancel(parent());
    auto [c, cancel] = ctx::with_cancel(p);
    pcancel();
  }
  {
    auto [c, cancel] = ctx::with_timeout(parent(), 1ms);
    ASSERT_TRUE(c.done().wait_for(ctxtest::kQuiescent));
  }
  // Default-constructed and moved-from functions hold nothing.
  { ctx::CancelFunc none; }
  EXPECT_TRUE(lines().empty());
}

TEST_F(LostCancel, OffReportsNothing) {
  ctx::debug::set_lost_cancel_detection(false);
  { auto [c, cancel] = ctx::with_cancel(parent()); }
  EXPECT_TRUE(lines().empty());
  // Turned on later: contexts made while off are reported too.
  auto [c, cancel] = ctx::with_cancel(parent());
  ctx::debug::set_lost_cancel_detection(true);
  { ctx::CancelFunc last = std::move(cancel); }
  EXPECT_EQ(lines().size(), 1u);
}

TEST_F(LostCancel, ReferencesAreCountedAsBefore) {
  auto [c, cancel] = ctx::with_cancel(parent());
  EXPECT_EQ(ctx::debug::references(c), 2u);  // the Context and the CancelFunc
  {
    ctx::CancelFunc copy = cancel;
    EXPECT_EQ(ctx::debug::references(c), 3u);
  }
  EXPECT_EQ(ctx::debug::references(c), 2u);
  cancel();
}

}  // namespace
