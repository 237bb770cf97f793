// A per-thread cache of freed CancelNode, LinkedNode and TimerNode memory,
// a list per size. Deriving and cancelling
// contexts allocates and frees one node each; glibc's own per-thread cache
// keeps only 7 blocks of a size, so a tree deeper than that went through
// malloc's slower bins for every node. The cache here keeps up to kMax
// blocks per thread and hands anything beyond that, and everything left
// when the thread exits, back to the allocator: memory is not retained.
#include <cstddef>
#include <new>

#include "internal.hpp"

namespace ctx::detail {
namespace {

constexpr std::size_t kMax = 1024;

struct FreeBlock {
  FreeBlock* next;
};

struct NodeCache {
  FreeBlock* head[3] = {nullptr, nullptr, nullptr};  // CancelNode, LinkedNode, TimerNode
  std::size_t size[3] = {0, 0, 0};
  bool closed = false;  // the thread is exiting: free directly
  bool armed = false;   // this thread's NodeCacheFlusher exists
};

// The list for a block of `size` bytes; -1: not one the cache keeps.
constexpr int size_class(std::size_t size) noexcept {
  return size == sizeof(CancelNode)   ? 0
         : size == sizeof(LinkedNode) ? 1
         : size == sizeof(TimerNode)  ? 2
                                      : -1;
}
thread_local NodeCache node_cache;  // trivially destructible: usable to the end

struct NodeCacheFlusher {
  ~NodeCacheFlusher() {
    NodeCache& c = node_cache;
    for (FreeBlock*& head : c.head) {
      while (FreeBlock* b = head) {
        head = b->next;
        ::operator delete(b);
      }
    }
    c = NodeCache{{nullptr, nullptr, nullptr}, {0, 0, 0}, true, true};
  }
};
thread_local NodeCacheFlusher node_cache_flusher;

}  // namespace

void* CancelNode::operator new(std::size_t size) {
  NodeCache& c = node_cache;
  const int k = size_class(size);
  if (FreeBlock* b = k >= 0 ? c.head[k] : nullptr; b != nullptr) {
    c.head[k] = b->next;
    --c.size[k];
    return b;
  }
  return ::operator new(size);
}

void CancelNode::operator delete(void* p, std::size_t size) noexcept {
  NodeCache& c = node_cache;
  const int k = size_class(size);
  if (c.closed || k < 0 || c.size[k] >= kMax) {
    ::operator delete(p);
    return;
  }
  if (!c.armed) [[unlikely]] {
    (void)&node_cache_flusher;  // odr-use: this thread frees its cache at exit
    c.armed = true;
  }
  auto* b = static_cast<FreeBlock*>(p);
  b->next = c.head[k];
  c.head[k] = b;
  ++c.size[k];
}

}  // namespace ctx::detail
