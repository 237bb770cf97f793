// Half-typed code (as clangd sees it while typing): the second-set checks
// report nothing in a translation unit that does not compile, and do not
// crash.
// RUN: %check_clang_tidy %s context-not-inherited,context-not-passed,context-unchecked-loop %t

#include <ctx/context.hpp>
#include <thread>

void fetch(int id);
void fetch(ctx::Context c, int id);

void handle(ctx::Context c) {
  ctx::Context d = ctx::background();
  fetch(1);
  fetch(undeclared);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: error: use of undeclared identifier 'undeclared' [clang-diagnostic-error]
  auto l = [c](Missing m) { fetch(2); };
  // CHECK-MESSAGES: :[[@LINE-1]]:16: error: unknown type name 'Missing' [clang-diagnostic-error]
  while (unknown_cond)
  // CHECK-MESSAGES: :[[@LINE-1]]:10: error: use of undeclared identifier 'unknown_cond' [clang-diagnostic-error]
    std::this_thread::sleep_for(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: error: no matching function for call to 'sleep_for' [clang-diagnostic-error]
  for (auto x : c)
  // CHECK-MESSAGES: :[[@LINE-1]]:15: error: invalid range expression of type 'ctx::Context'; no viable 'begin' function available [clang-diagnostic-error]
    fetch(x);
  // The body is never closed:
  // CHECK-MESSAGES: :[[@LINE]]:3: error: expected '}' [clang-diagnostic-error]
