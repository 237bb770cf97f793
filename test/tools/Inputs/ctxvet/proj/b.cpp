#include "shared.h"
void b(ctx::Context c) { (void)c; }
