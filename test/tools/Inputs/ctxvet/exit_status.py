"""Runs a command and fails unless it exits with exactly the given status.

Usage: exit_status.py STATUS COMMAND [ARGS...]  (stdout/stderr pass through)
"""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.run(sys.argv[2:]).returncode
if got != want:
    sys.exit('%s exited %d, expected %d' % (sys.argv[2], got, want))
