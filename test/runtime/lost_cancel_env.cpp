// Run by ctest with and without CTX_DEBUG_LOST_CANCEL=1: the detector's
// switch follows the environment, and its default report goes to stderr.
#include <cstdio>
#include <cstring>

#include <ctx/context.hpp>
#include <ctx/debug.hpp>

int main(int argc, char** argv) {
  const bool want_on = argc > 1 && std::strcmp(argv[1], "on") == 0;
  if (ctx::debug::lost_cancel_detection() != want_on) {
    std::fprintf(stderr, "detection is %s, expected %s\n",
                 ctx::debug::lost_cancel_detection() ? "on" : "off", want_on ? "on" : "off");
    return 1;
  }
  auto [parent, stop] = ctx::with_cancel(ctx::background());
  for (int i = 0; i < 2; ++i) {
    auto [c, cancel] = ctx::with_cancel(parent);  // dropped uncalled: reported once
  }
  stop();
  return 0;
}
