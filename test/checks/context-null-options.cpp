// RUN: %check_clang_tidy %s context-null %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::grpc::ServerContext;my::BasicCtx;::ctx::Context', context-null.TodoFunction: 'app::placeholder'}}"
// The check's own ContextTypes wins over the global one.
// RUN: %check_clang_tidy -check-suffix=LOCAL %s context-null %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::grpc::ServerContext;my::BasicCtx', context-null.ContextTypes: '::ctx::Context'}}"

#include <ctx/context.hpp>
#include <custom_context.h>

namespace app { ctx::Context placeholder(); }

void handle(grpc::ServerContext *server, int x);
void mine(const my::Ctx &c);
void take(ctx::Context c);

void calls() {
  handle(nullptr, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: null pointer 'nullptr' passed for context parameter 'server' of 'handle'; pass a pointer to a real context [context-null]
  // No fix for a type other than ctx::Context: there is no placeholder to offer.
  mine(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'nullptr' passed for parameter 'c' of 'mine'
  mine(my::Ctx());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'my::Ctx()' passed
  // TodoFunction names the placeholder the fix calls.
  take(nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context 'nullptr' passed for parameter 'c' of 'take'; pass the caller's context, or 'app::placeholder()' if there is none yet
  // CHECK-MESSAGES-LOCAL: :[[@LINE-2]]:8: warning: null context 'nullptr' passed for parameter 'c' of 'take'; pass the caller's context, or 'ctx::todo()' if there is none yet
  // CHECK-FIXES: {{^}}  take(app::placeholder());{{$}}
  // CHECK-FIXES-LOCAL: {{^}}  take(ctx::todo());{{$}}
}

// The enclosing context parameter is offered only for the same type.
typedef my::Ctx MyCtx;
void scoped(MyCtx own, ctx::Context other) {
  mine({});
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context '{}'
  // CHECK-FIXES: {{^}}  mine(own);{{$}}
  take(0);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: null context '0'
  // CHECK-MESSAGES-LOCAL: :[[@LINE-2]]:8: warning: null context '0'
  // CHECK-FIXES: {{^}}  take(other);{{$}}
  // CHECK-FIXES-LOCAL: {{^}}  take(other);{{$}}
}
