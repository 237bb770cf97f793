#pragma once
#include <ctx/context.hpp>
#include <string>

struct JobRunner {
  ctx::Context scope;  // stored context, seen from both TUs: one finding
  int run(const std::string& name, const ctx::Context& c);
};
