// The shared timer service: one lazily started thread and a few shards, each
// a binary min-heap of pending deadlines with per-node index tracking
// (O(log n) insert and removal) under its own mutex. A thread inserts into
// "its" shard, so concurrent with_timeout calls rarely contend. The timer
// thread sleeps (condition variable wait_until) until the earliest deadline
// over all shards; an insert that becomes the new earliest deadline wakes it.
#include <climits>
#include <condition_variable>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "internal.hpp"

namespace ctx::detail {
namespace {

constexpr std::size_t kShards = 8;

std::int64_t ticks(Clock::time_point t) noexcept { return t.time_since_epoch().count(); }

struct alignas(64) Shard {
  std::mutex m;
  std::vector<TimerNode*> heap;

  static bool less(const TimerNode* a, const TimerNode* b) noexcept {
    return a->timer_at < b->timer_at;
  }
  void place(std::size_t i, TimerNode* n) noexcept {
    heap[i] = n;
    n->heap_index = static_cast<std::uint32_t>(i);
  }
  void sift_up(std::size_t i) noexcept {
    TimerNode* n = heap[i];
    while (i > 0) {
      std::size_t p = (i - 1) / 2;
      if (!less(n, heap[p])) break;
      place(i, heap[p]);
      i = p;
    }
    place(i, n);
  }
  void sift_down(std::size_t i) noexcept {
    TimerNode* n = heap[i];
    const std::size_t size = heap.size();
    for (;;) {
      std::size_t c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && less(heap[c + 1], heap[c])) ++c;
      if (!less(heap[c], n)) break;
      place(i, heap[c]);
      i = c;
    }
    place(i, n);
  }
  // Returns true if n became the shard's earliest deadline.
  bool push(TimerNode* n) {
    n->heap_index = static_cast<std::uint32_t>(heap.size());
    heap.push_back(n);
    sift_up(n->heap_index);
    return n->heap_index == 0;
  }
  void erase(TimerNode* n) noexcept {
    std::size_t i = n->heap_index;
    if (i == TimerNode::npos) return;
    n->heap_index = TimerNode::npos;
    TimerNode* last = heap.back();
    heap.pop_back();
    if (last == n) return;
    heap[i] = last;
    last->heap_index = static_cast<std::uint32_t>(i);
    if (i > 0 && less(last, heap[(i - 1) / 2])) sift_up(i);
    else sift_down(i);
  }
};

class TimerService {
 public:
  void add(TimerNode* n) {
    if (!running_.load(std::memory_order_acquire)) [[unlikely]] start();
    Shard& s = shards_[n->timer_shard];
    bool top;
    {
      std::lock_guard<std::mutex> g(s.m);
      top = s.push(n);
    }
    if (top && ticks(n->timer_at) < wake_at_.load(std::memory_order_seq_cst)) {
      std::lock_guard<std::mutex> g(wake_m_);
      kicked_ = true;
      wake_cv_.notify_one();
    }
  }

  void remove(TimerNode* n) noexcept {
    Shard& s = shards_[n->timer_shard];
    std::lock_guard<std::mutex> g(s.m);
    s.erase(n);
  }

  std::size_t size() noexcept {
    std::size_t total = 0;
    for (Shard& s : shards_) {
      std::lock_guard<std::mutex> g(s.m);
      total += s.heap.size();
    }
    return total;
  }
  bool started() noexcept { return running_.load(); }

  // fork(): the prepare handler takes every lock, so that none is held by a
  // thread that will not exist in the child; the child then has no timer
  // thread and starts its own on its first deadline. Deadlines pending at
  // the fork belong to the parent's threads: the child drops them (its
  // copies of those contexts end only when cancelled there).
  void fork_prepare() noexcept {
    wake_m_.lock();
    for (Shard& s : shards_) s.m.lock();
  }
  void fork_parent() noexcept {
    for (Shard& s : shards_) s.m.unlock();
    wake_m_.unlock();
  }
  void fork_child() noexcept {
    for (Shard& s : shards_) {
      for (TimerNode* n : s.heap) n->heap_index = TimerNode::npos;
      s.heap.clear();
      s.m.unlock();
    }
    // The parent's timer thread may have been waiting on it: a fresh one
    // (destroying it could wait for that waiter, who is not here).
    new (&wake_cv_) std::condition_variable();
    kicked_ = false;
    wake_at_.store(LLONG_MAX, std::memory_order_relaxed);
    running_.store(false, std::memory_order_relaxed);
    wake_m_.unlock();
  }

 private:
  void start() {
    std::lock_guard<std::mutex> g(wake_m_);
    if (running_.load(std::memory_order_relaxed)) return;
    std::thread([this] { run(); }).detach();
    running_.store(true, std::memory_order_release);
  }

  [[noreturn]] void run() {
    std::vector<TimerNode*> due;
    for (;;) {
      {
        std::lock_guard<std::mutex> g(wake_m_);
        kicked_ = false;
        wake_at_.store(LLONG_MAX, std::memory_order_seq_cst);  // inserts from now on kick
      }
      const auto now = Clock::now();
      auto earliest = Clock::time_point::max();
      for (Shard& s : shards_) {
        std::lock_guard<std::mutex> g(s.m);
        // Skip nodes whose last reference is being dropped: their destructor
        // will find them already removed.
        while (!s.heap.empty() && s.heap.front()->timer_at <= now && due.size() < 4096) {
          TimerNode* n = s.heap.front();
          s.erase(n);
          if (try_acquire(n)) due.push_back(n);
        }
        if (!s.heap.empty() && s.heap.front()->timer_at < earliest) earliest = s.heap.front()->timer_at;
      }
      if (!due.empty()) {
        for (TimerNode* n : due) {
          cancel(n, static_cast<std::uint32_t>(errc::deadline_exceeded), n->deadline_cause());
          release(n);
        }
        due.clear();
        continue;
      }
      std::unique_lock<std::mutex> lk(wake_m_);
      if (kicked_) continue;
      wake_at_.store(ticks(earliest), std::memory_order_seq_cst);
      if (earliest == Clock::time_point::max()) {
        wake_cv_.wait(lk, [this] { return kicked_; });
      } else {
        wake_cv_.wait_until(lk, earliest, [this] { return kicked_; });
      }
    }
  }

  Shard shards_[kShards];
  std::atomic<bool> running_{false};          // set under wake_m_
  std::mutex wake_m_;
  std::condition_variable wake_cv_;
  bool kicked_ = false;                       // guarded by wake_m_
  std::atomic<std::int64_t> wake_at_{LLONG_MAX};  // when the thread plans to wake
};

// Immortal: the timer thread may still be running during static destruction.
std::atomic<TimerService*> the_service{nullptr};
TimerService* forking = nullptr;  // what fork_prepare locked (the forking thread's)

TimerService& service() {
  return *create_once(the_service, [] { return new TimerService(); });
}

}  // namespace

void timer_fork_prepare() noexcept {
  forking = &service();  // created now if need be (internal.hpp, fork)
  forking->fork_prepare();
}
void timer_fork_parent() noexcept {
  if (forking != nullptr) forking->fork_parent();
}
void timer_fork_child() noexcept {
  if (forking != nullptr) forking->fork_child();
}

std::uint8_t timer_shard_for_this_thread() noexcept {
  static std::atomic<std::size_t> next_shard{0};
  thread_local const std::size_t mine = next_shard.fetch_add(1, std::memory_order_relaxed) % kShards;
  return static_cast<std::uint8_t>(mine);
}

void timer_add(TimerNode* n) { service().add(n); }
void timer_remove(TimerNode* n) noexcept { service().remove(n); }
std::size_t timer_pending() noexcept { return service().size(); }
bool timer_started() noexcept { return service().started(); }

}  // namespace ctx::detail
