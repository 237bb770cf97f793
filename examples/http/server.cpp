// Go's net/http, in the part that matters here: a request's context is
// derived from the server's, and ends when the handler returns, when the
// client goes away, or when the server's context ends.
//
// Each connection keeps one read in flight at all times, as Go's server
// keeps a background read while a handler runs: what it reads is the next
// (pipelined) request, and its EOF or error while a handler runs is the
// client hanging up, which ends that request's context with
// client_disconnected(). The watch therefore costs nothing per request:
// the read is the one the next request needs anyway. The --no-context
// server runs this same code, with no request context to end.
#include "server.hpp"

#include <array>
#include <cstdio>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include <asio/async_result.hpp>
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

// Pipelined bytes read ahead of the handler, at most (then reading pauses
// until the session has parsed them: a client that floods a slow handler is
// not buffered without bound; its hang-up is then seen once reading resumes).
constexpr std::size_t kMaxReadAhead = 64 * 1024;

// A connection's socket and its read in flight: plain callbacks, no
// coroutine frame per read. Everything runs on the connection's executor
// (one thread), so nothing here is locked.
class Conn : public std::enable_shared_from_this<Conn> {
 public:
  explicit Conn(tcp::socket s) : sock(std::move(s)) {}
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn() {
    if (parked_ != nullptr) parked_->~Parked();
  }

  tcp::socket sock;
  std::string pending;                      // read, not parsed yet
  std::error_code read_error;               // what ended reading (EOF, reset, our close)
  ctx::CancelCauseFunc* hangup = nullptr;   // the running request's cancel, while it runs
  bool busy = false;                        // a request is being handled or answered

  // Starts the read unless one is in flight, reading ended, or enough is
  // buffered already.
  void read_more() {
    if (reading_ || read_error || pending.size() >= kMaxReadAhead) return;
    reading_ = true;
    sock.async_read_some(asio::buffer(buf_), [self = shared_from_this()](std::error_code ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }
  // Parsed bytes leave the buffer; reading resumes if it had paused.
  void consume(std::size_t n) {
    pending.erase(0, n);
    read_more();
  }
  // Completes (signature void()) once pending grew or reading ended. One
  // waiter at a time: the session.
  template <class Token>
  auto async_input(Token&& token) {
    return asio::async_initiate<Token, void()>([this](auto h) { this->park(std::move(h)); }, token);
  }

 private:
  void on_read(std::error_code ec, std::size_t n) {
    reading_ = false;
    if (ec) {
      read_error = ec;
      // Our own close or cancel is not the client's doing.
      if (hangup != nullptr && ec != asio::error::operation_aborted) (*hangup)(client_disconnected());
    } else {
      pending.append(buf_.data(), n);
      read_more();
    }
    if (Parked* p = std::exchange(parked_, nullptr)) p->resume();
  }

  // The waiting session's completion handler, kept in place (no allocation
  // per wait: its type is the same every time).
  struct Parked {
    virtual void resume() = 0;  // destroys *this, then runs the handler
    virtual ~Parked() = default;
  };
  template <class H>
  struct ParkedAs final : Parked {
    explicit ParkedAs(H&& x) : h(std::move(x)) {}
    void resume() override {
      H local = std::move(h);
      this->~ParkedAs();
      std::move(local)();
    }
    H h;
  };
  template <class H>
  void park(H h) {
    static_assert(sizeof(ParkedAs<H>) <= sizeof(park_buf_), "park_buf_ too small for the handler");
    parked_ = ::new (static_cast<void*>(park_buf_)) ParkedAs<H>(std::move(h));
  }

  std::array<char, 8192> buf_;
  bool reading_ = false;
  Parked* parked_ = nullptr;
  alignas(std::max_align_t) unsigned char park_buf_[128];
};

// server_ctx by reference (no count per request): the session's, which
// outlives this frame, always awaited at once.
asio::awaitable<Response> run_handler(const ctx::Context& server_ctx, Server& srv, Conn& conn,
                                      const Request& req) {
  // The benchmark's baseline: no request context at all.
  if (!srv.plumbing) co_return co_await srv.handler(ctx::background(), req);  // NOLINT(context-not-inherited)
  auto [rc, cancel] = ctx::with_cancel_cause(server_ctx);
  // The connection's read ends rc if the client hangs up; it may have already.
  conn.hangup = &cancel;
  if (conn.read_error && conn.read_error != asio::error::operation_aborted) cancel(client_disconnected());
  struct Finish {  // Go: the request's context is cancelled when ServeHTTP returns
    Conn& conn;
    ctx::CancelCauseFunc& cancel;
    ~Finish() {
      conn.hangup = nullptr;
      cancel({});
    }
  } finish{conn, cancel};
  co_return co_await srv.handler(rc, req);
}

asio::awaitable<void> session(ctx::Context server_ctx, tcp::socket s, Server& srv) {
  auto conn = std::make_shared<Conn>(std::move(s));
  // When the server's context ends, an idle connection is closed at once (its
  // read cancelled); a busy one once its response is written.
  ctx::context_cancellation on_stop(server_ctx, conn->sock.get_executor());
  on_stop.slot().assign([&c = *conn](asio::cancellation_type) {
    if (!c.busy) c.sock.cancel();
  });
  struct Close {  // ends the read in flight, which holds the last reference
    Conn& c;
    ~Close() {
      std::error_code ignored;
      c.sock.close(ignored);
    }
  } close{*conn};
  RequestParser parser;
  conn->read_more();
  try {
    for (;;) {
      while (!parser.complete()) {
        if (!conn->pending.empty()) {
          conn->consume(parser.feed(conn->pending.data(), conn->pending.size()));
          continue;
        }
        if (conn->read_error || server_ctx.err()) co_return;
        co_await conn->async_input(use_awaitable);
      }
      Request req = parser.take();
      conn->busy = true;
      ++srv.in_flight;
      Response resp = co_await run_handler(server_ctx, srv, *conn, req);
      --srv.in_flight;
      const bool keep = req.keep_alive && !server_ctx.err();
      co_await asio::async_write(conn->sock, asio::buffer(serialize(resp, keep)), use_awaitable);
      conn->busy = false;
      if (!keep) co_return;
    }
  } catch (const std::system_error&) {
    // The client went away or the server stopped: nothing left to tell anyone.
  } catch (const std::runtime_error& e) {
    std::error_code ignored;
    asio::write(conn->sock, asio::buffer(serialize({400, std::string(e.what()) + "\n"}, false)), ignored);
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
