// RUN: %check_clang_tidy %s context-builtin-key %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::my::BasicCtx;::ctx::Context', context-builtin-key.ValueFunctions: '::my::with_value;::my::attach'}}"
// RUN: %check_clang_tidy -check-suffix=DEFAULT-TYPES %s context-builtin-key %t -- \
// RUN:   -config="{CheckOptions: {context-builtin-key.ValueFunctions: '::my::with_value;::my::attach'}}"

#include <ctx/context.hpp>
#include <custom_context.h>
#include <string>

namespace my {
template <class K, class V> Ctx with_value(const Ctx &parent, K key, V value);
// The key need not be the second parameter: it is the one named "key".
template <class K> void attach(Ctx &target, int flags, K key);
// Same name, no context: not a value function.
template <class K> int with_value(K key, int v);
} // namespace my

void custom(my::Ctx &c) {
  (void)my::with_value(c, "k", 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: with_value key has type 'const char *'
  my::attach(c, 0, std::string("k"));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: with_value key has type 'std::string'
  (void)my::with_value("k", 1);
  // ctx::with_value is no longer in ValueFunctions.
  (void)ctx::with_value(ctx::background(), "k", 1);
}
