// Objective-C++: the checks run on the C++ parts; instance variables of an
// @interface are not C++ members and are not reported; no crash.
// RUN: %check_clang_tidy %s context-stored-in-struct,context-stored-in-global,context-derived-in-loop,context-first-parameter,context-null,context-builtin-key,context-todo %t -- -- -fblocks

#include <ctx/context.hpp>

@interface Server {
  ctx::Context ivar;
}
- (void)handle:(int)x context:(ctx::Context)c;
@end

struct Holder {
  ctx::Context c;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: member 'c' stores a context
};
void late(int x, ctx::Context c);
// CHECK-MESSAGES: :[[@LINE-1]]:31: warning: context 'c'
void call(Server *s) {
  [s handle:1 context:nullptr];
  late(1, nullptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: null context 'nullptr'
  // CHECK-FIXES: {{^}}  late(1, ctx::todo());{{$}}
  void (^b)(ctx::Context) = ^(ctx::Context c) { (void)ctx::with_value(c, "k", 1); };
  // CHECK-MESSAGES: :[[@LINE-1]]:74: warning: with_value key has type 'const char *'
  b(ctx::todo());
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'ctx::todo()' is a placeholder
}
