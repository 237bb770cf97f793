// The connection side of the example server: accepts, reads requests, gives
// each one a context derived from the server's, and writes responses.
#pragma once

#include <cstddef>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include <ctx/context.hpp>

#include "http.hpp"

namespace http {

// What the connections share. The server's context is not stored here: it
// is passed down, first, as every context is (Go's BaseContext).
struct Server {
  Handler handler;         // the middleware chain and routes
  bool plumbing = true;    // false: no request contexts at all (the benchmark's baseline)
  std::size_t in_flight = 0;
};

// Accepts until c (the server's context: it ends on SIGTERM/SIGINT) ends;
// every connection runs as its own coroutine, its requests' contexts
// derived from c.
asio::awaitable<void> accept_loop(ctx::Context c, asio::ip::tcp::acceptor acceptor, Server& srv);

}  // namespace http
