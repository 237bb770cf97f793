// Objective-C++: "a context in scope" for blocks and Objective-C methods
// (context-not-inherited, context-not-passed, context-unchecked-loop).
// RUN: %check_clang_tidy %s context-not-inherited,context-not-passed,context-unchecked-loop %t -- -- -fblocks

#include <ctx/context.hpp>
#include <unistd.h>

void sink(ctx::Context c);
void fetch(int id);
void fetch(ctx::Context c, int id);

@interface Server
- (void)handle:(int)x context:(ctx::Context)c;
- (void)plain:(int)x;
@end

@implementation Server
// A method's context parameter puts a context in scope.
- (void)handle:(int)x context:(ctx::Context)c {
  sink(ctx::background());
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'ctx::background()' starts a new context tree
  // CHECK-MESSAGES: :[[@LINE-3]]:45: note: the context in scope
  fetch(x);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fetch' is called without the context in scope
  // CHECK-FIXES: {{^}}  fetch(c, x);{{$}}
  // A block nested here has it in scope too, without capturing it.
  void (^later)(void) = ^{
    sink(ctx::background());
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'ctx::background()' starts
    // CHECK-MESSAGES: :[[@LINE-11]]:45: note: the context in scope (of the code around the lambda or block)
  };
  while (x-- > 0)
    sleep(1);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: this loop blocks
  // CHECK-MESSAGES: :[[@LINE-2]]:5: note: blocking call of 'sleep'
  // A block written in the loop that captures the context looks at it.
  while (x-- > 0) {
    void (^b)(void) = ^{ sink(c); };
    sleep(1);
  }
}
- (void)plain:(int)x {
  sink(ctx::background());
  fetch(x);
  // A block's own context parameter.
  void (^b)(ctx::Context) = ^(ctx::Context inner) {
    fetch(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'fetch' is called without the context in scope
    // CHECK-FIXES: {{^}}    fetch(inner, 1);{{$}}
  };
}
@end
