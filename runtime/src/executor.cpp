// The after_func executor: an elastic pool of worker threads, started lazily.
// A task is handed to an idle worker if there is one, otherwise a new worker
// is started, so a callback that blocks never delays another one. Workers
// that stay idle for a while exit.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <new>
#include <thread>

#include "internal.hpp"

namespace ctx::detail {
namespace {

class Executor {
 public:
  void post(std::function<void()> f) {
    std::lock_guard<std::mutex> g(m_);
    q_.push_back(std::move(f));
    if (q_.size() > idle_) {
      std::thread([this] { work(); }).detach();
      ++threads_;
    } else {
      cv_.notify_one();
    }
  }
  std::size_t threads() {
    std::lock_guard<std::mutex> g(m_);
    return threads_;
  }

  // fork(): the child has none of the workers. Callbacks queued but not yet
  // started belong to the parent, which runs them: the child forgets them
  // without destroying them (their destructors are the parent's business).
  void fork_prepare() noexcept { m_.lock(); }
  void fork_parent() noexcept { m_.unlock(); }
  void fork_child() noexcept {
    new (&q_) std::deque<std::function<void()>>();
    new (&cv_) std::condition_variable();  // idle workers were waiting on it
    idle_ = 0;
    threads_ = 0;
    m_.unlock();
  }

 private:
  void work() {
    std::unique_lock<std::mutex> lk(m_);
    for (;;) {
      if (q_.empty()) {
        ++idle_;
        bool got = cv_.wait_for(lk, std::chrono::seconds(2), [this] { return !q_.empty(); });
        --idle_;
        if (!got) {
          --threads_;
          return;
        }
      }
      std::function<void()> f = std::move(q_.front());
      q_.pop_front();
      lk.unlock();
      try {
        f();
      } catch (...) {
        std::terminate();  // as an exception escaping a thread would
      }
      f = nullptr;
      lk.lock();
    }
  }

  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> q_;
  std::size_t idle_ = 0;
  std::size_t threads_ = 0;
};

std::atomic<Executor*> the_executor{nullptr};  // immortal: workers outlive statics
Executor* forking = nullptr;  // what fork_prepare locked (the forking thread's)

Executor& executor() {
  return *create_once(the_executor, [] { return new Executor(); });
}

}  // namespace

void executor_fork_prepare() noexcept {
  forking = &executor();  // created now if need be (internal.hpp, fork)
  forking->fork_prepare();
}
void executor_fork_parent() noexcept {
  if (forking != nullptr) forking->fork_parent();
}
void executor_fork_child() noexcept {
  if (forking != nullptr) forking->fork_child();
}

void executor_post(std::function<void()> f) { executor().post(std::move(f)); }
std::size_t executor_thread_count() noexcept { return executor().threads(); }

}  // namespace ctx::detail
