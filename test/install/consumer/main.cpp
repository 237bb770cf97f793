#include <ctx/context.hpp>

#include <cstdio>

int main() {
  auto [c, cancel] = ctx::with_timeout(ctx::background(), std::chrono::seconds(10));
  auto v = ctx::with_value(c, ctx::Key<int>{}, 1);
  cancel();
  if (v.err() != ctx::errc::canceled) return 1;
  std::puts("consumer ok");
  return 0;
}
