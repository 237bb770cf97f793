// RUN: %check_clang_tidy %s context-derived-in-loop %t
// fatcontext's testdata and its reported false positives, in C++, named
// after their source. Where our rule differs from fatcontext's, the comment
// says how.

#include <ctx/context.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

struct Key {};
struct Other {};
ctx::Context wrap_context(const ctx::Context &c) { return ctx::without_cancel(c); }
void use(const ctx::Context &);
void cleanup(std::function<void()>);

// Crocmagnon/fatcontext testdata/src/example.go, example() (the same cases
// are golangci-lint's pkg/golinters/fatcontext/testdata/fatcontext.go).
void fatcontext_example() {
  ctx::Context c = ctx::background();
  for (int i = 0; i < 10; i++) {
    auto c2 = ctx::with_value(c, Key{}, i);    // `ctx := ...`: a new variable
    c2 = ctx::with_value(c2, Other{}, 1);      // declared in the body
  }
  for (int i = 0; i < 10; i++) {
    c = ctx::with_value(c, Key{}, i);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
    // fatcontext reports the first assignment of a loop only; we report each.
    c = ctx::with_value(c, Other{}, 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: the loop
  }
  for (const char *item : {"one", "two", "three"}) {
    c = wrap_context(c);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
    auto shadow = ctx::with_value(c, Key{}, item);
    shadow = wrap_context(shadow);
  }
  for (;;) {
    c = wrap_context(c);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the loop
    break;
  }
}

// Crocmagnon/fatcontext testdata/src/example.go, inStructs(), and issue #8
// ("False positive for contexts stored in structs"). Data members are not
// tracked by our rule, so none of these is reported; fatcontext reports the
// shared ones (through a pointer, an outer slice), which we miss.
struct S { ctx::Context c; };
void fatcontext_in_structs(const ctx::Context &c) {
  for (int i = 0; i < 10; i++) {
    S s{c};
    s.c = ctx::with_value(s.c, Key{}, i);
  }
  S outer{c};
  for (int i = 0; i < 10; i++) {
    S copy = outer;
    copy.c = ctx::with_value(copy.c, Key{}, i);
  }
  S *shared = &outer;
  std::vector<S> r{S{c}};
  for (int i = 0; i < 10; i++) {
    shared->c = ctx::with_value(shared->c, Key{}, i); // fatcontext: reported
    r[0].c = ctx::with_value(r[0].c, Key{}, i);       // fatcontext: reported
  }
}

// Crocmagnon/fatcontext issue #34 (a member assigned in a function literal,
// not in a loop): not a derivation of a tracked variable.
struct R { ctx::Context c; };
std::function<void(R *)> fatcontext_issue_34() {
  return [](R *r) {
    ctx::Context c = r->c;
    c = ctx::with_value(c, Key{}, 1); // a local of the lambda
    r->c = c;
  };
}

// Crocmagnon/fatcontext issue #43 (WithCancel(Background()) in a function
// literal): the new value does not come from the variable.
ctx::Context g_c;
ctx::CancelFunc g_cancel;
void fatcontext_issue_43() {
  std::tie(g_c, g_cancel) = ctx::with_cancel(ctx::todo());
  auto executable = [](const std::string &) {
    std::tie(g_c, g_cancel) = ctx::with_cancel(ctx::background());
    return 0;
  };
  (void)executable("foo");
}

// Crocmagnon/fatcontext issue #101 (a graceful-shutdown cleanup, run once):
// a lambda that derives a context captured by reference from itself may run
// many times as far as the check can see, so the contract flags it; there,
// a new variable is the fix (`auto [shutdown, cancel] = ...`).
void fatcontext_issue_101(ctx::Context c) {
  cleanup([&] {
    ctx::CancelFunc cancel;
    std::tie(c, cancel) = ctx::with_timeout(ctx::without_cancel(c), std::chrono::seconds(1));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: context 'c' is derived from itself in a lambda that may run many times
    // CHECK-MESSAGES: :[[@LINE-4]]:11: note: the lambda, which keeps 'c' from one call to the next
    cancel();
  });
  cleanup([&] {
    auto [shutdown, cancel] = ctx::with_timeout(ctx::without_cancel(c), std::chrono::seconds(1));
    use(shutdown);
    cancel();
  });
}

// golang/go issue #25720's timeout re-arming, in a loop: each new context
// comes from the parent, not from itself.
void rearm(const ctx::Context &parent, std::chrono::milliseconds timeout) {
  auto [c, cancel] = ctx::with_timeout(parent, timeout);
  for (;;) {
    if (c.err())
      break;
    cancel();
    std::tie(c, cancel) = ctx::with_timeout(parent, timeout);
  }
  cancel();
}
