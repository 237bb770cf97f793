// A realistic translation unit for scripts/bench-clangd-checks.sh: a small
// request-handling service written against <ctx/context.hpp> (the stand-in
// header from test/checks/Inputs), with the standard headers a real service
// pulls in. Mostly correct code, as in practice, with a few of the mistakes
// the context-* checks look for, so their diagnostic paths run too.
#include <ctx/context.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace service {

struct RequestIdKey {};
struct UserKey {};
struct TraceKey {};

struct Request {
  std::string path;
  std::string user;
  std::map<std::string, std::string> headers;
  std::vector<std::uint8_t> body;
};

struct Response {
  int status = 200;
  std::string body;
};

struct Row {
  std::int64_t id;
  std::string name;
  double score;
};

class Metrics {
public:
  void count(std::string_view name, std::int64_t n = 1) {
    std::lock_guard<std::mutex> lock(mu_);
    counters_[std::string(name)] += n;
  }
  std::int64_t get(std::string_view name) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = counters_.find(std::string(name));
    return it == counters_.end() ? 0 : it->second;
  }

private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::int64_t> counters_;
};

Metrics &metrics() {
  static Metrics m;
  return m;
}

const ctx::Key<std::string> kRequestId;
const ctx::Key<std::string> kUser;
const ctx::Key<std::uint64_t> kTrace;

std::string request_id(const ctx::Context &c) {
  if (const std::string *id = c.value(kRequestId))
    return *id;
  return "-";
}

std::error_code check_alive(const ctx::Context &c) {
  if (std::error_code e = c.err())
    return e;
  return {};
}

// --- storage layer -------------------------------------------------------

class Database {
public:
  std::optional<Row> get(const ctx::Context &c, std::int64_t id) {
    if (check_alive(c))
      return std::nullopt;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find(id);
    if (it == rows_.end())
      return std::nullopt;
    return it->second;
  }

  std::vector<Row> scan(const ctx::Context &c, std::size_t limit) {
    std::vector<Row> out;
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto &[id, row] : rows_) {
      if (c.done().ready())
        break;
      out.push_back(row);
      if (out.size() == limit)
        break;
    }
    return out;
  }

  std::error_code put(const ctx::Context &c, Row row) {
    auto [child, cancel] = ctx::with_timeout(c, 50ms);
    auto guard = ctx::defer(cancel);
    if (std::error_code e = child.err())
      return e;
    std::lock_guard<std::mutex> lock(mu_);
    rows_[row.id] = std::move(row);
    metrics().count("db.put");
    return {};
  }

  std::error_code remove(const ctx::Context &c, std::int64_t id) {
    auto [child, cancel] = ctx::with_deadline(c, ctx::Clock::now() + 20ms);
    auto guard = ctx::defer(cancel);
    if (child.err())
      return child.err();
    std::lock_guard<std::mutex> lock(mu_);
    rows_.erase(id);
    return {};
  }

private:
  std::mutex mu_;
  std::map<std::int64_t, Row> rows_;
};

// --- cache ---------------------------------------------------------------

class Cache {
public:
  explicit Cache(Database &db) : db_(db) {}

  std::optional<Row> lookup(const ctx::Context &c, std::int64_t id) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = entries_.find(id);
      if (it != entries_.end() && it->second.expires > ctx::Clock::now())
        return it->second.row;
    }
    auto [child, cancel] = ctx::with_timeout(c, 10ms);
    auto guard = ctx::defer(cancel);
    std::optional<Row> row = db_.get(child, id);
    if (row) {
      std::lock_guard<std::mutex> lock(mu_);
      entries_[id] = Entry{*row, ctx::Clock::now() + 1s};
    }
    return row;
  }

  void invalidate(std::int64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.erase(id);
  }

private:
  struct Entry {
    Row row;
    ctx::Clock::time_point expires;
  };
  Database &db_;
  std::mutex mu_;
  std::unordered_map<std::int64_t, Entry> entries_;
};

// --- handlers ------------------------------------------------------------

using Handler = std::function<Response(const ctx::Context &, const Request &)>;

Response not_found(const ctx::Context &c, const Request &r) {
  metrics().count("http.404");
  return Response{404, "no route for " + r.path + " (" + request_id(c) + ")"};
}

Response get_row(const ctx::Context &c, Cache &cache, const Request &r) {
  std::int64_t id = static_cast<std::int64_t>(r.body.size());
  std::optional<Row> row = cache.lookup(c, id);
  if (!row)
    return Response{404, "missing"};
  return Response{200, row->name};
}

Response put_row(const ctx::Context &c, Database &db, Cache &cache, const Request &r) {
  Row row{static_cast<std::int64_t>(r.body.size()), r.user, 1.0};
  if (std::error_code e = db.put(c, row))
    return Response{503, e.message()};
  cache.invalidate(row.id);
  return Response{201, "created"};
}

Response list_rows(const ctx::Context &c, Database &db, const Request &) {
  auto [child, cancel] = ctx::with_timeout(c, 100ms);
  auto guard = ctx::defer(cancel);
  std::vector<Row> rows = db.scan(child, 100);
  std::sort(rows.begin(), rows.end(),
            [](const Row &a, const Row &b) { return a.score > b.score; });
  std::string body;
  for (const Row &row : rows) {
    if (child.err())
      break;
    body += row.name;
    body += '\n';
  }
  return Response{200, body};
}

// A mistake the checks exist for: the caller's context is right there.
Response health(const ctx::Context &c, const Request &) {
  Database scratch;
  if (scratch.get(ctx::todo(), 0))
    return Response{500, "unexpected row"};
  return Response{200, "ok " + request_id(c)};
}

class Router {
public:
  void add(std::string path, Handler h) { routes_.emplace(std::move(path), std::move(h)); }

  Response serve(const ctx::Context &c, const Request &r) const {
    auto it = routes_.find(r.path);
    if (it == routes_.end())
      return not_found(c, r);
    return it->second(c, r);
  }

private:
  std::map<std::string, Handler> routes_;
};

// --- server --------------------------------------------------------------

class Server {
public:
  Server() : cache_(db_) {
    router_.add("/row", [this](const ctx::Context &c, const Request &r) {
      return get_row(c, cache_, r);
    });
    router_.add("/put", [this](const ctx::Context &c, const Request &r) {
      return put_row(c, db_, cache_, r);
    });
    router_.add("/list", [this](const ctx::Context &c, const Request &r) {
      return list_rows(c, db_, r);
    });
    router_.add("/health", health);
  }

  Response handle(const ctx::Context &parent, const Request &r) {
    ctx::Context c = ctx::with_value(parent, kRequestId, std::to_string(next_id_++));
    c = ctx::with_value(c, kUser, r.user);
    auto [child, cancel] = ctx::with_timeout(c, 2s);
    auto guard = ctx::defer(cancel);
    ctx::StopFunc stop = ctx::after_func(child, [] { metrics().count("http.timeout"); });
    Response resp = router_.serve(child, r);
    stop();
    return resp;
  }

  void run(const ctx::Context &c, const std::vector<Request> &batch) {
    auto [child, cancel] = ctx::with_cancel(c);
    auto guard = ctx::defer(cancel);
    std::vector<std::thread> workers;
    std::atomic<std::size_t> next{0};
    for (int w = 0; w < 4; ++w) {
      workers.emplace_back([&, child = child] {
        for (;;) {
          std::size_t i = next.fetch_add(1);
          if (i >= batch.size() || child.err())
            return;
          Response resp = handle(child, batch[i]);
          if (resp.status >= 500)
            metrics().count("http.5xx");
        }
      });
    }
    for (std::thread &t : workers)
      t.join();
  }

  // Background maintenance keeps running after the request that asked for it.
  void compact_later(const ctx::Context &c) {
    ctx::Context detached = ctx::without_cancel(c);
    std::thread([this, detached] {
      auto [child, cancel] = ctx::with_timeout(detached, 5s);
      auto guard = ctx::defer(cancel);
      for (const Row &row : db_.scan(child, 1000))
        cache_.invalidate(row.id);
    }).detach();
  }

  std::error_code shutdown(const ctx::Context &c) {
    auto [child, cancel] = ctx::with_cancel_cause(c);
    auto guard = ctx::defer([&] { cancel(std::make_error_code(std::errc::operation_canceled)); });
    if (!child.done().wait_for(100ms))
      return ctx::cause(child);
    return {};
  }

private:
  Database db_;
  Cache cache_;
  Router router_;
  std::uint64_t next_id_ = 1;
};

// --- retries and fan-out -------------------------------------------------

template <class F>
std::error_code retry(const ctx::Context &c, int attempts, ctx::Clock::duration backoff, F f) {
  std::error_code last;
  for (int i = 0; i < attempts; ++i) {
    if (std::error_code e = c.err())
      return e;
    last = f(c);
    if (!last)
      return {};
    if (c.done().wait_for(backoff))
      return c.err();
    backoff *= 2;
  }
  return last;
}

std::error_code replicate(const ctx::Context &c, Database &primary, Database &replica,
                          const Row &row) {
  std::error_code e1 = retry(c, 3, 5ms, [&](const ctx::Context &rc) { return primary.put(rc, row); });
  if (e1)
    return e1;
  return retry(c, 3, 5ms, [&](const ctx::Context &rc) { return replica.put(rc, row); });
}

std::vector<std::error_code> fan_out(const ctx::Context &c, std::vector<Database *> shards,
                                     const Row &row) {
  std::vector<std::error_code> results(shards.size());
  auto [child, cancel] = ctx::with_timeout(c, 250ms);
  auto guard = ctx::defer(cancel);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < shards.size(); ++i)
    threads.emplace_back([&, i] { results[i] = shards[i]->put(child, row); });
  for (std::thread &t : threads)
    t.join();
  return results;
}

std::optional<ctx::Clock::duration> remaining(const ctx::Context &c) {
  std::optional<ctx::Clock::time_point> d = c.deadline();
  if (!d)
    return std::nullopt;
  return *d - ctx::Clock::now();
}

// --- the usual mistakes ---------------------------------------------------

// A job that keeps its creator's context (context-stored-in-struct).
struct Job {
  ctx::Context ctx;
  std::string name;
};

// The context as a trailing parameter (context-first-parameter).
std::error_code flush(Database &db, std::int64_t id, const ctx::Context &c) {
  return db.remove(c, id);
}

// A null context (context-null) and a string key (context-builtin-key).
std::error_code cleanup(Database &db) {
  ctx::Context tagged = ctx::with_value(ctx::background(), "tenant", std::string("bench"));
  (void)tagged;
  return db.remove(nullptr, 0);
}

// Forgotten cancel on an early return (context-lost-cancel).
std::error_code probe(const ctx::Context &c, Database &db) {
  auto [child, cancel] = ctx::with_timeout(c, 5ms);
  if (child.err())
    return child.err();
  std::optional<Row> row = db.get(child, 1);
  cancel();
  return row ? std::error_code{} : std::make_error_code(std::errc::no_such_file_or_directory);
}

ctx::Context with_stop(const ctx::Context &c, std::stop_token t) {
  return ctx::from_stop_token(c, std::move(t));
}

int serve_forever(std::stop_token stop) {
  ctx::Context root = with_stop(ctx::background(), std::move(stop));
  Server server;
  std::vector<Request> batch(16, Request{"/health", "bench", {}, {}});
  while (!root.err()) {
    server.run(root, batch);
    if (root.done().wait_for(10ms))
      break;
  }
  return server.shutdown(ctx::background()) ? 1 : 0;
}

} // namespace service
