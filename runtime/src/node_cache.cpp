// A per-thread cache of freed CancelNode memory. Deriving and cancelling
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
  FreeBlock* head = nullptr;
  std::size_t size = 0;
  bool closed = false;  // the thread is exiting: free directly
};
thread_local NodeCache node_cache;  // trivially destructible: usable to the end

struct NodeCacheFlusher {
  ~NodeCacheFlusher() {
    NodeCache& c = node_cache;
    while (FreeBlock* b = c.head) {
      c.head = b->next;
      ::operator delete(b);
    }
    c = NodeCache{nullptr, 0, true};
  }
};
thread_local NodeCacheFlusher node_cache_flusher;

}  // namespace

void* CancelNode::operator new(std::size_t size) {
  NodeCache& c = node_cache;
  if (FreeBlock* b = c.head; b != nullptr && size == sizeof(CancelNode)) {
    c.head = b->next;
    --c.size;
    return b;
  }
  return ::operator new(size);
}

void CancelNode::operator delete(void* p, std::size_t size) noexcept {
  NodeCache& c = node_cache;
  if (c.closed || c.size >= kMax || size != sizeof(CancelNode)) {
    ::operator delete(p);
    return;
  }
  (void)&node_cache_flusher;  // odr-use: this thread frees its cache at exit
  auto* b = static_cast<FreeBlock*>(p);
  b->next = c.head;
  c.head = b;
  ++c.size;
}

}  // namespace ctx::detail
