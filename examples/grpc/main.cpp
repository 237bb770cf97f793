// examples/grpc: a frontend and an inventory service on loopback, and a
// client placing orders through them with ctx deadlines, cancellation and
// a request id carried across both hops. Exits 0 after a summary line.
#include "services.hpp"

#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <map>
#include <thread>

using namespace std::chrono_literals;

namespace {

struct Server {
  std::unique_ptr<grpc::Server> server;
  std::string address;
};

Server start(grpc::Service& service) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  Server s{builder.BuildAndStart(), ""};
  s.address = "127.0.0.1:" + std::to_string(port);
  return s;
}

struct Order {
  const char* id;
  const char* item;
  int quantity;
  std::chrono::milliseconds cancel_after;   // the client gives up after this (0: never)
};

// One order from the client: its own context (request id, 2 s budget).
grpc::StatusCode order(const ctx::Context& c, shop::Frontend::Stub& frontend, const Order& o) {
  auto [budget, cancel] = ctx::with_timeout(ctx::with_value(c, shop::kRequestId.key(), std::string(o.id)), 2s);
  auto release = ctx::defer(cancel);
  std::jthread user;
  if (o.cancel_after > 0ms)
    user = std::jthread([cancel = cancel, after = o.cancel_after] {
      std::this_thread::sleep_for(after);
      cancel();   // the user gave up
    });
  ctx::grpc::ClientCall call(budget, {&shop::kRequestId});
  shop::OrderRequest req;
  req.set_item(o.item);
  req.set_quantity(o.quantity);
  shop::OrderReply reply;
  const grpc::Status s = frontend.Order(&call.client_context(), req, &reply);
  std::printf("%s -> %s\n", o.id, s.ok() ? reply.confirmation().c_str()
                                         : ("error " + std::to_string(s.error_code()) + ": " + s.error_message()).c_str());
  return s.error_code();
}

}  // namespace

int main() {
  auto [serving, stop_serving] = ctx::with_cancel(ctx::background());
  auto release_serving = ctx::defer(stop_serving);
  shop::InventoryService inventory_service(serving);
  Server inventory = start(inventory_service);
  shop::FrontendService frontend_service(
      serving, grpc::CreateChannel(inventory.address, grpc::InsecureChannelCredentials()));
  Server frontend = start(frontend_service);
  if (!inventory.server || !frontend.server) {
    std::fprintf(stderr, "cannot listen on 127.0.0.1\n");
    return 1;
  }

  auto stub = shop::Frontend::NewStub(grpc::CreateChannel(frontend.address, grpc::InsecureChannelCredentials()));
  const Order orders[] = {
      {"o1", "apple", 2, 0ms},    {"o2", "pear", 1, 0ms},       {"o3", "durian", 1, 0ms},
      {"o4", "kiwi", 1, 0ms},     {"o5", "pear", 9, 0ms},       {"o6", "durian", 1, 50ms},
  };
  std::map<grpc::StatusCode, int> outcome;
  auto [client, stop_client] = ctx::with_cancel(ctx::background());
  auto release_client = ctx::defer(stop_client);
  for (const Order& o : orders) ++outcome[order(client, *stub, o)];

  // Shutdown: end the server-wide context first, so that handlers still
  // running stop, then let gRPC finish.
  stop_serving();
  frontend.server->Shutdown(std::chrono::system_clock::now() + 1s);
  inventory.server->Shutdown(std::chrono::system_clock::now() + 1s);
  std::printf("orders: %d ok, %d deadline exceeded, %d cancelled, %d not found, %d refused\n",
              outcome[grpc::StatusCode::OK], outcome[grpc::StatusCode::DEADLINE_EXCEEDED],
              outcome[grpc::StatusCode::CANCELLED], outcome[grpc::StatusCode::NOT_FOUND],
              outcome[grpc::StatusCode::FAILED_PRECONDITION]);
  return 0;
}
