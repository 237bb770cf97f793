#!/usr/bin/env python3
"""End-to-end test of clangd-ctx as an editor sees it, over LSP on stdio.

Drives the server through initialize, didOpen and didChange, and asserts that
context-* diagnostics arrive on the right lines, follow edits (fixed mistake:
gone; new mistake: reported), that a code action's WorkspaceEdit applies the
check's fix-it, and that the CheckOptions in `.clangd` apply. The `.clangd`
used is the one docs/editors.md shows, taken from the doc itself so the doc
cannot drift from what is tested.

Every wait has a deadline: a hung or crashed server fails the test, it never
hangs it.
"""

import argparse
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time

TIMEOUT = 60.0  # seconds for any single expected message (parsing the preamble is the slow part)


class Failure(Exception):
    pass


class LspClient:
    """Content-Length framed JSON-RPC over a child's stdin/stdout."""

    def __init__(self, argv, cwd, env, log_path):
        self.log = open(log_path, 'w')
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log)
        self.inbox = queue.Queue()
        self.next_id = 1
        self.reader = threading.Thread(target=self._read_loop, daemon=True)
        self.reader.start()

    def _read_loop(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)  # EOF: the server exited
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode('ascii').partition(':')
                if name.lower() == 'content-length':
                    length = int(value)
            if length is None:
                self.inbox.put(None)
                return
            self.inbox.put(json.loads(out.read(length)))

    def _write(self, message):
        body = json.dumps(message).encode('utf-8')
        self.proc.stdin.write(b'Content-Length: %d\r\n\r\n' % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self._write({'jsonrpc': '2.0', 'method': method, 'params': params})

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self._write({'jsonrpc': '2.0', 'id': rid, 'method': method, 'params': params})
        reply = self.wait(lambda m: m.get('id') == rid and 'method' not in m,
                          'reply to %s' % method)
        if 'error' in reply:
            raise Failure('%s failed: %s' % (method, reply['error']))
        return reply['result']

    def wait(self, accept, what):
        """Next message that `accept`s; answers server requests meanwhile."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure('timed out after %.0fs waiting for %s' % (TIMEOUT, what))
            try:
                msg = self.inbox.get(timeout=left)
            except queue.Empty:
                continue
            if msg is None:
                raise Failure('clangd-ctx exited (code %s) while waiting for %s'
                              % (self.proc.poll(), what))
            if 'method' in msg and 'id' in msg:
                # Server->client requests (progress tokens, configuration):
                # an empty success keeps the server going.
                self._write({'jsonrpc': '2.0', 'id': msg['id'], 'result': None})
                continue
            if accept(msg):
                return msg

    def close(self):
        try:
            if self.proc.poll() is None:
                self.request('shutdown', None)
                self.notify('exit', None)
                self.proc.wait(timeout=10)
        except Exception:
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.log.close()


def clangd_config_from_doc(doc_path):
    """The YAML block that follows the `<!-- clangd-config -->` marker."""
    text = open(doc_path, encoding='utf-8').read()
    m = re.search(r'<!-- clangd-config -->\s*```yaml\n(.*?)```', text, re.S)
    if not m:
        raise Failure('%s has no ```yaml block after <!-- clangd-config -->' % doc_path)
    return m.group(1)


def line_of(text, needle, occurrence=1):
    """0-based line of the n-th line containing `needle`."""
    hits = [i for i, l in enumerate(text.split('\n')) if needle in l]
    if len(hits) < occurrence:
        raise Failure('test source lacks %r' % needle)
    return hits[occurrence - 1]


def offset_of(text, pos):
    lines = text.split('\n')
    # LSP columns are UTF-16 units; the sources here are ASCII.
    return sum(len(l) + 1 for l in lines[:pos['line']]) + pos['character']


def apply_edits(text, edits):
    # Apply back to front so earlier offsets stay valid.
    for e in sorted(edits, key=lambda e: offset_of(text, e['range']['start']), reverse=True):
        start = offset_of(text, e['range']['start'])
        end = offset_of(text, e['range']['end'])
        text = text[:start] + e['newText'] + text[end:]
    return text


def workspace_edits_for(edit, uri):
    """TextEdits for `uri` from either form of WorkspaceEdit."""
    edits = list(edit.get('changes', {}).get(uri, []))
    for dc in edit.get('documentChanges', []):
        if dc.get('textDocument', {}).get('uri') == uri:
            edits.extend(dc['edits'])
    return edits


# The file under edit. v1 has one context-todo; v2 fixes it; v3 adds another.
SOURCE_V1 = '''\
#include <stddef.h>
#include <ctx/context.hpp>

void sink(ctx::Context c);

void handler(const ctx::Context &c) {
  size_t attempts = 0;
  (void)attempts;
  sink(ctx::todo());
}

void worker(const ctx::Context &parent) {
  sink(parent);
}
'''
SOURCE_V2 = SOURCE_V1.replace('  sink(ctx::todo());\n', '  sink(c);\n')
SOURCE_V3 = SOURCE_V2.replace('  sink(parent);\n', '  sink(parent);\n  sink(ctx::todo());\n')


class Session:
    def __init__(self, client, uri):
        self.client = client
        self.uri = uri
        self.version = 0

    def diagnostics(self, version):
        msg = self.client.wait(
            lambda m: m.get('method') == 'textDocument/publishDiagnostics'
            and m['params']['uri'] == self.uri and m['params'].get('version') == version,
            'diagnostics for version %d' % version)
        return msg['params']['diagnostics']

    def open(self, text):
        self.version = 1
        self.client.notify('textDocument/didOpen', {'textDocument': {
            'uri': self.uri, 'languageId': 'cpp', 'version': 1, 'text': text}})
        return self.diagnostics(1)

    def change(self, text):
        self.version += 1
        self.client.notify('textDocument/didChange', {
            'textDocument': {'uri': self.uri, 'version': self.version},
            'contentChanges': [{'text': text}]})
        return self.diagnostics(self.version)


def context_diags(diags):
    return [d for d in diags if str(d.get('code', '')).startswith('context-')]


def expect_lines(diags, check, lines, step):
    got = sorted(d['range']['start']['line'] for d in diags if d.get('code') == check)
    if got != sorted(lines):
        raise Failure('%s: expected %s on 0-based lines %s, got %s; all diagnostics: %s'
                      % (step, check, sorted(lines), got, json.dumps(diags, indent=1)))


def run(args):
    work = os.path.abspath(args.tmp)
    clangd = os.path.abspath(args.clangd)
    inputs = os.path.abspath(args.inputs)
    shutil.rmtree(work, ignore_errors=True)
    project = os.path.join(work, 'project')
    os.makedirs(project)
    os.makedirs(os.path.join(work, 'xdg'))
    with open(os.path.join(project, 'compile_flags.txt'), 'w') as f:
        f.write('-std=c++20\n-I%s\n' % inputs)
    config = clangd_config_from_doc(args.doc)
    if args.without_fast_check_filter:
        config = ''.join(l for l in config.splitlines(True) if 'FastCheckFilter' not in l)
    with open(os.path.join(project, '.clangd'), 'w') as f:
        f.write(config)
    source_path = os.path.join(project, 'handler.cpp')
    with open(source_path, 'w') as f:
        f.write(SOURCE_V1)
    uri = 'file://' + source_path

    env = dict(os.environ)
    env['XDG_CONFIG_HOME'] = os.path.join(work, 'xdg')  # no user config.yaml
    client = LspClient([clangd, '--log=verbose', '--background-index=false'],
                       project, env, os.path.join(work, 'clangd.log'))
    try:
        client.request('initialize', {
            'processId': os.getpid(),
            'rootUri': 'file://' + project,
            'capabilities': {
                'textDocument': {
                    'publishDiagnostics': {'versionSupport': True},
                    'codeAction': {'codeActionLiteralSupport': {
                        'codeActionKind': {'valueSet': ['quickfix']}}},
                },
                'workspace': {'applyEdit': True, 'workspaceEdit': {'documentChanges': True}},
            }})
        client.notify('initialized', {})
        s = Session(client, uri)

        todo1 = line_of(SOURCE_V1, 'sink(ctx::todo())')
        diags = s.open(SOURCE_V1)
        if args.without_fast_check_filter:
            # The contrast that justifies FastCheckFilter: Loose in the doc.
            if context_diags(diags):
                raise Failure('context-* ran without FastCheckFilter: %s'
                              % json.dumps(context_diags(diags), indent=1))
            print('without FastCheckFilter: no context-* diagnostics (clangd skips checks of unknown latency)')
            return
        expect_lines(diags, 'context-todo', [todo1], 'open')
        other = [d for d in diags if d.get('severity') == 1]
        if other:
            raise Failure('errors in the test source: %s' % json.dumps(other, indent=1))
        print('open: context-todo on line %d' % (todo1 + 1))

        diags = s.change(SOURCE_V2)
        expect_lines(diags, 'context-todo', [], 'after fixing it')
        print('fixed: context-todo gone')

        todo2 = line_of(SOURCE_V3, 'sink(ctx::todo())')
        diags = s.change(SOURCE_V3)
        expect_lines(diags, 'context-todo', [todo2], 'after adding another')
        print('added: context-todo on line %d' % (todo2 + 1))

        diag = [d for d in diags if d.get('code') == 'context-todo'][0]
        actions = client.request('textDocument/codeAction', {
            'textDocument': {'uri': uri}, 'range': diag['range'],
            'context': {'diagnostics': [diag], 'only': ['quickfix']}})
        fixes = [a for a in actions or [] if 'edit' in a]
        if not fixes:
            raise Failure('no code action with an edit for %s: %s' % (diag, actions))
        fixed = apply_edits(SOURCE_V3, workspace_edits_for(fixes[0]['edit'], uri))
        want = SOURCE_V3.replace('  sink(parent);\n  sink(ctx::todo());\n',
                                 '  sink(parent);\n  sink(parent);\n')
        if fixed != want:
            raise Failure('code action %r produced:\n%s\nexpected:\n%s'
                          % (fixes[0].get('title'), fixed, want))
        print('code action %r: applied' % fixes[0].get('title'))

        diags = s.change(fixed)
        expect_lines(diags, 'context-todo', [], 'after the code action')
        print('after code action: no context-todo')

        # The doc's CheckOptions reach the check: context-todo.AllowedFiles
        # exempts *_test.cpp, so the same mistake there is not reported.
        test_path = os.path.join(project, 'handler_test.cpp')
        with open(test_path, 'w') as f:
            f.write(SOURCE_V1)
        exempt = Session(client, 'file://' + test_path)
        diags = exempt.open(SOURCE_V1)
        expect_lines(diags, 'context-todo', [], 'in handler_test.cpp (AllowedFiles)')
        print('CheckOptions: context-todo quiet in handler_test.cpp')
    finally:
        client.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--clangd', required=True)
    p.add_argument('--doc', required=True, help='docs/editors.md (source of the .clangd)')
    p.add_argument('--inputs', required=True, help='directory holding ctx/context.hpp')
    p.add_argument('--tmp', required=True, help='scratch directory (recreated)')
    p.add_argument('--without-fast-check-filter', action='store_true',
                   help='drop FastCheckFilter from the config and expect no context-* diagnostics')
    args = p.parse_args()
    try:
        run(args)
    except Failure as e:
        log = os.path.join(os.path.abspath(args.tmp), 'clangd.log')
        print('FAIL: %s\n(clangd log: %s)' % (e, log), file=sys.stderr)
        return 1
    print('PASS')
    return 0


if __name__ == '__main__':
    sys.exit(main())
