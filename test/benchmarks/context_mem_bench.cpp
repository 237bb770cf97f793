// Bytes per context held at once (issue 15): N contexts of one kind are
// created and kept alive; the growth of glibc's mallinfo2().uordblks (and of
// RSS) over the loop, divided by N, is what each context costs. The handles'
// own storage (the vectors) is reserved before the first reading. "warm":
// N contexts of the kind were made and dropped first, so the per-thread node
// cache and the signal pool are full; "cold": the first contexts of the
// process. Its Go counterpart is test/benchmarks/go/mem_test.go; both are
// run by scripts/bench-runtime-memory.sh.
//   ctx_runtime_mem_bench <kind> <cold|warm> [N]
//   kinds: cancel_child cancel_bg timeout_bg value_bg cancel_child_done
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <ctx/context.hpp>

namespace {

struct Key {};

long rss_bytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * ::sysconf(_SC_PAGESIZE);
}

struct Held {
  std::vector<ctx::Context> c;
  std::vector<ctx::CancelFunc> f;
  explicit Held(std::size_t n) {
    c.reserve(n);
    f.reserve(n);
  }
};

// Makes n contexts of `kind` into h.
bool make(const std::string& kind, const ctx::Context& parent, std::size_t n, Held& h) {
  const ctx::Context bg = ctx::background();
  for (std::size_t i = 0; i < n; ++i) {
    if (kind == "cancel_child") {
      auto [c, f] = ctx::with_cancel(parent);
      h.c.push_back(std::move(c));
      h.f.push_back(std::move(f));
    } else if (kind == "cancel_bg") {
      auto [c, f] = ctx::with_cancel(bg);
      h.c.push_back(std::move(c));
      h.f.push_back(std::move(f));
    } else if (kind == "timeout_bg") {
      auto [c, f] = ctx::with_timeout(bg, std::chrono::hours(1));
      h.c.push_back(std::move(c));
      h.f.push_back(std::move(f));
    } else if (kind == "value_bg") {
      h.c.push_back(ctx::with_value(bg, Key{}, static_cast<int>(i)));
    } else if (kind == "cancel_child_done") {
      auto [c, f] = ctx::with_cancel(parent);
      (void)c.done();
      h.c.push_back(std::move(c));
      h.f.push_back(std::move(f));
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <kind> <cold|warm> [N]\n", argv[0]);
    return 2;
  }
  const std::string kind = argv[1];
  const bool warm = std::strcmp(argv[2], "warm") == 0;
  const std::size_t n = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1000000;
  auto [parent, cancel_parent] = ctx::with_cancel(ctx::background());
  if (kind == "timeout_bg") {  // the timer thread and its heap are not per context
    auto [c, f] = ctx::with_timeout(ctx::background(), std::chrono::hours(1));
    f();
  }
  if (warm) {
    Held h(n);
    if (!make(kind, parent, n, h)) return 2;
    for (auto& f : h.f) f();
  }
  Held h(n);
  const std::size_t before = mallinfo2().uordblks;
  const long rss_before = rss_bytes();
  if (!make(kind, parent, n, h)) {
    std::fprintf(stderr, "unknown kind %s\n", kind.c_str());
    return 2;
  }
  const std::size_t after = mallinfo2().uordblks;
  const long rss_after = rss_bytes();
  std::printf("%s %s malloc_bytes_per_ctx=%.1f rss_bytes_per_ctx=%.1f\n", kind.c_str(),
              warm ? "warm" : "cold", static_cast<double>(after - before) / n,
              static_cast<double>(rss_after - rss_before) / n);
  for (auto& f : h.f) f();
  cancel_parent();
  return 0;
}
