#include <ctx/context.hpp>
void call(ctx::Context c);
// A fix-it: the enclosing function's own context.
void handle(ctx::Context c) { call(ctx::todo()); }
// No fix-it: where the context should go is the author's decision.
struct Job { ctx::Context c; };
