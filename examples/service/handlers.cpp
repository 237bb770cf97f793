#include "handlers.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

namespace shop {

namespace {

// The request this worker thread serves, for code that has no context.
thread_local ctx::Context current_request;  // MISTAKE(context-stored-in-global): a worker serves many requests, and this keeps the last one's context alive after it ended; pass the context to what needs it

void log_line(const std::string& what, const ctx::Context& c) {  // MISTAKE(context-first-parameter): the context goes first, so every call site reads the same way
  std::printf("[%s] %s\n", request_id(c).c_str(), what.c_str());
}

}  // namespace

std::string request_id(const ctx::Context& c) {
  // Logging tolerates a missing context; the request path never has one.
  if (!c) return "-";
  const std::string* id = c.value<std::string>(RequestIdKey{});
  return id ? *id : "-";
}

Handler with_request_id(Handler next) {
  return [next](const ctx::Context& c, const Request& r) {
    log_line("received " + r.id, c);
    ctx::Context tagged = ctx::with_value(ctx::background(), RequestIdKey{}, r.id);  // MISTAKE(context-not-inherited): the request no longer ends with the pool's context (shutdown); derive it from c
    current_request = tagged;
    return next(tagged, r);
  };
}

Handler with_budget(Handler next) {
  return [next](const ctx::Context& c, const Request& r) {
    auto [limited, cancel] = ctx::with_timeout(c, r.budget);
    auto release = ctx::defer(cancel);
    Response resp = next(limited, r);
    if (limited.err() == ctx::errc::deadline_exceeded) resp = {504, "over budget"};
    return resp;
  };
}

Handler with_tenant(Handler next) {
  return [next](const ctx::Context& c, const Request& r) {
    ctx::Context tagged = ctx::with_value(c, std::string("tenant"), r.tenant);  // MISTAKE(context-builtin-key): a std::string key collides with any other package's "tenant"; use struct TenantKey {}
    return next(tagged, r);
  };
}

Handler stock_handler(const InventoryClient& inventory) {
  return [&inventory](const ctx::Context& c, const Request& r) -> Response {
    // The backend gets half the remaining budget, leaving time to answer.
    auto [call, cancel] = ctx::with_timeout(c, r.budget / 2);  // MISTAKE(context-lost-cancel): the 400 return below leaves the timer registered until it fires
    if (r.sku.empty()) return {400, "no sku"};
    log_line("asking inventory for " + r.sku, call);
    StockReply reply = inventory.stock(call, r.sku);
    cancel();
    if (reply.err) return {504, "inventory: " + reply.err.message()};
    // Sold out: a delivery may be on its way; look again a few times.
    for (int tries = 0; reply.count == 0 && !reply.err && tries < 2; ++tries) {  // MISTAKE(context-unchecked-loop): the backoff sleeps on after the request's deadline; wait on c.done() instead
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      reply = inventory.stock(r.sku);  // MISTAKE(context-not-passed): the second look ignores the request's deadline; pass c
    }
    if (reply.count == 0) return {404, r.sku + " sold out"};
    return {200, r.sku + ": " + std::to_string(reply.count) + " in stock"};
  };
}

Handler make_service(const InventoryClient& inventory) {
  log_line("service assembled", nullptr);  // MISTAKE(context-null): pass ctx::background() (or the caller's context), never a null one
  return with_request_id(with_budget(with_tenant(stock_handler(inventory))));
}

}  // namespace shop
