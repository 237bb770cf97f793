"""Checks that every symbol a clang-tidy plugin takes from its host is
defined there: by the clang-tidy binary or a library it loads. A symbol
that is not makes clang-tidy die with "symbol lookup error" the first time
the code using it runs (a plugin built by GCC names some of clang-tidy's
member templates differently from the clang that built clang-tidy).

Usage: plugin_symbols.py PLUGIN CLANG_TIDY LLVM_NM
Prints `ok: N symbols ...` or each missing symbol (demangled); exits 1 then.
"""
import os
import re
import subprocess
import sys

plugin, clang_tidy, nm = sys.argv[1:4]


def symbols(path, which):
    out = subprocess.run([nm, '-D', which, path], capture_output=True, text=True, check=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        # `nm -D` lines are "[ADDR] TYPE NAME"; weak undefined ones (w, v)
        # may stay unresolved.
        if len(parts) >= 2 and parts[-2] not in ('w', 'v'):
            syms.add(parts[-1].split('@')[0])
    return syms


libs = re.findall(r'=> (/\S+)', subprocess.run(['ldd', clang_tidy], capture_output=True, text=True,
                                                check=True).stdout)
defined = set()
for f in [clang_tidy] + libs:
    defined |= symbols(f, '--defined-only')
needed = symbols(plugin, '--undefined-only')
missing = sorted(needed - defined)
if missing:
    cxxfilt = os.path.join(os.path.dirname(nm), 'llvm-cxxfilt')
    demangled = subprocess.run([cxxfilt], input='\n'.join(missing), capture_output=True, text=True).stdout
    for name in demangled.splitlines():
        print('missing: ' + name)
    sys.exit(1)
print('ok: %d symbols the plugin takes from its host are all defined by %s or its libraries'
      % (len(needed), clang_tidy))
