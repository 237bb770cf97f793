// RUN: %check_clang_tidy %s context-stored-in-struct %t -- \
// RUN:   -config="{CheckOptions: {context-stored-in-struct.AllowedClasses: '::app::RequestScope;app::Handler;.*Session$'}}"
// RUN: %clang_tidy --load %plugin %s -checks='-*,context-stored-in-struct' --quiet \
// RUN:   -config="{CheckOptions: {context-stored-in-struct.AllowedClasses: '(broken'}}" \
// RUN:   -- -std=c++20 -I %ctx_inputs 2>&1 | FileCheck %s --check-prefix=CONFIG
// RUN: %check_clang_tidy -check-suffix=CUSTOM %s context-stored-in-struct %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::grpc::ServerContext;my::BasicCtx'}}"

// CONFIG: invalid regular expression in option 'AllowedClasses' ('(broken')

#include <ctx/context.hpp>
#include <custom_context.h>
#include <memory>

namespace app {
// Named in AllowedClasses: they must hold one (and so may their anonymous
// parts).
struct RequestScope {
  ctx::Context c;
  struct {
    ctx::Context nested;
  } parts;
  union {
    ctx::Context *anonymous;
    int other;
  };
  // A named nested class is a class of its own, not part of the allowed one.
  struct Inner {
    ctx::Context leaked;
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: member 'leaked' stores a context
    struct {
      ctx::Context deeper;
      // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: member 'deeper' stores a context
    } part;
  };
};
class Handler {
  std::shared_ptr<ctx::Context> c;
};
// Matched by the regex '.*Session$'.
struct UserSession {
  ctx::Context c;
};
struct NotAllowed {
  ctx::Context c;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: member 'c' stores a context
};
} // namespace app
// Same short name, other namespace: not allowed.
struct Handler {
  ctx::Context c;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: member 'c' stores a context
};

// With ContextTypes set to other classes, ctx::Context is no longer one.
struct Grpc {
  grpc::ServerContext *server;
  // CHECK-MESSAGES-CUSTOM: :[[@LINE-1]]:24: warning: member 'server' stores a context in a field of type 'grpc::ServerContext *'
  grpc::Status status;
  my::Ctx mine;
  // CHECK-MESSAGES-CUSTOM: :[[@LINE-1]]:11: warning: member 'mine' stores a context in a field of type 'my::Ctx'
  std::unique_ptr<my::BasicCtx<int>> other_tag;
  // CHECK-MESSAGES-CUSTOM: :[[@LINE-1]]:38: warning: member 'other_tag'
  typedef grpc::ServerContext SC;
  SC &through_typedef;
  // CHECK-MESSAGES-CUSTOM: :[[@LINE-1]]:7: warning: member 'through_typedef'
};
