// Only resolves if the clang resource directory (compiler headers) is found.
#include <stddef.h>
#include <stdarg.h>
size_t size_of_list(va_list) { return sizeof(max_align_t); }
