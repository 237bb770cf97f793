// RUN: %check_clang_tidy %s context-first-parameter %t -- -- -std=c++23
// C++23 explicit object parameters: `this Self &self` must come first, so a
// context right after it is in first place.

#include <ctx/context.hpp>

struct Self {
  void run(this Self &self, ctx::Context c);
  void run_ref(this const Self &self, const ctx::Context &c, int x);
  template <class S> void generic(this S &&self, ctx::Context c);
  void late(this Self &self, int x, ctx::Context c);
  // CHECK-MESSAGES: :[[@LINE-1]]:50: warning: context 'c' of type 'ctx::Context' is not the first parameter of 'Self::late'; move it before 'x' [context-first-parameter]
};
