"""Runs a command as user nobody when run as root, else as it is.

Usage: as_nobody.py COMMAND [ARG...]
Root reads every file whatever its mode, so a test of a file that cannot
be read runs the reader as another user.
"""
import os
import sys

if os.getuid() == 0:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
os.execvp(sys.argv[1], sys.argv[1:])
