// RUN: %check_clang_tidy %s context-todo %t -- \
// RUN:   -config="{CheckOptions: {context-todo.TodoFunctions: '::ctx::todo;::app::placeholder_context', ContextTypes: '::ctx::Context;::grpc::ServerContext'}}"

#include <ctx/context.hpp>
#include <custom_context.h>

namespace app { ctx::Context placeholder_context(); }
void sink(ctx::Context c);

void more_functions(ctx::Context c) {
  sink(app::placeholder_context());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'app::placeholder_context()' is a placeholder context; pass the caller's context instead [context-todo]
  // CHECK-FIXES: {{^}}  sink(c);{{$}}
}
// The one context parameter is a grpc::ServerContext: not a ctx::Context,
// so it cannot replace the placeholder.
void other_type(grpc::ServerContext &server) {
  sink(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  sink(ctx::todo());{{$}}
}
