// RUN: %check_clang_tidy %s context-stored-in-global %t -- -- -isystem %ctx_inputs/system
// A context in a variable with static or thread storage duration: Go's
// "pass the context explicitly instead of using global variables".

#include <ctx/context.hpp>
#include <ctx_system.h>
#include <map>
#include <memory>
#include <optional>
#include <functional>
#include <vector>

ctx::Context g_ctx;
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: global variable 'g_ctx' stores a context (type 'ctx::Context'); pass the context explicitly, as the first parameter of the functions that need it, instead of through a variable with static storage [context-stored-in-global]

// One warning, at the first declaration in the translation unit.
extern ctx::Context g_declared;
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: global variable 'g_declared' stores a context
ctx::Context g_declared;

// Wrappers, containers, pointers and references: the types that
// context-stored-in-struct recognises.
std::optional<ctx::Context> g_opt;
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: global variable 'g_opt' stores a context (type 'std::optional<ctx::Context>')
// CHECK-MESSAGES: :[[@LINE-2]]:29: note: the context type it holds is 'ctx::Context'
std::map<int, std::shared_ptr<ctx::Context>> g_by_id;
// CHECK-MESSAGES: :[[@LINE-1]]:46: warning: global variable 'g_by_id' stores a context
// CHECK-MESSAGES: :[[@LINE-2]]:46: note: the context type it holds is 'ctx::Context'
ctx::Context *g_ptr = nullptr;
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: global variable 'g_ptr' stores a context
// CHECK-MESSAGES: :[[@LINE-2]]:15: note: the context type it holds is 'ctx::Context'
const ctx::Context &g_ref = g_ctx;
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: global variable 'g_ref' stores a context
// CHECK-MESSAGES: :[[@LINE-2]]:21: note: the context type it holds is 'ctx::Context'
ctx::Context g_array[2];
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: global variable 'g_array' stores a context

// Through aliases: the canonical type decides.
using Ctx = ctx::Context;
typedef std::vector<Ctx> Ctxs;
Ctxs g_aliased;
// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: global variable 'g_aliased' stores a context (type 'Ctxs' (aka '{{(std::)?}}vector<ctx::Context>'))

namespace {
ctx::Context anon_ctx;
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: global variable 'anon_ctx' stores a context
} // namespace

namespace app {
inline ctx::Context inline_ctx;
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: global variable 'inline_ctx' stores a context
static ctx::Context internal_ctx;
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: global variable 'internal_ctx' stores a context
} // namespace app

// Thread-local storage: the message says so.
thread_local ctx::Context tls_ctx;
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: thread-local variable 'tls_ctx' stores a context in thread-local storage (type 'ctx::Context'); implicit per-thread state is what explicit contexts replace: pass the context as the first parameter of the functions that need it instead [context-stored-in-global]
static __thread ctx::Context *gnu_tls;
// CHECK-MESSAGES: :[[@LINE-1]]:31: warning: thread-local variable 'gnu_tls' stores a context in thread-local storage

struct Server {
  static ctx::Context shared;
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: static data member 'shared' stores a context
  static thread_local ctx::Context current;
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: thread-local variable 'current' stores a context in thread-local storage
  static inline std::optional<ctx::Context> inline_member;
  // CHECK-MESSAGES: :[[@LINE-1]]:45: warning: static data member 'inline_member' stores a context
  ctx::Context per_object; // context-stored-in-struct's business
};
ctx::Context Server::shared; // a redeclaration: reported above

void static_locals() {
  static ctx::Context once;
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: static local variable 'once' stores a context
  thread_local ctx::Context per_thread;
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: thread-local variable 'per_thread' stores a context in thread-local storage
  extern ctx::Context g_declared_in_block;
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: global variable 'g_declared_in_block' stores a context
  auto lambda = [] {
    static ctx::Context in_lambda;
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: static local variable 'in_lambda' stores a context
    return &in_lambda;
  };
  (void)lambda;
  static auto [a, b] = std::pair<ctx::Context, int>();
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: static local variable '[a, b]' stores a context
}

// Templates: one report per template, on the template.
template <class T> struct Holder {
  static ctx::Context per_type;
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: static data member 'per_type' stores a context
  static T dependent; // depends on T: not known before instantiation
};
template <class T> ctx::Context Holder<T>::per_type;
template struct Holder<int>;
template struct Holder<long>;
Holder<ctx::Context> holder_of_context; // the object holds none itself

template <class T> std::optional<ctx::Context> var_template;
// CHECK-MESSAGES: :[[@LINE-1]]:48: warning: global variable 'var_template' stores a context
int use_var_template() { return var_template<int>.has_value() + var_template<char>.has_value(); }

template <class T> void function_template() {
  static ctx::Context in_template;
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: static local variable 'in_template' stores a context
  static T dependent_local;
}
template void function_template<int>();
template void function_template<ctx::Context>();

// Macros: reported where the macro is used.
#define DEFINE_CONTEXT(name) ctx::Context name
DEFINE_CONTEXT(from_macro);
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: global variable 'from_macro' stores a context

// NOLINT.
ctx::Context suppressed; // NOLINT(context-stored-in-global)
// NOLINTNEXTLINE(context-stored-in-global)
ctx::Context suppressed_next;

// Negatives.
void locals_and_parameters(ctx::Context c, const ctx::Context &r) {
  ctx::Context local = c;
  auto copy = r;
  (void)local;
  (void)copy;
}
std::function<void(ctx::Context)> g_callback;  // holds no context
std::less<ctx::Context> *g_compare;             // holds no context
ctx::CancelFunc g_cancel;                       // not a context
int g_int;
static int g_static_int;
constexpr int kLimit = 3;
