// RUN: %check_clang_tidy %s context-lost-cancel %t -- -- -fblocks
// Objective-C: the check does not run (and must not crash).
@interface Thing
- (void)run;
@end
@implementation Thing
- (void)run {
  void (^b)(void) = ^{ };
  b();
}
@end
