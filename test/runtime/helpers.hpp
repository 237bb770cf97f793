// Shared helpers for the runtime tests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include <ctx/context.hpp>
#include <ctx/extension.hpp>

namespace ctxtest {

using namespace std::chrono_literals;

inline constexpr auto kShort = std::chrono::milliseconds(1);        // Go's shortDuration
inline constexpr auto kVeryLong = std::chrono::hours(1000);         // Go's veryLongDuration
inline constexpr auto kQuiescent = std::chrono::seconds(5);         // Go's quiescent(t)

// Go's otherContext{Context}: a user-defined context that delegates every
// method to an inner runtime context.
class OtherContext final : public ctx::ContextImpl {
 public:
  explicit OtherContext(ctx::Context inner) : inner_(std::move(inner)) {}
  std::optional<ctx::Clock::time_point> deadline() const override { return inner_.deadline(); }
  std::error_code err() const override { return inner_.err(); }
  std::error_code cause() const override { return ctx::cause(inner_); }
  ctx::ValueView value(const ctx::KeyView& key) const override {
    return ctx::lookup_value(inner_, key);
  }
  std::function<bool()> after_end(std::function<void()> f) override {
    ctx::StopFunc stop = ctx::after_func(inner_, std::move(f));
    return [stop] { return stop(); };
  }
 private:
  ctx::Context inner_;
};

inline ctx::Context other(ctx::Context inner) {
  return ctx::make_context(std::make_shared<OtherContext>(std::move(inner)));
}

// Go's afterFuncContext (afterfunc_test.go): a custom context that ends when
// cancel() is called and keeps a map of registered after_end callbacks.
class AfterFuncContext final : public ctx::ContextImpl {
 public:
  std::optional<ctx::Clock::time_point> deadline() const override { return std::nullopt; }
  std::error_code err() const override {
    std::lock_guard<std::mutex> g(mu_);
    return err_;
  }
  ctx::ValueView value(const ctx::KeyView&) const override { return {}; }
  std::function<bool()> after_end(std::function<void()> f) override {
    std::lock_guard<std::mutex> g(mu_);
    int k = next_++;
    fns_[k] = std::move(f);
    return [this, k] {
      std::lock_guard<std::mutex> g2(mu_);
      return fns_.erase(k) > 0;
    };
  }
  void cancel(std::error_code e) {
    std::map<int, std::function<void()>> fns;
    {
      std::lock_guard<std::mutex> g(mu_);
      if (err_) return;
      err_ = e;
      fns.swap(fns_);
    }
    for (auto& [k, f] : fns) f();  // Go starts a goroutine per f; inline is allowed too
  }
  std::size_t count() const {
    std::lock_guard<std::mutex> g(mu_);
    return fns_.size();
  }
 private:
  mutable std::mutex mu_;
  std::error_code err_;
  std::map<int, std::function<void()>> fns_;
  int next_ = 0;
};

// A one-shot event for tests (Go's `make(chan struct{})` + close).
class Event {
 public:
  void set() {
    std::lock_guard<std::mutex> g(m_);
    set_ = true;
    cv_.notify_all();
  }
  bool wait_for(std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lk(m_);
    return cv_.wait_for(lk, d, [this] { return set_; });
  }
  bool is_set() {
    std::lock_guard<std::mutex> g(m_);
    return set_;
  }
 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool set_ = false;
};

}  // namespace ctxtest

namespace ctxtest {

// Distinct error codes standing in for Go's errors.New(...) causes.
enum class cause_code { parent_cause = 1, child_cause, too_slow, finished_early, because, other };

inline const std::error_category& test_category() {
  static const struct Cat final : std::error_category {
    const char* name() const noexcept override { return "ctxtest"; }
    std::string message(int ev) const override { return "test cause " + std::to_string(ev); }
  } cat;
  return cat;
}
inline std::error_code make(cause_code c) { return {static_cast<int>(c), test_category()}; }

}  // namespace ctxtest
