// C: the checks are for C++ and do not run; nothing may be reported and
// nothing may crash, whatever ContextTypes says.
// RUN: %check_clang_tidy %s context-stored-in-struct,context-stored-in-global,context-derived-in-loop,context-first-parameter,context-null,context-builtin-key,context-todo %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::Context'}}"
#include <stddef.h>

struct Context { void *impl; };
struct Holder { struct Context c; struct Context *p; };
struct Context todo(void);
struct Context with_value(struct Context parent, const char *key, int value);
void take(int x, struct Context c);
void take_ptr(struct Context *p);

void calls(void) {
  take(1, todo());
  take_ptr(NULL);
  take_ptr(0);
  (void)with_value(todo(), "key", 1);
}
