"""Validates ctxvet's JSON or SARIF report: the fields consumers rely on.

Usage: validate.py json|sarif REPORT
Prints one line per result (`file:line:col check`), in report order, so a
FileCheck can also pin down the content; for SARIF then the invocation
(`invocation: executionSuccessful=...`) and one line per notification
(`notification: LEVEL URI: message`). Every URI must be percent-encoded
(RFC 3986) and non-empty.
"""
import re
import json
import sys

kind, path = sys.argv[1], sys.argv[2]
with open(path) as f:
    doc = json.load(f)


def need(cond, what):
    if not cond:
        sys.exit('invalid %s report: %s' % (kind, what))


uri_chars = re.compile(r"^([A-Za-z0-9\-._~/:]|%[0-9A-F]{2})+$")


def need_uri(uri):
    need(isinstance(uri, str) and uri and uri != 'file://' and uri_chars.match(uri),
         'URI is RFC 3986 percent-encoded and not empty: %r' % uri)


if kind == 'json':
    need(doc.get('version') == 1, 'version 1')
    need(isinstance(doc.get('failedUnits'), list), 'failedUnits list')
    need(isinstance(doc.get('setupProblems'), list), 'setupProblems list')
    for d in doc['diagnostics']:
        for key, t in [('file', str), ('uri', str), ('line', int), ('column', int), ('check', str),
                       ('level', str), ('message', str), ('notes', list), ('fingerprint', str)]:
            need(isinstance(d.get(key), t), '%s is a %s' % (key, t.__name__))
        need(d['file'], 'file not empty')
        need_uri(d['uri'])
        need(len(d['fingerprint']) == 40, 'fingerprint is a SHA-1')
        print('%s:%d:%d %s' % (d['file'], d['line'], d['column'], d['check']))
    sys.exit(0)

# SARIF 2.1.0, the parts GitHub code scanning requires or uses.
need(doc.get('version') == '2.1.0', 'version 2.1.0')
need('sarif-2.1.0' in doc.get('$schema', ''), '$schema names SARIF 2.1.0')
need(isinstance(doc.get('runs'), list) and len(doc['runs']) == 1, 'one run')
run = doc['runs'][0]
driver = run['tool']['driver']
need(driver.get('name') == 'ctxvet' and driver.get('version'), 'tool.driver name and version')
rules = driver.get('rules')
need(isinstance(rules, list) and rules, 'rules')
rule_ids = [r['id'] for r in rules]
need(len(set(rule_ids)) == len(rule_ids), 'rule ids unique')
for r in rules:
    need(r['shortDescription']['text'], 'rule %s has a shortDescription' % r['id'])
    if r['id'].startswith('context-'):
        need(r['helpUri'].startswith('https://') and r['helpUri'].endswith('/docs/checks/%s.md' % r['id']),
             'rule %s helpUri points at docs/checks/%s.md' % (r['id'], r['id']))
need_uri(run['originalUriBaseIds']['SRCROOT']['uri'])
need(run['originalUriBaseIds']['SRCROOT']['uri'].startswith('file:///') and
     run['originalUriBaseIds']['SRCROOT']['uri'].endswith('/'), 'SRCROOT is a file:// directory URI')
for res in run['results']:
    need(res['ruleId'] in rule_ids, 'ruleId %s is a rule' % res['ruleId'])
    need(rules[res['ruleIndex']]['id'] == res['ruleId'], 'ruleIndex matches ruleId')
    need(res['level'] in ('warning', 'error', 'note'), 'level')
    need(res['message']['text'], 'message text')
    need(res['partialFingerprints']['ctxvet/v1'], 'partialFingerprints')
    locs = [l['physicalLocation'] for l in res['locations']]
    locs += [l['physicalLocation'] for l in res.get('relatedLocations', [])]
    for l in res.get('relatedLocations', []):
        need(isinstance(l['id'], int) and l['message']['text'], 'related location id and message')
    for p in locs:
        a = p['artifactLocation']
        need(a.get('uriBaseId') == 'SRCROOT' and not a['uri'].startswith('/'),
             'artifact uri relative to SRCROOT: %s' % a)
        need_uri(a['uri'])
        need(p['region']['startLine'] >= 1 and p['region']['startColumn'] >= 1, 'region')
    p = locs[0]
    print('%s:%d:%d %s' % (p['artifactLocation']['uri'], p['region']['startLine'],
                           p['region']['startColumn'], res['ruleId']))

invocations = run.get('invocations')
need(isinstance(invocations, list) and len(invocations) == 1, 'one invocation')
inv = invocations[0]
need(isinstance(inv.get('executionSuccessful'), bool), 'executionSuccessful')
print('invocation: executionSuccessful=%s' % str(inv['executionSuccessful']).lower())
for n in inv.get('toolExecutionNotifications', []):
    need(n['level'] in ('error', 'warning', 'note') and n['message']['text'], 'notification')
    uri = ''
    for l in n.get('locations', []):
        uri = l['physicalLocation']['artifactLocation']['uri']
        need_uri(uri)
    print('notification: %s %s: %s' % (n['level'], uri, n['message']['text']))
