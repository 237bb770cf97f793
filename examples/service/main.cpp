// An order service in miniature: requests go through a worker pool and a
// handler chain (request id, time budget, tenant) to an inventory call.
// Exits 0 after printing every response and a summary line.
#include <ctx/context.hpp>

#include <cstdio>
#include <future>
#include <vector>

#include "handlers.hpp"
#include "inventory.hpp"
#include "worker_pool.hpp"

using namespace std::chrono_literals;

int main() {
  auto [root, shutdown] = ctx::with_cancel(ctx::background());
  auto stop_pool = ctx::defer(shutdown);

  shop::InventoryClient inventory;
  // Warm the client up before serving.
  shop::StockReply warm = inventory.stock(ctx::todo(), "apple");  // MISTAKE(context-todo): startup has a context (root); todo() hides that it is not wired through
  std::printf("warm-up: %d apples\n", warm.count);

  std::vector<shop::Request> requests = {
      {"r1", "acme", "apple", 500ms}, {"r2", "acme", "pear", 500ms},
      {"r3", "globex", "plum", 500ms}, {"r4", "globex", "durian", 100ms},
      {"r5", "acme", "", 500ms},       {"r6", "initech", "kiwi", 500ms},
  };

  int ok = 0, timed_out = 0, rejected = 0;
  {
    shop::WorkerPool pool(root, 3, shop::make_service(inventory));
    std::vector<std::future<shop::Response>> replies;
    ctx::Context batch = root;
    for (const auto& r : requests) {
      batch = ctx::with_value(batch, shop::RequestIdKey{}, r.id);  // MISTAKE(context-derived-in-loop): each request's context is a child of the previous one, six levels deep by the last; derive a new variable per request from root
      replies.push_back(pool.submit(batch, r));
    }
    for (size_t i = 0; i < replies.size(); ++i) {
      shop::Response resp = replies[i].get();
      std::printf("%s -> %d %s\n", requests[i].id.c_str(), resp.status, resp.body.c_str());
      if (resp.status == 504) ++timed_out;
      else if (resp.status == 400) ++rejected;
      else ++ok;  // 200 and 404 are both answers
    }
    shutdown();  // lets the workers leave their wait before the pool joins them
  }
  std::printf("served %zu requests: %d ok, %d timed out, %d rejected\n", requests.size(), ok,
              timed_out, rejected);
  return 0;
}
