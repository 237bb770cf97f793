"""Creates DIR/src with sources whose names need escaping, each with one
context-todo finding, and DIR/compile_commands.json for them.

Usage: odd_names.py DIR INCLUDE
The names: a directory and a file with spaces and '+' ("lib c++/my
file.cpp"), a file with a quote, backslash, percent, non-ASCII, '#' and '?',
and one whose name is not UTF-8 (byte 0xFF). The database is written as
bytes: JSON cannot spell a name that is not UTF-8, compile databases do.
"""
import os
import sys

out, include = sys.argv[1], sys.argv[2]
src = os.path.join(out, 'src').encode()
names = [b'lib c++/my file.cpp', 'we"ird \\ %\u00e9 #x?.cpp'.encode(), b'bad\xff.cpp']
code = b'#include <ctx/context.hpp>\nvoid f() { (void)ctx::todo(); }\n'


def js(b):
    """A JSON string literal for the bytes b, bytes that are not UTF-8 kept raw."""
    return b'"' + b.replace(b'\\', b'\\\\').replace(b'"', b'\\"') + b'"'


entries = []
for n in names:
    path = os.path.join(src, n)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(code)
    args = [b'clang++', b'-std=c++20', b'-I', include.encode(), b'-c', path]
    entries.append(b'{"directory": ' + js(src) + b', "file": ' + js(path) +
                   b', "arguments": [' + b', '.join(js(a) for a in args) + b']}')
with open(os.path.join(out, 'compile_commands.json'), 'wb') as f:
    f.write(b'[\n' + b',\n'.join(entries) + b'\n]\n')
