// RUN: %check_clang_tidy %s context-null %t -- -- -isystem %ctx_inputs/system

#include <ctx/context.hpp>
#include <ctx_system.h>
#include <cstddef>
#include <functional>
#include <typeinfo>

void take(ctx::Context c);
void take_ref(const ctx::Context &c);
void take_late(int x, ctx::Context c);
void take_ptr(ctx::Context *p);
void take_const_ptr(const ctx::Context *p);

// Every spelling of a null context, no context in scope: ctx::todo().
void no_context() {
  take(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'nullptr' passed for parameter 'c' of 'take'; pass the caller's context, or 'ctx::todo()' if there is none yet [context-null]
  // CHECK-FIXES: {{^}}  take(ctx::todo());{{$}}
  take(NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'NULL' passed for parameter 'c'
  // CHECK-FIXES: {{^}}  take(ctx::todo());{{$}}
  take(0);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context '0' passed
  // CHECK-FIXES: {{^}}  take(ctx::todo());{{$}}
  take({});
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context '{}' passed
  // CHECK-FIXES: {{^}}  take(ctx::todo());{{$}}
  take(ctx::Context());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'ctx::Context()' passed
  // CHECK-FIXES: {{^}}  take(ctx::todo());{{$}}
  take(ctx::Context{});
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'ctx::Context{}' passed
  // CHECK-FIXES: {{^}}  take(ctx::todo());{{$}}
  take(ctx::Context(nullptr));
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'ctx::Context(nullptr)' passed
  // CHECK-FIXES: {{^}}  take(ctx::todo());{{$}}
  take_ref(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: null context 'nullptr' passed for parameter 'c' of 'take_ref'
  // CHECK-FIXES: {{^}}  take_ref(ctx::todo());{{$}}
  take_late(1, (nullptr));
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: null context '(nullptr)' passed for parameter 'c' of 'take_late'
  // CHECK-FIXES: {{^}}  take_late(1, ctx::todo());{{$}}
  // The runtime's own functions.
  auto [c, cancel] = ctx::with_cancel(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: null context 'nullptr' passed for parameter 'parent' of 'ctx::with_cancel'
  // CHECK-FIXES: {{^}}  auto [c, cancel] = ctx::with_cancel(ctx::todo());{{$}}
  cancel();
}

// A null pointer for a pointer-to-context parameter: no fix (which context,
// and for how long, is the caller's call).
void pointers(ctx::Context c) {
  take_ptr(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: null pointer 'nullptr' passed for context parameter 'p' of 'take_ptr'; pass a pointer to a real context
  take_const_ptr(NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: null pointer 'NULL' passed
  take_ptr(0);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: null pointer '0' passed
  take_ptr(&c);
  ctx::Context *p = nullptr;
  take_ptr(p); // a variable that happens to be null: not a literal (like SA1012)
}

// With a context parameter in scope, the fix passes it.
void has_context(int x, const ctx::Context &parent) {
  take(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'nullptr'
  // CHECK-FIXES: {{^}}  take(parent);{{$}}
  take_late(x, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: null context '{}'
  // CHECK-FIXES: {{^}}  take_late(x, parent);{{$}}
}
// Several: the first one, by convention the caller's context.
void two_contexts(ctx::Context first, ctx::Context second) {
  take(ctx::Context());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context
  // CHECK-FIXES: {{^}}  take(first);{{$}}
}
// A lambda uses its own parameters, never the enclosing function's (that
// would need a capture).
void lambdas(ctx::Context outer) {
  auto own = [](ctx::Context inner) { take(nullptr); };
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: null context
  // CHECK-FIXES: {{^}}  auto own = [](ctx::Context inner) { take(inner); };{{$}}
  auto none = [] { take(nullptr); };
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: null context
  // CHECK-FIXES: {{^}}  auto none = [] { take(ctx::todo()); };{{$}}
  auto lambda_param = [](int x, ctx::Context c) {};
  lambda_param(1, nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: null context 'nullptr' passed for parameter 'c' of the lambda
  // CHECK-FIXES: {{^}}  lambda_param(1, outer);{{$}}
  // An init-capture runs where the lambda is created, in this function.
  auto init = [n = (take(nullptr), 1)] { return n; };
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: null context
  // CHECK-FIXES: {{^}}  auto init = [n = (take(outer), 1)] { return n; };{{$}}
  own(outer); none(); init();
}

// Member calls, constructors, operators, calls through pointers.
struct Client {
  explicit Client(ctx::Context c);
  Client(int port, const ctx::Context &c);
  void call(ctx::Context c);
  void operator()(ctx::Context c);
  static void make(ctx::Context c);
};
void members() {
  Client a(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: null context 'nullptr' passed for parameter 'c' of 'Client::Client'
  // CHECK-FIXES: {{^}}  Client a(ctx::todo());{{$}}
  Client b{80, {}};
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: null context '{}'
  // CHECK-FIXES: {{^}}  Client b{80, ctx::todo()};{{$}}
  Client *heap = new Client(8080, ctx::Context{});
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: null context 'ctx::Context{}'
  // CHECK-FIXES: {{^}}  Client *heap = new Client(8080, ctx::todo());{{$}}
  a.call(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: null context 'nullptr' passed for parameter 'c' of 'Client::call'
  // CHECK-FIXES: {{^}}  a.call(ctx::todo());{{$}}
  // The object of a member operator is not the first parameter (SA1012 had
  // this false positive for method expressions).
  a(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: null context 'nullptr' passed for parameter 'c' of 'Client::operator()'
  // CHECK-FIXES: {{^}}  a(ctx::todo());{{$}}
  Client::make(0);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: null context '0'
  // CHECK-FIXES: {{^}}  Client::make(ctx::todo());{{$}}
  void (*fp)(ctx::Context) = &take;
  fp(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: null context 'nullptr' passed for parameter 1 of the called function
  // CHECK-FIXES: {{^}}  fp(ctx::todo());{{$}}
  void (Client::*mp)(ctx::Context) = &Client::call;
  (a.*mp)(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: null context 'nullptr' passed for parameter 1
  // CHECK-FIXES: {{^}}  (a.*mp)(ctx::todo());{{$}}
  std::function<void(ctx::Context)> fn = take;
  fn(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: null context 'nullptr' passed for parameter {{.*}} of 'std::function<void (ctx::Context)>::operator()'
  // CHECK-FIXES: {{^}}  fn(ctx::todo());{{$}}
  delete heap;
}

// Not flagged: real contexts, a defaulted argument the caller did not
// write, variables (even null ones, as in SA1012), non-context parameters,
// the declaration of a null default.
void take_default(ctx::Context c = {});
void take_int(int *p);
void not_flagged(ctx::Context c) {
  take(c);
  take(ctx::background());
  take(ctx::todo());
  take_default();
  take_int(nullptr);
  ctx::Context empty;
  take(empty);
  ctx::Context from_null = nullptr; // a declaration, not a call
  take(from_null);
  take(ctx::Context(c)); // a copy of a real context
}

// Templates: one report for the template, however many instantiations; a
// callee resolved only in the instantiation is still found.
template <class T> void templ(T value) { take(nullptr); }
// CHECK-MESSAGES: :[[@LINE-1]]:47: warning: null context 'nullptr'
// CHECK-FIXES: {{^}}template <class T> void templ(T value) { take(ctx::todo()); }{{$}}
template <class F> void call_with_null(F f) { f(1, nullptr); }
// CHECK-MESSAGES: :[[@LINE-1]]:52: warning: null context 'nullptr' passed for parameter 'c' of the lambda
// CHECK-FIXES: {{^}}template <class F> void call_with_null(F f) { f(1, ctx::todo()); }{{$}}
void use_templates() {
  templ(1);
  templ(2.0);
  call_with_null([](int, ctx::Context c) {});
  call_with_null([](long, const ctx::Context &c) {});
}

// Macros: the fix is offered only when the argument is spelled outside one.
#define TAKE_NULL() take(nullptr)
#define TAKE(x) take(x)
void macros() {
  TAKE_NULL();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: null context 'nullptr' passed
  TAKE(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'nullptr' passed
  // CHECK-FIXES: {{^}}  TAKE(ctx::todo());{{$}}
}

// Two nulls in one macro expansion are two reports; a null spelled in a
// macro body is named as written there (or as the macro it is).
#define TWO take(nullptr); take(0)
#define TAKE_NULL_MACRO() take(NULL)
#define BOTH_POINTERS() take_ptr(nullptr), take_const_ptr(0)
void macro_bodies() {
  TWO;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: null context '0' passed for parameter 'c' of 'take'
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: null context 'nullptr' passed for parameter 'c' of 'take'
  TAKE_NULL_MACRO();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: null context 'NULL' passed for parameter 'c' of 'take'
  BOTH_POINTERS();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: null pointer '0' passed for context parameter 'p' of 'take_const_ptr'
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: null pointer 'nullptr' passed for context parameter 'p' of 'take_ptr'
}

// `{}` for a pointer parameter is a null pointer too.
void braces_for_pointer() {
  take_ptr({});
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: null pointer '{}' passed for context parameter 'p' of 'take_ptr'
  ctx::Context c;
  take_ptr({&c});
}

// A constructor's initializer list is in the constructor's scope, and does
// not end it for the body.
struct Owner {
  Client client;
  Client other;
  Owner(ctx::Context parent) : client(ctx::Context()), other(80, nullptr) {
    // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: null context 'ctx::Context()' passed for parameter 'c' of 'Client::Client'
    // CHECK-MESSAGES: :[[@LINE-2]]:66: warning: null context 'nullptr' passed for parameter 'c' of 'Client::Client'
    // CHECK-FIXES: {{^}}  Owner(ctx::Context parent) : client(parent), other(80, parent) {{{$}}
    take(nullptr);
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: null context 'nullptr'
    // CHECK-FIXES: {{^}}    take(parent);{{$}}
  }
};

// A parameter cannot stand for an rvalue-reference argument (it is an
// lvalue): no fix with one in scope; ctx::todo() still binds.
void take_rvalue(ctx::Context &&c);
void rvalue_targets(ctx::Context parent) {
  take_rvalue(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: null context 'nullptr' passed for parameter 'c' of 'take_rvalue'
  // CHECK-FIXES: {{^}}  take_rvalue(nullptr);{{$}}
  take_rvalue({});
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: null context '{}'
  // CHECK-FIXES: {{^}}  take_rvalue({});{{$}}
}
void rvalue_target_no_context() {
  take_rvalue(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: null context 'nullptr' passed for parameter 'c' of 'take_rvalue'
  // CHECK-FIXES: {{^}}  take_rvalue(ctx::todo());{{$}}
}

// A default argument is evaluated in each caller: no fix there.
void with_default(ctx::Context parent, int x = (take(nullptr), 0)) { take(nullptr); }
// CHECK-MESSAGES: :[[@LINE-1]]:54: warning: null context 'nullptr'
// CHECK-MESSAGES: :[[@LINE-2]]:75: warning: null context 'nullptr'
// CHECK-FIXES: {{^}}void with_default(ctx::Context parent, int x = (take(nullptr), 0)) { take(parent); }{{$}}
void declared_with_default(int x = (take({}), 0));
// CHECK-MESSAGES: :[[@LINE-1]]:42: warning: null context '{}'
// CHECK-FIXES: {{^}}void declared_with_default(int x = (take({}), 0));{{$}}
// A lambda written in a default argument is a function of its own.
void lambda_default(void (*f)(ctx::Context) = [](ctx::Context inner) { take(nullptr); });
// CHECK-MESSAGES: :[[@LINE-1]]:77: warning: null context 'nullptr'
// CHECK-FIXES: {{^}}void lambda_default(void (*f)(ctx::Context) = [](ctx::Context inner) { take(inner); });{{$}}

// A default argument first seen through a call (the callee is declared
// later in the class): still no fix.
struct CallsLater {
  void first(ctx::Context c) { later(); }
  void later(int x = (take(nullptr), 0));
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: null context 'nullptr'
  // CHECK-FIXES: {{^}}  void later(int x = (take(nullptr), 0));{{$}}
};
// A default member initializer is in no constructor's scope, even one
// declared before it; a local class's members are not in the scope of the
// function around the class.
struct InitAfterConstructor {
  InitAfterConstructor(ctx::Context c) {}
  Client client{nullptr};
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: null context 'nullptr'
  // CHECK-FIXES: {{^}}  Client client{ctx::todo()};{{$}}
};
void local_class(ctx::Context outer) {
  struct Local {
    Client client{nullptr};
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: null context 'nullptr'
    // CHECK-FIXES: {{^}}    Client client{ctx::todo()};{{$}}
    void run() { take(nullptr); }
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: null context 'nullptr'
    // CHECK-FIXES: {{^}}    void run() { take(ctx::todo()); }{{$}}
  };
  take(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'nullptr'
  // CHECK-FIXES: {{^}}  take(outer);{{$}}
}

// Unevaluated operands: nothing runs there, so nothing is passed
// (`decltype(f(nullptr))` names the result type).
struct Poly {
  virtual ~Poly();
};
int count_of(ctx::Context c);
Poly &poly(ctx::Context c);
template <class C> concept TakesNull = requires { take(nullptr); count_of(C{}); };
using TakeResult = decltype(count_of(nullptr));
static_assert(sizeof(count_of({})) == sizeof(int));
static_assert(TakesNull<ctx::Context>);
template <class T> auto sfinae(T t) -> decltype(count_of(nullptr) + t);
void unevaluated(ctx::Context outer) {
  (void)noexcept(take(nullptr));
  (void)sizeof(count_of(NULL));
  (void)alignof(decltype(count_of(0)));
  (void)typeid(count_of(nullptr));
  __typeof__(count_of(nullptr)) n = 0;
  (void)sfinae(1);
  (void)requires { take(ctx::Context()); };
  // A glvalue of polymorphic type makes typeid evaluate its operand.
  (void)typeid(poly(nullptr));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: null context 'nullptr' passed for parameter 'c' of 'poly'
  // CHECK-FIXES: {{^}}  (void)typeid(poly(outer));{{$}}
  // decltype's operand is not run, but a lambda's body written there is code
  // of its own, which runs when the closure is called.
  using Closure = decltype([] { take(nullptr); });
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: null context 'nullptr' passed
  // CHECK-FIXES: {{^}}  using Closure = decltype([] { take(ctx::todo()); });{{$}}
  Closure{}();
  // Evaluated again where the unevaluated operand ends.
  (void)(sizeof(count_of(nullptr)) + count_of(nullptr));
  // CHECK-MESSAGES: :[[@LINE-1]]:47: warning: null context 'nullptr' passed for parameter 'c' of 'count_of'
  // CHECK-FIXES: {{^}}  (void)(sizeof(count_of(nullptr)) + count_of(outer));{{$}}
}

// NOLINT.
void suppressed() {
  take(nullptr); // NOLINT(context-null)
  // NOLINTNEXTLINE(context-null)
  take({});
}
