// Reached by two spellings of its directory (real/ and a symlink to it):
// one finding, one fix.
#pragma once
#include <ctx/context.hpp>
void call(ctx::Context c);
inline void hdr(ctx::Context c) { call(ctx::todo()); }
