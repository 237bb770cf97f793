// RUN: %check_clang_tidy %s context-not-inherited %t -- \
// RUN:   -config="{CheckOptions: {context-not-inherited.AllowedFunctions: '::service::Server::start;.*_detached', context-not-inherited.RootFunctions: '::ctx::background;::my::root', ContextTypes: '::ctx::Context;::my::BasicCtx'}}" -- -isystem %ctx_inputs/system
// RUN: %clang_tidy --load %plugin %s -checks='-*,context-not-inherited' --quiet \
// RUN:   -config="{CheckOptions: {context-not-inherited.AllowedFunctions: '(unclosed'}}" \
// RUN:   -- -std=c++20 -I %ctx_inputs -isystem %ctx_inputs/system 2>&1 | FileCheck %s --check-prefix=BAD-REGEX
// BAD-REGEX: invalid regular expression in option 'AllowedFunctions' ('(unclosed')

#include <ctx/context.hpp>
#include <custom_context.h>

void sink(ctx::Context c);
void use(my::Ctx c);

namespace service {
struct Server {
  // Allowed by qualified name: the server's own lifetime is not the request's.
  void start(ctx::Context c) { sink(ctx::background()); }
  void handle(ctx::Context c) {
    sink(ctx::background());
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'ctx::background()' starts a new context tree
  }
};
} // namespace service

// Allowed by regex; a lambda in an allowed function is allowed too.
void run_detached(ctx::Context c) {
  auto l = [c] { sink(ctx::background()); };
}

// The custom root, with a custom context type in scope; the fix takes the
// parameter, of the type the root returns.
void custom(my::Ctx c) {
  use(my::root());
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'my::root()' starts a new context tree
  // CHECK-FIXES: {{^}}  use(c);{{$}}
}
// A parameter of another context type is no substitute: flagged, no fix.
void mixed(my::Ctx c) {
  sink(ctx::background());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::background()' starts a new context tree
  // CHECK-FIXES: {{^}}  sink(ctx::background());{{$}}
}
