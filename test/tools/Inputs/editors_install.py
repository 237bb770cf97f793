"""Runs the install step of docs/editors.md's build instructions against a
build that has built everything, and checks it installs only what the
documented build step builds (so it also works in a fresh build directory
where only those targets were built).

Usage: editors_install.py EDITORS_MD BUILD_DIR PREFIX
Prints the installed files, relative to PREFIX.
"""
import os
import re
import shlex
import subprocess
import sys

doc, build, prefix = sys.argv[1:4]
text = open(doc).read()
block = re.search(r'<!-- editors-install -->\n```sh\n(.*?)```', text, re.S)
if not block:
    sys.exit('no <!-- editors-install --> sh block in ' + doc)
lines = [l.split('#')[0].strip() for l in block.group(1).splitlines()]
built = next(shlex.split(l) for l in lines if l.startswith('cmake --build'))
targets = built[built.index('--target') + 1:]
install = next(shlex.split(l) for l in lines if l.startswith('cmake --install'))
# The documented build directory and prefix, replaced by the test's.
install[install.index('--install') + 1] = build
install[install.index('--prefix') + 1] = prefix
p = subprocess.run(install, capture_output=True, text=True)
if p.returncode:
    sys.exit('%s failed:\n%s%s' % (' '.join(install), p.stdout, p.stderr))
installed = sorted(os.path.relpath(os.path.join(d, f), prefix)
                   for d, _, fs in os.walk(prefix) for f in fs)
extra = [f for f in installed if os.path.basename(f) not in targets]
for f in installed:
    print(f)
if extra or not installed:
    sys.exit('installs what the documented build (%s) does not build: %s' % (' '.join(targets), extra))
