#include <ctx/context.hpp>
void call(ctx::Context c);
// Each has a fix-it: the enclosing function's own context.
void handle(ctx::Context c) { call(ctx::todo()); }
void other(ctx::Context c) { call(nullptr); }
