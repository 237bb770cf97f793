// For --extra-arg-before=-include...: with CTX_SKIP_TODO defined (by
// --extra-arg), sub/c.cpp's call to ctx::todo() goes away.
#ifdef CTX_SKIP_TODO
#define todo() background()
#endif
