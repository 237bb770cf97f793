// RUN: %check_clang_tidy %s context-not-inherited %t -- -- -isystem %ctx_inputs/system
// The fixed file compiles:
// RUN: %llvm_bin/clang++ -fsyntax-only -std=c++20 -I %ctx_inputs -isystem %ctx_inputs/system %t/context-not-inherited.cpp

#include <ctx/context.hpp>
#include <utility>

void sink(ctx::Context c);
void sink_rvalue(ctx::Context &&c);

// No context in scope: a root is how work starts.
void no_context() { sink(ctx::background()); }

void by_value(ctx::Context c) {
  sink(ctx::background());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::background()' starts a new context tree where a context is in scope: the work no longer ends when the caller's context ends and does not see its values; derive from the context in scope, or detach on purpose with 'ctx::without_cancel(c)' [context-not-inherited]
  // CHECK-MESSAGES: :[[@LINE-3]]:28: note: the context in scope
  // CHECK-FIXES: {{^}}  sink(c);{{$}}
}

void by_const_ref(const ctx::Context &parent) {
  ctx::Context child = ctx::background();
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'ctx::background()' starts a new context tree
  // CHECK-MESSAGES: :[[@LINE-3]]:39: note: the context in scope
  // CHECK-FIXES: {{^}}  ctx::Context child = parent;{{$}}
  sink(child);
}

// The named detach keeps the values and is never flagged.
void detached(ctx::Context c) { sink(ctx::without_cancel(c)); }

// Two contexts: which one is meant is the author's call; a pointer is not a
// value to put there; an unnamed parameter cannot be named. Flagged, no fix.
void two(ctx::Context a, ctx::Context b) {
  sink(ctx::background());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-3]]:23: note: the context in scope
  // CHECK-FIXES: {{^}}  sink(ctx::background());{{$}}
}
void pointer(ctx::Context *p) {
  sink(ctx::background());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-3]]:28: note: the context in scope
}
void unnamed(ctx::Context) {
  sink(ctx::background());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-3]]:26: note: the context in scope
}
// Only an rvalue binds there: the parameter would not compile.
void rvalue_only(ctx::Context c) {
  sink_rvalue(ctx::background());
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: the context in scope
  // CHECK-FIXES: {{^}}  sink_rvalue(ctx::background());{{$}}
}

// A type that merely contains a context does not put one in scope.
struct Holder { ctx::Context c; };
void holder(Holder h, std::optional<ctx::Context> o) { sink(ctx::background()); }

// Lambdas: a capture puts the context in scope; a nested lambda has the
// enclosing one in scope even without capturing it (no fix: the parameter
// is not the lambda's own).
void lambdas(ctx::Context c) {
  auto captures = [c] { sink(ctx::background()); };
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-3]]:27: note: the context in scope
  auto nested = [] { return [] { sink(ctx::background()); }; };
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-6]]:27: note: the context in scope (of the code around the lambda or block)
  // CHECK-FIXES: {{^}}  auto nested = [] { return [] { sink(ctx::background()); }; };{{$}}
  auto own = [](ctx::Context inner) { sink(ctx::background()); };
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-2]]:30: note: the context in scope
  // CHECK-FIXES: {{^}}  auto own = [](ctx::Context inner) { sink(inner); };{{$}}
  // The capture initializer runs in lambdas() itself: fixed to its parameter.
  auto init = [d = ctx::background()] { sink(d); };
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-15]]:27: note: the context in scope
  // CHECK-FIXES: {{^}}  auto init = [d = c] { sink(d); };{{$}}
}
void init_capture_scope() {
  ctx::Context local = ctx::background();
  auto l = [c2 = local] { sink(ctx::background()); };
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-2]]:13: note: the context in scope
  auto implicit = [&] { sink(local); sink(ctx::background()); };
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-6]]:16: note: the context in scope
}

// main's own body makes the root; a lambda in main follows the general rule.
int main() {
  ctx::Context root = ctx::background();
  auto worker = [root] { sink(ctx::background()); };
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-3]]:16: note: the context in scope
  auto free_lambda = [] { sink(ctx::background()); };
  sink(root);
}

// A local class's members are functions of their own.
void local_class(ctx::Context c) {
  struct Local {
    ctx::Context member = ctx::background();
    void run() { sink(ctx::background()); }
  };
}

// Unevaluated operands run nothing; default arguments run in the caller.
void unevaluated(ctx::Context c, ctx::Context d = ctx::background()) {
  using T = decltype(ctx::background());
  static_assert(sizeof(ctx::background()) > 0);
}

// Macros: flagged where the macro is used, no fix inside it.
#define ROOT() ctx::background()
void macro(ctx::Context c) {
  sink(ROOT());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-3]]:25: note: the context in scope
  // CHECK-FIXES: {{^}}  sink(ROOT());{{$}}
}

// Templates: one report, on the template.
template <class T> void tmpl(ctx::Context c, T t) {
  sink(ctx::background());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::background()' starts
  // CHECK-MESSAGES: :[[@LINE-3]]:43: note: the context in scope
  // CHECK-FIXES: {{^}}  sink(c);{{$}}
}
template void tmpl<int>(ctx::Context, int);
template void tmpl<long>(ctx::Context, long);

void suppressed(ctx::Context c) {
  sink(ctx::background()); // NOLINT(context-not-inherited)
  // NOLINTNEXTLINE(context-not-inherited)
  sink(ctx::background());
}
