// RUN: %check_clang_tidy %s context-lost-cancel %t -- -- -fblocks
// Objective-C++: methods, blocks and C++ functions are each analysed as
// functions of their own, and a block capturing the cancel uses it.
#include <ctx/context.hpp>

extern ctx::Context bg;
extern bool condition;

@interface Runner
- (void)run;
- (void)leak;
- (void)discard;
+ (void)classMethod;
@end
@implementation Runner
- (void)run {
  auto [c, cancel] = ctx::with_cancel(bg);
  cancel();
}
- (void)leak {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: note: this return statement may be reached without using 'cancel'
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: assuming this condition is true
  cancel();
}
- (void)discard {
  auto [c, cancel] = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the cancel function returned by 'ctx::with_cancel' is discarded
}
+ (void)classMethod {
  ctx::with_timeout(bg, {});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the cancel function returned by 'ctx::with_timeout' is discarded
}
@end

void block_capture() {
  auto r = ctx::with_cancel(bg);
  ctx::CancelFunc cancel = r.second;
  void (^b)(void) = ^{ cancel(); };
  b();
}

void in_block() {
  void (^b)(void) = ^{
    auto [c, cancel] = ctx::with_cancel(bg);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the cancel function returned by 'ctx::with_cancel' is discarded
  };
  b();
}

// A __block variable captured by a block before the cancel is assigned
// escapes: the block may call it whenever it runs.
void byref_block() {
  ctx::Context c;
  __block ctx::CancelFunc cancel;
  void (^later)(void) = ^{ cancel(); };
  std::tie(c, cancel) = ctx::with_cancel(bg);
  if (condition)
    return;
  later();
}
void block_captures_tracked() {
  ctx::CancelFunc cancel = ctx::with_cancel(bg).second;
  void (^b)(void) = ^{ cancel(); };
  b();
}
// Captured by a block after the assignment, on one branch only: a use there,
// and the other path leaks.
void byref_block_after_assignment() {
  ctx::Context c;
  __block ctx::CancelFunc cancel;
  std::tie(c, cancel) = ctx::with_cancel(bg);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the cancel function returned by 'ctx::with_cancel' is not used on all paths
  if (condition) {
    void (^later)(void) = ^{ cancel(); };
    later();
  }
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: note: the end of the function may be reached without using 'cancel'
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: assuming this condition is false
