// Broken code: every context-* check of this branch runs over it; the
// compile errors are expected, a context-* warning or a crash is not (the
// checks report nothing in a translation unit that does not compile, even
// on the parts that look fine).
// RUN: %check_clang_tidy %s context-stored-in-struct,context-stored-in-global,context-derived-in-loop,context-first-parameter,context-null,context-builtin-key,context-todo %t

#include <ctx/context.hpp>

// Missing declarations.
struct HasUnknown {
  UnknownContext c;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: error: unknown type name 'UnknownContext' [clang-diagnostic-error]
  ctx::Context would_be_reported;
};
void unknown_param(int x, Missing c);
// CHECK-MESSAGES: :[[@LINE-1]]:27: error: unknown type name 'Missing' [clang-diagnostic-error]
void call_unknown() {
  undeclared_function(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: error: use of undeclared identifier 'undeclared_function' [clang-diagnostic-error]
  (void)ctx::with_value(ctx::background(), undeclared_key, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:44: error: use of undeclared identifier 'undeclared_key' [clang-diagnostic-error]
}

// Recovery expressions: a call with the wrong arguments.
void take(ctx::Context c, int x);
void wrong_arity() {
  take(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: error: no matching function for call to 'take' [clang-diagnostic-error]
  take(nullptr, "not an int");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: error: no matching function for call to 'take' [clang-diagnostic-error]
  (void)ctx::with_value("k");
  // CHECK-MESSAGES: :[[@LINE-1]]:9: error: no matching function for call to 'with_value' [clang-diagnostic-error]
  ctx::todo(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:{{[0-9]+}}: error: {{.*}} [clang-diagnostic-error]
}

// Dependent types and calls that never get instantiated.
template <class T> struct Dep {
  typename T::context_type c;
  T t;
  void f(int x, typename T::context_type c);
  void g() { t.call(nullptr); ctx::with_value(t.ctx(), T::key, 1); }
};
template <class F, class... A> void forward(F f, A... a) { f(a..., nullptr); }

// Unbalanced braces: the rest of the file is one broken function.
void unbalanced(ctx::Context c) {
  if (true) {
    take(nullptr, 1);
    (void)ctx::with_value(c, "k", ctx::todo());
}
// CHECK-MESSAGES: :[[@LINE]]:1: error: expected '}' [clang-diagnostic-error]
