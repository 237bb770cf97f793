// Replaces a test binary's global operator new and delete with ones that
// count, per thread, the allocations and the bytes requested: the tests that
// bound what the runtime allocates read the counters around the code they
// measure. Include it in exactly one source file of the binary (it defines
// the replacement functions).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

namespace ctxtest {
inline thread_local std::size_t t_allocs = 0;  // calls of operator new
inline thread_local std::size_t t_bytes = 0;   // bytes they requested

inline void* counted_alloc(std::size_t n) {
  ++t_allocs;
  t_bytes += n;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
// Over-aligned types (the runtime's cache-line-aligned signals and fan-out
// shards) come here: counted the same way.
inline void* counted_aligned_alloc(std::size_t n, std::align_val_t a) {
  ++t_allocs;
  t_bytes += n;
  const auto al = static_cast<std::size_t>(a);
  if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
  throw std::bad_alloc();
}
}  // namespace ctxtest

void* operator new(std::size_t n) { return ctxtest::counted_alloc(n); }
void* operator new[](std::size_t n) { return ctxtest::counted_alloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void* operator new(std::size_t n, std::align_val_t a) { return ctxtest::counted_aligned_alloc(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return ctxtest::counted_aligned_alloc(n, a); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
