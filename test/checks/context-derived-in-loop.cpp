// RUN: %check_clang_tidy %s context-derived-in-loop %t
// A context reassigned in a loop (or a lambda that may run many times) with
// a value derived from itself: the chain grows by one level each time.

#include <ctx/context.hpp>
#include <chrono>
#include <string>
#include <tuple>
#include <vector>

struct Key {};
struct Other {};
extern bool condition;
ctx::Context wrap(const ctx::Context &c) { return ctx::without_cancel(c); }
void use(const ctx::Context &);

void with_value_in_for(ctx::Context c, int n) {
  for (int i = 0; i < n; ++i) {
    c = ctx::with_value(c, Key{}, i);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop: each iteration adds a level to its chain, so lookups and memory grow without bound; derive into a new variable declared in the loop body instead [context-derived-in-loop]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
  }
}

void kin(ctx::Context c, const std::vector<int> &items) {
  ctx::CancelFunc cancel;
  while (condition) {
    std::tie(c, cancel) = ctx::with_timeout(c, std::chrono::seconds(1));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
    cancel();
  }
  for (int item : items) {
    c = wrap(c);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
    (void)item;
  }
  do
    c = ctx::with_cancel(c).first;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
  while (condition);
}

// Through a local declared in the loop body.
void through_local(ctx::Context c, int n) {
  for (int i = 0; i < n; ++i) {
    auto child = ctx::with_value(c, Key{}, i);
    auto grandchild = ctx::with_value(child, Other{}, i);
    c = grandchild;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: the loop
  }
}

// A variable of the for-init statement is declared outside the body; so is
// one declared in an outer loop's body, for the inner loop.
void for_init_and_nested(const ctx::Context &parent, int n) {
  for (ctx::Context c = parent; condition; c = ctx::with_value(c, Key{}, 1)) {
    // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-2]]:3: note: the loop
    use(c);
  }
  for (int i = 0; i < n; ++i) {
    ctx::Context c = parent;
    for (int j = 0; j < n; ++j)
      c = ctx::with_value(c, Key{}, j);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the loop
  }
}

// Every derivation is reported, one warning per assignment.
void two_in_a_row(ctx::Context c, int n) {
  for (int i = 0; i < n; ++i) {
    c = ctx::with_value(c, Key{}, i);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
    c = ctx::with_value(c, Other{}, i);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: the loop
  }
}

// Lambdas: a context captured by reference, or by copy in a mutable lambda,
// outlives one call.
void lambdas(ctx::Context c, const ctx::Context &parent) {
  auto by_ref = [&] { c = ctx::with_value(c, Key{}, 1); };
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: context 'c' is derived from itself in a lambda that may run many times: each call adds a level to its chain, so lookups and memory grow without bound; derive into a new variable declared in the lambda instead
  // CHECK-MESSAGES: :[[@LINE-2]]:17: note: the lambda, which keeps 'c' from one call to the next
  auto mutable_copy = [c]() mutable { c = wrap(c); use(c); };
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: context 'c' is derived from itself in a lambda
  // CHECK-MESSAGES: :[[@LINE-2]]:23: note: the lambda
  auto init_capture = [d = parent]() mutable { d = wrap(d); use(d); };
  // CHECK-MESSAGES: :[[@LINE-1]]:48: warning: context 'd' is derived from itself in a lambda
  // CHECK-MESSAGES: :[[@LINE-2]]:23: note: the lambda
  by_ref();
  mutable_copy();
  init_capture();
}

// Templates: reported once, on the template.
template <class T> void in_template(ctx::Context c, T value, int n) {
  for (int i = 0; i < n; ++i)
    c = ctx::with_value(c, Key{}, value);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
}
template void in_template<int>(ctx::Context, int, int);
template void in_template<long>(ctx::Context, long, int);

// Macros.
#define ADD_VALUE(c, v) c = ctx::with_value(c, Key{}, v)
void in_macro(ctx::Context c, int n) {
  for (int i = 0; i < n; ++i)
    ADD_VALUE(c, i);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: context 'c' is derived from itself in a loop
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
}

// NOLINT.
void suppressed(ctx::Context c, int n) {
  for (int i = 0; i < n; ++i)
    c = ctx::with_value(c, Key{}, i); // NOLINT(context-derived-in-loop)
}

// Negatives.
void negatives(ctx::Context c, const ctx::Context &parent, const std::vector<ctx::Context> &all,
               int n) {
  for (int i = 0; i < n; ++i) {
    auto child = ctx::with_value(c, Key{}, i); // a new variable each time
    ctx::Context local = parent;
    local = ctx::with_value(local, Key{}, i);  // declared in the body
    use(child);
  }
  for (int i = 0; i < n; ++i)
    c = parent;                                // not derived from c
  for (int i = 0; i < n; ++i) {
    c = parent;                                // a reset first: the chain starts again
    c = ctx::with_value(c, Key{}, i);
  }
  for (ctx::Context each : all)
    each = ctx::with_value(each, Key{}, 1);    // the range-for variable
  c = ctx::with_value(c, Key{}, 1);            // not in a loop
  for (c = wrap(c); condition;)                // the for-init runs once
    use(c);
  auto by_copy = [c] { auto d = ctx::with_value(c, Key{}, 1); use(d); };
  auto own = [&] { ctx::Context e = parent; e = wrap(e); use(e); };
  auto fresh = [&] { c = ctx::with_cancel(parent).first; };
  by_copy();
  own();
  fresh();
}

struct Holder { ctx::Context c; };
void members_and_pointers(Holder &h, ctx::Context *p, int n) {
  for (int i = 0; i < n; ++i) {
    h.c = ctx::with_value(h.c, Key{}, i);      // data members are not tracked
    *p = ctx::with_value(*p, Key{}, i);        // nor contexts through pointers
  }
}

void not_a_context(std::string s, int n) {
  for (int i = 0; i < n; ++i)
    s = s + "x";
}
