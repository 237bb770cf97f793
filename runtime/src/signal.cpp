// Signals: what a Done of a cancellable context reads, in type-stable memory.
// A context gets one with its first done() (take_done).
//
// A Done reads its signal without holding a reference, so a signal's memory
// is never returned to the allocator: when its last owner lets go it is
// reset (lazy resources released, generation incremented) and kept in a pool
// for the next context. The pool is a per-thread cache in front of a shared
// list, so taking Dones and ending contexts rarely takes the shared lock.
// Memory kept is the peak number of contexts with a Done alive at once,
// times sizeof(SignalState).
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <new>
#include <vector>

#include "internal.hpp"

namespace ctx::detail {
namespace {

constexpr std::size_t kCacheMax = 1024;    // per thread
constexpr std::size_t kCacheMove = 256;   // moved to/from the shared list at once
constexpr std::size_t kSlab = 32;        // allocated at once when the pool is empty

struct SharedPool {
  std::mutex m;
  SignalState* head = nullptr;
  std::size_t size = 0;
  std::vector<SignalState*> slabs;  // every signal ever made, kSlab at a time (for fork)
};

std::atomic<SharedPool*> the_pool{nullptr};  // immortal: threads outlive statics
std::atomic<SignalState*> the_never_signal{nullptr};

SharedPool& shared_pool() {
  return *create_once(the_pool, [] { return new SharedPool(); });
}

void fork_child_reset(SignalState* s) noexcept;

SharedPool* forking = nullptr;  // what fork_prepare locked (the forking thread's)

void fork_prepare() noexcept {
  os_signal_fork_prepare();  // first: its lock is taken before the others' in normal code
  timer_fork_prepare();
  executor_fork_prepare();
  forking = &shared_pool();  // created now if need be (internal.hpp, fork)
  forking->m.lock();
}
void fork_parent() noexcept {
  if (forking != nullptr) forking->m.unlock();
  executor_fork_parent();
  timer_fork_parent();
  os_signal_fork_parent();
}
void fork_child() noexcept {
  if (forking != nullptr) {
    for (SignalState* slab : forking->slabs)
      for (std::size_t i = 0; i < kSlab; ++i) fork_child_reset(&slab[i]);
    forking->m.unlock();
  }
  if (SignalState* n = the_never_signal.load(std::memory_order_acquire)) fork_child_reset(n);
  executor_fork_child();
  timer_fork_child();
  os_signal_fork_child();
}

// At load time, before the program (or whoever loads this library) can have
// created a service or started a thread of ours. signal.cpp is in every
// program that uses the runtime's services: every factory takes a signal.
[[gnu::constructor]] void watch_fork() noexcept {
  (void)::pthread_atfork(fork_prepare, fork_parent, fork_child);
}

// In the child of fork(), for every signal: its locks and condition variable
// may have been held or waited on by threads the child does not have, so
// they are made anew (not destroyed: that could wait for those threads). Its
// eventfd is the parent's open file: an end in either process would make
// the other's descriptor readable, so the child gets an eventfd of its own
// under the same number (what its event loops hold), readable if ended.
void fork_child_reset(SignalState* s) noexcept {
  new (&s->m) NodeMutex();
  if (Waiter* w = s->waiter.load(std::memory_order_relaxed)) {
    new (&w->m) std::mutex();
    new (&w->cv) std::condition_variable();
  }
  const int fd = s->fd.load(std::memory_order_relaxed);
  if (fd < 0) return;
  const int own = new_event_fd();
  if (own < 0) return;  // out of descriptors: it stays shared
  if (::dup3(own, fd, O_CLOEXEC) == fd &&
      (s->word.load(std::memory_order_relaxed) & Signal::kStateMask) != 0)
    signal_fd(fd);
  ::close(own);
}

// Trivially destructible, so still usable after the flusher below has run
// (another thread_local's destructor may release a signal late).
struct Cache {
  SignalState* head = nullptr;
  std::size_t size = 0;
  bool closed = false;  // the thread is exiting: bypass the cache
};
thread_local Cache cache;

void push_shared(SignalState* first, SignalState* last, std::size_t n) noexcept {
  SharedPool& p = shared_pool();
  std::lock_guard<std::mutex> g(p.m);
  last->next_free = p.head;
  p.head = first;
  p.size += n;
}

struct Flusher {
  ~Flusher() {
    if (cache.head != nullptr) {
      SignalState* last = cache.head;
      while (last->next_free != nullptr) last = last->next_free;
      push_shared(cache.head, last, cache.size);
    }
    cache = Cache{nullptr, 0, true};
  }
};
thread_local Flusher flusher;

// The cache, for adding to it: makes sure this thread's flusher exists.
Cache& filling_cache() noexcept {
  Cache& c = cache;
  if (!c.closed) (void)&flusher;  // odr-use: constructs it on this thread
  return c;
}

void next_generation(SignalState* s) noexcept {
  const std::uint64_t gen = s->word.load(std::memory_order_relaxed) >> Signal::kGenShift;
  s->word.store((gen + 1) << Signal::kGenShift, std::memory_order_release);
}

void recycle(SignalState* s) noexcept {
  if (s->exposed) {
    std::stop_source* ss;
    int fd;
    {
      // Under m: a Done's stop_token()/native_handle() checks the generation
      // under m before it touches ss or fd.
      std::lock_guard<NodeMutex> g(s->m);
      // Acquire: the waiter may have been made by another thread (a Done's
      // wait()) without taking m.
      Waiter* w = s->waiter.load(std::memory_order_acquire);
      ss = w != nullptr ? w->ss.exchange(nullptr, std::memory_order_relaxed) : nullptr;
      fd = s->fd.exchange(-1, std::memory_order_relaxed);
      next_generation(s);
      s->exposed = false;
    }
    delete ss;
    if (fd >= 0) ::close(fd);
  } else {
    next_generation(s);  // no Done was ever taken: nobody else can look
  }
  Cache& c = filling_cache();
  if (c.closed) {
    s->next_free = nullptr;
    push_shared(s, s, 1);
    return;
  }
  s->next_free = c.head;
  c.head = s;
  if (++c.size > kCacheMax) {
    SignalState* first = c.head;
    SignalState* last = first;
    for (std::size_t i = 1; i < kCacheMove; ++i) last = last->next_free;
    c.head = last->next_free;
    c.size -= kCacheMove;
    push_shared(first, last, kCacheMove);
  }
}


}  // namespace

SignalState* signal_alloc() {
  Cache& c = filling_cache();
  if (c.head == nullptr) {
    // Refill from the shared list (just one signal once the thread is exiting).
    SharedPool& p = shared_pool();
    std::lock_guard<std::mutex> g(p.m);
    const std::size_t want = c.closed ? 1 : kCacheMove;
    for (std::size_t i = 0; i < want && p.head != nullptr; ++i) {
      SignalState* s = p.head;
      p.head = s->next_free;
      --p.size;
      s->next_free = c.head;
      c.head = s;
      ++c.size;
    }
  }
  if (c.head == nullptr) {
    // A slab at a time: signals are never freed, and one at a time they
    // would sit between the nodes' allocations and keep the heap from
    // coalescing those once freed (after a burst of contexts, malloc
    // then works through thousands of small free fragments).
    auto* slab = new SignalState[kSlab];
    {
      SharedPool& p = shared_pool();
      std::lock_guard<std::mutex> g(p.m);
      p.slabs.push_back(slab);
    }
    for (std::size_t i = 0; i < kSlab; ++i) {
      slab[i].next_free = c.head;
      c.head = &slab[i];
    }
    c.size += kSlab;
  }
  SignalState* s = c.head;
  c.head = s->next_free;
  --c.size;
  s->next_free = nullptr;
  s->refs.store(1, std::memory_order_relaxed);
  return s;
}

void signal_release(SignalState* s) noexcept {
  if (s->immortal) return;
  if (s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) recycle(s);
}

bool signal_try_acquire(SignalState* s) noexcept {
  if (s->immortal) return true;
  std::uint32_t r = s->refs.load(std::memory_order_relaxed);
  while (r != 0) {
    if (s->refs.compare_exchange_weak(r, r + 1, std::memory_order_acq_rel,
                                      std::memory_order_relaxed))
      return true;
  }
  return false;
}

void unpin(Signal* s) noexcept { signal_release(state_of(s)); }

SignalState* never_signal() noexcept {
  return create_once(the_never_signal, [] {
    auto* n = new SignalState();  // immortal
    n->immortal = true;
    n->refs.store(1, std::memory_order_relaxed);
    return n;
  });
}

std::size_t signal_pool_size() noexcept {
  SharedPool& p = shared_pool();
  std::lock_guard<std::mutex> g(p.m);
  return p.size + cache.size;
}

}  // namespace ctx::detail
