// RUN: %check_clang_tidy %s context-lost-cancel %t
// C: the check does not run (and must not crash).
struct pair { int first; void (*second)(void); };
struct pair with_cancel(int parent);
void f(void) {
  with_cancel(0);
  struct pair r = with_cancel(0);
  (void)r.first;
}
