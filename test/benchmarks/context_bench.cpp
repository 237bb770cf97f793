// Google Benchmark ports of Go's src/context/benchmark_test.go, same shapes
// and names. Go's b.RunParallel benchmarks run with ->Threads(2) (GOMAXPROCS
// on the reference machine) and UseRealTime(); Google Benchmark then reports
// the threads' mean wall time divided by all threads' iterations, which is
// Go's ns/op (wall time / total ops): scripts/bench-runtime-vs-go.sh takes it
// as it is. (It divided it by the threads again until 2026-12-07, which
// halved ctx's figure for these rows.)
//
// DeepValueNewGoRoutine: Go's `go func() { ctx.Value(-1); done <- struct{}{} }()`
// then `<-done`. A goroutine is a task with a frame of its own, started by a
// scheduler: Go puts it in the spawning P's runnext slot and, since the
// spawner blocks at once, runs it on the same thread. The port does the same
// with a C++20 coroutine: the frame is allocated, queued on a run queue, and
// resumed on this thread while the spawner waits. (The benchmark dates from
// when Go's Value was recursive and a goroutine's small new stack made deep
// lookups grow it; ctx's lookup is a loop in any stack.) The cost of doing
// the lookup on *another* thread is reported as Cpp/DeepValueOtherThread:
// it is the cache-line round trip between two cores, not the context.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <ctx/context.hpp>

namespace {

constexpr int kParallel = 2;

struct StrKey {
  std::string s;
  friend bool operator==(const StrKey&, const StrKey&) = default;
};

// CommonParentCancel's busy work, Go's `for i := 0; i < 100; i++ { x /= x + 1 }`
// (x is Go's int: 64-bit divisions).
void divide100(std::int64_t& x) {
  for (int i = 0; i < 100; ++i) {
    x /= x + 1;
    benchmark::DoNotOptimize(x);
  }
}

void CommonParentCancel(benchmark::State& state) {
  static ctx::Context shared;
  static ctx::CancelFunc sharedcancel;
  static const StrKey key{"key"};
  if (state.thread_index() == 0) {
    ctx::Context root = ctx::with_value(ctx::background(), key, std::string("value"));
    std::tie(shared, sharedcancel) = ctx::with_cancel(root);
  }
  std::int64_t x = 0;
  for (auto _ : state) {
    auto [c, cancel] = ctx::with_cancel(shared);
    const std::string* v = c.value<std::string>(key);
    if (v == nullptr || *v != "value") state.SkipWithError("should not be reached");
    divide100(x);
    cancel();
    divide100(x);
  }
  if (state.thread_index() == 0) {
    sharedcancel();
    shared = nullptr;
    sharedcancel = {};
  }
}
BENCHMARK(CommonParentCancel)->Threads(kParallel)->UseRealTime();

// CommonParentCancel without the context: its two loops only (Go's twin is in
// test/benchmarks/go/parent_test.go). They are most of its time on both
// sides; scripts/bench-runtime-vs-go.sh subtracts them.
void CommonParentLoopOnly(benchmark::State& state) {
  std::int64_t x = 0;
  for (auto _ : state) {
    divide100(x);
    divide100(x);
  }
}
BENCHMARK(CommonParentLoopOnly)->Threads(kParallel)->UseRealTime();

// Not in Go's file: what a server does per request, derive a child of the one
// server-wide cancellable parent and cancel it, on 1, 2, 4 and 8 threads at
// once. ops/s/thread is all threads' operations over the wall time from the
// common start to the last thread's end, divided by the threads: on a machine
// with at least that many cores it does not fall as threads are added unless
// registering children serialises on the parent. (Not Google Benchmark's
// per-thread time: a thread descheduled while others run past their count
// finishes early and reports less than the wall time.) The Go equivalent is
// test/benchmarks/go/parent_test.go; its ns/op is 1e9 / (this * threads).
// Derives a child of `parent` and cancels it, once per iteration; thread 0
// sets ops/s/thread (above).
void derive_cancel(benchmark::State& state, const ctx::Context& parent) {
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {  // begins and ends with a barrier of all threads
    auto [c, cancel] = ctx::with_cancel(parent);
    cancel();
  }
  if (state.thread_index() == 0) {
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
    // Counters are summed over the threads: only thread 0 sets this one.
    state.counters["ops/s/thread"] = static_cast<double>(state.iterations()) / wall.count();
  }
}

void ParentDeriveCancel(benchmark::State& state) {
  static ctx::Context parent;
  static ctx::CancelFunc pcancel;
  if (state.thread_index() == 0) std::tie(parent, pcancel) = ctx::with_cancel(ctx::background());
  derive_cancel(state, parent);
  if (state.thread_index() == 0) {
    if (parent.err()) state.SkipWithError("the shared parent ended");
    pcancel();
    parent = nullptr;
    pcancel = {};
  }
}
BENCHMARK(ParentDeriveCancel)->ThreadRange(1, 8)->UseRealTime();

// ParentDeriveCancel's baseline: the same work with a parent per thread, so
// nothing is shared. What its ops/s/thread loses from 1 to 2 threads is the
// machine's (two vCPUs sharing a core, memory bandwidth), not the parent's.
void OwnParentDeriveCancel(benchmark::State& state) {
  auto [parent, pcancel] = ctx::with_cancel(ctx::background());
  derive_cancel(state, parent);
  pcancel();
}
BENCHMARK(OwnParentDeriveCancel)->Name("Cpp/OwnParentDeriveCancel")->ThreadRange(1, 2)->UseRealTime();

void WithTimeoutBench(benchmark::State& state) {
  static std::vector<ctx::CancelFunc> ccf;
  const auto concurrency = static_cast<std::size_t>(state.range(0));
  const ctx::Context root = ctx::background();
  if (state.thread_index() == 0) {
    ccf.clear();
    ccf.reserve(concurrency);
    for (std::size_t j = 0; j < concurrency; ++j)
      ccf.push_back(ctx::with_timeout(root, std::chrono::hours(1)).second);
  }
  std::vector<ctx::CancelFunc> wcf(10);
  for (auto _ : state) {
    for (auto& f : wcf) f = ctx::with_timeout(root, std::chrono::hours(1)).second;
    for (auto& f : wcf) f();
  }
  if (state.thread_index() == 0) {
    for (auto& f : ccf) f();
    ccf.clear();
  }
}
BENCHMARK(WithTimeoutBench)
    ->Name("WithTimeout")
    ->ArgName("concurrency")
    ->Arg(40)
    ->Arg(4000)
    ->Arg(400000)
    ->Threads(kParallel)
    ->UseRealTime();

void build_context_tree(ctx::Context root, int depth) {
  for (int d = 0; d < depth; ++d) root = ctx::with_cancel(root).first;
}

void CancelTreeBackground(benchmark::State& state, int d) {
  for (auto _ : state) build_context_tree(ctx::background(), d);
}
void CancelTreeOpen(benchmark::State& state, int d) {
  for (auto _ : state) {
    auto [c, cancel] = ctx::with_cancel(ctx::background());
    build_context_tree(c, d);
    cancel();
  }
}
void CancelTreeClosed(benchmark::State& state, int d) {
  for (auto _ : state) {
    auto [c, cancel] = ctx::with_cancel(ctx::background());
    cancel();
    build_context_tree(c, d);
  }
}

void CheckCanceledErr(benchmark::State& state) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  cancel();
  for (auto _ : state) benchmark::DoNotOptimize(c.err());
}
BENCHMARK(CheckCanceledErr)->Name("CheckCanceled/Err");

void CheckCanceledDone(benchmark::State& state) {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  cancel();
  for (auto _ : state) benchmark::DoNotOptimize(c.done().ready());
}
BENCHMARK(CheckCanceledDone)->Name("CheckCanceled/Done");

void ContextCancelDone(benchmark::State& state) {
  static ctx::Context c;
  static ctx::CancelFunc cancel;
  if (state.thread_index() == 0) std::tie(c, cancel) = ctx::with_cancel(ctx::background());
  for (auto _ : state) benchmark::DoNotOptimize(c.done().ready());
  if (state.thread_index() == 0) {
    cancel();
    c = nullptr;
    cancel = {};
  }
}
BENCHMARK(ContextCancelDone)->Threads(kParallel)->UseRealTime();

ctx::Context deep_values(int depth) {
  ctx::Context c = ctx::background();
  for (int i = 0; i < depth; ++i) c = ctx::with_value(c, i, i);
  return c;
}

// A parked worker thread that runs one job per hand-off (for
// Cpp/DeepValueOtherThread). The request (sequence number, function,
// argument) fills one cache line and the reply another, so a hand-off moves
// two cache lines between the threads and back.
class HandOff {
 public:
  HandOff() : t_([this] { run(); }) {}
  ~HandOff() {
    stop_.store(true);
    req_.seq.fetch_add(1);
    req_.seq.notify_one();
    t_.join();
  }
  void run_and_wait(void (*fn)(const void*), const void* arg) {
    req_.fn = fn;
    req_.arg = arg;
    const unsigned s = req_.seq.load(std::memory_order_relaxed) + 1;
    // seq_cst store, then load: pairs with the worker's store to `sleeping`
    // and load of seq, so either it sees the request or we see it asleep.
    req_.seq.store(s, std::memory_order_seq_cst);
    if (rep_.sleeping.load(std::memory_order_seq_cst)) req_.seq.notify_one();
    await(rep_.done, s, false);
  }

 private:
  struct alignas(64) Request {
    std::atomic<unsigned> seq{0};
    void (*fn)(const void*) = nullptr;
    const void* arg = nullptr;
  };
  struct alignas(64) Reply {
    std::atomic<unsigned> done{0};
    std::atomic<bool> sleeping{false};  // written by the worker, rarely
  };
  // Spin briefly (a hand-off is usually sub-microsecond), then sleep in the
  // kernel so that a busy machine does not turn spinning into stalls.
  unsigned await(std::atomic<unsigned>& a, unsigned want_or_old, bool worker) {
    auto arrived = [&](unsigned v) { return worker ? v != want_or_old : v == want_or_old; };
    for (int i = 0; i < 4000; ++i) {
      unsigned v = a.load(std::memory_order_acquire);
      if (arrived(v)) return v;
#if defined(__x86_64__)
      __builtin_ia32_pause();
#endif
    }
    if (worker) rep_.sleeping.store(true, std::memory_order_seq_cst);
    for (;;) {
      unsigned v = a.load(std::memory_order_seq_cst);
      if (arrived(v)) {
        if (worker) rep_.sleeping.store(false, std::memory_order_relaxed);
        return v;
      }
      a.wait(v, std::memory_order_acquire);
    }
  }
  void run() {
    unsigned seen = 0;
    for (;;) {
      seen = await(req_.seq, seen, true);
      if (stop_.load()) return;
      req_.fn(req_.arg);
      rep_.done.store(seen, std::memory_order_release);
      rep_.done.notify_one();
    }
  }
  Request req_;
  Reply rep_;
  std::atomic<bool> stop_{false};
  std::thread t_;
};

// The goroutine: a coroutine whose frame is allocated when it is created,
// suspended until the scheduler runs it, and destroyed once it finished.
struct Goroutine {
  struct promise_type {
    Goroutine get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }  // runnable, not running
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

Goroutine lookup_goroutine(const ctx::Context* c) {
  benchmark::DoNotOptimize(c->value<int>(-1));
  co_return;
}

// A single-threaded run queue (a P's runnext and local queue).
class Scheduler {
 public:
  void go(std::coroutine_handle<> h) { runnable_.push_back(h); }
  // The spawner blocks: run what is runnable on this thread.
  void block() {
    while (!runnable_.empty()) {
      std::coroutine_handle<> h = runnable_.front();
      runnable_.pop_front();
      h.resume();
    }
  }
 private:
  std::deque<std::coroutine_handle<>> runnable_;
};

void DeepValueNewGoRoutine(benchmark::State& state, int depth) {
  const ctx::Context c = deep_values(depth);
  Scheduler sched;
  for (auto _ : state) {
    Goroutine g = lookup_goroutine(&c);
    sched.go(g.handle);
    sched.block();  // <-done
    if (!g.handle.done()) state.SkipWithError("goroutine did not finish");
    g.handle.destroy();
  }
}

void DeepValueOtherThread(benchmark::State& state, int depth) {
  // On the heap: a line no thread writes while the benchmark runs.
  const auto c = std::make_unique<const ctx::Context>(deep_values(depth));
  HandOff worker;
  for (auto _ : state)
    worker.run_and_wait(
        [](const void* p) {
          benchmark::DoNotOptimize(static_cast<const ctx::Context*>(p)->value<int>(-1));
        },
        c.get());
}

void DeepValueSameGoRoutine(benchmark::State& state, int depth) {
  const ctx::Context c = deep_values(depth);
  for (auto _ : state) benchmark::DoNotOptimize(c.value<int>(-1));
}

// Not in Go: deriving+cancelling a child vs the std::stop_source equivalent
// (a child stop_source linked to its parent by a std::stop_callback).
void WithCancelCancel(benchmark::State& state) {
  auto [parent, pcancel] = ctx::with_cancel(ctx::background());
  for (auto _ : state) {
    auto [c, cancel] = ctx::with_cancel(parent);
    cancel();
  }
  pcancel();
}
BENCHMARK(WithCancelCancel)->Name("Cpp/WithCancel+Cancel");

void StopSourceCallback(benchmark::State& state) {
  std::stop_source parent;
  const std::stop_token pt = parent.get_token();
  for (auto _ : state) {
    std::stop_source child;
    std::stop_callback cb(pt, [&child] { child.request_stop(); });
    child.request_stop();
  }
}
BENCHMARK(StopSourceCallback)->Name("Cpp/StopSource+StopCallback");

const int kRegistered = [] {
  for (int d : {1, 10, 100, 1000}) {
    const std::string base = "CancelTree/depth=" + std::to_string(d);
    benchmark::RegisterBenchmark((base + "/Root=Background").c_str(), CancelTreeBackground, d);
    benchmark::RegisterBenchmark((base + "/Root=OpenCanceler").c_str(), CancelTreeOpen, d);
    benchmark::RegisterBenchmark((base + "/Root=ClosedCanceler").c_str(), CancelTreeClosed, d);
  }
  for (int d : {10, 20, 30, 50, 100}) {
    benchmark::RegisterBenchmark(("DeepValueNewGoRoutine/depth=" + std::to_string(d)).c_str(),
                                 DeepValueNewGoRoutine, d);
    benchmark::RegisterBenchmark(("DeepValueSameGoRoutine/depth=" + std::to_string(d)).c_str(),
                                 DeepValueSameGoRoutine, d);
    benchmark::RegisterBenchmark(("Cpp/DeepValueOtherThread/depth=" + std::to_string(d)).c_str(),
                                 DeepValueOtherThread, d);
  }
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
