// RUN: %check_clang_tidy %s context-todo %t -- -- -isystem %ctx_inputs/system
// RUN: %check_clang_tidy -check-suffix=ALLOWED %s context-todo %t -- \
// RUN:   -config="{CheckOptions: {context-todo.AllowedFiles: 'context-todo'}}" -- -isystem %ctx_inputs/system
// RUN: %check_clang_tidy -check-suffix=OTHER-FILES %s context-todo %t -- \
// RUN:   -config="{CheckOptions: {context-todo.AllowedFiles: '_test\.cpp$'}}" -- -isystem %ctx_inputs/system
// RUN: %clang_tidy --load %plugin %s -checks='-*,context-todo' --quiet \
// RUN:   -config="{CheckOptions: {context-todo.AllowedFiles: '(unclosed'}}" \
// RUN:   -- -std=c++20 -I %ctx_inputs -isystem %ctx_inputs/system 2>&1 | FileCheck %s --check-prefix=BAD-REGEX
// BAD-REGEX: invalid regular expression in option 'AllowedFiles' ('(unclosed')

#include <ctx/context.hpp>
#include <ctx_system.h>
#include <type_traits>
#include <utility>

void sink(ctx::Context c);

void no_param() {
  sink(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::todo()' is a placeholder context; pass the caller's context instead [context-todo]
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:8: warning: 'ctx::todo()' is a placeholder context; pass the caller's context instead [context-todo]
}

void one_param(const ctx::Context &c) {
  sink(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::todo()' is a placeholder
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:8: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  sink(c);{{$}}
}

// Two contexts in scope: which one is meant is the author's call, no fix.
void two_params(ctx::Context a, ctx::Context b) {
  sink(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::todo()' is a placeholder
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:8: warning: 'ctx::todo()'
  // CHECK-FIXES: {{^}}  sink(ctx::todo());{{$}}
}
// A pointer is not a context value the call can take: no fix.
void pointer_param(ctx::Context *p) {
  sink(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::todo()'
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:8: warning: 'ctx::todo()'
  // CHECK-FIXES: {{^}}  sink(ctx::todo());{{$}}
}

void background_is_fine() { sink(ctx::background()); }

// Lambdas: their own parameter, never a capture of the enclosing one.
void lambdas(ctx::Context outer) {
  auto own = [](ctx::Context inner) { sink(ctx::todo()); };
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: 'ctx::todo()'
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:44: warning: 'ctx::todo()'
  // CHECK-FIXES: {{^}}  auto own = [](ctx::Context inner) { sink(inner); };{{$}}
  auto none = [] { sink(ctx::todo()); };
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'ctx::todo()'
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:25: warning: 'ctx::todo()'
  // CHECK-FIXES: {{^}}  auto none = [] { sink(ctx::todo()); };{{$}}
  own(outer); none();
  // An init-capture runs where the lambda is created: the enclosing
  // function's parameter is in scope there.
  auto init = [c = ctx::todo()] { sink(c); };
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'ctx::todo()'
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:20: warning: 'ctx::todo()'
  // CHECK-FIXES: {{^}}  auto init = [c = outer] { sink(c); };{{$}}
  auto nested = [] { return [c = ctx::todo()] { sink(c); }; };
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'ctx::todo()'
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:34: warning: 'ctx::todo()'
  // CHECK-FIXES: {{^}}  auto nested = [] { return [c = ctx::todo()] { sink(c); }; };{{$}}
  init(); nested()();
}

// Templates: once, however many instantiations.
template <class T> void templ(T x, const ctx::Context &c) { sink(ctx::todo()); }
// CHECK-MESSAGES: :[[@LINE-1]]:66: warning: 'ctx::todo()'
// CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:66: warning: 'ctx::todo()'
// CHECK-FIXES: {{^}}template <class T> void templ(T x, const ctx::Context &c) { sink(c); }{{$}}
void use_templ(const ctx::Context &c) { templ(1, c); templ(2.0, c); }

// Outside any function.
ctx::Context global = ctx::todo();
// CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'ctx::todo()'
// CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:23: warning: 'ctx::todo()'

// Macros: reported, never rewritten inside the macro.
#define TODO_CTX ctx::todo()
void macros(ctx::Context c) {
  sink(TODO_CTX);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::todo()'
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:8: warning: 'ctx::todo()'
  // CHECK-FIXES: {{^}}  sink(TODO_CTX);{{$}}
}

// NOLINT.
void suppressed() {
  sink(ctx::todo()); // NOLINT(context-todo)
  // NOLINTNEXTLINE(context-todo)
  sink(ctx::todo());
}

// Unevaluated operands name the placeholder's type; nothing runs.
using TodoType = decltype(ctx::todo());
static_assert(std::is_same_v<decltype(ctx::todo()), ctx::Context>);
static_assert(sizeof(ctx::todo()) > 0);
template <class T> auto sfinae(T t) -> decltype(sink(ctx::todo()), void());
void unevaluated(const ctx::Context &c) {
  (void)noexcept(ctx::todo());
  (void)sizeof(sink(ctx::todo()), 0);
  decltype(ctx::todo()) copy = c;
  // _Generic (a clang extension in C++): only the controlling operand is
  // unevaluated; the selected association runs.
  (void)_Generic(ctx::todo(), ctx::Context: 1, default: 0);
  (void)_Generic(0, int: (sink(ctx::todo()), 1), default: 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'ctx::todo()'
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:32: warning: 'ctx::todo()'
  // A lambda's body written in decltype runs when the closure is called.
  using Closure = decltype([] { sink(ctx::todo()); });
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: 'ctx::todo()'
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:38: warning: 'ctx::todo()'
  // CHECK-FIXES: {{^}}  using Closure = decltype([] { sink(ctx::todo()); });{{$}}
  Closure{}();
}

// A default argument is evaluated in the caller: `= c` would name the
// parameter itself. Reported, not rewritten.
void defaulted(int x, ctx::Context c = ctx::todo());
// CHECK-MESSAGES: :[[@LINE-1]]:40: warning: 'ctx::todo()' is a placeholder
// CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:40: warning: 'ctx::todo()' is a placeholder
// CHECK-FIXES: {{^}}void defaulted(int x, ctx::Context c = ctx::todo());{{$}}
struct WithDefault {
  void method(ctx::Context c, int x = (sink(ctx::todo()), 0)) {}
  // CHECK-MESSAGES: :[[@LINE-1]]:45: warning: 'ctx::todo()' is a placeholder
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:45: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  void method(ctx::Context c, int x = (sink(ctx::todo()), 0)) {}{{$}}
};

// An rvalue reference does not bind the parameter (an lvalue): no fix. A
// forwarding reference does.
void sink_rvalue(ctx::Context &&c);
template <class T> void sink_forward(T &&t);
void rvalue_targets(ctx::Context parent) {
  sink_rvalue(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'ctx::todo()' is a placeholder
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:15: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  sink_rvalue(ctx::todo());{{$}}
  ctx::Context &&held = ctx::todo();
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'ctx::todo()' is a placeholder
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:25: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  ctx::Context &&held = ctx::todo();{{$}}
  sink_forward(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'ctx::todo()' is a placeholder
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:16: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  sink_forward(parent);{{$}}
  sink(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::todo()' is a placeholder
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:8: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  sink(parent);{{$}}
}

// A constructor's initializers are in its scope.
struct Client {
  explicit Client(ctx::Context c);
};
struct Service {
  Client client;
  Service(const ctx::Context &parent) : client(ctx::todo()) {}
  // CHECK-MESSAGES: :[[@LINE-1]]:48: warning: 'ctx::todo()' is a placeholder
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:48: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  Service(const ctx::Context &parent) : client(parent) {}{{$}}
};
// A default member initializer is evaluated by the constructors, but their
// parameters are not in scope there.
struct InitAfterConstructor {
  InitAfterConstructor(const ctx::Context &parent) {}
  Client client{ctx::todo()};
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'ctx::todo()' is a placeholder
  // CHECK-MESSAGES-OTHER-FILES: :[[@LINE-2]]:17: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  Client client{ctx::todo()};{{$}}
};
