// Tests for the runtime's design requirements (see docs/runtime.md, "Costs"):
// shared timer service with many pending deadlines, cancelled children are
// unlinked, lazy fd/stop_token, asynchronous after_func, custom contexts
// without watcher threads, bad input, key semantics.
#include <gtest/gtest.h>
#include <poll.h>

#include <condition_variable>
#include <dirent.h>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <ctx/context.hpp>
#include <ctx/debug.hpp>
#include <ctx/extension.hpp>

#include "helpers.hpp"

using namespace ctxtest;
using ctx::Context;
using ctx::errc;

namespace {

#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define CTX_TEST_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define CTX_TEST_SANITIZED 1
#endif

// The full million in normal builds; fewer under sanitizers to stay bounded.
#ifdef CTX_TEST_SANITIZED
constexpr std::size_t kMillion = 200'000;
#else
constexpr std::size_t kMillion = 1'000'000;
#endif

std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

bool fd_readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

}  // namespace

TEST(Design, MillionPendingDeadlinesShareOneTimer) {
  const std::size_t before = ctx::debug::pending_timers();
  std::vector<ctx::CancelPair> v;
  v.reserve(kMillion);
  const auto base = ctx::Clock::now() + std::chrono::hours(1);
  for (std::size_t i = 0; i < kMillion; ++i)
    v.push_back(ctx::with_deadline(ctx::background(), base + std::chrono::microseconds(i % 9973)));
  EXPECT_EQ(ctx::debug::pending_timers(), before + kMillion);
  EXPECT_TRUE(ctx::debug::timer_thread_started());
  // Cancelling removes each timer (in an order unrelated to the heap's).
  for (std::size_t i = 0; i < kMillion; i += 2) v[i].second();
  for (std::size_t i = 1; i < kMillion; i += 2) v[i].second();
  EXPECT_EQ(ctx::debug::pending_timers(), before);
  for (auto& [c, cancel] : v) ASSERT_EQ(c.err(), errc::canceled);
}

TEST(Design, ManyShortDeadlinesAllFire) {
  std::vector<ctx::CancelPair> v;
  for (int i = 0; i < 10000; ++i)
    v.push_back(ctx::with_timeout(ctx::background(), std::chrono::microseconds(i % 2000)));
  for (auto& [c, cancel] : v) {
    ASSERT_TRUE(c.done().wait_for(kQuiescent));
    EXPECT_EQ(c.err(), errc::deadline_exceeded);
  }
}

TEST(Design, DroppedDeadlineContextLeavesNoTimer) {
  const std::size_t before = ctx::debug::pending_timers();
  { auto [c, cancel] = ctx::with_timeout(ctx::background(), std::chrono::hours(1)); }
  EXPECT_EQ(ctx::debug::pending_timers(), before);
}

TEST(Design, MillionChildrenCreatedAndCancelledLeaveNone) {
  auto [parent, cancel] = ctx::with_cancel(ctx::background());
  for (std::size_t i = 0; i < kMillion; ++i) {
    auto [child, child_cancel] = ctx::with_cancel(parent);
    child_cancel();
  }
  EXPECT_EQ(ctx::debug::child_count(parent), 0u);
  const std::size_t timers = ctx::debug::pending_timers();
  for (std::size_t i = 0; i < kMillion / 10; ++i) {
    auto [child, child_cancel] = ctx::with_timeout(parent, std::chrono::hours(1));
    child_cancel();
  }
  EXPECT_EQ(ctx::debug::child_count(parent), 0u);
  EXPECT_EQ(ctx::debug::pending_timers(), timers);
  cancel();
}

TEST(Design, ChildrenOfValueContextsRegisterWithNearestCanceler) {
  auto [parent, cancel] = ctx::with_cancel(ctx::background());
  Context v = ctx::with_value(parent, 1, 2);
  auto [c1, cancel1] = ctx::with_cancel(v);
  auto [c2, cancel2] = ctx::with_cancel(v);
  EXPECT_EQ(ctx::debug::child_count(parent), 2u);
  cancel1();
  EXPECT_EQ(ctx::debug::child_count(parent), 1u);
  cancel();
  EXPECT_EQ(ctx::debug::child_count(parent), 0u);
  EXPECT_EQ(c2.err(), errc::canceled);
}

TEST(Design, NativeHandleIsLazyAndSignals) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  (void)c.done().ready();
  (void)c.err();
  EXPECT_FALSE(ctx::debug::has_native_handle(c));
  int fd = c.done().native_handle();
  EXPECT_TRUE(ctx::debug::has_native_handle(c));
  EXPECT_EQ(c.done().native_handle(), fd) << "created once";
  EXPECT_FALSE(fd_readable(fd));
  cancel();
  EXPECT_TRUE(fd_readable(fd));
  // Asked for only after the context ended: created already signalled.
  auto [c2, cancel2] = ctx::with_cancel(ctx::background());
  cancel2();
  EXPECT_TRUE(fd_readable(c2.done().native_handle()));
  // background: never readable.
  EXPECT_FALSE(fd_readable(ctx::background().done().native_handle()));
}

TEST(Design, StopTokenIsLazyAndRequested) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  EXPECT_FALSE(ctx::debug::has_stop_source(c));
  std::stop_token t = c.done().stop_token();
  EXPECT_TRUE(ctx::debug::has_stop_source(c));
  EXPECT_FALSE(t.stop_requested());
  std::mutex m;
  std::condition_variable_any cv;
  std::thread waiter([&] {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, t, [] { return false; });  // returns when stop is requested
  });
  cancel();
  waiter.join();
  EXPECT_TRUE(t.stop_requested());
  auto [c2, cancel2] = ctx::with_cancel(ctx::background());
  cancel2();
  EXPECT_TRUE(c2.done().stop_token().stop_requested());
  EXPECT_FALSE(ctx::background().done().stop_token().stop_requested());
}

TEST(Design, WaitVariants) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  EXPECT_FALSE(c.done().wait_for(std::chrono::milliseconds(1)));
  EXPECT_FALSE(c.done().wait_until(ctx::Clock::now()));
  std::thread t([&c = c] { c.done().wait(); });
  cancel();
  t.join();
  EXPECT_TRUE(c.done().wait_for(std::chrono::hours(1)));
  EXPECT_FALSE(ctx::background().done().wait_for(std::chrono::milliseconds(1)));
  EXPECT_FALSE(ctx::todo().done().wait_until(ctx::Clock::now() + std::chrono::milliseconds(1)));
}

TEST(Design, DoneOutlivesContext) {
  ctx::Done d;
  ctx::CancelFunc cancel;
  {
    auto [c, cf] = ctx::with_cancel(ctx::background());
    d = c.done();
    cancel = cf;
  }
  EXPECT_FALSE(d.ready());
  cancel();
  EXPECT_TRUE(d.ready());
  EXPECT_FALSE(ctx::Done().ready());
}

// done().ready() is one acquire load: neither taking a Done nor copying one
// touches a reference count (the first done() on a context registers it
// once, so that a Done alone still sees it end).
TEST(Design, DoneHoldsNoReference) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  Context v = ctx::with_value(c, 1, 2);
  (void)c.done();
  const std::size_t refs = ctx::debug::references(c);
  std::vector<ctx::Done> kept;
  for (int i = 0; i < 100; ++i) {
    kept.push_back(v.done());
    kept.push_back(kept.back());
    EXPECT_FALSE(c.done().ready());
  }
  EXPECT_EQ(ctx::debug::references(c), refs);
  cancel();
  EXPECT_EQ(ctx::debug::references(c), refs - 1) << "the tree lets go once the context ended";
  for (const ctx::Done& d : kept) EXPECT_TRUE(d.ready());
}

// Go: a context whose cancel function was lost stays registered with its
// parent, and its Done channel closes when the parent is cancelled. Here the
// Done is all that is left of the child.
TEST(Design, DoneOfDroppedChildSeesParentEnd) {
  auto [parent, cancel] = ctx::with_cancel(ctx::background());
  ctx::Done d;
  {
    auto [child, child_cancel] = ctx::with_cancel(parent);
    d = child.done();
  }  // child_cancel never called: the leak context-lost-cancel reports
  EXPECT_EQ(ctx::debug::child_count(parent), 1u);
  EXPECT_FALSE(d.ready());
  EXPECT_FALSE(d.wait_for(kShort));
  std::thread waiter([d] { d.wait(); });
  cancel();
  waiter.join();
  EXPECT_TRUE(d.ready());
  EXPECT_EQ(ctx::debug::child_count(parent), 0u);
  // Without a Done, a dropped child is freed at once.
  auto [p2, cancel2] = ctx::with_cancel(ctx::background());
  { auto [child, child_cancel] = ctx::with_cancel(p2); }
  EXPECT_EQ(ctx::debug::child_count(p2), 0u);
  cancel2();
}

// After its context is gone, a Done's state word is reused by later
// contexts; the Done still answers "ended" from every member.
TEST(Design, DoneStaysEndedAfterItsStateIsReused) {
  ctx::Done d;
  {
    auto [c, cancel] = ctx::with_cancel(ctx::background());
    d = c.done();
    cancel();
  }
  std::vector<ctx::CancelPair> fresh;
  for (int i = 0; i < 1000; ++i) fresh.push_back(ctx::with_cancel(ctx::background()));
  EXPECT_TRUE(d.ready());
  d.wait();
  EXPECT_TRUE(d.wait_for(std::chrono::hours(1)));
  EXPECT_TRUE(d.stop_token().stop_requested());
  EXPECT_TRUE(fd_readable(d.native_handle()));
  for (auto& [c, cancel] : fresh) {
    EXPECT_FALSE(c.done().ready());
    EXPECT_FALSE(fd_readable(c.done().native_handle()));
    EXPECT_FALSE(c.done().stop_token().stop_requested());
    cancel();
  }
  fresh.clear();
  EXPECT_GE(ctx::debug::pooled_signals(), 1000u) << "their state words wait for reuse";
}

// native_handle()'s descriptor stays open, and readable once the context
// ended, for as long as the Done it came from, even after the context is gone
// and its state is reused.
TEST(Design, NativeHandleLivesAsLongAsItsDone) {
  int fd = -1;
  ctx::Done d;
  {
    auto [c, cancel] = ctx::with_cancel(ctx::background());
    d = c.done();
    fd = d.native_handle();
    EXPECT_FALSE(fd_readable(fd));
    cancel();
  }
  for (int i = 0; i < 1000; ++i) {
    auto [c, cancel] = ctx::with_cancel(ctx::background());
    (void)c.done().native_handle();
    cancel();
  }
  EXPECT_TRUE(fd_readable(fd));
  EXPECT_EQ(d.native_handle(), fd);
  ctx::Done moved = std::move(d);
  EXPECT_TRUE(fd_readable(fd)) << "a move carries the hold over";
}

TEST(Design, AfterFuncRunsOnAnotherThreadWithoutLocksHeld) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  const auto me = std::this_thread::get_id();
  auto ran = std::make_shared<Event>();
  std::thread::id where;
  ctx::StopFunc stop = ctx::after_func(c, [&, ran, c = c] {
    where = std::this_thread::get_id();
    // Re-entering the runtime on the same context must not deadlock.
    auto [child, cc] = ctx::with_cancel(c);
    EXPECT_EQ(child.err(), errc::canceled);
    (void)ctx::after_func(c, [] {});
    ran->set();
  });
  cancel();
  ASSERT_TRUE(ran->wait_for(kQuiescent));
  EXPECT_NE(where, me);
  EXPECT_FALSE(stop());
}

TEST(Design, AfterFuncBlockingCallbacksDoNotStarveOthers) {
  // Two callbacks where the first waits for the second: needs two workers.
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  auto second = std::make_shared<Event>();
  auto first = std::make_shared<Event>();
  ctx::after_func(c, [first, second] {
    if (second->wait_for(kQuiescent)) first->set();
  });
  ctx::after_func(c, [second] { second->set(); });
  cancel();
  EXPECT_TRUE(first->wait_for(kQuiescent));
}

TEST(Design, AfterFuncStopUnregisters) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  std::vector<ctx::StopFunc> stops;
  for (int i = 0; i < 100; ++i) stops.push_back(ctx::after_func(c, [] {}));
  EXPECT_EQ(ctx::debug::after_func_count(c), 100u);
  for (auto& s : stops) EXPECT_TRUE(s());
  EXPECT_EQ(ctx::debug::after_func_count(c), 0u);
  cancel();
  // On a never-ending context: never runs; stop() reports that it stopped it.
  auto ran = std::make_shared<std::atomic<bool>>(false);
  ctx::StopFunc s = ctx::after_func(ctx::background(), [ran] { *ran = true; });
  EXPECT_TRUE(s());
  EXPECT_FALSE(*ran);
  EXPECT_FALSE(ctx::StopFunc()());
}

TEST(Design, NoThreadPerContextOrDeadline) {
  // Warm up the timer thread and one executor worker.
  { auto [c, cf] = ctx::with_timeout(ctx::background(), std::chrono::hours(1)); }
  const std::size_t before = thread_count();
  std::vector<ctx::CancelPair> v;
  for (int i = 0; i < 10000; ++i) v.push_back(ctx::with_timeout(ctx::background(), std::chrono::hours(1)));
  auto custom = std::make_shared<AfterFuncContext>();
  Context cc = ctx::make_context(custom);
  for (int i = 0; i < 1000; ++i) v.push_back(ctx::with_cancel(cc));
  EXPECT_EQ(thread_count(), before);
  custom->cancel(errc::canceled);  // propagates without threads
  for (std::size_t i = 10000; i < v.size(); ++i) EXPECT_EQ(v[i].first.err(), errc::canceled);
  for (auto& [c, cancel] : v) cancel();
}

TEST(Design, NullContextThrowsNamingTheFunction) {
  const Context null;
  EXPECT_FALSE(null);
  EXPECT_TRUE(null == nullptr);
  auto expect_throw = [](auto f, const std::string& name) {
    try {
      f();
      ADD_FAILURE() << name << " did not throw";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  expect_throw([&] { (void)null.deadline(); }, "ctx::Context::deadline");
  expect_throw([&] { (void)null.done(); }, "ctx::Context::done");
  expect_throw([&] { (void)null.err(); }, "ctx::Context::err");
  expect_throw([&] { (void)null.value<int>(1); }, "ctx::Context::value");
  expect_throw([&] { (void)ctx::with_cancel(null); }, "ctx::with_cancel");
  expect_throw([&] { (void)ctx::with_cancel_cause(null); }, "ctx::with_cancel_cause");
  expect_throw([&] { (void)ctx::with_deadline(null, ctx::Clock::now()); }, "ctx::with_deadline");
  expect_throw([&] { (void)ctx::with_deadline_cause(null, ctx::Clock::now(), {}); },
               "ctx::with_deadline_cause");
  expect_throw([&] { (void)ctx::with_timeout(null, kShort); }, "ctx::with_timeout");
  expect_throw([&] { (void)ctx::with_timeout_cause(null, kShort, {}); }, "ctx::with_timeout_cause");
  expect_throw([&] { (void)ctx::with_value(null, 1, 2); }, "ctx::with_value");
  expect_throw([&] { (void)ctx::without_cancel(null); }, "ctx::without_cancel");
  expect_throw([&] { (void)ctx::cause(null); }, "ctx::cause");
  expect_throw([&] { (void)ctx::after_func(null, [] {}); }, "ctx::after_func");
  expect_throw([&] { (void)ctx::after_func(ctx::background(), nullptr); }, "ctx::after_func");
  expect_throw([&] { (void)ctx::from_stop_token(null, {}); }, "ctx::from_stop_token");
  expect_throw([&] { (void)ctx::make_context(nullptr); }, "ctx::make_context");
  expect_throw([&] { (void)ctx::lookup_value(null, ctx::KeyView::of(1)); }, "ctx::lookup_value");
}

namespace {
struct EmptyKey {};
struct OtherEmptyKey {};
}  // namespace

TEST(Design, KeySemantics) {
  ctx::Key<int> a, b;
  ctx::Key<int> a_copy = a;
  Context c = ctx::with_value(ctx::background(), a, 1);
  c = ctx::with_value(c, b, 2);
  ASSERT_NE(c.value(a), nullptr);
  EXPECT_EQ(*c.value(a), 1);
  EXPECT_EQ(*c.value(a_copy), 1);
  EXPECT_EQ(*c.value(b), 2);
  EXPECT_EQ(c.value(ctx::Key<int>{}), nullptr);

  c = ctx::with_value(c, EmptyKey{}, std::string("e"));
  ASSERT_NE(c.value<std::string>(EmptyKey{}), nullptr);
  EXPECT_EQ(*c.value<std::string>(EmptyKey{}), "e");
  EXPECT_EQ(c.value<std::string>(OtherEmptyKey{}), nullptr);

  // Same value, different key type: different keys.
  c = ctx::with_value(c, 7, std::string("int"));
  EXPECT_EQ(c.value<std::string>(7L), nullptr);
  EXPECT_EQ(*c.value<std::string>(7), "int");
  // The nearest match decides, even if its value has another type.
  Context shadow = ctx::with_value(c, 7, 3.5);
  EXPECT_EQ(shadow.value<std::string>(7), nullptr);
  EXPECT_EQ(*shadow.value<double>(7), 3.5);
  // std::string keys compare by value.
  c = ctx::with_value(c, std::string("k"), 9);
  EXPECT_EQ(*c.value<int>(std::string("k")), 9);
}

// Integral, enum and pointer keys are compared by their bytes, read at a
// fixed offset of each value node: every size, signed values, and many nodes
// with keys of one type (the walk compares at each of them).
namespace {
enum class Small : std::uint8_t { a = 1, b = 200 };
enum Wide : long long { w1 = -5, w2 = 1LL << 40 };
}  // namespace
TEST(Design, BitsKeysOfEverySize) {
  int anchor1 = 0, anchor2 = 0;
  Context c = ctx::background();
  c = ctx::with_value(c, true, 1);
  c = ctx::with_value(c, static_cast<signed char>(-1), 2);
  c = ctx::with_value(c, static_cast<short>(-300), 3);
  c = ctx::with_value(c, -7, 4);
  c = ctx::with_value(c, Small::b, 5);
  c = ctx::with_value(c, w1, 6);
  c = ctx::with_value(c, &anchor1, 7);
  c = ctx::with_value(c, -(1LL << 40), 8);
  for (int i = 0; i < 20; ++i) c = ctx::with_value(c, 1000 + i, 100 + i);

  EXPECT_EQ(*c.value<int>(true), 1);
  EXPECT_EQ(c.value<int>(false), nullptr);
  EXPECT_EQ(*c.value<int>(static_cast<signed char>(-1)), 2);
  EXPECT_EQ(c.value<int>(static_cast<unsigned char>(255)), nullptr);  // another type
  EXPECT_EQ(*c.value<int>(static_cast<short>(-300)), 3);
  EXPECT_EQ(c.value<int>(static_cast<short>(300)), nullptr);
  EXPECT_EQ(*c.value<int>(-7), 4);
  EXPECT_EQ(c.value<int>(7), nullptr);
  EXPECT_EQ(*c.value<int>(Small::b), 5);
  EXPECT_EQ(c.value<int>(Small::a), nullptr);
  EXPECT_EQ(*c.value<int>(w1), 6);
  EXPECT_EQ(c.value<int>(w2), nullptr);
  EXPECT_EQ(*c.value<int>(&anchor1), 7);
  EXPECT_EQ(c.value<int>(&anchor2), nullptr);
  EXPECT_EQ(*c.value<int>(-(1LL << 40)), 8);
  EXPECT_EQ(c.value<int>(1LL << 40), nullptr);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(*c.value<int>(1000 + i), 100 + i) << i;
  EXPECT_EQ(c.value<int>(-1), nullptr);
}

// A value node keeps no pointer to the context whose state it reports:
// err(), done(), cause() and deadline() find it past any number of value
// nodes, whatever it is.
TEST(Design, ValueContextsReportTheStateBelowThem) {
  auto [parent, cancel] = ctx::with_timeout(ctx::background(), std::chrono::hours(1));
  Context v = parent;
  for (int i = 0; i < 5; ++i) v = ctx::with_value(v, i, i);
  ctx::Done d = v.done();
  EXPECT_FALSE(v.err());
  EXPECT_EQ(v.deadline(), parent.deadline());
  auto [child, child_cancel] = ctx::with_cancel(v);  // registers with `parent`
  cancel();
  EXPECT_TRUE(d.ready());
  EXPECT_EQ(v.err(), errc::canceled);
  EXPECT_EQ(ctx::cause(v), errc::canceled);
  EXPECT_EQ(child.err(), errc::canceled);

  // Under without_cancel: never ends, whatever the parent does.
  auto [p2, cancel2] = ctx::with_cancel(ctx::background());
  Context w = ctx::with_value(ctx::without_cancel(ctx::with_value(p2, 1, 1)), 2, 2);
  cancel2();
  EXPECT_FALSE(w.err());
  EXPECT_FALSE(w.done().ready());
  EXPECT_FALSE(ctx::cause(w));
  EXPECT_FALSE(w.deadline());
  EXPECT_EQ(*w.value<int>(1), 1);
}

// A child of a context that never ends (background(), todo(),
// without_cancel) is a smaller node without the links of a parent's child
// list. It still ends, takes children, hands out Dones and wakes waiters.
TEST(Design, ChildrenOfNeverEndingContextsWorkLikeAnyOther) {
  for (Context root : {ctx::background(), ctx::todo(),
                       ctx::without_cancel(ctx::with_cancel(ctx::background()).first)}) {
    auto [c, cancel] = ctx::with_cancel(root);
    auto [grandchild, gc_cancel] = ctx::with_cancel(c);
    auto [timed, t_cancel] = ctx::with_timeout(c, std::chrono::hours(1));
    EXPECT_EQ(ctx::debug::child_count(c), 2u);
    ctx::Done d = c.done();
    std::thread waiter([d] { d.wait(); });
    cancel();
    waiter.join();
    EXPECT_TRUE(d.ready());
    EXPECT_EQ(grandchild.err(), errc::canceled);
    EXPECT_EQ(timed.err(), errc::canceled);
    EXPECT_EQ(ctx::debug::child_count(c), 0u);
    EXPECT_EQ(ctx::debug::pending_timers(), 0u);
    EXPECT_TRUE(c.done().ready());  // a Done taken after the end
  }
}

// A cause keeps its category, whatever the number of categories the
// process uses (the node keeps an index into a table of them; past its 254
// slots, the category is kept beside the node).
namespace {
class NumberedCategory final : public std::error_category {
 public:
  explicit NumberedCategory(int n) : name_("numbered-" + std::to_string(n)) {}
  const char* name() const noexcept override { return name_.c_str(); }
  std::string message(int) const override { return name_; }
 private:
  std::string name_;
};
}  // namespace
TEST(Design, CausesKeepTheirCategoryPastTheTable) {
  static std::vector<std::unique_ptr<NumberedCategory>> cats;  // categories outlive their uses
  for (int i = 0; i < 300; ++i) cats.push_back(std::make_unique<NumberedCategory>(i));
  auto [parent, cancel_parent] = ctx::with_cancel(ctx::background());
  std::vector<std::pair<Context, ctx::CancelCauseFunc>> cs;
  for (int i = 0; i < 300; ++i) cs.push_back(ctx::with_cancel_cause(parent));
  // From two threads at once: the table grows under them.
  std::thread other([&] {
    for (int i = 1; i < 300; i += 2) cs[i].second(std::error_code(i + 1, *cats[i]));
  });
  for (int i = 0; i < 300; i += 2) cs[i].second(std::error_code(i + 1, *cats[i]));
  other.join();
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(ctx::cause(cs[i].first), std::error_code(i + 1, *cats[i])) << i;
    EXPECT_EQ(cs[i].first.err(), errc::canceled);
  }
  // A cause handed down to children keeps its category too.
  auto [child, cancel_child] = ctx::with_cancel(parent);
  ctx::CancelCauseFunc cancel_cause;
  std::tie(parent, cancel_cause) = ctx::with_cancel_cause(parent);
  auto [grandchild, gc_cancel] = ctx::with_cancel(parent);
  cancel_cause(std::error_code(7, *cats[299]));
  EXPECT_EQ(ctx::cause(grandchild), std::error_code(7, *cats[299]));
  cancel_parent();
  EXPECT_EQ(ctx::cause(child), errc::canceled);
}

TEST(Design, DeadlineSemantics) {
  const auto now = ctx::Clock::now();
  auto [p, pc] = ctx::with_deadline(ctx::background(), now + std::chrono::hours(1));
  auto [later, lc] = ctx::with_deadline(p, now + std::chrono::hours(2));
  EXPECT_EQ(later.deadline(), now + std::chrono::hours(1)) << "later deadline keeps parent's";
  auto [sooner, sc] = ctx::with_deadline(p, now + std::chrono::minutes(1));
  EXPECT_EQ(sooner.deadline(), now + std::chrono::minutes(1));
  auto [child, cc] = ctx::with_cancel(sooner);
  EXPECT_EQ(child.deadline(), now + std::chrono::minutes(1));
  EXPECT_EQ(ctx::with_value(child, 1, 1).deadline(), now + std::chrono::minutes(1));
  EXPECT_FALSE(ctx::without_cancel(child).deadline());
  auto [past, pastc] = ctx::with_deadline(p, now - std::chrono::seconds(1));
  EXPECT_EQ(past.err(), errc::deadline_exceeded);
  pc();
  EXPECT_EQ(sooner.err(), errc::canceled);
}

TEST(Design, FromStopToken) {
  std::stop_source src;
  Context c = ctx::from_stop_token(ctx::background(), src.get_token());
  EXPECT_FALSE(c.err());
  src.request_stop();
  EXPECT_EQ(c.err(), errc::canceled);

  auto [p, cancel] = ctx::with_cancel(ctx::background());
  std::stop_source src2;
  Context c2 = ctx::from_stop_token(p, src2.get_token());
  cancel();
  EXPECT_EQ(c2.err(), errc::canceled);
  EXPECT_EQ(ctx::debug::child_count(p), 0u);

  std::stop_source src3;
  src3.request_stop();
  EXPECT_EQ(ctx::from_stop_token(ctx::background(), src3.get_token()).err(), errc::canceled);
  EXPECT_FALSE(ctx::from_stop_token(ctx::background(), std::stop_token{}).err());
}

TEST(Design, DeferCallsCancel) {
  Context c;
  {
    auto [cc, cancel] = ctx::with_cancel(ctx::background());
    auto d = ctx::defer(cancel);
    c = cc;
    EXPECT_FALSE(c.err());
  }
  EXPECT_EQ(c.err(), errc::canceled);
}

TEST(Design, CancelPairWorksWithTieAndGet) {
  Context c;
  ctx::CancelFunc cancel;
  std::tie(c, cancel) = ctx::with_cancel(ctx::background());
  auto pair = ctx::with_cancel(c);
  std::get<1>(pair)();
  EXPECT_EQ(pair.first.err(), errc::canceled);
  cancel();
  cancel();  // idempotent
  EXPECT_EQ(c.err(), errc::canceled);
  ctx::CancelFunc{}();  // default: no-op
  ctx::CancelCauseFunc{}(ctx::errc::canceled);
}

TEST(Design, CustomContextDoneAndValues) {
  auto impl = std::make_shared<AfterFuncContext>();
  Context c = ctx::make_context(impl);
  EXPECT_FALSE(c.done().ready());
  int fd = c.done().native_handle();
  Context v = ctx::with_value(c, EmptyKey{}, 5);
  EXPECT_EQ(*v.value<int>(EmptyKey{}), 5);
  EXPECT_FALSE(v.err());
  impl->cancel(errc::deadline_exceeded);
  EXPECT_EQ(v.err(), errc::deadline_exceeded);
  EXPECT_TRUE(c.done().wait_for(kQuiescent));
  EXPECT_TRUE(fd_readable(fd));
  EXPECT_EQ(ctx::cause(v), errc::deadline_exceeded);
}

TEST(Design, LongChainsDestroyWithoutRecursion) {
  Context c = ctx::background();
  for (int i = 0; i < 200000; ++i) c = ctx::with_value(c, i, i);
  c = Context();  // must not overflow the stack
  SUCCEED();
}
