// ctx-example-http: Go's context-aware HTTP server, in C++ on Asio.
//
//   ctx-example-http [--port=N] [--upstream=URL] [--budget-ms=N] [--no-context]
//
// Every request gets a context derived from the server's, which ends on
// SIGTERM or SIGINT (ctx::signal_context): it carries a request id and the
// user (typed keys), a budget (504 when it passes), and ends when the client
// disconnects. Routes: /work (Go's 2-second select), /fetch (an outgoing
// libcurl call to --upstream that honours the context), /hello.
// --no-context serves the same routes with no request contexts and no
// middleware (the benchmark's baseline: handlers get background()).
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>

#include <ctx/context.hpp>

#include "handlers.hpp"
#include "server.hpp"

namespace {
const char* arg(int argc, char** argv, const char* name) {
  const std::size_t n = std::strlen(name);
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return argv[i] + n + 1;
  return nullptr;
}
bool flag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return true;
  return false;
}
}  // namespace

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  // Go: ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
  auto [server_ctx, stop] = ctx::signal_context(ctx::background(), {SIGTERM, SIGINT});
  auto stop_guard = ctx::defer(stop);

  asio::io_context io(1);
  asio::thread_pool blocking(4);
  app::Config cfg;
  if (const char* u = arg(argc, argv, "--upstream")) cfg.upstream = u;
  if (const char* b = arg(argc, argv, "--budget-ms")) cfg.budget = std::chrono::milliseconds(std::atol(b));
  cfg.blocking = blocking.get_executor();
  cfg.plumbing = !flag(argc, argv, "--no-context");

  http::Server srv{app::make_handler(cfg), cfg.plumbing};
  const char* port = arg(argc, argv, "--port");
  asio::ip::tcp::acceptor acceptor(
      io, {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port ? std::atoi(port) : 0)});
  std::fprintf(stderr, "listening on 127.0.0.1:%u%s\n", acceptor.local_endpoint().port(),
               srv.plumbing ? "" : " (no request contexts)");
  asio::co_spawn(io, http::accept_loop(server_ctx, std::move(acceptor), srv), asio::detached);
  io.run();  // until the server's context ended and every connection closed
  blocking.join();
  std::fprintf(stderr, "server: exited cleanly (%s)\n", ctx::cause(server_ctx).message().c_str());
  curl_global_cleanup();
  return 0;
}
