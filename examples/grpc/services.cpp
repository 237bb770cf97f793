#include "services.hpp"

#include <map>

namespace shop {

using namespace std::chrono_literals;

const ctx::grpc::MetadataKey kRequestId{"x-request-id"};

namespace {

const std::map<std::string, int> kStock = {{"apple", 10}, {"pear", 3}, {"durian", 5}};

// Durians are kept in the slow warehouse.
std::chrono::milliseconds lookup_time(const std::string& item) {
  return item == "durian" ? 5000ms : 20ms;
}

class StockReactor final : public ctx::grpc::UnaryReactor {
 public:
  StockReactor(const ctx::Context& serving, grpc::CallbackServerContext* sc, const StockRequest* req,
               StockReply* reply)
      : ctx::grpc::UnaryReactor(serving, sc, {&kRequestId}) {
    // The lookup ends when the warehouse answers (its timer) or the RPC's
    // context ends; either way the reply goes out from a runtime thread.
    auto [lookup, stop] = ctx::with_timeout(context(), lookup_time(req->item()));
    ctx::after_func(lookup, [this, stop = stop, req, reply] {
      stop();
      Finish(answer_stock(context(), req->item(), reply));
    });
  }
};

}  // namespace

grpc::Status answer_stock(const ctx::Context& c, const std::string& item, StockReply* reply) {
  if (c.err()) return ctx::grpc::to_status(c);   // cancelled or past its deadline
  const auto it = kStock.find(item);
  if (it == kStock.end()) return {grpc::StatusCode::NOT_FOUND, "no such item: " + item};
  reply->set_count(it->second);
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* InventoryService::Stock(grpc::CallbackServerContext* sc,
                                                  const StockRequest* req, StockReply* reply) {
  return new StockReactor(serving_, sc, req, reply);
}

grpc::Status place_order(const ctx::Context& c, Inventory::Stub& inventory, const OrderRequest& req,
                         OrderReply* reply) {
  // The inventory gets 500 ms of what is left of this order's budget.
  auto [lookup, cancel] = ctx::with_timeout(c, 500ms);
  auto release = ctx::defer(cancel);
  ctx::grpc::ClientCall call(lookup, {&kRequestId});
  StockRequest stock_req;
  stock_req.set_item(req.item());
  StockReply stock;
  const grpc::Status s = inventory.Stock(&call.client_context(), stock_req, &stock);
  if (!s.ok()) return ctx::grpc::to_status(ctx::grpc::to_error(s), "inventory: " + s.error_message());
  if (stock.count() < req.quantity())
    return {grpc::StatusCode::FAILED_PRECONDITION, "only " + std::to_string(stock.count()) + " left"};
  const std::string* id = c.value(kRequestId.key());
  reply->set_confirmation("order " + (id != nullptr ? *id : std::string("?")) + ": " +
                          std::to_string(req.quantity()) + " " + req.item());
  return grpc::Status::OK;
}

grpc::Status FrontendService::Order(grpc::ServerContext* sc, const OrderRequest* req, OrderReply* reply) {
  ctx::grpc::SyncCall call(serving_, *sc, {&kRequestId});
  return place_order(call.context(), *inventory_, *req, reply);
}

}  // namespace shop
