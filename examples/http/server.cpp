// Go's net/http, in the part that matters here: a request's context is
// derived from the server's, and ends when the handler returns, when the
// client goes away (a read on the connection sees EOF while the handler
// runs), or when the server's context ends.
#include "server.hpp"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <ctx/asio.hpp>

namespace http {
namespace {

using asio::ip::tcp;
using asio::use_awaitable;

// Watches the connection while a handler runs: readable with nothing to
// read is EOF, the client hung up, and the request context ends with
// client_disconnected(). Bytes to read (a pipelined request) are left alone.
// The watch is a plain callback (no coroutine): cheap per request.
struct Watch {
  asio::cancellation_signal stop;
  bool active = true;  // all on the connection's thread
};

void watch_client(tcp::socket& s, const std::shared_ptr<Watch>& w, ctx::CancelCauseFunc cancel) {
  s.async_wait(tcp::socket::wait_read,
               asio::bind_cancellation_slot(w->stop.slot(), [&s, w, cancel](std::error_code ec) {
                 if (ec || !w->active) return;
                 char b;
                 const ssize_t n = ::recv(s.native_handle(), &b, 1, MSG_PEEK | MSG_DONTWAIT);
                 if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
                   cancel(client_disconnected());
               }));
}

asio::awaitable<Response> run_handler(ctx::Context server_ctx, Server& srv, tcp::socket& s,
                                      const Request& req) {
  if (!srv.plumbing) co_return co_await srv.handler(ctx::background(), req);
  auto [rc, cancel] = ctx::with_cancel_cause(server_ctx);
  auto w = std::make_shared<Watch>();
  watch_client(s, w, cancel);
  Response resp;
  try {
    resp = co_await srv.handler(rc, req);
  } catch (...) {
    w->active = false;
    w->stop.emit(asio::cancellation_type::terminal);
    cancel({});
    throw;
  }
  w->active = false;
  w->stop.emit(asio::cancellation_type::terminal);
  cancel({});  // Go: the request's context is cancelled when ServeHTTP returns
  co_return resp;
}

asio::awaitable<void> session(ctx::Context server_ctx, tcp::socket s, Server& srv) {
  RequestParser parser;
  std::array<char, 8192> buf;
  std::string pending;  // bytes read but not parsed yet (pipelining)
  // An idle connection is closed when the server's context ends.
  ctx::context_cancellation on_stop(server_ctx, s.get_executor());
  try {
    for (;;) {
      while (!parser.complete()) {
        if (!pending.empty()) {
          pending.erase(0, parser.feed(pending.data(), pending.size()));
          continue;
        }
        if (server_ctx.err()) co_return;
        const std::size_t n = co_await s.async_read_some(
            asio::buffer(buf), asio::bind_cancellation_slot(on_stop.slot(), use_awaitable));
        const std::size_t used = parser.feed(buf.data(), n);
        pending.assign(buf.data() + used, n - used);
      }
      Request req = parser.take();
      ++srv.in_flight;
      Response resp = co_await run_handler(server_ctx, srv, s, req);
      --srv.in_flight;
      const bool keep = req.keep_alive && !server_ctx.err();
      co_await asio::async_write(s, asio::buffer(serialize(resp, keep)), use_awaitable);
      if (!keep) co_return;
    }
  } catch (const std::system_error&) {
    // The client went away or the server stopped: nothing left to tell anyone.
  } catch (const std::runtime_error& e) {
    std::error_code ignored;
    asio::write(s, asio::buffer(serialize({400, std::string(e.what()) + "\n"}, false)), ignored);
  }
}

}  // namespace

asio::awaitable<void> accept_loop(ctx::Context c, tcp::acceptor acceptor, Server& srv) {
  using namespace asio::experimental::awaitable_operators;
  auto ex = co_await asio::this_coro::executor;
  for (;;) {
    // Go's select { case conn := <-accepted: case <-ctx.Done(): }
    auto r = co_await (acceptor.async_accept(use_awaitable) ||
                       ctx::async_wait(c, use_awaitable));
    if (r.index() == 1) break;
    asio::co_spawn(ex, session(c, std::get<0>(std::move(r)), srv), asio::detached);
  }
  std::fprintf(stderr, "server: stopped accepting: %s\n", ctx::cause(c).message().c_str());
}

}  // namespace http
