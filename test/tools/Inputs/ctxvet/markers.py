"""Checks that ctxvet reports exactly the mistakes marked in a source tree.

A mistake is marked on the line ctxvet reports, as `// MISTAKE(check): why`.
Markers of checks this ctxvet does not have (a check still being written)
are listed but not expected, so the markers can be written ahead of the
check. Everything else must match both ways: each marker found, each finding
marked, and ctxvet's exit status 1.

Usage: markers.py CTXVET WORKDIR SOURCE_DIR -- COMPILER_ARGS...
"""
import json
import os
import re
import subprocess
import sys

ctxvet, work, src = sys.argv[1:4]
args = sys.argv[sys.argv.index('--') + 1:]
src = os.path.abspath(src)
os.makedirs(work, exist_ok=True)

marker = re.compile(r'//\s*MISTAKE\((context-[a-z-]+)\)')
units, marked = [], set()
for root, _, files in os.walk(src):
    for name in sorted(files):
        path = os.path.join(root, name)
        if name.endswith(('.cpp', '.cc')):
            units.append(path)
        if name.endswith(('.cpp', '.cc', '.hpp', '.h')):
            with open(path) as f:
                for n, line in enumerate(f, 1):
                    for m in marker.finditer(line):
                        marked.add((os.path.relpath(path, src), n, m.group(1)))

with open(os.path.join(work, 'compile_commands.json'), 'w') as f:
    json.dump([{'directory': work, 'file': u,
                'arguments': ['clang++', '-std=c++20'] + args + ['-c', u]} for u in units], f)

checks = set(subprocess.run([ctxvet, '-p', work, '--list-checks'], check=True,
                            capture_output=True, text=True).stdout.split())
run = subprocess.run([ctxvet, '-p', work, '--format=json', '--root', src, src],
                     capture_output=True, text=True)
if run.returncode != 1:
    sys.exit('ctxvet exited %d, expected 1 (findings)\n%s' % (run.returncode, run.stderr))
found = {(d['file'], d['line'], d['check']) for d in json.loads(run.stdout)['diagnostics']}

expected = {m for m in marked if m[2] in checks}
for m in sorted(marked - expected):
    print('not yet checked (no %s in this ctxvet): %s:%d' % (m[2], m[0], m[1]))
missing, unmarked = sorted(expected - found), sorted(found - expected)
for m in missing:
    print('MISSING: marked but not reported: %s:%d [%s]' % m)
for m in unmarked:
    print('UNMARKED: reported but not marked: %s:%d [%s]' % m)
if missing or unmarked or not expected:
    sys.exit(1)
print('ok: %d marked mistakes reported, nothing else' % len(expected))
for check in sorted({m[2] for m in expected}):
    print('covered: ' + check)
