// The "outgoing call": a client of an inventory service. The service is
// faked in-process (a table and a simulated latency) so the example runs
// anywhere, but the client behaves like a real RPC client: it gives up as
// soon as its context ends.
#pragma once
#include <ctx/context.hpp>

#include <chrono>
#include <map>
#include <string>
#include <system_error>

namespace shop {

struct StockReply {
  std::error_code err;  // ctx::errc::* when the call was cut short
  int count = 0;
};

class InventoryClient {
 public:
  InventoryClient();
  // How many of `sku` are in stock; waits at most until `c` ends.
  StockReply stock(const ctx::Context& c, const std::string& sku) const;
  // For callers that have no context (startup, tools): never gives up.
  StockReply stock(const std::string& sku) const { return stock(ctx::background(), sku); }

 private:
  struct Item {
    int count;
    std::chrono::milliseconds latency;  // the fake network + server time
  };
  std::map<std::string, Item> items_;
};

}  // namespace shop
