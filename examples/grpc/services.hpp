// examples/grpc: the inventory service (callback API) and the frontend
// (sync API), each a gRPC handler that turns the RPC into a ctx::Context
// and hands it, first, to the business logic below it.
#pragma once

#include "shop.grpc.pb.h"

#include <ctx/grpc.hpp>

#include <grpcpp/channel.h>

#include <memory>
#include <string>

namespace shop {

// The request id travels client -> frontend -> inventory as metadata.
extern const ctx::grpc::MetadataKey kRequestId;

// Business logic: the answer to a stock query, once the warehouse has
// looked `item` up, unless c (the RPC's context) ended first.
grpc::Status answer_stock(const ctx::Context& c, const std::string& item, StockReply* reply);

// Business logic: an order, checked against the inventory within 500 ms.
grpc::Status place_order(const ctx::Context& c, Inventory::Stub& inventory, const OrderRequest& req,
                         OrderReply* reply);

// Callback API: each RPC a reactor whose context ends when the client
// cancels; the warehouse lookup is a timer (no thread waits for it).
class InventoryService final : public Inventory::CallbackService {
 public:
  explicit InventoryService(ctx::Context serving) : serving_(std::move(serving)) {}
  grpc::ServerUnaryReactor* Stock(grpc::CallbackServerContext* sc, const StockRequest* req,
                                  StockReply* reply) override;

 private:
  ctx::Context serving_;   // NOLINT(context-stored-in-struct): the server-wide parent a gRPC service must hold; handlers derive from it
};

// Sync API: the handler runs on gRPC's thread; a SyncCall gives it its
// context, and the business logic makes the outgoing call with it.
class FrontendService final : public Frontend::Service {
 public:
  FrontendService(ctx::Context serving, const std::shared_ptr<grpc::Channel>& inventory)
      : serving_(std::move(serving)), inventory_(Inventory::NewStub(inventory)) {}
  grpc::Status Order(grpc::ServerContext* sc, const OrderRequest* req, OrderReply* reply) override;

 private:
  ctx::Context serving_;   // NOLINT(context-stored-in-struct): the server-wide parent a gRPC service must hold; handlers derive from it
  std::unique_ptr<Inventory::Stub> inventory_;
};

}  // namespace shop
