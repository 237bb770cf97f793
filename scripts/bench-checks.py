#!/usr/bin/env python3
"""Measures what the context-* checks add to a clang-tidy run.

Generates one large translation unit (most of the standard library plus a few
thousand lines of code using the ctx API through the declaration-only
test/checks/Inputs/ctx/context.hpp), then runs clang-tidy with the plugin
loaded twice per round, interleaved:
  baseline: -checks=-*,misc-definitions-in-headers
  checks:   -checks=-*,misc-definitions-in-headers,context-*
(clang-tidy refuses to run with no check enabled, so both sides carry the
same cheap check). Every context-* check in the plugin is included, present
and future. Prints per-run times and the median of the per-round ratios.

Usage: scripts/bench-checks.py [--rounds N] [--functions N] [--clang-tidy PATH] [--plugin PATH]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

STD_HEADERS = """algorithm any array atomic bitset charconv chrono cmath complex
condition_variable deque exception filesystem forward_list fstream functional
future initializer_list iomanip ios iostream istream iterator limits list
locale map memory memory_resource mutex new numeric optional ostream queue
random ratio regex scoped_allocator set shared_mutex sstream stack stdexcept
stop_token streambuf string string_view system_error thread tuple
type_traits typeindex typeinfo unordered_map unordered_set utility valarray
variant vector""".split()

# One block of ordinary code that uses contexts the right way, with a few
# lines the checks flag, so that the checks do real work, not only matching.
BLOCK = """
namespace gen{i} {{
struct Key{i} {{}};
struct Service{i} {{
  std::vector<int> items;
  std::map<std::string, double> table;
  int handle(const ctx::Context &c, int x) {{
    auto [child, cancel] = ctx::with_timeout(c, std::chrono::milliseconds(5));
    auto guard = ctx::defer([&] {{ cancel(); }});
    ctx::Context v = ctx::with_value(child, Key{i}{{}}, x);
    if (v.err()) return -1;
    int sum = 0;
    for (int k : items) sum += k * x;
    std::sort(items.begin(), items.end());
    return sum + static_cast<int>(table.size());
  }}
  std::string name() const {{ return "service{i}"; }}
}};
int run{i}(const ctx::Context &c) {{
  Service{i} s;
  s.items = {{{i}, 2, 3}};
  std::optional<int> o = s.handle(c, {i});
  std::function<int(int)> f = [&](int y) {{ return y + *o; }};
  return f(1);
}}
void flagged{i}(int x, ctx::Context c);
inline void call{i}() {{ flagged{i}(1, nullptr); (void)ctx::with_value(ctx::background(), "k{i}", 1); }}
}} // namespace gen{i}
"""


def generate(path, functions):
    with open(path, 'w') as f:
        for h in STD_HEADERS:
            f.write('#include <%s>\n' % h)
        f.write('#include <ctx/context.hpp>\n')
        for i in range(functions):
            f.write(BLOCK.format(i=i))


def run(tidy, plugin, checks, src, inputs):
    cmd = [tidy, '--load', plugin, '--quiet', '-checks=' + checks, src, '--',
           '-std=c++20', '-I', inputs]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode < 0 or 'error:' in proc.stdout:
        sys.exit('clang-tidy failed:\n' + proc.stdout[-2000:] + proc.stderr[-2000:])
    return dt, proc.stdout.count('warning:')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=7)
    ap.add_argument('--functions', type=int, default=150,
                    help='generated blocks (about 30 lines each)')
    ap.add_argument('--clang-tidy', default='clang-tidy-19')
    ap.add_argument('--plugin', default=os.path.join(ROOT, 'build', 'lib', 'libctx-tidy.so'))
    args = ap.parse_args()
    inputs = os.path.join(ROOT, 'test', 'checks', 'Inputs')
    base = '-*,misc-definitions-in-headers'
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'bench.cpp')
        generate(src, args.functions)
        lines = sum(1 for _ in open(src))
        print('translation unit: %d lines of source, %d std headers' % (lines, len(STD_HEADERS)))
        # Warm the file cache once per side before measuring.
        run(args.clang_tidy, args.plugin, base, src, inputs)
        _, warnings = run(args.clang_tidy, args.plugin, base + ',context-*', src, inputs)
        print('context-* warnings in the TU: %d' % warnings)
        ratios, tb, tc = [], [], []
        for r in range(args.rounds):
            # Alternate which side goes first, so drift hits both equally.
            order = [('base', base), ('checks', base + ',context-*')]
            if r % 2:
                order.reverse()
            times = {}
            for name, checks in order:
                times[name], _ = run(args.clang_tidy, args.plugin, checks, src, inputs)
            tb.append(times['base'])
            tc.append(times['checks'])
            ratios.append(times['checks'] / times['base'])
            print('round %d: baseline %.3fs  with context-* %.3fs  ratio %.4f' %
                  (r + 1, times['base'], times['checks'], ratios[-1]))
        med = statistics.median(ratios)
        print('median baseline %.3fs, median with checks %.3fs' %
              (statistics.median(tb), statistics.median(tc)))
        print('median ratio %.4f: the context checks add %.2f%%' % (med, (med - 1) * 100))


if __name__ == '__main__':
    main()
