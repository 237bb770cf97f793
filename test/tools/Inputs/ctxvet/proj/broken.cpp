#include <ctx/context.hpp>
int broken = ;
void after_error() { (void)ctx::todo(); }
