"""Runs the context checks over test/tools/Inputs/consumer the four ways a
consumer's CI can, against an installed ctx, and checks they agree.

Usage: consumer_ci.py PREFIX WORKDIR LLVM_BIN

PREFIX holds `cmake --install` of this build. The consumer is configured with
find_package(ctx) and built; then ctxvet -p, clang-tidy --load,
run-clang-tidy -load and CMAKE_CXX_CLANG_TIDY each report. Their warnings
are normalised to `file:line:col: [check]` (file relative to the consumer,
each once) and must be identical and non-empty; the common set is printed.
"""
import json
import os
import re
import shutil
import subprocess
import sys

prefix, work, llvm_bin = map(os.path.abspath, sys.argv[1:4])
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'consumer')
plugin = os.path.join(prefix, 'lib', 'libctx-tidy.so')
clang_tidy = os.path.join(llvm_bin, 'clang-tidy')
checks = '-*,context-*'
shutil.rmtree(work, ignore_errors=True)


def run(cmd, ok=(0,), **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in ok:
        sys.exit('%s exited %d\n%s\n%s' % (cmd[0], p.returncode, p.stdout, p.stderr))
    return p.stdout + p.stderr


def configure(build, *extra):
    run(['cmake', '-S', src, '-B', build, '-G', 'Ninja',
         '-DCMAKE_PREFIX_PATH=' + prefix,
         '-DCMAKE_CXX_COMPILER=' + os.path.join(llvm_bin, 'clang++')] + list(extra))


warning = re.compile(r'^(\S+?):(\d+):(\d+): warning: .* \[(context-[a-z-]+)\]$', re.M)


def normalise(text, base):
    out = set()
    for path, line, col, check in warning.findall(text):
        path = os.path.relpath(os.path.normpath(os.path.join(base, path)), src)
        out.add('%s:%s:%s: [%s]' % (path, line, col, check))
    return out


build = os.path.join(work, 'build')
configure(build)
run(['cmake', '--build', build])
units = [e['file'] for e in json.load(open(os.path.join(build, 'compile_commands.json')))]

results = {}
out = run([os.path.join(prefix, 'bin', 'ctxvet'), '-p', build, '--root', src], ok=(1,))
results['ctxvet'] = normalise(out, src)
out = run([clang_tidy, '--load=' + plugin, '-p', build, '--checks=' + checks,
           '--header-filter=.*', '--quiet'] + units, ok=(0, 1))
results['clang-tidy --load'] = normalise(out, build)
out = run([os.path.join(llvm_bin, 'run-clang-tidy'), '-clang-tidy-binary', clang_tidy,
           '-load', plugin, '-p', build, '-checks=' + checks, '-header-filter=.*', '-quiet'],
          ok=(0, 1))
results['run-clang-tidy -load'] = normalise(out, build)
tidy_build = os.path.join(work, 'build-tidy')
configure(tidy_build, '-DCMAKE_CXX_CLANG_TIDY=%s;--load=%s;--checks=%s;--header-filter=.*'
          % (clang_tidy, plugin, checks))
out = run(['cmake', '--build', tidy_build, '--', '-j1'])
results['CMAKE_CXX_CLANG_TIDY'] = normalise(out, tidy_build)

reference = results['ctxvet']
failed = not reference
for name, found in results.items():
    if found != reference:
        failed = True
        print('%s differs from ctxvet:\n  only %s: %s\n  only ctxvet: %s'
              % (name, name, sorted(found - reference), sorted(reference - found)))
for w in sorted(reference):
    print(w)
sys.exit(1 if failed else 0)
