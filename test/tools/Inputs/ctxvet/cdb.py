"""Writes OUT/compile_commands.json with entries spelled exactly as given.

Usage: cdb.py OUT INCLUDE [--command] [--flag F]... DIRECTORY:FILE...
DIRECTORY and FILE go into the entry unchanged (relative ones stay
relative); the command is `clang++ -std=c++20 -I INCLUDE [F...] -c FILE`,
as "arguments", or as one "command" string with --command. With no
entries the database is `[]`.
"""
import json
import os
import shlex
import sys

out, include, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
as_command, flags, entries = False, [], []
i = 0
while i < len(rest):
    if rest[i] == '--command':
        as_command = True
    elif rest[i] == '--flag':
        i += 1
        flags.append(rest[i])
    else:
        directory, file = rest[i].rsplit(':', 1)
        args = ['clang++', '-std=c++20', '-I', include] + flags + ['-c', file]
        e = {'directory': directory, 'file': file}
        if as_command:
            e['command'] = ' '.join(shlex.quote(a) for a in args)
        else:
            e['arguments'] = args
        entries.append(e)
    i += 1
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, 'compile_commands.json'), 'w') as f:
    json.dump(entries, f, indent=1)
