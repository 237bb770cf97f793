// RUN: %check_clang_tidy %s context-todo %t
// RUN: %check_clang_tidy -check-suffix=ALLOWED %s context-todo %t -- \
// RUN:   -config="{CheckOptions: {context-todo.AllowedFiles: 'context-todo'}}"

#include <ctx/context.hpp>

void sink(ctx::Context c);

void no_param() {
  sink(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::todo()' is a placeholder context; pass the caller's context instead [context-todo]
}

void one_param(const ctx::Context &c) {
  sink(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::todo()' is a placeholder
  // CHECK-FIXES: {{^}}  sink(c);{{$}}
}

void background_is_fine() { sink(ctx::background()); }
