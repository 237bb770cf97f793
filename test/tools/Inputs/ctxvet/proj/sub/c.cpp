#include <ctx/context.hpp>
void c() { (void)ctx::todo(); }
