#include "shared.h"
void lookup(int id, ctx::Context c);
void a() { lookup(1, ctx::todo()); }
