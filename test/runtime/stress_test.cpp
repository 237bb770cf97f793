// Stress tests: many threads deriving, cancelling, waiting and looking up
// values at once. Bounded in work (not time); no timing assertions.
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include <ctx/context.hpp>
#include <ctx/debug.hpp>

#include "helpers.hpp"

using namespace ctxtest;
using ctx::Context;
using ctx::errc;

namespace {
constexpr int kThreads = 8;
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define CTX_STRESS_SMALL 1
#endif
#endif
#ifdef CTX_STRESS_SMALL
constexpr int kRounds = 60;
#else
constexpr int kRounds = 300;
#endif
struct TraceKey {};
}  // namespace

// A cancel racing with derivation never loses the cancellation or the cause.
TEST(Stress, CancelRacingWithDerivationKeepsCause) {
  for (int round = 0; round < kRounds; ++round) {
    auto [root, cancel] = ctx::with_cancel_cause(ctx::background());
    const auto why = make(cause_code::parent_cause);
    std::atomic<bool> go{false};
    std::vector<std::vector<Context>> leaves(kThreads);
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t) {
      ts.emplace_back([&, t, root = root] {
        while (!go.load()) std::this_thread::yield();
        Context c = root;
        for (int d = 0; d < 20; ++d) {
          switch (d % 4) {
            case 0: c = ctx::with_cancel(c).first; break;
            case 1: c = ctx::with_value(c, TraceKey{}, d); break;
            case 2: c = ctx::with_timeout(c, std::chrono::hours(1)).first; break;
            case 3: c = ctx::with_cancel_cause(c).first; break;
          }
          leaves[t].push_back(c);
        }
      });
    }
    go = true;
    cancel(why);
    for (auto& t : ts) t.join();
    for (auto& v : leaves)
      for (auto& c : v) {
        ASSERT_EQ(c.err(), errc::canceled);
        ASSERT_EQ(ctx::cause(c), why);
      }
    EXPECT_EQ(ctx::debug::child_count(root), 0u);
  }
}

TEST(Stress, ManyThreadsDeriveCancelWaitLookup) {
  auto [root, cancel_root] = ctx::with_cancel(ctx::background());
  Context base = ctx::with_value(root, TraceKey{}, 42);
  // Shared with the callbacks: the last ones may still run on a worker
  // after the test body has returned (nothing waits for them).
  auto callbacks = std::make_shared<std::atomic<int>>(0);
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      for (int i = 0; i < kRounds * 10; ++i) {
        auto [c, cancel] = (rng() % 2) ? ctx::with_cancel(base)
                                       : ctx::with_timeout(base, std::chrono::microseconds(rng() % 200));
        Context v = ctx::with_value(c, i, t);
        ASSERT_EQ(*v.value<int>(TraceKey{}), 42);
        ASSERT_EQ(*v.value<int>(i), t);
        ctx::StopFunc stop = ctx::after_func(v, [callbacks] { callbacks->fetch_add(1); });
        switch (rng() % 4) {
          case 0: cancel(); v.done().wait(); break;
          case 1: {
            std::thread other([cancel = cancel] { cancel(); });
            v.done().wait();
            other.join();
            break;
          }
          case 2: (void)stop(); cancel(); break;
          case 3:
            (void)v.done().native_handle();
            (void)v.done().stop_token();
            cancel();
            (void)v.done().wait_for(std::chrono::milliseconds(1));
            break;
        }
        ASSERT_TRUE(v.done().ready());
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(ctx::debug::child_count(root), 0u);
  cancel_root();
}

TEST(Stress, ConcurrentLazyCreationRacesWithCancel) {
  for (int round = 0; round < kRounds; ++round) {
    auto [c, cancel] = ctx::with_cancel(ctx::background());
    std::vector<std::thread> ts;
    std::atomic<int> fds{-1};
    for (int t = 0; t < 4; ++t) {
      ts.emplace_back([&, t, c = c] {
        switch (t) {
          case 0: {
            int fd = c.done().native_handle();
            int expected = -1;
            if (!fds.compare_exchange_strong(expected, fd)) ASSERT_EQ(expected, fd);
            break;
          }
          case 1: {
            std::stop_token tok = c.done().stop_token();
            while (!tok.stop_requested()) std::this_thread::yield();
            break;
          }
          case 2: c.done().wait(); break;
          case 3: {
            auto ran = std::make_shared<Event>();
            (void)ctx::after_func(c, [ran] { ran->set(); });
            ASSERT_TRUE(ran->wait_for(kQuiescent));
            break;
          }
        }
      });
    }
    cancel();
    for (auto& t : ts) t.join();
  }
}

// Dones outliving their contexts while state words are reused: readers
// must only ever see "ended" once their context ended, never a later
// context's state, and descriptors they were given stay valid.
TEST(Stress, DonesRaceWithStateReuse) {
  constexpr int kThreads = 4;
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([t] {
      for (int round = 0; round < kRounds * 4; ++round) {
        auto [parent, cancel] = ctx::with_cancel(ctx::background());
        std::vector<ctx::Done> dones;
        for (int i = 0; i < 8; ++i) {
          auto [child, child_cancel] = ctx::with_cancel(parent);
          dones.push_back(child.done());
          if ((i + t + round) % 3 == 0) child_cancel();  // others end with the parent
        }
        std::thread reader([&dones, t] {
          for (const ctx::Done& d : dones) {
            if (t % 2 == 0) {
              d.wait();
            } else {
              int fd = d.native_handle();
              pollfd p{fd, POLLIN, 0};
              ASSERT_EQ(::poll(&p, 1, 5000), 1);
            }
          }
        });
        // Churn: reuse state words while the reader still holds Dones.
        for (int i = 0; i < 16; ++i) {
          auto [c, cc] = ctx::with_cancel(ctx::background());
          (void)c.done().stop_token();
          cc();
        }
        cancel();
        reader.join();
        for (const ctx::Done& d : dones) {
          ASSERT_TRUE(d.ready());
          ASSERT_TRUE(d.stop_token().stop_requested());
        }
      }
    });
  }
  for (auto& t : ts) t.join();
}

TEST(Stress, ParallelCancelOfSharedTree) {
  for (int round = 0; round < kRounds / 3; ++round) {
    auto [root, cancel] = ctx::with_cancel(ctx::background());
    std::vector<ctx::CancelPair> nodes{{root, cancel}};
    for (std::size_t i = 0; nodes.size() < 200; ++i) {
      nodes.push_back(ctx::with_cancel(nodes[i].first));
      nodes.push_back(ctx::with_timeout(nodes[i].first, std::chrono::hours(1)));
    }
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t)
      ts.emplace_back([&, t] {
        for (std::size_t i = nodes.size() - 1 - t; i < nodes.size(); i -= kThreads) {
          nodes[i].second();
          if (i < kThreads) break;
        }
      });
    cancel();
    for (auto& t : ts) t.join();
    for (auto& [c, cf] : nodes) ASSERT_EQ(c.err(), errc::canceled);
  }
}
