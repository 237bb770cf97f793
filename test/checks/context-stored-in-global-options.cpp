// RUN: %check_clang_tidy %s context-stored-in-global %t -- \
// RUN:   -config="{CheckOptions: {context-stored-in-global.AllowedVariables: '::app::g_root;app::Server::shared;.*_for_tests$;app::setup::once'}}"
// RUN: %clang_tidy --load %plugin %s -checks='-*,context-stored-in-global' --quiet \
// RUN:   -config="{CheckOptions: {context-stored-in-global.AllowedVariables: '(broken'}}" \
// RUN:   -- -std=c++20 -I %ctx_inputs 2>&1 | FileCheck %s --check-prefix=CONFIG
// RUN: %check_clang_tidy -check-suffix=CUSTOM %s context-stored-in-global %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::grpc::ServerContext'}}"

// CONFIG: invalid regular expression in option 'AllowedVariables' ('(broken')

#include <ctx/context.hpp>
#include <custom_context.h>

namespace app {
ctx::Context g_root;              // allowed by name
ctx::Context g_other;
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: global variable 'g_other' stores a context
ctx::Context g_context_for_tests; // allowed by regex
struct Server {
  static ctx::Context shared;     // allowed by qualified name
};
// A static local is named through its function, as written in code.
void setup() {
  static ctx::Context once;       // allowed: app::setup::once
  static ctx::Context twice;
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: static local variable 'twice' stores a context
}
} // namespace app
ctx::Context g_root;              // another variable of that name
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: global variable 'g_root' stores a context

// With ContextTypes naming gRPC's class only, ctx::Context is not a context.
grpc::ServerContext *g_server_context;
// CHECK-MESSAGES-CUSTOM: :[[@LINE-1]]:22: warning: global variable 'g_server_context' stores a context
