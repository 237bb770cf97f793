"""Writes DIR/compile_commands.json compiling each SOURCE with -I INCLUDE.

Usage: write_cdb.py DIR INCLUDE SOURCE...
"""
import json
import os
import sys

out, include, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(out, exist_ok=True)
entries = [{
    'directory': out,
    'file': os.path.abspath(s),
    'arguments': ['clang++', '-std=c++20', '-I', os.path.abspath(include), '-c',
                  os.path.abspath(s)],
} for s in sources]
with open(os.path.join(out, 'compile_commands.json'), 'w') as f:
    json.dump(entries, f, indent=1)
