// Waiting for a context's end without a thread: the list of EndWaiters on a
// signal (suspended `co_await c.done()` coroutines, <ctx/asio.hpp>'s
// asynchronous waits) and the batch that fires them after a cancel.
//
// A waiter links itself under the signal's lock and then re-reads the state
// word; cancel() stores the word and then reads the list head (both seq_cst),
// so either the waiter sees the end (and does not wait) or cancel sees the
// waiter. Waiters that run user code (coroutines) are fired on an executor
// worker, never on the thread that cancels: cancel() runs no user code,
// whatever locks its caller holds. They are unlinked one at a time, so a
// resumed coroutine may destroy another one still waiting on the same
// context (its awaiter unlinks itself). Waiters that only post to an
// executor (the Asio bridge's) are fired by the cancelling thread.
#include <mutex>

#include "internal.hpp"

namespace ctx::detail {
namespace {

SignalState* target(Signal* s) noexcept { return s != nullptr ? state_of(s) : never_signal(); }

void unlink(SignalState* s, EndWaiter* w) noexcept {  // under s->m
  if (w->prev != nullptr) w->prev->next = w->next;
  else s->end_waiters.store(w->next, std::memory_order_relaxed);
  if (w->next != nullptr) w->next->prev = w->prev;
  w->prev = w->next = nullptr;
  w->linked.store(false, std::memory_order_release);
}

// Fires every waiter of n's signal, then drops the batch's reference on n
// (which keeps the signal from being recycled meanwhile).
void fire_all(CancelNode* n) noexcept {
  SignalState* s = n->signal();
  for (;;) {
    EndWaiter* w;
    {
      std::lock_guard<NodeMutex> g(s->m);
      w = s->end_waiters.load(std::memory_order_relaxed);
      if (w == nullptr) break;
      unlink(s, w);
    }
    w->fire(w);
  }
  release(n);
}

void fire_list(CancelNode* head) noexcept {
  while (head != nullptr) {
    CancelNode* n = head;
    head = n->end_link();
    n->end_link() = nullptr;
    fire_all(n);
  }
}

// Trivially destructible: usable in any thread_local destructor.
struct Batch {
  CancelNode* head = nullptr;
  CancelNode* tail = nullptr;
  bool open = false;
};
thread_local Batch batch;

}  // namespace

bool end_wait(Signal* sig, std::uint64_t live, EndWaiter* w) noexcept {
  SignalState* s = target(sig);
  if (sig == nullptr) live = 0;
  std::lock_guard<NodeMutex> g(s->m);
  // Any change of the word means "ended": its state bits were set, or the
  // signal moved on to a later context (which only happens after the end).
  if (s->word.load(std::memory_order_acquire) != live) return false;
  EndWaiter* head = s->end_waiters.load(std::memory_order_relaxed);
  w->prev = nullptr;
  w->next = head;
  if (head != nullptr) head->prev = w;
  w->linked.store(true, std::memory_order_relaxed);
  s->end_waiters.store(w, std::memory_order_seq_cst);
  if (s->word.load(std::memory_order_seq_cst) != live) {  // cancel may not have seen us
    unlink(s, w);
    return false;
  }
  return true;
}

bool end_unwait(Signal* sig, EndWaiter* w) noexcept {
  SignalState* s = target(sig);
  std::lock_guard<NodeMutex> g(s->m);
  if (!w->linked.load(std::memory_order_relaxed)) return false;
  unlink(s, w);
  return true;
}

bool end_batch_open() noexcept {
  if (batch.open) return false;
  batch.open = true;
  return true;
}

void end_batch_add(CancelNode* n) noexcept {
  acquire(n);
  n->end_link() = nullptr;
  if (batch.tail != nullptr) batch.tail->end_link() = n;
  else batch.head = n;
  batch.tail = n;
}

void end_batch_close() noexcept {
  CancelNode* head = batch.head;
  batch = Batch{};
  // Waiters that only post (fire_inline) are fired here, all unlinked at once:
  // their fire runs no user code, so none of them destroys another. The
  // nodes left with other waiters go to one executor task.
  CancelNode* rest = nullptr;
  CancelNode** rest_tail = &rest;
  while (head != nullptr) {
    CancelNode* n = head;
    head = n->end_link();
    n->end_link() = nullptr;
    SignalState* s = n->signal();
    EndWaiter* now = nullptr;
    bool more = false;
    {
      std::lock_guard<NodeMutex> g(s->m);
      for (EndWaiter* w = s->end_waiters.load(std::memory_order_relaxed); w != nullptr;) {
        EndWaiter* next = w->next;
        if (w->fire_inline) {
          unlink(s, w);
          w->next = now;
          now = w;
        }
        w = next;
      }
      more = s->end_waiters.load(std::memory_order_relaxed) != nullptr;
    }
    while (now != nullptr) {
      EndWaiter* w = now;
      now = w->next;
      w->next = nullptr;
      w->fire(w);
    }
    if (more) {
      *rest_tail = n;
      rest_tail = &n->end_link();
    } else {
      release(n);
    }
  }
  if (rest == nullptr) return;
  try {
    executor_post([rest] { fire_list(rest); });
  } catch (...) {
    fire_list(rest);  // out of memory or threads: late and here beats never
  }
}

}  // namespace ctx::detail
