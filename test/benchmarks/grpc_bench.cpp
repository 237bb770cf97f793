// The gRPC bridge's cost: a unary RPC on loopback with the bridge on both
// sides (ClientCall from a context with a deadline, a server context per
// RPC) against the same RPC without it (a ClientContext with the same
// deadline), for the callback and the sync server API; and the bridge's
// own pieces without an RPC. docs/performance.md has a run.
#include "hop.grpc.pb.h"

#include <ctx/grpc.hpp>

#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <memory>

namespace {

using namespace std::chrono_literals;
using ctxtest::Hop;
using ctxtest::HopReply;
using ctxtest::HopRequest;

const ctx::grpc::MetadataKey kRequestId{"x-request-id"};

// Callback API, plain: gRPC's default reactor.
struct PlainCallback : Hop::CallbackService {
  grpc::ServerUnaryReactor* Call(grpc::CallbackServerContext* sc, const HopRequest*, HopReply* reply) override {
    reply->set_path("plain");
    auto* r = sc->DefaultReactor();
    r->Finish(grpc::Status::OK);
    return r;
  }
};

// Callback API, bridged: a reactor with the RPC's context.
struct BridgedCallback : Hop::CallbackService {
  explicit BridgedCallback(ctx::Context s) : serving(std::move(s)) {}
  grpc::ServerUnaryReactor* Call(grpc::CallbackServerContext* sc, const HopRequest*, HopReply* reply) override {
    auto* r = new ctx::grpc::UnaryReactor(serving, sc, {&kRequestId});
    reply->set_path(*r->context().value(kRequestId.key()));
    r->Finish(ctx::grpc::to_status(r->context()));
    return r;
  }
  ctx::Context serving;
};

struct PlainSync : Hop::Service {
  grpc::Status Call(grpc::ServerContext*, const HopRequest*, HopReply* reply) override {
    reply->set_path("plain");
    return grpc::Status::OK;
  }
};

struct BridgedSync : Hop::Service {
  explicit BridgedSync(ctx::Context s) : serving(std::move(s)) {}
  grpc::Status Call(grpc::ServerContext* sc, const HopRequest*, HopReply* reply) override {
    ctx::grpc::SyncCall call(serving, *sc, {&kRequestId});
    reply->set_path(*call.context().value(kRequestId.key()));
    return ctx::grpc::to_status(call.context());
  }
  ctx::Context serving;
};

struct Server {
  std::unique_ptr<grpc::Service> service;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<Hop::Stub> stub;
  explicit Server(std::unique_ptr<grpc::Service> s) : service(std::move(s)) {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
    stub = Hop::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                            grpc::InsecureChannelCredentials()));
  }
  ~Server() { server->Shutdown(std::chrono::system_clock::now() + 1s); }
};

void plain_calls(benchmark::State& state, Hop::Stub& stub) {
  HopRequest req;
  HopReply reply;
  for (auto _ : state) {
    grpc::ClientContext cc;
    cc.set_deadline(std::chrono::system_clock::now() + 10s);
    cc.AddMetadata(kRequestId.header(), "r-1");
    if (!stub.Call(&cc, req, &reply).ok()) state.SkipWithError("call failed");
  }
}

void bridged_calls(benchmark::State& state, Hop::Stub& stub) {
  auto [c, cancel] = ctx::with_timeout(ctx::with_value(ctx::background(), kRequestId.key(), std::string("r-1")), 1h);
  auto release = ctx::defer(cancel);
  HopRequest req;
  HopReply reply;
  for (auto _ : state) {
    ctx::grpc::ClientCall call(c, {&kRequestId});
    if (!stub.Call(&call.client_context(), req, &reply).ok()) state.SkipWithError("call failed");
  }
}

void BM_Unary_Callback_Plain(benchmark::State& state) {
  Server s(std::make_unique<PlainCallback>());
  plain_calls(state, *s.stub);
}
void BM_Unary_Callback_Bridged(benchmark::State& state) {
  Server s(std::make_unique<BridgedCallback>(ctx::background()));
  bridged_calls(state, *s.stub);
}
void BM_Unary_Sync_Plain(benchmark::State& state) {
  Server s(std::make_unique<PlainSync>());
  plain_calls(state, *s.stub);
}
void BM_Unary_Sync_Bridged(benchmark::State& state) {
  Server s(std::make_unique<BridgedSync>(ctx::background()));
  bridged_calls(state, *s.stub);
}
BENCHMARK(BM_Unary_Callback_Plain)->UseRealTime();
BENCHMARK(BM_Unary_Callback_Bridged)->UseRealTime();
BENCHMARK(BM_Unary_Sync_Plain)->UseRealTime();
BENCHMARK(BM_Unary_Sync_Bridged)->UseRealTime();

// The bridge's pieces alone. Client: a ClientCall from a context with a
// deadline and a value against a ClientContext given the same by hand.
void BM_Client_Plain(benchmark::State& state) {
  for (auto _ : state) {
    grpc::ClientContext cc;
    cc.set_deadline(std::chrono::system_clock::now() + 10s);
    cc.AddMetadata(kRequestId.header(), "r-1");
    benchmark::DoNotOptimize(&cc);
  }
}
void BM_Client_Bridged(benchmark::State& state) {
  auto [c, cancel] = ctx::with_timeout(ctx::with_value(ctx::background(), kRequestId.key(), std::string("r-1")), 1h);
  auto release = ctx::defer(cancel);
  for (auto _ : state) {
    ctx::grpc::ClientCall call(c, {&kRequestId});
    benchmark::DoNotOptimize(&call);
  }
}
// Server: the context of one RPC, made and ended (the ServerContext, which
// gRPC makes for every RPC anyway, outside the loop).
void BM_Server_Context(benchmark::State& state) {
  grpc::ServerContext sc;
  for (auto _ : state) {
    ctx::grpc::ServerCall call(ctx::background(), sc, {&kRequestId});
    benchmark::DoNotOptimize(call.context().err());
  }
}
BENCHMARK(BM_Client_Plain);
BENCHMARK(BM_Client_Bridged);
BENCHMARK(BM_Server_Context);

}  // namespace

BENCHMARK_MAIN();
