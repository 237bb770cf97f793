// RUN: %check_clang_tidy %s context-first-parameter %t -- -- -isystem %ctx_inputs/system

#include <ctx/context.hpp>
#include <ctx_system.h>
#include <string>

// Fine: first, a leading run of contexts, only one parameter, none at all.
void first(ctx::Context c, int x);
void run_of_contexts(const ctx::Context &a, ctx::Context *b, ctx::Context c, int x);
void only(ctx::Context c);
void none(int a, std::string b);

void by_value(int x, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:35: warning: context 'c' of type 'ctx::Context' is not the first parameter of 'by_value'; move it before 'x' [context-first-parameter]
void by_ref(std::string s, const ctx::Context &c);
// CHECK-MESSAGES: :[[@LINE-1]]:48: warning: context 'c' of type 'const ctx::Context &' is not the first parameter of 'by_ref'; move it before 's'
void by_ptr(int x, ctx::Context *c);
// CHECK-MESSAGES: :[[@LINE-1]]:34: warning: context 'c' of type 'ctx::Context *' is not the first parameter
void unnamed(int, ctx::Context);
// CHECK-MESSAGES: :[[@LINE-1]]:31: warning: context parameter 2 of type 'ctx::Context' is not the first parameter of 'unnamed'; move it before parameter 1
// One warning per function, on the first misplaced context.
void two_late(int x, ctx::Context a, ctx::Context b);
// CHECK-MESSAGES: :[[@LINE-1]]:35: warning: context 'a'
// A context after the leading run is still misplaced.
void run_then_late(ctx::Context a, int x, ctx::Context b);
// CHECK-MESSAGES: :[[@LINE-1]]:56: warning: context 'b'

// On the first declaration only, not again on the definition.
void declared_twice(int x, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:41: warning: context 'c'
void declared_twice(int x, ctx::Context c) {}

// Aliases of the context type.
using Ctx = ctx::Context;
typedef const Ctx &CtxRef;
void alias(int x, Ctx c);
// CHECK-MESSAGES: :[[@LINE-1]]:23: warning: context 'c' of type 'Ctx' (aka 'ctx::Context') is not the first parameter
void alias_ref(int x, CtxRef c);
// CHECK-MESSAGES: :[[@LINE-1]]:30: warning: context 'c' of type 'CtxRef' (aka 'const ctx::Context &') is not the first parameter

struct Service {
  Service(int port, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: context 'c' of type 'ctx::Context' is not the first parameter of 'Service::Service'
  void method(int x, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: context 'c' {{.*}} of 'Service::method'
  static void static_method(int x, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:49: warning: context 'c'
  // The call operator is a function the user designs.
  void operator()(int x, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: context 'c' {{.*}} of 'Service::operator()'
  // Other operators have their parameter order fixed by the language.
  bool operator==(const ctx::Context &c) const;
  friend Service &operator<<(Service &s, const ctx::Context &c);
  Service &operator=(const Service &) = default;
};

// Overrides: the base is reported, the override cannot change it.
struct Base {
  virtual void handle(int x, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: context 'c'
  virtual ~Base();
};
struct Derived : Base {
  void handle(int x, ctx::Context c) override;
};
struct DerivedNoKeyword : Base {
  void handle(int x, ctx::Context c);
};

// Function templates: one report on the template.
template <class T> void templ(T value, ctx::Context c) {}
// CHECK-MESSAGES: :[[@LINE-1]]:53: warning: context 'c'
void use_templ() {
  templ(1, ctx::background());
  templ(2.0, ctx::background());
  templ<std::string>("x", ctx::background());
}
// A dependent type is not known to be a context in the template.
template <class C> void dependent(int x, C c) {}
void use_dependent() { dependent(1, ctx::background()); }
// Members of class templates: once.
template <class T> struct Holder {
  void set(T value, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: context 'c'
};
Holder<int> hi;
Holder<long> hl;
void use_holder() { hi.set(1, ctx::background()); hl.set(1, ctx::background()); }

// Lambdas, generic lambdas too.
void lambdas() {
  auto good = [](ctx::Context c, int x) {};
  auto bad = [](int x, ctx::Context c) {};
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: context 'c' of type 'ctx::Context' is not the first parameter of the lambda; move it before 'x'
  auto generic = [](auto x, const ctx::Context &c) {};
  // CHECK-MESSAGES: :[[@LINE-1]]:49: warning: context 'c'
  generic(1, ctx::background());
  generic(2.0, ctx::background());
  (void)good; (void)bad;
}

// Macros: reported at the parameter.
#define DECLARE_HANDLER(name) void name(int id, ctx::Context c)
DECLARE_HANDLER(from_macro);
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: context 'c'

// NOLINT.
void suppressed(int x, ctx::Context c); // NOLINT(context-first-parameter)
// NOLINTNEXTLINE(context-first-parameter)
void suppressed_next(int x, ctx::Context c);

// revive's context-as-argument: a context after a testing handle is the
// usual false positive; with AllowedTypesBefore empty it is reported (see
// context-first-parameter-options.cpp for the option).
namespace testing { class Test {}; }
void helper(testing::Test *t, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:44: warning: context 'c'

// Variadic: the C varargs never hold the context parameter.
void variadic(ctx::Context c, const char *fmt, ...);

// Overrides declared against a dependent base: nothing is known to be
// overridden yet, but `override` (or `final` on a method that does not
// introduce the virtual function) says it is one.
template <class B> struct OverridesDependent : B {
  void handle(int x, ctx::Context c) override;
  void stop(int x, ctx::Context c) final;
  void own(int x, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: context 'c' {{.*}} of 'OverridesDependent::own'
};
struct IntroducesFinal {
  virtual void run(int x, ctx::Context c) final;
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: context 'c' {{.*}} of 'IntroducesFinal::run'
};
struct DerivedFinal : Base {
  void handle(int x, ctx::Context c) final;
};

// Explicit specializations: a specialized function takes the template's
// parameters (reported there); a specialized class declares its own.
template <class T> struct Spec {
  void set(T value, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: context 'c'
};
template <> void Spec<int>::set(int value, ctx::Context c) {}
template <> void templ<char>(char value, ctx::Context c) {}
template <> struct Spec<long> {
  void set(long value, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: context 'c' {{.*}} of 'Spec<long>::set'
};
