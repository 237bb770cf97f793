// A declaration-only stand-in for <ctx/context.hpp> with the API of
// shared/spec/runtime-api.md, so check tests parse quickly and do not depend
// on the runtime's implementation. test/checks/real-header.cpp runs the
// checks against the real header too.
#pragma once
#include <initializer_list>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <stop_token>
#include <system_error>
#include <utility>

namespace ctx {
using Clock = std::chrono::steady_clock;
enum class errc { canceled = 1, deadline_exceeded = 2 };

class Done {
 public:
  bool ready() const noexcept;
  void wait() const;
  bool wait_for(Clock::duration) const;
  bool wait_until(Clock::time_point) const;
  std::stop_token stop_token() const;
  int native_handle() const;
};

template <class T> class Key {
 public:
  Key();
};

class Context {
 public:
  Context() noexcept;
  Context(std::nullptr_t) noexcept;
  explicit operator bool() const noexcept;
  std::optional<Clock::time_point> deadline() const;
  Done done() const;
  std::error_code err() const;
  template <class V, class K> const V* value(const K& key) const;
  template <class T> const T* value(const Key<T>& key) const;
};

class CancelFunc {
 public:
  CancelFunc() noexcept;
  void operator()() const noexcept;
};
class CancelCauseFunc {
 public:
  CancelCauseFunc() noexcept;
  void operator()(std::error_code cause) const noexcept;
};
class StopFunc {
 public:
  bool operator()() const;
};

using CancelPair = std::pair<Context, CancelFunc>;
using CancelCausePair = std::pair<Context, CancelCauseFunc>;

Context background();
Context todo();
[[nodiscard]] CancelPair with_cancel(const Context& parent);
[[nodiscard]] CancelCausePair with_cancel_cause(const Context& parent);
[[nodiscard]] CancelPair with_deadline(const Context& parent, Clock::time_point d);
[[nodiscard]] CancelPair with_deadline_cause(const Context& parent, Clock::time_point d, std::error_code cause);
[[nodiscard]] CancelPair with_timeout(const Context& parent, Clock::duration t);
[[nodiscard]] CancelPair with_timeout_cause(const Context& parent, Clock::duration t, std::error_code cause);
Context without_cancel(const Context& parent);
std::error_code cause(const Context& c);
StopFunc after_func(const Context& c, std::function<void()> f);
Context from_stop_token(const Context& parent, std::stop_token t);
[[nodiscard]] CancelPair signal_context(const Context& parent, std::initializer_list<int> signals);
template <class K, class V> Context with_value(const Context& parent, K key, V value);

template <class F> class DeferGuard {
 public:
  explicit DeferGuard(F f);
  ~DeferGuard();
  DeferGuard(const DeferGuard&) = delete;
  DeferGuard& operator=(const DeferGuard&) = delete;
};
template <class F> [[nodiscard]] DeferGuard<F> defer(F f);
}  // namespace ctx
