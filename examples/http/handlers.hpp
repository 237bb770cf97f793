// The application: middleware (request id, authenticated user, budget) and
// the routes, written as Go's net/http handlers are.
#pragma once

#include <chrono>
#include <string>

#include <asio/any_io_executor.hpp>

#include <ctx/context.hpp>

#include "http.hpp"

namespace app {

struct User {
  std::string name;
};

// Typed keys (the context-builtin-key check's recommendation): each is a
// distinct key; value<T>() is typed by the key.
inline const ctx::Key<std::string> request_id_key;
inline const ctx::Key<User> user_key;

struct Config {
  std::string upstream;                                  // URL /fetch calls
  std::chrono::milliseconds budget{5000};                // the middleware's budget per request
  asio::any_io_executor blocking;                        // where libcurl's blocking calls run
  bool plumbing = true;                                  // false: the routes alone, no middleware
};

// Go: mux := http.NewServeMux(); handler := withIDs(withBudget(mux)).
http::Handler make_handler(const Config& cfg);

// Business logic, context first: an outgoing HTTP GET (libcurl) that ends
// as soon as c does (its Done's descriptor is in libcurl's poll set) and
// never outlives c's deadline. Blocking; throws std::system_error with
// c.err() when c ended first, std::runtime_error on a transfer error.
std::string fetch(const ctx::Context& c, const std::string& url);

}  // namespace app
