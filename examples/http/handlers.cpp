// Middleware and routes. Each handler takes the request's context first and
// passes it to everything it calls, as Go's handlers pass r.Context().
#include "handlers.hpp"

#include <cstdarg>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include <asio/co_spawn.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <ctx/asio.hpp>

namespace app {
namespace {

using http::Handler;
using http::Request;
using http::Response;
using namespace std::chrono_literals;

std::string id_of(const ctx::Context& c) {
  const std::string* id = c.value(request_id_key);
  return id != nullptr ? *id : "-";
}

// Logs a line tagged with the request id and user found in c.
void log(const ctx::Context& c, const char* fmt, ...) {
  const User* u = c.value(user_key);
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  std::fprintf(stderr, "request %s (%s): %s\n", id_of(c).c_str(), u ? u->name.c_str() : "-", line);
}

// Authentication stand-in: "Authorization: Bearer <name>" names the user.
User authenticate(const Request& r) {
  const std::string auth = r.header("authorization");
  const std::string prefix = "Bearer ";
  if (auth.rfind(prefix, 0) == 0 && auth.size() > prefix.size()) return {auth.substr(prefix.size())};
  return {"anonymous"};
}

// Go: func withIDs(next http.Handler) http.Handler { ... r.WithContext(ctx) ... }
Handler with_ids(Handler next) {
  auto counter = std::make_shared<unsigned long>(0);
  // Not a coroutine itself: it returns next's awaitable (one frame less).
  return [next, counter](ctx::Context c, const Request& r) -> asio::awaitable<Response> {
    c = ctx::with_value(c, request_id_key, std::to_string(++*counter));
    c = ctx::with_value(c, user_key, authenticate(r));
    return next(std::move(c), r);
  };
}

// Go: ctx, cancel := context.WithTimeout(r.Context(), budget); defer cancel()
// A request still running when its budget passes gets 504.
Handler with_budget(Handler next, std::chrono::milliseconds budget) {
  return [next, budget](ctx::Context c, const Request& r) -> asio::awaitable<Response> {
    auto [bc, cancel] = ctx::with_timeout(c, budget);
    auto guard = ctx::defer(cancel);
    std::optional<Response> resp;
    try {
      resp = co_await next(bc, r);
    } catch (const std::system_error& e) {
      // Not the context's doing (a deadline error may beat bc's own timer).
      if (!bc.err() && e.code() != ctx::errc::deadline_exceeded) throw;
    }
    const bool expired = bc.err() == ctx::errc::deadline_exceeded ||
                         (!resp && ctx::Clock::now() >= *bc.deadline());
    if (expired && !c.err()) {
      log(bc, "budget of %lld ms passed: 504", static_cast<long long>(budget.count()));
      co_return Response{504, "budget exceeded\n"};
    }
    if (!resp) co_return Response{503, ctx::cause(bc).message() + "\n"};
    co_return std::move(*resp);
  };
}

// The 2-second select of Go's context article.
asio::awaitable<Response> work(ctx::Context c, const Request&) {
  using namespace asio::experimental::awaitable_operators;
  log(c, "working");
  asio::steady_timer t(co_await asio::this_coro::executor, 2s);
  auto r = co_await (t.async_wait(asio::use_awaitable) || ctx::async_wait(c, asio::use_awaitable));
  if (r.index() == 0) co_return Response{200, "request processed\n"};
  log(c, "request cancelled: %s", ctx::cause(c).message().c_str());
  co_return Response{503, ctx::cause(c).message() + "\n"};
}

asio::awaitable<Response> hello(ctx::Context c, const Request&) {
  const User* u = c.value(user_key);
  co_return Response{200, "hello " + (u ? u->name : std::string("anonymous")) + ", request " + id_of(c) + "\n"};
}

asio::awaitable<Response> not_found() { co_return Response{404, "not found\n"}; }

}  // namespace

Handler make_handler(const Config& cfg) {
  // The outgoing call blocks in libcurl: it runs on cfg.blocking and the
  // coroutine resumes here when it returns (or throws).
  auto fetch_route = [cfg](ctx::Context c, const Request&) -> asio::awaitable<Response> {
    try {
      std::string body = co_await asio::co_spawn(
          cfg.blocking, [c, url = cfg.upstream]() -> asio::awaitable<std::string> { co_return fetch(c, url); },
          asio::use_awaitable);
      co_return Response{200, body};
    } catch (const std::system_error& e) {
      log(c, "upstream call aborted: %s", (c.err() ? ctx::cause(c) : e.code()).message().c_str());
      throw;
    } catch (const std::runtime_error& e) {
      co_return Response{502, std::string(e.what()) + "\n"};
    }
  };
  // Not a coroutine: it returns the route's awaitable (one frame less).
  Handler mux = [fetch_route](ctx::Context c, const Request& r) -> asio::awaitable<Response> {
    if (r.path == "/work") return work(std::move(c), r);
    if (r.path == "/fetch") return fetch_route(std::move(c), r);
    if (r.path == "/hello") return hello(std::move(c), r);
    return not_found();
  };
  if (!cfg.plumbing) return mux;  // the benchmark's baseline: no context is derived at all
  return with_ids(with_budget(mux, cfg.budget));
}

}  // namespace app
