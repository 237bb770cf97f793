#include "jobs.hpp"

int JobRunner::run(const std::string& name, const ctx::Context& c) {
  auto [limited, cancel] = ctx::with_timeout(c, std::chrono::milliseconds(10));
  auto done = ctx::defer(cancel);
  return limited.err() ? -1 : static_cast<int>(name.size());
}
