// RUN: %check_clang_tidy %s context-lost-cancel %t
// Cancels obtained outside a function body: constructor mem-initializers,
// default member initializers, globals, static members and default
// arguments. Storing the result (or its cancel) in the member or variable is
// a use; taking only the context (`.first`) discards the cancel.

#include <ctx/context.hpp>
#include <functional>

extern ctx::Context bg;

// Stored in a member by the constructor: handed on to the object, whose
// destructor calls it.
struct Worker {
  Worker(const ctx::Context &p) : r_(ctx::with_cancel(p)) {}
  ~Worker() { r_.second(); }
  ctx::CancelPair r_;
};
struct Stopper {
  Stopper(const ctx::Context &p) : stop_(ctx::with_timeout(p, {}).second) {}
  ~Stopper() { stop_(); }
  ctx::CancelFunc stop_;
};
struct Braced {
  Braced(const ctx::Context &p)
      : r_{ctx::with_cancel(p)}, stop_{std::get<1>(ctx::with_deadline(p, {}))} {}
  ctx::CancelPair r_;
  ctx::CancelFunc stop_;
};
struct Base {
  explicit Base(ctx::CancelPair r);
};
struct Derived : Base {
  Derived(const ctx::Context &p) : Base(ctx::with_cancel(p)) {}
};

// Only the context kept: discarded.
struct OnlyContext {
  OnlyContext(const ctx::Context &p) : c_(ctx::with_cancel(p).first) {}
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: the cancel function returned by 'ctx::with_cancel' is discarded; the context stays registered with its parent until the parent ends [context-lost-cancel]
  ctx::Context c_;
};
// The body of a constructor is analysed with its initializers.
struct BodyToo {
  BodyToo(const ctx::Context &p) : c_(std::get<0>(ctx::with_cancel(p))) {
    // CHECK-MESSAGES: :[[@LINE-1]]:51: warning: the cancel function returned by 'ctx::with_cancel' is discarded
    auto [c, cancel] = ctx::with_cancel(p);
    cancel();
  }
  ctx::Context c_;
};

// Default member initializers: the same rules, once per member (not again
// for each constructor that uses it, nor per instantiation).
struct Defaults {
  ctx::CancelPair held = ctx::with_cancel(bg);
  ctx::CancelFunc stop = ctx::with_cancel(bg).second;
  ctx::Context c = ctx::with_cancel(bg).first;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  ctx::Context d{ctx::with_timeout(bg, {}).first};
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: the cancel function returned by 'ctx::with_timeout' is discarded
  Defaults() {}
  Defaults(int) {}
};
template <class T> struct TemplateDefaults {
  T value;
  ctx::Context c = ctx::with_cancel(bg).first;
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: the cancel function returned by 'ctx::with_cancel' is discarded
};
TemplateDefaults<int> td_int;
TemplateDefaults<long> td_long;
// A lambda stored in a member is a function of its own.
struct Callback {
  std::function<void()> f = [] { ctx::with_cancel(bg); };
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: the cancel function returned by 'ctx::with_cancel' is discarded
};

// Globals, static members, inline variables.
ctx::Context g_ctx = ctx::with_cancel(bg).first;
// CHECK-MESSAGES: :[[@LINE-1]]:22: warning: the cancel function returned by 'ctx::with_cancel' is discarded
ctx::CancelPair g_pair = ctx::with_cancel(bg);
inline ctx::CancelFunc g_stop = ctx::with_timeout(bg, {}).second;
struct Statics {
  static ctx::Context s;
  static inline ctx::CancelPair held = ctx::with_cancel(bg);
};
ctx::Context Statics::s = ctx::with_deadline(bg, {}).first;
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: the cancel function returned by 'ctx::with_deadline' is discarded
template <class T> ctx::Context per_type = ctx::with_cancel(bg).first;
// CHECK-MESSAGES: :[[@LINE-1]]:44: warning: the cancel function returned by 'ctx::with_cancel' is discarded
void use_per_type() { (void)per_type<int>; (void)per_type<long>; }

// A default argument is evaluated at each call; reported once, on the
// declaration.
void defaulted(ctx::Context c = ctx::with_cancel(bg).first);
// CHECK-MESSAGES: :[[@LINE-1]]:33: warning: the cancel function returned by 'ctx::with_cancel' is discarded
void call_defaulted() {
  defaulted();
  defaulted();
}

// NOLINT.
struct Suppressed {
  ctx::Context c = ctx::with_cancel(bg).first; // NOLINT(context-lost-cancel)
};
