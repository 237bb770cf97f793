// The bridge's client side (ClientCall), the status mapping and metadata
// keys, and the sync API's polling bound.
#include "node.hpp"

#include <gtest/gtest.h>

#include <future>

namespace ctxtest {
namespace {

using namespace std::chrono_literals;
using ctx::Clock;

TEST(GrpcStatus, ErrorsMapBothWays) {
  using grpc::StatusCode;
  EXPECT_FALSE(ctx::grpc::to_error(grpc::Status::OK));
  EXPECT_EQ(ctx::grpc::to_error(grpc::Status(StatusCode::CANCELLED, "")), ctx::errc::canceled);
  EXPECT_EQ(ctx::grpc::to_error(grpc::Status(StatusCode::DEADLINE_EXCEEDED, "")),
            ctx::errc::deadline_exceeded);
  const std::error_code unavailable = ctx::grpc::to_error(grpc::Status(StatusCode::UNAVAILABLE, "x"));
  EXPECT_EQ(unavailable.category(), ctx::grpc::status_category());
  EXPECT_EQ(unavailable.message(), "UNAVAILABLE");
  EXPECT_EQ(ctx::grpc::to_status(unavailable).error_code(), StatusCode::UNAVAILABLE);
  EXPECT_EQ(ctx::grpc::to_status(ctx::errc::canceled).error_code(), StatusCode::CANCELLED);
  EXPECT_EQ(ctx::grpc::to_status(ctx::errc::deadline_exceeded).error_code(), StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(ctx::grpc::to_status(ctx::grpc::rpc_end::deadline).error_code(), StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(ctx::grpc::to_status(std::make_error_code(std::errc::io_error)).error_code(), StatusCode::UNKNOWN);
  EXPECT_EQ(ctx::grpc::to_status(ctx::errc::canceled, "why").error_message(), "why");
  EXPECT_TRUE(ctx::grpc::to_status(std::error_code{}).ok());
}

TEST(GrpcStatus, ContextToStatusNamesTheCause) {
  EXPECT_TRUE(ctx::grpc::to_status(ctx::background()).ok());
  auto [c, cancel] = ctx::with_cancel_cause(ctx::background());
  cancel(ctx::grpc::rpc_end::completed);
  const grpc::Status s = ctx::grpc::to_status(c);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_NE(s.error_message().find("the RPC completed"), std::string::npos) << s.error_message();
  auto [d, stop] = ctx::with_timeout(ctx::background(), -1s);
  auto release = ctx::defer(stop);
  EXPECT_EQ(ctx::grpc::to_status(d).error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST(GrpcClock, DeadlinesConvertByRemainingTime) {
  EXPECT_FALSE(ctx::grpc::from_grpc_deadline(std::chrono::system_clock::time_point::max()));
  const auto d = Clock::now() + 250ms;
  const auto back = ctx::grpc::from_grpc_deadline(ctx::grpc::to_grpc_deadline(d));
  ASSERT_TRUE(back);
  EXPECT_LT(*back > d ? *back - d : d - *back, 1ms);
  EXPECT_EQ(ctx::grpc::to_grpc_deadline(Clock::time_point::max()), std::chrono::system_clock::time_point::max());
}

TEST(GrpcMetadata, KeysMustBeTextMetadata) {
  EXPECT_THROW(ctx::grpc::MetadataKey("X-Upper"), std::invalid_argument);
  EXPECT_THROW(ctx::grpc::MetadataKey("grpc-reserved"), std::invalid_argument);
  EXPECT_THROW(ctx::grpc::MetadataKey("blob-bin"), std::invalid_argument);
  EXPECT_THROW(ctx::grpc::MetadataKey(""), std::invalid_argument);
  EXPECT_EQ(ctx::grpc::MetadataKey("x-tenant").header(), "x-tenant");
}

// The call gets the earlier of the context's deadline and its own.
TEST(GrpcClientCall, EarlierDeadlineWins) {
  auto [c, cancel] = ctx::with_timeout(ctx::background(), 10s);
  auto release = ctx::defer(cancel);
  ctx::grpc::ClientCall call(c);
  const auto ctx_deadline = call.client_context().deadline();
  EXPECT_LT(ctx_deadline - std::chrono::system_clock::now(), 10s + 1ms);
  EXPECT_GT(ctx_deadline - std::chrono::system_clock::now(), 9s);
  call.set_deadline(std::chrono::system_clock::now() + 100ms);
  EXPECT_LT(call.client_context().deadline() - std::chrono::system_clock::now(), 101ms);
  call.set_deadline(std::chrono::system_clock::now() + 1h);   // later: the context's stays
  EXPECT_EQ(call.client_context().deadline(), ctx_deadline);
  ctx::grpc::ClientCall unbounded(ctx::background());
  EXPECT_EQ(unbounded.client_context().deadline(), std::chrono::system_clock::time_point::max());
}

// A context that ended before the call: the call fails at once and never
// reaches the server.
TEST(GrpcClientCall, EndedContextSendsNothing) {
  Node server("S", Style::sync);
  auto stub = server.stub();
  auto [cancelled, cancel] = ctx::with_cancel(ctx::background());
  cancel();
  auto [expired, stop] = ctx::with_timeout(ctx::background(), -1ms);
  auto release = ctx::defer(stop);
  for (const ctx::Context& c : {cancelled, expired}) {
    ctx::grpc::ClientCall call(c);
    HopRequest req;
    HopReply reply;
    const grpc::Status s = stub->Call(&call.client_context(), req, &reply);
    EXPECT_EQ(s.error_code(), ctx::grpc::to_status(c).error_code()) << s.error_message();
  }
  // A live call afterwards goes through: the server was reachable all along.
  ctx::grpc::ClientCall live(ctx::background());
  HopRequest req;
  HopReply reply;
  EXPECT_TRUE(stub->Call(&live.client_context(), req, &reply).ok());
  std::lock_guard lock(server.seen().mu);
  EXPECT_EQ(server.seen().calls, 1);
}

// ClientCalls destroyed while, before and after their context ends, on
// other threads: the tie never touches a destroyed ClientContext (ASan and
// TSan runs of this test check it).
TEST(GrpcClientCall, DestroyedClientContextIsNeverTouched) {
  Node server("S", Style::callback);
  auto stub = server.stub();
  for (int i = 0; i < 200; ++i) {
    auto [c, cancel] = ctx::with_cancel(ctx::background());
    auto call = std::make_unique<ctx::grpc::ClientCall>(c);
    if (i % 2 == 0) {   // a completed call first
      HopRequest req;
      HopReply reply;
      ASSERT_TRUE(stub->Call(&call->client_context(), req, &reply).ok());
    }
    std::thread canceller([cancel = cancel] { cancel(); });
    if (i % 3 == 0) call->release();
    call.reset();
    canceller.join();
  }
}

// The context ends while the call is in flight: the call is cancelled.
TEST(GrpcClientCall, ContextEndCancelsTheCall) {
  Node server("S", Style::sync);
  auto stub = server.stub();
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  std::thread canceller([&, cancel = cancel] {
    server.seen().wait_calls(1, 5s);
    cancel();
  });
  ctx::grpc::ClientCall call(c);
  HopRequest req = [] { HopRequest r; r.set_work_ms(10000); return r; }();
  HopReply reply;
  const auto start = Clock::now();
  const grpc::Status s = stub->Call(&call.client_context(), req, &reply);
  canceller.join();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_LT(Clock::now() - start, 2s);
  ASSERT_TRUE(server.seen().wait_ended(1s));
}

// The sync API learns of a cancel only by polling: within one poll interval
// (plus the cancel's trip over loopback) of the client's TryCancel.
TEST(GrpcSyncCall, CancelNoticedWithinOnePollInterval) {
  const auto old = ctx::grpc::sync_poll_interval();
  ctx::grpc::set_sync_poll_interval(50ms);
  Node server("S", Style::sync);
  auto stub = server.stub();
  grpc::ClientContext cc;
  HopRequest req;
  req.set_work_ms(10000);
  HopReply reply;
  std::promise<grpc::Status> done;
  stub->async()->Call(&cc, &req, &reply, [&](grpc::Status s) { done.set_value(std::move(s)); });
  ASSERT_TRUE(server.seen().wait_calls(1, 5s));
  const auto cancelled = Clock::now();
  cc.TryCancel();
  ASSERT_TRUE(server.seen().wait_ended(2s));
  {
    std::lock_guard lock(server.seen().mu);
    EXPECT_LT(*server.seen().ended - cancelled, 50ms + 40ms);
    EXPECT_EQ(server.seen().cause, ctx::grpc::rpc_end::cancelled);
  }
  done.get_future().get();
  ctx::grpc::set_sync_poll_interval(old);
}

}  // namespace
}  // namespace ctxtest
