"""Edits a source file for the baseline test.

Usage: edit.py FILE (prepend TEXT | append TEXT | indent)...
`indent` indents every line by two spaces. TEXT takes \\n escapes.
"""
import sys

path, ops = sys.argv[1], sys.argv[2:]
with open(path) as f:
    text = f.read()
i = 0
while i < len(ops):
    op = ops[i]
    if op == 'indent':
        text = ''.join('  ' + l for l in text.splitlines(True))
        i += 1
        continue
    arg = ops[i + 1].encode().decode('unicode_escape')
    text = arg + text if op == 'prepend' else text + arg
    i += 2
with open(path, 'w') as f:
    f.write(text)
