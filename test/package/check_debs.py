#!/usr/bin/env python3
"""Checks the Debian packages CPack made from a build (test/package).

Usage: check_debs.py --debs DIR --install DIR --source SRC --build BUILD
                     --llvm N --resource-dir DIR

- the packages are exactly ctx-dev, ctx-tools and ctx-clang-tidy-plugin
  (and ctx-runtime when the runtime is shared), each with its copyright;
- every file a full `cmake --install` installs (--install) is in one of
  them (a component no package takes would be lost), and each package holds
  what it should;
- Depends names, for every program and library in a package, the package
  owning each shared library it needs (as this machine resolves it), and
  what the files need without linking it: the compiler's own headers for
  the tools, clang-tidy-N for the plugin;
- no installed text file names the build or source directory.
Prints one line per package and exits 1 with the problems otherwise.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
for opt in ('--debs', '--install', '--source', '--build', '--llvm', '--resource-dir'):
    ap.add_argument(opt, required=True)
args = ap.parse_args()
problems = []


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def owner(path):
    """The Debian package that ships the file `path` names (its real path:
    a symlink to it may belong to a -dev package), or None."""
    for p in (os.path.realpath(path), path):
        r = subprocess.run(['dpkg', '-S', p], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(':')[0].strip()
    return None


def depends(deb):
    """Package names in Depends (every alternative), without versions."""
    field = run('dpkg-deb', '-f', deb, 'Depends').strip()
    names = set()
    for part in field.split(','):
        for alt in part.split('|'):
            if alt.strip():
                names.add(re.split(r'[\s(:]', alt.strip())[0])
    return names


ldcache = {}
for line in run('ldconfig', '-p').splitlines()[1:]:
    m = re.match(r'\s*(\S+) \(([^)]*)\) => (\S+)', line)
    if m and 'x86-64' in m.group(2):
        ldcache.setdefault(m.group(1), m.group(3))


def needed(elf):
    """(NEEDED sonames, RUNPATH/RPATH directories) of an ELF file."""
    out = run('readelf', '-d', elf)
    libs = re.findall(r'\(NEEDED\)\s+Shared library: \[([^\]]+)\]', out)
    paths = []
    for m in re.findall(r'\((?:RUNPATH|RPATH)\)\s+Library (?:runpath|rpath): \[([^\]]+)\]', out):
        paths += [p for p in m.split(':') if p]
    return libs, paths


def resolve(soname, paths):
    for d in paths:
        if os.path.exists(os.path.join(d, soname)):
            return os.path.join(d, soname)
    return ldcache.get(soname)


debs = {}
for f in sorted(os.listdir(args.debs)):
    if f.endswith('.deb'):
        name = run('dpkg-deb', '-f', os.path.join(args.debs, f), 'Package').strip()
        debs[name] = os.path.join(args.debs, f)
shared_runtime = any(re.match(r'libctx_runtime\.so', f) for _, _, fs in os.walk(args.install) for f in fs)
want = {'ctx-dev', 'ctx-tools', 'ctx-clang-tidy-plugin'} | ({'ctx-runtime'} if shared_runtime else set())
if set(debs) != want:
    problems.append('packages are %s, want %s' % (sorted(debs), sorted(want)))

lib = r'usr/lib(/[a-z0-9_]+-linux-gnu)?'
expected = {
    'ctx-dev': [r'usr/include/ctx/[^/]+\.hpp', lib + r'/libctx_(runtime|grpc)\.(a|so)',
                lib + r'/cmake/ctx/[^/]+\.cmake', lib + r'/pkgconfig/ctx\.pc'],
    'ctx-runtime': [lib + r'/libctx_(runtime|grpc)\.so\.[0-9.]+'],
    'ctx-tools': [r'usr/bin/(ctxvet|ctx-tidy|clangd-ctx)', r'usr/share/ctx/[^/]+'],
    'ctx-clang-tidy-plugin': [lib + r'/libctx-tidy\.so'],
}
required = {
    'ctx-dev': ['usr/include/ctx/' + h for h in os.listdir(os.path.join(args.source, 'runtime/include/ctx'))]
               + [r'cmake/ctx/ctxConfig.cmake', 'cmake/ctx/ctxConfigVersion.cmake', 'pkgconfig/ctx.pc'],
    'ctx-runtime': [],
    'ctx-tools': ['usr/bin/ctxvet', 'usr/bin/ctx-tidy', 'usr/bin/clangd-ctx', 'usr/share/ctx/ctxvet-ci.sh'],
    'ctx-clang-tidy-plugin': ['libctx-tidy.so'],
}
packaged = set()
with tempfile.TemporaryDirectory() as tmp:
    for name, deb in sorted(debs.items()):
        root = os.path.join(tmp, name)
        run('dpkg-deb', '-x', deb, root)
        files = sorted(os.path.relpath(os.path.join(d, f), root)
                       for d, _, fs in os.walk(root) for f in fs)
        packaged |= {re.sub('^usr/', '', f) for f in files}
        doc = 'usr/share/doc/%s/copyright' % name
        if doc not in files:
            problems.append('%s: no %s' % (name, doc))
        for f in files:
            if f != doc and not any(re.fullmatch(p, f) for p in expected.get(name, [])):
                problems.append('%s: unexpected file %s' % (name, f))
        for r in required.get(name, []):
            if not any(f.endswith(r) for f in files):
                problems.append('%s: has no %s' % (name, r))

        deps = depends(deb)
        for f in files:
            path = os.path.join(root, f)
            with open(path, 'rb') as fh:
                magic = fh.read(4)
            if magic == b'\x7fELF':
                libs, paths = needed(path)
                for so in libs:
                    where = resolve(so, paths)
                    pkg = owner(where) if where else None
                    if not pkg:
                        problems.append('%s: %s needs %s, which no installed package provides' % (name, f, so))
                    elif pkg != name and pkg not in deps:
                        problems.append('%s: %s needs %s (package %s), not in Depends: %s' %
                                        (name, f, so, pkg, ', '.join(sorted(deps))))
            elif f.startswith('usr/') and not f.endswith('copyright'):
                with open(path, 'rb') as fh:
                    text = fh.read()
                for d in (args.build, args.source):
                    if d.encode() in text:
                        problems.append('%s: %s names %s' % (name, f, d))
        if name == 'ctx-tools':
            pkg = owner(os.path.join(args.resource_dir, 'include', 'stddef.h'))
            if pkg not in deps:
                problems.append('ctx-tools: the compiler headers the tools use (%s, package %s) are not in Depends'
                                % (args.resource_dir, pkg))
        if name == 'ctx-clang-tidy-plugin':
            pkg = owner('/usr/lib/llvm-%s/bin/clang-tidy' % args.llvm)
            if pkg not in deps:
                problems.append('ctx-clang-tidy-plugin: clang-tidy-%s (package %s) is not in Depends' % (args.llvm, pkg))
        print('%s: %d files; Depends: %s' % (name, len(files), ', '.join(sorted(deps)) or '-'))

# Nothing a full install has is left out of every package (a plain install
# has share/doc/ctx/LICENSE where each package has its copyright).
installed = {os.path.relpath(os.path.join(d, f), args.install)
             for d, _, fs in os.walk(args.install) for f in fs}
for f in sorted(installed - packaged - {'share/doc/ctx/LICENSE'}):
    problems.append('%s is installed but in no package' % f)

for p in problems:
    print('error: ' + p)
sys.exit(1 if problems else 0)
