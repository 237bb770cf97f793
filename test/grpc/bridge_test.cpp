// The gRPC bridge with real gRPC on loopback: chains A -> B -> C whose
// nodes use every API style in every position, the client side's tie, and
// servers shutting down with RPCs in flight.
#include "node.hpp"

#include <gtest/gtest.h>

#include <future>

namespace ctxtest {
namespace {

using namespace std::chrono_literals;
using ctx::Clock;

// A client call to `stub` through the bridge, on a thread of gRPC's (the
// callback client API), so that the test can end its context while it runs.
struct PendingCall {
  ctx::Context c;
  ctx::CancelFunc cancel;
  std::optional<ctx::grpc::ClientCall> call;
  HopRequest req;
  HopReply reply;
  std::promise<grpc::Status> status;
  PendingCall(Hop::Stub& stub, HopRequest r, std::optional<Clock::duration> timeout) : req(std::move(r)) {
    const ctx::Context parent = ctx::with_value(ctx::background(), kRequestId.key(), std::string("req-42"));
    std::tie(c, cancel) = timeout ? ctx::with_timeout(parent, *timeout) : ctx::with_cancel(parent);
    call.emplace(c, std::initializer_list<const ctx::grpc::MetadataKey*>{&kRequestId});
    stub.async()->Call(&call->client_context(), &req, &reply, [this](grpc::Status s) {
      call->release();
      status.set_value(std::move(s));
    });
  }
  ~PendingCall() { cancel(); }
};

HopRequest work(int work_ms, int leaf_timeout_ms = 0) {
  HopRequest r;
  r.set_work_ms(work_ms);
  r.set_leaf_timeout_ms(leaf_timeout_ms);
  return r;
}

// A -> B -> C, warmed up: one call has gone through (connections are set
// up, so that the tests' time limits measure the bridge, not connecting
// under a sanitizer) and every node has forgotten it.
struct Chain {
  Node c, b, a;
  Node* nodes[3] = {&a, &b, &c};
  Chain(Style sa, Style sb, Style sc) : c("C", sc), b("B", sb, &c), a("A", sa, &b) {
    auto stub = a.stub();
    grpc::ClientContext cc;
    HopReply reply;
    if (!stub->Call(&cc, HopRequest(), &reply).ok()) throw std::runtime_error("chain warm-up failed");
    for (Node* n : nodes) {
      if (!n->seen().wait_ended(5s)) throw std::runtime_error("warm-up call never ended");
      n->seen().reset();
    }
  }
};

class ChainTest : public ::testing::TestWithParam<std::tuple<Style, Style, Style>> {
 protected:
  Chain chain{std::get<0>(GetParam()), std::get<1>(GetParam()), std::get<2>(GetParam())};
};

// A client call to A with a 300 ms deadline: each hop's context has a
// deadline no later than the one before it, and the request id reaches C.
TEST_P(ChainTest, DeadlineBudgetFlowsDown) {
  const auto start = Clock::now();
  auto stub = chain.a.stub();
  PendingCall call(*stub, work(0), 300ms);
  const grpc::Status s = call.status.get_future().get();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(call.reply.path(), "A>B>C");
  std::optional<Clock::time_point> before = call.c.deadline();
  ASSERT_LE(*before, Clock::now() + 300ms);
  for (Node* n : chain.nodes) {
    std::lock_guard lock(n->seen().mu);
    ASSERT_TRUE(n->seen().deadline.has_value()) << n->name();
    EXPECT_LE(*n->seen().deadline, *before) << n->name();
    EXPECT_GT(*n->seen().deadline, start) << n->name();
    EXPECT_EQ(n->seen().request_id, "req-42") << n->name();
    before = n->seen().deadline;
  }
}

// Sanitized builds run every thread hand-over several times slower.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define CTX_TEST_SANITIZED 1
#endif
#endif
#ifdef CTX_TEST_SANITIZED
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// The client cancels its call to A: the contexts in A, B and C all end,
// each within 100 ms of the client's cancel, and C's work stops. (Unloaded,
// all three end within a few ms. Under a sanitizer the bound is per hop:
// 100 ms from the one before, A's from the cancel.)
TEST_P(ChainTest, ClientCancelEndsEveryHop) {
  auto stub = chain.a.stub();
  PendingCall call(*stub, work(10000), std::nullopt);
  ASSERT_TRUE(chain.c.seen().wait_calls(1, 5s));
  Clock::time_point before = Clock::now();
  const Clock::time_point cancelled = before;
  call.cancel();   // the client gives up: its ClientCall cancels the call to A
  for (Node* n : chain.nodes) {
    ASSERT_TRUE(n->seen().wait_ended(2s)) << n->name() << " never ended";
    std::lock_guard lock(n->seen().mu);
    EXPECT_LT(*n->seen().ended - (kSanitized ? before : cancelled), 100ms) << n->name();
    EXPECT_EQ(n->seen().err, ctx::errc::canceled) << n->name();
    EXPECT_EQ(n->seen().cause, ctx::grpc::rpc_end::cancelled) << n->name();
    before = *n->seen().ended;
  }
  RecordProperty("cancel_to_C_us", static_cast<int>(
      std::chrono::duration_cast<std::chrono::microseconds>(before - cancelled).count()));
  EXPECT_EQ(call.status.get_future().get().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(chain.c.seen().wait_work_stopped(1s));
}

// C's own 50 ms deadline for its work passes: A's client gets
// DEADLINE_EXCEEDED, long before its own 5 s deadline.
TEST_P(ChainTest, DeadlineInLastHopReachesTheClient) {
  const auto start = Clock::now();
  auto stub = chain.a.stub();
  PendingCall call(*stub, work(10000, 50), 5s);
  const grpc::Status s = call.status.get_future().get();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << s.error_message();
  EXPECT_EQ(ctx::grpc::to_error(s), ctx::errc::deadline_exceeded);
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_TRUE(chain.c.seen().wait_work_stopped(1s));
}

// The client's deadline passes while C works: C's context ends with
// rpc_end::deadline (the earliest deadline of the chain: each hop's is
// shorter than its caller's), every hop's context ends by the client's
// deadline, and the client gets DEADLINE_EXCEEDED.
TEST_P(ChainTest, ClientDeadlineEndsEveryHop) {
  const auto start = Clock::now();
  auto stub = chain.a.stub();
  PendingCall call(*stub, work(10000), 200ms);
  EXPECT_EQ(call.status.get_future().get().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  for (Node* n : chain.nodes) {
    ASSERT_TRUE(n->seen().wait_ended(2s)) << n->name();
    std::lock_guard lock(n->seen().mu);
    EXPECT_LT(*n->seen().ended - start, 200ms + 100ms) << n->name();
  }
  std::lock_guard lock(chain.c.seen().mu);
  EXPECT_EQ(chain.c.seen().err, ctx::errc::deadline_exceeded);
  EXPECT_EQ(chain.c.seen().cause, ctx::grpc::rpc_end::deadline);
}

// Every style at every position of the chain.
INSTANTIATE_TEST_SUITE_P(Styles, ChainTest,
    ::testing::Values(std::tuple{Style::callback, Style::sync, Style::async},
                      std::tuple{Style::async, Style::callback, Style::sync},
                      std::tuple{Style::sync, Style::async, Style::callback}),
    [](const auto& info) {
      return std::string(name(std::get<0>(info.param))) + "_" + name(std::get<1>(info.param)) +
             "_" + name(std::get<2>(info.param));
    });

class StyleTest : public ::testing::TestWithParam<Style> {};

// A server shutting down with an RPC in flight: its handler's context ends
// with the server's cause, and Shutdown returns at once.
TEST_P(StyleTest, ShutdownEndsInFlightRpcs) {
  Node leaf("C", GetParam());
  auto stub = leaf.stub();
  PendingCall call(*stub, work(10000), 5s);
  ASSERT_TRUE(leaf.seen().wait_calls(1, 5s));
  const auto start = Clock::now();
  const std::error_code why = std::make_error_code(std::errc::connection_aborted);   // the server's own cause
  leaf.shutdown(why, 5s);
  EXPECT_LT(Clock::now() - start, 1s);
  ASSERT_TRUE(leaf.seen().wait_ended(1s));
  {
    std::lock_guard lock(leaf.seen().mu);
    EXPECT_EQ(leaf.seen().cause, why);
  }
  EXPECT_TRUE(leaf.seen().wait_work_stopped(1s));
  EXPECT_NE(call.status.get_future().get().error_code(), grpc::StatusCode::OK);
}

// gRPC's own shutdown deadline cancels an RPC whose handler ignores the
// server-wide context: the RPC's context ends with rpc_end::cancelled.
TEST_P(StyleTest, ShutdownGraceCancelsTheRpcContext) {
  Node leaf("C", GetParam());
  auto stub = leaf.stub();
  PendingCall call(*stub, work(10000), 5s);
  ASSERT_TRUE(leaf.seen().wait_calls(1, 5s));
  // The serving context stays live: only gRPC's cancel after 50 ms ends the RPC.
  std::thread stopper([&] { leaf.shutdown(std::nullopt, 50ms); });
  ASSERT_TRUE(leaf.seen().wait_ended(2s));
  {
    std::lock_guard lock(leaf.seen().mu);
    EXPECT_EQ(leaf.seen().cause, ctx::grpc::rpc_end::cancelled);
  }
  EXPECT_TRUE(leaf.seen().wait_work_stopped(1s));
  stopper.join();
  EXPECT_NE(call.status.get_future().get().error_code(), grpc::StatusCode::OK);
}

INSTANTIATE_TEST_SUITE_P(Styles, StyleTest,
    ::testing::Values(Style::sync, Style::callback, Style::async),
    [](const auto& info) { return std::string(name(info.param)); });

}  // namespace
}  // namespace ctxtest
