// The shared timer service: one lazily started thread, a binary min-heap of
// pending deadlines with per-node index tracking (O(log n) insert and
// removal), and a condition variable wait_until the earliest deadline.
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "internal.hpp"

namespace ctx::detail {
namespace {

class TimerService {
 public:
  void add(CancelNode* n) {
    std::lock_guard<std::mutex> g(m_);
    if (!started_) {
      std::thread([this] { run(); }).detach();
      started_ = true;
    }
    n->heap_index = heap_.size();
    heap_.push_back(n);
    sift_up(n->heap_index);
    if (n->heap_index == 0) cv_.notify_one();  // new earliest deadline
  }

  void remove(CancelNode* n) noexcept {
    std::lock_guard<std::mutex> g(m_);
    erase(n);
  }

  std::size_t size() noexcept {
    std::lock_guard<std::mutex> g(m_);
    return heap_.size();
  }
  bool started() noexcept {
    std::lock_guard<std::mutex> g(m_);
    return started_;
  }

 private:
  static bool less(const CancelNode* a, const CancelNode* b) noexcept {
    return a->timer_at < b->timer_at;
  }
  void place(std::size_t i, CancelNode* n) noexcept {
    heap_[i] = n;
    n->heap_index = i;
  }
  void sift_up(std::size_t i) noexcept {
    CancelNode* n = heap_[i];
    while (i > 0) {
      std::size_t p = (i - 1) / 2;
      if (!less(n, heap_[p])) break;
      place(i, heap_[p]);
      i = p;
    }
    place(i, n);
  }
  void sift_down(std::size_t i) noexcept {
    CancelNode* n = heap_[i];
    const std::size_t size = heap_.size();
    for (;;) {
      std::size_t c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && less(heap_[c + 1], heap_[c])) ++c;
      if (!less(heap_[c], n)) break;
      place(i, heap_[c]);
      i = c;
    }
    place(i, n);
  }
  void erase(CancelNode* n) noexcept {
    std::size_t i = n->heap_index;
    if (i == CancelNode::npos) return;
    n->heap_index = CancelNode::npos;
    CancelNode* last = heap_.back();
    heap_.pop_back();
    if (last == n) return;
    heap_[i] = last;
    last->heap_index = i;
    if (i > 0 && less(last, heap_[(i - 1) / 2])) sift_up(i);
    else sift_down(i);
  }

  [[noreturn]] void run() {
    std::vector<CancelNode*> due;
    std::unique_lock<std::mutex> lk(m_);
    for (;;) {
      if (heap_.empty()) {
        cv_.wait(lk);
        continue;
      }
      const auto now = Clock::now();
      CancelNode* top = heap_.front();
      if (top->timer_at > now) {
        cv_.wait_until(lk, top->timer_at);
        continue;
      }
      // Pop everything due; skip nodes whose last reference is being
      // dropped (their destructor will find them already removed).
      while (!heap_.empty() && heap_.front()->timer_at <= now && due.size() < 1024) {
        CancelNode* n = heap_.front();
        erase(n);
        if (try_acquire(n)) due.push_back(n);
      }
      lk.unlock();
      for (CancelNode* n : due) {
        cancel(n, static_cast<std::uint32_t>(errc::deadline_exceeded), n->deadline_cause);
        release(n);
      }
      due.clear();
      lk.lock();
    }
  }

  std::mutex m_;
  std::condition_variable cv_;
  std::vector<CancelNode*> heap_;
  bool started_ = false;
};

// Immortal: the timer thread may still be running during static destruction.
TimerService& service() {
  static TimerService* const s = new TimerService();
  return *s;
}

}  // namespace

void timer_add(CancelNode* n) { service().add(n); }
void timer_remove(CancelNode* n) noexcept { service().remove(n); }
std::size_t timer_pending() noexcept { return service().size(); }
bool timer_started() noexcept { return service().started(); }

}  // namespace ctx::detail
