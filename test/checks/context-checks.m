// Objective-C: no crash, nothing reported.
// RUN: %check_clang_tidy %s context-stored-in-struct,context-stored-in-global,context-derived-in-loop,context-first-parameter,context-null,context-builtin-key,context-todo %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::Context'}}" -- -fblocks
#include <stddef.h>

struct Context { void *impl; };
@interface Server {
  struct Context ivar;
}
- (void)handle:(int)x context:(struct Context)c;
- (void)store:(struct Context *)p;
@end

void blocks(void) {
  void (^b)(int, struct Context) = ^(int x, struct Context c) {};
  struct Context c = {0};
  b(1, c);
}
void send(Server *s) { [s store:NULL]; }
