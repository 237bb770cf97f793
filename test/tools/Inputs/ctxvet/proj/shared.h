// Included by a.cpp and b.cpp: its finding must be reported once.
#pragma once
#include <ctx/context.hpp>
struct Holder {
  ctx::Context held;
};
