#include "shared.h"
void b(ctx::Context c) { hdr(c); }
