// A generated function with 2,000 branches after the cancel is obtained: the
// search is linear in the CFG, so this is quick; the results must be exact.
// RUN: %python %ctx_inputs/gen_lost_cancel.py 2000 > %t.cpp
// RUN: %clang_tidy --load %plugin %t.cpp -checks=-*,context-lost-cancel --quiet -- -std=c++20 -I %ctx_inputs \
// RUN:   | FileCheck %s --implicit-check-not=warning:

// leak_last: the end is reached past the last `if` when its condition is false.
// CHECK: :6:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
// CHECK: :2007:1: note: the end of the function may be reached without using 'cancel'
// CHECK: :2006:7: note: assuming this condition is false
// switch_last: any other case leads to the end.
// CHECK: :4013:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
// CHECK: :6016:1: note: the end of the function may be reached without using 'cancel'
