// The Go peers' testdata, ported where the rule applies to C++, each case
// named after its source; and the false positives their users reported.
// RUN: %check_clang_tidy %s context-not-inherited,context-not-passed,context-unchecked-loop %t -- -- -isystem %ctx_inputs/system

#include <ctx/context.hpp>
#include <chrono>
#include <string>
#include <thread>

using namespace std::chrono_literals;
void f2(ctx::Context c);
void f3();

// contextcheck, testdata/src/a/a.go (f1): passing the context on is fine,
// also from a deferred or immediately-called lambda; a new root is not.
void contextcheck_f1(ctx::Context c) {
  f2(c);
  [&] { f2(c); }();
  [](ctx::Context inner) { f2(inner); }(c);
  f2(ctx::background());
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: 'ctx::background()' starts a new context tree
  // CHECK-FIXES: {{^}}  f2(c);{{$}}
  // contextcheck also reports f3(), a function that takes no context at all;
  // here only a call with a context-taking variant is (context-not-passed).
  f3();
}
// contextcheck: 41 of 43 findings on one project were deliberate
// detachments. The named detach is never flagged.
void contextcheck_detached(ctx::Context c) { f2(ctx::without_cancel(c)); }

// noctx, testdata (http.Get, sql.DB.Query, exec.Command): the standard
// library's context-free calls next to their ...Context variants. Here the
// overload set is the list.
namespace http {
struct Response {};
Response Get(const std::string &url);
Response GetContext(const ctx::Context &c, const std::string &url);
} // namespace http
namespace sql {
struct DB {
  int Query(const std::string &q);
  int QueryContext(const ctx::Context &c, const std::string &q);
};
} // namespace sql
namespace exec {
int Command(const std::string &name);
int CommandContext(ctx::Context c, const std::string &name);
} // namespace exec
void noctx_main(const ctx::Context &c, sql::DB &db) {
  http::Get("http://example.com");
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'http::Get' is called without the context in scope, but 'GetContext' takes one
  // CHECK-FIXES: {{^}}  http::GetContext(c, "http://example.com");{{$}}
  db.Query("select 1");
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: 'sql::DB::Query' is called without the context in scope, but 'QueryContext' takes one
  // CHECK-FIXES: {{^}}  db.QueryContext(c, "select 1");{{$}}
  exec::Command("ls");
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'exec::Command' is called without the context in scope, but 'CommandContext' takes one
  // CHECK-FIXES: {{^}}  exec::CommandContext(c, "ls");{{$}}
}
// noctx outside a function with a context: nothing to pass.
void noctx_no_context() { http::Get("http://example.com"); }

// gosec, testutils/g118_samples.go: "goroutine uses context.Background while
// request context exists": the thread's lambda has the request's context in
// scope.
void g118_goroutine_background(const ctx::Context &c) {
  std::thread([] { f2(ctx::background()); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'ctx::background()' starts a new context tree
}
// g118: "loop with blocking call and no ctx.Done guard".
void g118_run(const ctx::Context &c) {
  for (;;)
    std::this_thread::sleep_for(1s);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks but never looks at the context in scope
}
// g118: "complex infinite multi-block loop without ctx.Done guard": one
// warning for the loop, however many blocking calls.
void g118_complex_infinite(const ctx::Context &c, int (*next)()) {
  for (;;) {
    switch (next()) {
    case 0:
      std::this_thread::sleep_for(1ms);
      break;
    default:
      std::this_thread::sleep_for(1ms);
    }
  }
  // CHECK-MESSAGES: :[[@LINE-9]]:3: warning: this loop blocks but never looks at the context in scope
}
// g118: "goroutine propagates request context and checks cancellation".
void g118_safe(const ctx::Context &c) {
  std::thread([](ctx::Context c2) {
    while (!c2.done().wait_for(1ms)) {
    }
  }, c).detach();
}
// gosec false positives reported by users: goroutines started in a loop
// (the loop does not block; the lambda's body is its own), and a loop that
// watches the context through a value taken from it.
void g118_spawn_in_loop(const ctx::Context &c, int n) {
  for (int i = 0; i < n; ++i)
    std::thread([] { std::this_thread::sleep_for(1ms); }).detach();
  ctx::Done d = c.done();
  while (!d.ready())
    std::this_thread::sleep_for(1ms);
}
