// Runs one runtime operation N times, for instruction counts under callgrind
// (deterministic where wall time on a shared machine is not):
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null ctx_runtime_ops OP N
// for two values of N; the difference of the totals over the difference of
// the N is the operation's cost. docs/performance.md has the procedure.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <ctx/context.hpp>

namespace {

using namespace std::chrono_literals;

// Keeps the compiler from dropping a loop's work.
void touch(const void* p) { asm volatile("" : : "r"(p) : "memory"); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s cancel|drop|copy|timeout|tree10 N\n", argv[0]);
    return 2;
  }
  const char* op = argv[1];
  const long n = std::atol(argv[2]);
  auto [parent, stop] = ctx::with_cancel(ctx::background());
  {
    auto [warm, cancel] = ctx::with_timeout(parent, 1h);  // the timer thread runs
    cancel();
  }
  if (std::strcmp(op, "cancel") == 0) {  // derive from a live parent, cancel
    for (long i = 0; i < n; ++i) {
      auto [c, cancel] = ctx::with_cancel(parent);
      cancel();
    }
  } else if (std::strcmp(op, "drop") == 0) {  // derive, drop without cancelling
    for (long i = 0; i < n; ++i) {
      auto [c, cancel] = ctx::with_cancel(parent);
      touch(&c);
    }
  } else if (std::strcmp(op, "copy") == 0) {  // copy and destroy a CancelFunc
    auto [c, cancel] = ctx::with_cancel(parent);
    for (long i = 0; i < n; ++i) {
      ctx::CancelFunc f = cancel;
      touch(&f);
    }
    cancel();
  } else if (std::strcmp(op, "timeout") == 0) {  // a pending deadline, cancelled
    for (long i = 0; i < n; ++i) {
      auto [c, cancel] = ctx::with_timeout(parent, 1h);
      cancel();
    }
  } else if (std::strcmp(op, "tree10") == 0) {  // Go's CancelTree, depth 10
    for (long i = 0; i < n; ++i) {
      ctx::CancelFunc cancels[10];
      ctx::Context c = parent;
      for (auto& cf : cancels) {
        auto [k, kc] = ctx::with_cancel(c);
        c = k;
        cf = kc;
      }
      cancels[0]();
    }
  } else {
    std::fprintf(stderr, "unknown operation %s\n", op);
    return 2;
  }
  stop();
  return 0;
}
