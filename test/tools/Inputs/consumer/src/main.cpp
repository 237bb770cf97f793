#include "jobs.hpp"

int main() {
  JobRunner r{ctx::background()};
  auto key = ctx::with_value(ctx::background(), 42, std::string("answer"));
  (void)key;
  return r.run("job", ctx::todo()) < 0;
}
