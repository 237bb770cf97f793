#include "inventory.hpp"

namespace shop {

using namespace std::chrono_literals;

InventoryClient::InventoryClient()
    : items_{{"apple", {12, 5ms}}, {"pear", {0, 5ms}}, {"plum", {7, 10ms}},
             {"durian", {1, 2s}}} {}  // durian's warehouse is slow: it exceeds any budget

StockReply InventoryClient::stock(const ctx::Context& c, const std::string& sku) const {
  auto it = items_.find(sku);
  auto latency = it == items_.end() ? 1ms : it->second.latency;
  // The reply "arrives" after the latency, unless the caller's context ends
  // first: the same race a real client runs against its deadline.
  if (c.done().wait_for(latency)) return {c.err(), 0};
  return {{}, it == items_.end() ? 0 : it->second.count};
}

}  // namespace shop
