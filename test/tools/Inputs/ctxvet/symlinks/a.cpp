#include "shared.h"
void a(ctx::Context c) { hdr(c); }
