"""Runs a command with its stderr on a pseudo-terminal (so ctxvet shows its
progress line) and checks that nothing else was written into that line:
every message must start at the left margin, either after a newline or
right after the progress line was cleared ("\\r\\x1b[K").

Usage: on_terminal.py COMMAND [ARGS...]
Prints the command's stderr with the progress updates removed, then
"exit N"; exits 1 if a message was glued to the progress line.
"""
import os
import pty
import re
import subprocess
import sys

master, slave = pty.openpty()
proc = subprocess.Popen(sys.argv[1:], stderr=slave, stdout=subprocess.DEVNULL)
os.close(slave)
raw = b''
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    raw += chunk
status = proc.wait()
text = raw.decode('utf-8', 'replace').replace('\r\n', '\n')

glued = False
shown = []
# After each "\r\x1b[K" (the line cleared) comes either a progress update
# "[n/m] file", which never holds a newline and is cleared again before
# anything else is written, or text starting at the left margin.
segments = text.split('\r\x1b[K')
shown.append(segments[0])
for seg in segments[1:]:
    if re.match(r'\[\d+/\d+\] ', seg):
        if '\n' in seg:
            glued = True
            print('GLUED: %r' % seg[:120])
        continue
    shown.append(seg)
sys.stdout.write(''.join(shown))
print('exit %d' % status)
sys.exit(1 if glued else 0)
