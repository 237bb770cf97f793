// The connection side of the example server: accepts, reads requests, gives
// each one a context derived from the server's, and writes responses.
#pragma once

#include <cstddef>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include <ctx/context.hpp>

#include "http.hpp"

namespace http {

struct Server {
  ctx::Context ctx;        // ends on SIGTERM/SIGINT: stop accepting, end every request
  Handler handler;         // the middleware chain and routes
  bool plumbing = true;    // false: no request contexts at all (the benchmark's baseline)
  std::size_t in_flight = 0;
};

// Accepts until srv.ctx ends; every connection runs as its own coroutine.
asio::awaitable<void> accept_loop(asio::ip::tcp::acceptor acceptor, Server& srv);

}  // namespace http
