#!/usr/bin/env python3
"""Measures what the context-* checks add to a clang-tidy run.

Generates one large translation unit (most of the standard library plus a few
thousand lines of code using the ctx API through the declaration-only
test/checks/Inputs/ctx/context.hpp), then runs clang-tidy with the plugin
loaded twice per round, interleaved:
  baseline: -checks=-*,misc-definitions-in-headers
  checks:   -checks=-*,misc-definitions-in-headers,context-*
(clang-tidy refuses to run with no check enabled, so both sides carry the
same cheap check). Times are the child's CPU time (user + system). Every
context-* check in the plugin is included, present
and future. Prints per-run times and the median of the per-round ratios.

--callgrind runs each side once under valgrind's callgrind instead and
reports the instructions executed (deterministic: CPU time on a shared
machine is too noisy to resolve a few percent). It needs a plugin built
without debug info (valgrind cannot read clang-19's DWARF 5 for it): pass one
with --plugin, e.g. from a -DCMAKE_BUILD_TYPE=Release build. A run takes about
a minute and a half; the two sides run at once. --checks narrows the measured
side to some of the checks (e.g. context-null).

Instruction counts are deterministic for one command line, but not quite
from one set of checks to another: enabling a check changes the heap's
layout, and with it the cost of hash lookups all through parsing, by some
tens of millions of instructions either way. The matching phase (the
inclusive count of MatchFinder::matchAST, from callgrind_annotate, where
the checks run) is reported too: it holds the checks' own work, diagnostics
excluded from printing, and moves far less.

--clean measures the same translation unit without the lines each block
deliberately gets wrong: ordinary code with no findings, so that the cost of
the analysis is seen apart from the cost of printing diagnostics.

Usage: scripts/bench-checks.py [--rounds N] [--functions N] [--clang-tidy PATH] [--plugin PATH]
                               [--clean] [--callgrind] [--checks GLOB]
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile

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
"""
# Three findings per block: a context that is not the first parameter, a
# null context, a string literal as a with_value key.
FLAGGED = """void flagged{i}(int x, ctx::Context c);
inline void call{i}() {{ flagged{i}(1, nullptr); (void)ctx::with_value(ctx::background(), "k{i}", 1); }}
"""
END = """}} // namespace gen{i}
"""


def generate(path, functions, clean=False):
    with open(path, 'w') as f:
        for h in STD_HEADERS:
            f.write('#include <%s>\n' % h)
        f.write('#include <ctx/context.hpp>\n')
        for i in range(functions):
            f.write(BLOCK.format(i=i))
            if not clean:
                f.write(FLAGGED.format(i=i))
            f.write(END.format(i=i))


def tidy_command(tidy, plugin, checks, src, inputs):
    return [tidy, '--load', plugin, '--quiet', '-checks=' + checks, src, '--',
            '-std=c++20', '-I', inputs]


def run(tidy, plugin, checks, src, inputs):
    cmd = tidy_command(tidy, plugin, checks, src, inputs)
    # CPU time (user + system) of the child, not wall time: the machine is
    # shared, and waiting for a core says nothing about the checks' cost.
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    dt = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if proc.returncode < 0 or 'error:' in proc.stdout:
        sys.exit('clang-tidy failed:\n' + proc.stdout[-2000:] + proc.stderr[-2000:])
    return dt, proc.stdout.count('warning:')


def has_debug_info(path):
    """Whether the shared object carries DWARF (valgrind may fail to read it)."""
    try:
        out = subprocess.run(['readelf', '-S', '-W', path], capture_output=True,
                             text=True).stdout
    except OSError:
        return False
    return '.debug_info' in out


def callgrind(args, base, src, inputs, tmp):
    """One run per side under callgrind, both at once; prints instruction
    counts and their ratio."""
    if has_debug_info(args.plugin):
        print('warning: %s has debug info; if valgrind cannot read it, build the plugin '
              'without -g (CMAKE_BUILD_TYPE=Release) and pass it with --plugin' % args.plugin,
              file=sys.stderr)
    sides = [('baseline', base), (args.checks, base + ',' + args.checks)]
    procs = []
    for i, (name, checks) in enumerate(sides):
        out = os.path.join(tmp, 'callgrind.%d' % i)
        cmd = ['valgrind', '--tool=callgrind', '--callgrind-out-file=' + out] + \
            tidy_command(args.clang_tidy, args.plugin, checks, src, inputs)
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    counts, warnings, matching = [], [], []
    for i, ((name, _), proc) in enumerate(zip(sides, procs)):
        stdout, stderr = proc.communicate()
        m = re.search(r'Collected : (\d+)', stderr)
        if proc.returncode != 0 and not m or 'error:' in stdout:
            sys.exit('clang-tidy under callgrind failed (%s):\n%s%s' %
                     (name, stdout[-2000:], stderr[-2000:]))
        if not m:
            sys.exit('no instruction count in valgrind\'s output (%s):\n%s' %
                     (name, stderr[-2000:]))
        counts.append(int(m.group(1)))
        warnings.append(stdout.count('warning:'))
        matching.append(matching_phase(os.path.join(tmp, 'callgrind.%d' % i)))
    for (name, _), n, w, mt in zip(sides, counts, warnings, matching):
        print('%-24s %16s instructions  %4d warnings  matching phase %s' %
              (name, format(n, ','), w, format(mt, ',') if mt else '?'))
    ratio = counts[1] / counts[0]
    print('ratio %.4f: %s cost %+.2f%% (%s instructions)' %
          (ratio, args.checks, (ratio - 1) * 100, format(counts[1] - counts[0], ',')))
    if all(matching):
        print('matching phase: %s cost %s instructions (%+.2f%% of the baseline run)' %
              (args.checks, format(matching[1] - matching[0], ','),
               (matching[1] - matching[0]) * 100 / counts[0]))


def matching_phase(out):
    """Inclusive instructions of MatchFinder::matchAST in a callgrind output
    file, or None if callgrind_annotate is missing or does not show it."""
    try:
        text = subprocess.run(['callgrind_annotate', '--inclusive=yes', '--threshold=100', out],
                              capture_output=True, text=True).stdout
    except OSError:
        return None
    for line in text.splitlines():
        if 'MatchFinder::matchAST(' in line:
            return int(line.split()[0].replace(',', ''))
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=7)
    ap.add_argument('--functions', type=int, default=150,
                    help='generated blocks (about 30 lines each)')
    ap.add_argument('--clang-tidy', default='clang-tidy-19')
    ap.add_argument('--plugin', default=os.path.join(ROOT, 'build', 'lib', 'libctx-tidy.so'))
    ap.add_argument('--clean', action='store_true',
                    help='leave out the lines that the checks flag (no findings)')
    ap.add_argument('--callgrind', action='store_true',
                    help='count instructions under callgrind, one run per side')
    ap.add_argument('--checks', default='context-*',
                    help='the checks measured against the baseline (default context-*)')
    args = ap.parse_args()
    inputs = os.path.join(ROOT, 'test', 'checks', 'Inputs')
    base = '-*,misc-definitions-in-headers'
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'bench.cpp')
        generate(src, args.functions, args.clean)
        lines = sum(1 for _ in open(src))
        print('translation unit: %d lines of source, %d std headers%s' %
              (lines, len(STD_HEADERS), ', clean (no findings)' if args.clean else ''))
        if args.callgrind:
            callgrind(args, base, src, inputs, tmp)
            return
        # Warm the file cache once per side before measuring.
        run(args.clang_tidy, args.plugin, base, src, inputs)
        _, warnings = run(args.clang_tidy, args.plugin, base + ',' + args.checks, src, inputs)
        print('%s warnings in the TU: %d' % (args.checks, warnings))
        ratios, tb, tc = [], [], []
        for r in range(args.rounds):
            # Alternate which side goes first, so drift hits both equally.
            order = [('base', base), ('checks', base + ',' + args.checks)]
            if r % 2:
                order.reverse()
            times = {}
            for name, checks in order:
                times[name], _ = run(args.clang_tidy, args.plugin, checks, src, inputs)
            tb.append(times['base'])
            tc.append(times['checks'])
            ratios.append(times['checks'] / times['base'])
            print('round %d: baseline %.3fs CPU  with %s %.3fs CPU  ratio %.4f' %
                  (r + 1, times['base'], args.checks, times['checks'], ratios[-1]))
        med = statistics.median(ratios)
        print('median baseline %.3fs, median with checks %.3fs' %
              (statistics.median(tb), statistics.median(tc)))
        print('median ratio %.4f: the context checks add %.2f%%' % (med, (med - 1) * 100))


if __name__ == '__main__':
    main()
