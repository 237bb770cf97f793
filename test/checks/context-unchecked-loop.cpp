// RUN: %check_clang_tidy %s context-unchecked-loop %t -- -- -isystem %ctx_inputs/system

#include <ctx/context.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>
#include <unistd.h>

using namespace std::chrono_literals;
bool poll();
void work(const ctx::Context &c);

void sleeps(const ctx::Context &c) {
  while (!poll())
    std::this_thread::sleep_for(10ms);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks but never looks at the context in scope: it goes on after the caller has cancelled; check the context (done(), err()) or pass it to the wait [context-unchecked-loop]
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: blocking call of 'std::this_thread::sleep_for'
}

// Looking at the context, in any form, in the condition or the body.
void checks_err(const ctx::Context &c) {
  while (!poll() && !c.err())
    std::this_thread::sleep_for(10ms);
}
void passes_it_on(ctx::Context c) {
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(10ms);
    work(c);
  }
}
void done_taken_before(ctx::Context c) {
  ctx::Done d = c.done();
  while (!d.ready())
    std::this_thread::sleep_for(10ms);
}
void stop_token_taken_before(ctx::Context c, std::condition_variable_any &cv, std::mutex &m) {
  std::stop_token st = c.done().stop_token();
  std::unique_lock lk(m);
  while (!poll())
    cv.wait(lk, st, [] { return poll(); });
}
void through_pointer(ctx::Context *c) {
  while (!poll() && !(*c).err())
    sleep(1);
}

// No context in scope: nothing to look at.
void no_context() {
  while (!poll())
    std::this_thread::sleep_for(10ms);
}

// The blocking functions of the default list, through the object's class.
void condition(ctx::Context c, std::condition_variable &cv, std::mutex &m, bool &ready) {
  std::unique_lock lk(m);
  while (!ready)
    cv.wait(lk);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: blocking call of 'std::condition_variable::wait'
}
void futures(ctx::Context c, std::vector<std::future<int>> &fs, std::future<void> &f) {
  int sum = 0;
  for (auto &x : fs)
    sum += x.get();
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: blocking call of
  do
    f.wait();
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: blocking call of
  while (!poll());
}
void joins(ctx::Context c, std::vector<std::thread> &ts) {
  for (std::thread &t : ts)
    t.join();
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: blocking call of 'std::thread::join'
}
void reads(ctx::Context c, int fd, char *buf) {
  for (;;)
    if (read(fd, buf, 1) <= 0)
      break;
  // CHECK-MESSAGES: :[[@LINE-3]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-3]]:9: note: blocking call of 'read'
}

// Only the per-iteration parts count: a `for` init-statement runs once.
void init_statement(ctx::Context c, std::future<int> &f) {
  for (int n = f.get(); n > 0; --n)
    poll();
}

// A blocking call counts for the innermost loop only; a look anywhere in a
// loop counts for it and the loops around it.
void nested(ctx::Context c) {
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j)
      std::this_thread::sleep_for(1ms);
    // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: this loop blocks
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: blocking call
  }
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(1ms);
    for (int j = 0; j < 3; ++j)
      work(c);
  }
}

// Lambdas: the body belongs to the lambda; a capture in the loop is a look.
void lambdas(ctx::Context c, std::vector<std::function<void()>> &q) {
  while (!poll())
    q.push_back([] { std::this_thread::sleep_for(1ms); });
  while (!poll()) {
    q.push_back([c] { work(c); });
    std::this_thread::sleep_for(1ms);
  }
  auto loop = [c] {
    while (!poll())
      std::this_thread::sleep_for(1ms);
    // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: this loop blocks
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: blocking call
  };
  auto nested = [] {
    while (!poll())
      std::this_thread::sleep_for(1ms);
    // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: this loop blocks
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: blocking call
  };
}

// Go's ExampleAfterFunc_cond: after_func wakes the condition variable when
// the context ends; the loop refers to what the callback captures.
void after_func_cond(ctx::Context c) {
  std::mutex mu;
  std::condition_variable cond;
  bool stopped = false;
  auto stop = ctx::after_func(c, [&] {
    std::lock_guard g(mu);
    stopped = true;
    cond.notify_all();
  });
  std::unique_lock lk(mu);
  while (!poll() && !stopped)
    cond.wait(lk);
}

// Macros, templates (one report), NOLINT.
#define NAP() std::this_thread::sleep_for(1ms)
void macro(ctx::Context c) {
  while (!poll())
    NAP();
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: blocking call
}
template <class T> void tmpl(ctx::Context c, T t) {
  while (!poll())
    std::this_thread::sleep_for(1ms);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: blocking call
}
template void tmpl<int>(ctx::Context, int);
template void tmpl<long>(ctx::Context, long);
void suppressed(ctx::Context c) {
  while (!poll()) // NOLINT(context-unchecked-loop)
    std::this_thread::sleep_for(1ms);
}
// Unevaluated operands run nothing.
void unevaluated(ctx::Context c) {
  while (!poll())
    (void)sizeof(std::this_thread::sleep_for(1ms), 0);
}

// Real code (gRPC examples/cpp/deadline/server.cc): the loop waits for a
// call that was handed the context; its callback, which captures `done` by
// reference, runs when that call ends, and so when the context does.
struct Status {};
void async_call(const ctx::Context &c, std::function<void(Status)> on_done);
void run_later(std::function<void()> f);
void forwards(ctx::Context c) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  async_call(c, [&mu, &cv, &done](Status) {
    std::lock_guard g(mu);
    done = true;
    cv.notify_one();
  });
  std::unique_lock lk(mu);
  while (!done)
    cv.wait(lk);
}
// A callback handed to a call without the context does not watch it.
void callback_without_context(ctx::Context c) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  run_later([&] { done = true; cv.notify_one(); });
  std::unique_lock lk(mu);
  while (!done)
    cv.wait(lk);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: blocking call of 'std::condition_variable::wait'
}
