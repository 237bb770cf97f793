// RUN: %check_clang_tidy %s context-lost-cancel %t -- -- -fblocks
// Objective-C++: methods are not analysed; blocks are functions of their
// own, and a block capturing the cancel uses it.
#include <ctx/context.hpp>

extern ctx::Context bg;

@interface Runner
- (void)run;
@end
@implementation Runner
- (void)run {
  auto [c, cancel] = ctx::with_cancel(bg);
  cancel();
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
