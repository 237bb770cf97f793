// <ctx/asio.hpp>: contexts in standalone Asio (1.22+), target ctx::asio.
//
//  * ctx::async_wait(c, token): an asynchronous operation that completes
//    when c ends, with any completion token (asio::use_awaitable, a
//    callback, asio::use_future, ...). Signature void(std::error_code): {}
//    when c ended (read c.err() / ctx::cause(c)), asio::error::operation_aborted
//    when the operation's cancellation slot fired first. It completes on
//    the handler's associated executor (else the given one, else Asio's
//    system executor), never on the thread that ended c, and it keeps that
//    executor's context running (outstanding work) while it waits. With
//    <asio/experimental/awaitable_operators.hpp> this is Go's select:
//
//        using namespace asio::experimental::awaitable_operators;
//        auto r = co_await (timer.async_wait(asio::use_awaitable) ||
//                           ctx::async_wait(c, asio::use_awaitable));
//        if (r.index() == 1) { /* <-ctx.Done() won */ }
//
//  * ctx::context_cancellation: a per-operation cancellation slot that fires
//    (on the given executor) when a context ends, for any Asio operation:
//
//        ctx::context_cancellation cancel_on(c, ex);
//        co_await sock.async_read_some(buf,
//            asio::bind_cancellation_slot(cancel_on.slot(), asio::use_awaitable));
//
//    Keep it alive until the operation completes, one operation at a time.
//
// Asio's cancellation is not thread-safe: the operation, its completion and
// the slot's emission must share one thread of execution (an io_context run
// by one thread, a strand, a coroutine's executor). Both pieces post their
// work to the executor they are given, as Asio's own operations do.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <system_error>
#include <utility>

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/bind_executor.hpp>
#include <asio/query.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/error.hpp>
#include <asio/execution_context.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <asio/system_executor.hpp>

#include <ctx/context.hpp>

namespace ctx {
namespace detail {

struct DoneAccess {
  static Signal* sig(const Done& d) noexcept { return d.sig_; }
  static std::uint64_t live(const Done& d) noexcept { return d.live_; }
};

// A pending async_wait: an EndWaiter owned by the WaitService of its
// executor's execution context, so that shutting the context down destroys
// it (and its handler: a suspended coroutine's frame) instead of leaving it
// to post into a context that is gone.
struct AsioWaitBase : EndWaiter {
  Signal* sig = nullptr;
  AsioWaitBase* svc_prev = nullptr;  // guarded by the service's mutex
  AsioWaitBase* svc_next = nullptr;
  class WaitService* service = nullptr;
  virtual void post_completion(std::error_code ec) = 0;  // under the service's mutex
  virtual ~AsioWaitBase() = default;
};

class WaitService final : public ::asio::execution_context::service {
 public:
  using key_type = WaitService;
  static inline ::asio::execution_context::id id;
  explicit WaitService(::asio::execution_context& c) : service(c) {}

  void add(AsioWaitBase* op) {
    std::lock_guard<std::mutex> g(m_);
    op->service = this;
    op->svc_next = head_;
    if (head_ != nullptr) head_->svc_prev = op;
    head_ = op;
  }
  // The context ended (fire) or the slot fired (after a successful unwait):
  // hand the op to its executor, or destroy it once shut down.
  void complete(AsioWaitBase* op, std::error_code ec) noexcept {
    std::unique_lock<std::mutex> g(m_);
    unlist(op);
    if (shut_down_) {
      g.unlock();
      delete op;
      return;
    }
    op->post_completion(ec);
  }

 private:
  void shutdown() override {
    AsioWaitBase* ops;
    {
      std::lock_guard<std::mutex> g(m_);
      shut_down_ = true;
      ops = std::exchange(head_, nullptr);
    }
    while (ops != nullptr) {
      AsioWaitBase* op = ops;
      ops = op->svc_next;
      op->svc_prev = op->svc_next = nullptr;
      op->service = nullptr;
      // Still waiting: never fired, destroy it here. Otherwise a runtime
      // worker is about to call complete(), which sees shut_down_.
      if (end_unwait(op->sig, op)) delete op;
    }
  }
  void unlist(AsioWaitBase* op) noexcept {
    if (op->service == nullptr) return;  // taken by shutdown
    if (op->svc_prev != nullptr) op->svc_prev->svc_next = op->svc_next;
    else head_ = op->svc_next;
    if (op->svc_next != nullptr) op->svc_next->svc_prev = op->svc_prev;
    op->svc_prev = op->svc_next = nullptr;
    op->service = nullptr;
  }

  std::mutex m_;
  AsioWaitBase* head_ = nullptr;
  bool shut_down_ = false;
};

template <class Handler, class Executor>
struct AsioWaitOp final : AsioWaitBase {
  using Slot = ::asio::associated_cancellation_slot_t<Handler>;
  AsioWaitOp(Handler h, const Executor& ex)
      : handler(std::move(h)), work(ex), slot(::asio::get_associated_cancellation_slot(handler)) {}

  static void on_end(EndWaiter* w) noexcept {
    auto* op = static_cast<AsioWaitOp*>(w);
    op->service->complete(op, {});
  }
  struct OnCancel {
    AsioWaitOp* op;
    void operator()(::asio::cancellation_type) const {
      if (end_unwait(op->sig, op)) op->service->complete(op, ::asio::error::operation_aborted);
    }
  };

  // Runs on the tracked executor, then on the handler's own (the same one
  // unless the handler's cannot be tracked, as use_future's).
  void post_completion(std::error_code ec) override {
    auto hex = ::asio::get_associated_executor(handler, work.get_executor());
    ::asio::post(work.get_executor(),
                 ::asio::bind_executor(hex, [op = std::unique_ptr<AsioWaitOp>(this), ec]() mutable {
                   if (op->slot.is_connected()) op->slot.clear();
                   Handler h = std::move(op->handler);
                   op.reset();  // before the handler runs: it may start another wait
                   std::move(h)(ec);
                 }));
  }

  Handler handler;
  ::asio::executor_work_guard<Executor> work;
  Slot slot;
};

// What is waited for is a member (the context's Done: Asio passes the
// handler first, and no context is stored).
template <class DefaultExecutor>
struct InitiateWait {
  Done done;
  DefaultExecutor default_ex;
  using executor_type = DefaultExecutor;
  executor_type get_executor() const noexcept { return default_ex; }

  template <class Handler>
  void operator()(Handler&& h) const {
    using H = std::decay_t<Handler>;
    auto hex = ::asio::get_associated_executor(h, default_ex);
    // The executor whose context owns the pending wait (and is kept busy by
    // it): the handler's, unless it has no execution context to ask for.
    auto ex = [&] {
      if constexpr (::asio::can_query<decltype(hex), ::asio::execution::context_t>::value) return hex;
      else return default_ex;
    }();
    using Ex = decltype(ex);
    const Done& d = done;
    if (d.ready()) {  // no allocation of ours; still completes on ex
      ::asio::post(ex, ::asio::bind_executor(hex, [h = H(std::forward<Handler>(h))]() mutable {
        std::move(h)(std::error_code{});
      }));
      return;
    }
    auto* op = new AsioWaitOp<H, Ex>(H(std::forward<Handler>(h)), ex);
    op->sig = DoneAccess::sig(d);
    op->fire = &AsioWaitOp<H, Ex>::on_end;
    op->fire_inline = true;  // on_end only posts
    auto& svc = ::asio::use_service<WaitService>(::asio::query(ex, ::asio::execution::context));
    svc.add(op);
    if (op->slot.is_connected())
      op->slot.template emplace<typename AsioWaitOp<H, Ex>::OnCancel>(op);
    if (!end_wait(op->sig, DoneAccess::live(d), op)) svc.complete(op, {});  // ended meanwhile
  }
};

}  // namespace detail

// Completes (void(std::error_code)) when c ends; see the top of this file.
// `ex`: the executor for a handler that has none of its own (else Asio's
// system executor). The context comes first, as everywhere in ctx.
template <class Executor, class Token>
  requires ::asio::execution::executor<Executor>
auto async_wait(const Context& c, const Executor& ex, Token&& token) {
  if (!c) detail::throw_null("ctx::async_wait");
  return ::asio::async_initiate<Token, void(std::error_code)>(
      detail::InitiateWait<Executor>{c.done(), ex}, token);
}
template <class Token>
auto async_wait(const Context& c, Token&& token) {
  return ctx::async_wait(c, ::asio::system_executor(), std::forward<Token>(token));
}

// A cancellation signal emitted (with `type`, on `ex`) when a context ends;
// bind slot() to one operation at a time. Destroying it (on ex's thread of
// execution) disarms it.
class context_cancellation {
 public:
  template <class Executor>
  context_cancellation(const Context& c, const Executor& ex,
                       ::asio::cancellation_type type = ::asio::cancellation_type::terminal)
      : st_(std::make_shared<State>()) {
    Done d = c.done();  // throws for a null context, before anything refers to st_
    st_->type = type;
    st_->self = st_;
    st_->post = [ex](std::shared_ptr<State> s) {
      ::asio::post(ex, [s = std::move(s)] {
        if (s->armed) s->signal.emit(s->type);
      });
    };
    st_->sig = detail::DoneAccess::sig(d);
    st_->fire = &State::on_end;
    st_->fire_inline = true;  // on_end only posts
    if (!detail::end_wait(st_->sig, detail::DoneAccess::live(d), st_.get())) {
      std::shared_ptr<State> s = std::move(st_->self);
      st_->post(std::move(s));  // ended already: the operation started next is cancelled
    }
  }
  context_cancellation(const context_cancellation&) = delete;
  context_cancellation& operator=(const context_cancellation&) = delete;
  ~context_cancellation() {
    st_->armed = false;
    if (detail::end_unwait(st_->sig, st_.get())) st_->self.reset();
  }
  ::asio::cancellation_slot slot() noexcept { return st_->signal.slot(); }

 private:
  struct State : detail::EndWaiter {
    ::asio::cancellation_signal signal;
    ::asio::cancellation_type type{};
    bool armed = true;  // read and written on the executor only
    detail::Signal* sig = nullptr;
    std::shared_ptr<State> self;  // while linked
    std::function<void(std::shared_ptr<State>)> post;
    static void on_end(detail::EndWaiter* w) noexcept {
      auto* s = static_cast<State*>(w);
      std::shared_ptr<State> keep = std::move(s->self);
      try {
        s->post(std::move(keep));
      } catch (...) {
      }
    }
  };
  std::shared_ptr<State> st_;
};

}  // namespace ctx
