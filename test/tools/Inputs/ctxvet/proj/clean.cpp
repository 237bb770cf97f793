#include <ctx/context.hpp>
void clean(const ctx::Context &c) { (void)c; }
