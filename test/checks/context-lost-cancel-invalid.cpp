// RUN: %check_clang_tidy %s context-lost-cancel %t
// Broken code: the compiler's errors are expected, the check stays silent
// (a function whose body holds errors is skipped) and does not crash.

#include <ctx/context.hpp>

extern ctx::Context bg;

void unknown_callee() {
  auto [c, cancel] = ctx::with_cancel(bg);
  undeclared_function(c);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: error: use of undeclared identifier 'undeclared_function' [clang-diagnostic-error]
}

void wrong_arity() {
  auto [c, cancel] = ctx::with_cancel(bg, 1, 2);
  // CHECK-MESSAGES: :[[@LINE-1]]:43: error: too many arguments to function call{{.*}} [clang-diagnostic-error]
}

void too_many_bindings() {
  auto [a, b, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: error: type {{.*}} decomposes into 2 elements, but 3 names were provided [clang-diagnostic-error]
}

void recovery_in_condition() {
  auto [c, cancel] = ctx::with_cancel(bg);
  if (cancel.no_such_member())
  // CHECK-MESSAGES: :[[@LINE-1]]:14: error: no member named 'no_such_member' in 'ctx::CancelFunc' [clang-diagnostic-error]
    return;
}

void discard_with_error() {
  ctx::with_cancel(undeclared_parent);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: error: use of undeclared identifier 'undeclared_parent' [clang-diagnostic-error]
}

struct Incomplete;
void incomplete_binding(Incomplete &i) {
  auto [x, y] = i;
  // CHECK-MESSAGES: :[[@LINE-1]]:8: error: variable has incomplete type 'Incomplete' [clang-diagnostic-error]
}
