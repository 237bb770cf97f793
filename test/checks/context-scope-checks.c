// C: the second-set checks do nothing (and do not crash) on C code that
// looks like their C++ targets.
// RUN: %check_clang_tidy %s context-not-inherited,context-not-passed,context-unchecked-loop %t -- \
// RUN:   -config="{CheckOptions: {ContextTypes: '::Context'}}"
struct Context { int x; };
typedef struct Context Context;
Context background(void);
unsigned sleep(unsigned);
void fetch(int id);
void fetchContext(Context c, int id);
void handle(Context c) {
  Context d = background();
  fetch(1);
  while (c.x)
    sleep(1);
  for (;;)
    sleep(1);
}
