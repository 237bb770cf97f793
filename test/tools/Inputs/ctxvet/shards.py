"""Runs ctxvet over a project whole and in N --shard parts, merges the
parts with --merge, and compares: the merge must be the unsharded run, byte
for byte, for JSON, SARIF, text and the baseline, with the same exit status.

Usage: shards.py CTXVET INPUTS CHECK_INPUTS WORKDIR N
INPUTS is test/tools/Inputs/ctxvet, CHECK_INPUTS the include directory of
the stand-in <ctx/context.hpp>. Prints `ok: ...` lines; exits 1 on the first
difference.
"""
import json
import os
import shutil
import subprocess
import sys

ctxvet, inputs, include, work, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
proj = os.path.join(work, 'proj')
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(proj, 'sub'))
os.makedirs(os.path.join(proj, 'cfg'))

# Eight TUs: two include shared.h (its finding must be reported once), one
# does not compile, one is gone from disk, two are compiled with flags clang
# does not know (a different one each), one sits under a .clang-tidy with an
# unknown option.
src = os.path.join(inputs, 'proj')
for f in ['a.cpp', 'b.cpp', 'shared.h', 'clean.cpp', 'broken.cpp']:
    shutil.copy(os.path.join(src, f), proj)
for name in ['c.cpp', 'd.cpp', 'e.cpp']:
    shutil.copy(os.path.join(src, 'sub', 'c.cpp'), os.path.join(proj, 'sub', name))
shutil.copy(os.path.join(src, 'sub', 'c.cpp'), os.path.join(proj, 'cfg', 'f.cpp'))
with open(os.path.join(proj, 'cfg', '.clang-tidy'), 'w') as f:
    f.write("CheckOptions:\n  context-todo.AllowedFile: 'x'\n")
flags = {'a.cpp': ['-fconcepts-diagnostics-depth=3'], 'sub/d.cpp': ['-fno-canonical-system-headers']}
entries = []
for rel in ['a.cpp', 'b.cpp', 'clean.cpp', 'broken.cpp', 'sub/c.cpp', 'sub/d.cpp', 'sub/e.cpp',
            'cfg/f.cpp', 'gone.cpp']:
    path = os.path.join(proj, rel)
    entries.append({'directory': proj, 'file': path,
                    'arguments': ['clang++', '-std=c++20', '-I', include] + flags.get(rel, []) +
                                 ['-c', path]})
db = os.path.join(work, 'db')
os.makedirs(db)
with open(os.path.join(db, 'compile_commands.json'), 'w') as f:
    json.dump(entries, f, indent=1)
# The same database listed backwards: the parts must not depend on the order.
rdb = os.path.join(work, 'rdb')
os.makedirs(rdb)
with open(os.path.join(rdb, 'compile_commands.json'), 'w') as f:
    json.dump(entries[::-1], f, indent=1)


def run(args, out=None):
    with open(out, 'wb') if out else open(os.devnull, 'wb') as o:
        return subprocess.run([ctxvet, '--root', proj] + args, stdout=o, stderr=subprocess.PIPE).returncode


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def fail(what):
    print('FAIL: ' + what)
    sys.exit(1)


def p(name):
    return os.path.join(work, name)


whole = run(['-p', db, '--report=json=' + p('all.json'), '--report=sarif=' + p('all.sarif')], p('all.txt'))
run(['-p', db, '--write-baseline', p('all-base.json')])
parts = []
for k in range(1, n + 1):
    run(['-p', db, '--shard=%d/%d' % (k, n), '--report=json=' + p('%d.json' % k),
         '--report=sarif=' + p('%d.sarif' % k)], p('%d.txt' % k))
    run(['-p', db, '--shard=%d/%d' % (k, n), '--write-baseline', p('%d-base.json' % k)])
    run(['-p', rdb, '--shard=%d/%d' % (k, n), '--report=json=' + p('r%d.json' % k)])
    if read(p('%d.json' % k)) != read(p('r%d.json' % k)):
        fail('part %d depends on the order of the compile database' % k)
    parts.append(json.load(open(p('%d.json' % k))))
print('ok: the parts do not depend on the order of the database')

# A partition: each TU's own finding (`ctx::todo()` in a .cpp) is in
# exactly one part; the shared header's finding is in several.
todo = [d['file'] for d in json.load(open(p('all.json')))['diagnostics']
        if d['check'] == 'context-todo']
for f in todo:
    owners = [k + 1 for k, part in enumerate(parts)
              if any(d['file'] == f and d['check'] == 'context-todo' for d in part['diagnostics'])]
    if len(owners) != 1:
        fail('%s is in parts %s' % (f, owners))
shared = [k for k, part in enumerate(parts) if any(d['file'] == 'shared.h' for d in part['diagnostics'])]
if len(shared) < 2:
    fail('shared.h is reported by parts %s: the test does not exercise deduplication' % shared)
if any(not part['diagnostics'] and not part['setupProblems'] for part in parts):
    fail('a part checked nothing')
print('ok: %d parts, each TU in one, shared.h in %d' % (n, len(shared)))

jsons = [p('%d.json' % k) for k in range(1, n + 1)]
sarifs = [p('%d.sarif' % k) for k in range(1, n + 1)]
status = run(['--merge', '-o', p('merged.json')] + jsons)
if status != whole:
    fail('merge exit status %d, the whole run %d' % (status, whole))
for merged, expected, what in [
        (['--merge', '-o', p('merged.json')] + jsons, 'all.json', 'json'),
        (['--merge', '-o', p('merged.sarif')] + sarifs, 'all.sarif', 'sarif'),
        (['--merge', '--format=sarif', '-o', p('json-to.sarif')] + jsons, 'all.sarif', 'json to sarif'),
        (['--merge', '--format=text'] + jsons, 'all.txt', 'json to text'),
        (['--merge', '-o', p('merged-base.json')] + [p('%d-base.json' % k) for k in range(1, n + 1)],
         'all-base.json', 'baseline')]:
    out = None if '-o' in merged else p('merged-' + what.replace(' ', '-') + '.txt')
    run(merged, out)
    got = out or merged[merged.index('-o') + 1]
    if read(got) != read(p(expected)):
        subprocess.run(['diff', p(expected), got])
        fail('merged %s differs from the whole run' % what)
    print('ok: merged %s = the whole run (exit status %d)' % (what, whole))
