// The request path: a chain of handlers in the style of Go's net/http
// middleware. Each layer takes the request's context first, derives what it
// needs (a value, a deadline) and passes the derived context on.
#pragma once
#include <ctx/context.hpp>

#include <chrono>
#include <functional>
#include <string>

#include "inventory.hpp"

namespace shop {

struct Request {
  std::string id;
  std::string tenant;
  std::string sku;
  std::chrono::milliseconds budget;  // how long the caller is willing to wait
};

struct Response {
  int status = 0;  // HTTP-like: 200, 400, 404, 504
  std::string body;
};

using Handler = std::function<Response(const ctx::Context&, const Request&)>;

// The request id every layer can read back, for logs.
struct RequestIdKey {};
std::string request_id(const ctx::Context& c);

Handler with_request_id(Handler next);
Handler with_budget(Handler next);
Handler with_tenant(Handler next);
Handler stock_handler(const InventoryClient& inventory);

// The whole chain, outermost first.
Handler make_service(const InventoryClient& inventory);

}  // namespace shop
