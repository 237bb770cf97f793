#!/usr/bin/env python3
"""Runs clang-tidy with the ctx plugin on one test file and checks the result.

Usage (from a lit RUN line):
  %check_clang_tidy [--check-suffix=S[,S2...]] FILE CHECKS TMPDIR [-- TIDY-ARGS [-- COMPILER-ARGS]]

Expectations live in FILE as comments:
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: ... [context-null]
  // CHECK-FIXES: {{^}}  f(c);{{$}}
With --check-suffix=S the prefixes are CHECK-MESSAGES-S and CHECK-FIXES-S.

The file is copied into TMPDIR with those comments blanked out (line numbers
are kept), clang-tidy runs on the copy (with -fix when fixes are expected),
and FileCheck matches:
  - clang-tidy's output against the CHECK-MESSAGES lines; any warning or error
    not matched by one fails the test, and a file with no CHECK-MESSAGES lines
    must produce no warning or error at all;
  - the fixed copy against the CHECK-FIXES lines.
A crash of clang-tidy fails the test whatever was expected.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

DEFAULT_FLAGS = {
    '.c': ['-x', 'c', '-std=c17'],
    '.m': ['-x', 'objective-c'],
    '.mm': ['-x', 'objective-c++', '-std=c++20'],
    '.cu': ['-x', 'cuda', '--cuda-host-only', '-nocudainc', '-nocudalib', '-std=c++20'],
}


def fail(msg):
    sys.stderr.write('check_clang_tidy: %s\n' % msg)
    sys.exit(1)


def split_dashes(argv):
    parts, cur = [], []
    for a in argv:
        if a == '--' and len(parts) < 2:
            parts.append(cur)
            cur = []
        else:
            cur.append(a)
    parts.append(cur)
    while len(parts) < 3:
        parts.append([])
    return parts


def has_prefix(text, prefix):
    return re.search(r'\b%s(-NOT|-NEXT|-SAME|-DAG)?:' % re.escape(prefix), text) is not None


def run_filecheck(filecheck, check_file, prefix, input_text, extra):
    cmd = [filecheck, check_file, '--check-prefixes=' + prefix, '--dump-input=fail'] + extra
    proc = subprocess.run(cmd, input=input_text, text=True, capture_output=True)
    if proc.returncode != 0:
        sys.stderr.write('FileCheck %s failed:\n%s\n' % (prefix, proc.stderr))
        sys.stderr.write('------ input ------\n%s\n-------------------\n' % input_text)
        sys.exit(1)


def main():
    own, tidy_args, compiler_args = split_dashes(sys.argv[1:])
    ap = argparse.ArgumentParser()
    ap.add_argument('--clang-tidy', required=True)
    ap.add_argument('--plugin', default='')
    ap.add_argument('--filecheck', required=True)
    ap.add_argument('--inputs', required=True)
    ap.add_argument('--check-suffix', '-check-suffix', default='')
    ap.add_argument('file')
    ap.add_argument('checks')
    ap.add_argument('tmpdir')
    args = ap.parse_args(own)
    for name in ('file', 'plugin', 'inputs', 'tmpdir'):
        if getattr(args, name):
            setattr(args, name, os.path.abspath(getattr(args, name)))

    with open(args.file, encoding='utf-8') as f:
        source = f.read()
    suffixes = [s for s in args.check_suffix.split(',') if s] or ['']
    msg_prefixes = ['CHECK-MESSAGES' + ('-' + s if s else '') for s in suffixes]
    fix_prefixes = ['CHECK-FIXES' + ('-' + s if s else '') for s in suffixes]
    want_msgs = [p for p in msg_prefixes if has_prefix(source, p)]
    want_fixes = [p for p in fix_prefixes if has_prefix(source, p)]

    # Blank the expectation comments so that fixes cannot match them and the
    # code under test is exactly what a user would have written.
    blanked = re.sub(r'//\s*CHECK-(MESSAGES|FIXES)[-A-Za-z0-9]*:.*$', '', source, flags=re.M)
    os.makedirs(args.tmpdir, exist_ok=True)
    path = os.path.join(args.tmpdir, os.path.basename(args.file))
    with open(path, 'w', encoding='utf-8') as f:
        f.write(blanked)

    ext = os.path.splitext(args.file)[1]
    flags = DEFAULT_FLAGS.get(ext, ['-std=c++20'])
    cmd = [args.clang_tidy]
    if args.plugin:
        cmd += ['--load', args.plugin]
    cmd += [path, '-checks=-*,' + args.checks, '--quiet']
    if want_fixes:
        cmd.append('-fix')
    cmd += tidy_args + ['--'] + flags + ['-I', args.inputs] + compiler_args

    proc = subprocess.run(cmd, text=True, capture_output=True, cwd=args.tmpdir)
    crashed = proc.returncode < 0 or 'Stack dump' in proc.stderr or 'PLEASE submit a bug report' in proc.stderr
    if crashed:
        fail('clang-tidy crashed (exit %d): %s\n%s\n%s' % (proc.returncode, ' '.join(cmd), proc.stdout, proc.stderr))
    if proc.returncode != 0 and 'error:' not in proc.stdout:
        # Not a compile error reported as a diagnostic: a setup problem.
        fail('clang-tidy failed (exit %d): %s\n%s\n%s' % (proc.returncode, ' '.join(cmd), proc.stdout, proc.stderr))
    output = proc.stdout

    if want_msgs:
        run_filecheck(args.filecheck, args.file, ','.join(want_msgs), output,
                      ['--implicit-check-not={{warning|error}}:'])
    elif re.search(r'\b(warning|error):', output):
        fail('expected no diagnostics, got:\n' + output)

    if want_fixes:
        with open(path, encoding='utf-8') as f:
            fixed = f.read()
        run_filecheck(args.filecheck, args.file, ','.join(want_fixes), fixed, ['-strict-whitespace'])


if __name__ == '__main__':
    main()
