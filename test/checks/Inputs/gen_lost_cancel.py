#!/usr/bin/env python3
"""Writes a C++ file whose functions have N branches after obtaining a cancel,
for the context-lost-cancel scaling test and scripts/bench-lost-cancel.sh.

  leak_last(x):   N `if`s, the cancel used only in the last one -> one warning
  used_after(x):  N `if`s, the cancel used after all of them    -> no warning
  switch_last(x): a switch with N cases, the cancel used in the last -> one warning
"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
out = ['#include <ctx/context.hpp>', 'extern ctx::Context bg;', 'void work(int);', '']
out.append('void leak_last(int x) {')
out.append('  auto [c, cancel] = ctx::with_cancel(bg);')
for i in range(n - 1):
    out.append('  if (x == %d) work(%d);' % (i, i))
out.append('  if (x == %d) cancel();' % (n - 1))
out.append('}')
out.append('void used_after(int x) {')
out.append('  auto [c, cancel] = ctx::with_cancel(bg);')
for i in range(n):
    out.append('  if (x == %d) { work(%d); }' % (i, i))
out.append('  cancel();')
out.append('}')
out.append('void switch_last(int x) {')
out.append('  auto [c, cancel] = ctx::with_cancel(bg);')
out.append('  switch (x) {')
for i in range(n - 1):
    out.append('  case %d: work(%d); break;' % (i, i))
out.append('  case %d: cancel(); break;' % (n - 1))
out.append('  }')
out.append('}')
sys.stdout.write('\n'.join(out) + '\n')
