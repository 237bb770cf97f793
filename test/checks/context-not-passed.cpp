// RUN: %check_clang_tidy %s context-not-passed %t -- -- -isystem %ctx_inputs/system
// The fixed file compiles:
// RUN: %llvm_bin/clang++ -fsyntax-only -std=c++20 -I %ctx_inputs -isystem %ctx_inputs/system %t/context-not-passed.cpp

#include <ctx/context.hpp>
#include <functional>
#include <string>

struct Response {};
namespace net {
Response get(std::string url);
Response get(const ctx::Context &c, std::string url);
Response head(std::string url); // no variant
} // namespace net

void fetch(int id);
void fetchContext(ctx::Context c, int id);
void ping(int n);
void ping(ctx::Context *c, int n);
void query(int a, int b = 0);
void query(ctx::Context c, int a, int b);
void log(std::string msg);
void log(ctx::Context c, int level); // other parameters differ: no variant

struct Msg {};
struct Client {
  void Send(Msg m);
  void SendWithContext(const ctx::Context &c, const Msg &m);
  static void Close();
  static void Close(ctx::Context c);
};
struct Base {
  void stop(ctx::Context c, int n);
};
struct Derived : Base {
  void stop(int n);
};

void handler(const ctx::Context &c, Client &cl, Derived &d) {
  net::get("https://example.com");
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'net::get' is called without the context in scope, but an overload of it takes one; pass the context on [context-not-passed]
  // CHECK-MESSAGES: :12:10: note: the variant that takes a context
  // CHECK-FIXES: {{^}}  net::get(c, "https://example.com");{{$}}
  net::head("https://example.com");
  fetch(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fetch' is called without the context in scope, but 'fetchContext' takes one; pass the context on
  // CHECK-FIXES: {{^}}  fetchContext(c, 1);{{$}}
  cl.Send(Msg{});
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: 'Client::Send' is called without the context in scope, but 'SendWithContext' takes one
  // CHECK-FIXES: {{^}}  cl.SendWithContext(c, Msg{});{{$}}
  Client::Close();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'Client::Close' is called without
  // CHECK-FIXES: {{^}}  Client::Close(c);{{$}}
  log("x");
  // A const reference does not give the mutable pointer ping takes: no fix.
  ping(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'ping' is called without
  // CHECK-FIXES: {{^}}  ping(1);{{$}}
  // The variant in the base is hidden by Derived::stop: flagged, no fix.
  d.stop(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Derived::stop' is called without
  // CHECK-FIXES: {{^}}  d.stop(1);{{$}}
  // The variant has no default for b: no fix.
  query(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'query' is called without
  // CHECK-FIXES: {{^}}  query(1);{{$}}
  query(1, 2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'query' is called without
  // CHECK-FIXES: {{^}}  query(c, 1, 2);{{$}}
}

// A pointer to a context is written as the variant wants it.
void by_pointer(ctx::Context *p) {
  net::get("u");
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'net::get' is called without
  // CHECK-FIXES: {{^}}  net::get(*p, "u");{{$}}
  ping(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'ping' is called without
  // CHECK-FIXES: {{^}}  ping(p, 2);{{$}}
}
void by_value(ctx::Context c) {
  ping(3);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'ping' is called without
  // CHECK-FIXES: {{^}}  ping(&c, 3);{{$}}
}

// No context in scope: nothing to pass.
void no_context() { fetch(1); }

// The variant itself calls the context-free version.
void fetchContext(ctx::Context c, int id) { fetch(id); }

// Not flagged: calls through pointers, std::function, callables;
// constructors; operators; unevaluated operands.
struct Conn {
  Conn(int port);
  Conn(ctx::Context c, int port);
  Conn &operator<<(int);
};
Conn &operator<<(Conn &, ctx::Context);
void indirect(ctx::Context c, std::function<void(int)> f) {
  void (*fp)(int) = &fetch;
  fp(1);
  f(1);
  Conn k(1);
  k << 1;
  using T = decltype(fetch(1));
  static_assert(sizeof(net::get("u")) > 0);
}

// Lambdas: a capture can be named; a nested lambda that does not capture
// cannot (flagged, no fix); two contexts: no fix.
void lambdas(ctx::Context c) {
  auto captured = [c] { fetch(1); };
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'fetch' is called without
  // CHECK-FIXES: {{^}}  auto captured = [c] { fetchContext(c, 1); };{{$}}
  auto nested = [] { fetch(2); };
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'fetch' is called without
  // CHECK-FIXES: {{^}}  auto nested = [] { fetch(2); };{{$}}
  auto two = [c](ctx::Context d) { fetch(3); };
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: 'fetch' is called without
  // CHECK-FIXES: {{^}}  auto two = [c](ctx::Context d) { fetch(3); };{{$}}
}

// Template variants compare as templates; a template reports once.
template <class T> void put(T v);
template <class T> void put(ctx::Context c, T v);
template <class T> void tmpl(ctx::Context c, T t) {
  put(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'put' is called without
  // CHECK-FIXES: {{^}}  put(c, 1);{{$}}
  put(t); // dependent: resolved per instantiation, not reported
}
template void tmpl<int>(ctx::Context, int);
template void tmpl<long>(ctx::Context, long);

// Macros: flagged, no fix.
#define FETCH(x) fetch(x)
void macro(ctx::Context c) {
  FETCH(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fetch' is called without
  // CHECK-FIXES: {{^}}  FETCH(1);{{$}}
}

void suppressed(ctx::Context c) {
  fetch(1); // NOLINT(context-not-passed)
}
