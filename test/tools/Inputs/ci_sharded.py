"""Checks docs/ci.md's sharded GitHub workflow, then runs its ctxvet
commands on a project: every part, the merge of the downloaded parts, and
compares the merged SARIF with one unsharded run's.

Usage: ci_sharded.py CI_MD CTXVET PROJECT
PROJECT is a checkout's root with build/compile_commands.json; the commands
run there, as the workflow runs them in the checkout. Prints one line per
check passed; exits 1 on the first failure.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

ci_md, ctxvet, project = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(ci_md).read()
m = re.search(r'<!-- github-sharded -->\n```yaml\n(.*?)```', text, re.S)
if not m:
    sys.exit('no <!-- github-sharded --> yaml block')
wf = yaml.safe_load(m.group(1))


def need(cond, what):
    if not cond:
        sys.exit('FAIL: ' + what)
    print('ok: ' + what)


jobs = wf['jobs']
parts, merge = jobs['ctxvet'], jobs['merge']
shards = parts['strategy']['matrix']['shard']
n = len(shards)
need(shards == list(range(1, n + 1)) and n > 1, 'the matrix numbers the parts 1..%d' % n)
need(parts['strategy'].get('fail-fast') is False, 'a part is not cancelled when another fails')
vet = [s['run'] for s in parts['steps'] if '--shard=' in s.get('run', '')]
need(len(vet) == 1 and '--shard=${{ matrix.shard }}/%d ' % n in vet[0],
     'each part runs --shard=K/%d, K its matrix number' % n)
need(vet[0].rstrip().endswith('|| [ $? -le 2 ]'), 'a part passes on findings and setup errors (in its report), not on a crash')
report = re.search(r'--report=json=(.+?\.json)', vet[0]).group(1)
uploads = [s for s in parts['steps'] if s.get('uses', '').startswith('actions/upload-artifact@')]
need(len(uploads) == 1 and uploads[0]['with']['path'] == report and 'if' not in uploads[0],
     'each part uploads its JSON report')
need(parts.get('needs') == 'ctx' and merge.get('needs') == 'ctxvet' and 'if' not in merge,
     'the cache is filled first; the merge runs only when every part did')
down = [s for s in merge['steps'] if s.get('uses', '').startswith('actions/download-artifact@')]
name = uploads[0]['with']['name']
need(len(down) == 1 and re.fullmatch(down[0]['with']['pattern'].replace('*', '.*'),
                                     name.replace('${{ matrix.shard }}', '1'))
     and down[0]['with'].get('merge-multiple') is True, 'the merge downloads every part')
merges = [s['run'] for s in merge['steps'] if '--merge' in s.get('run', '')]
need(len(merges) == 1, 'one merge step')
sarif = re.search(r'--report=sarif=(\S+)', merges[0]).group(1)
scans = [s for j in jobs.values() for s in j['steps'] if s.get('uses', '').startswith('github/codeql-action/upload-sarif@')]
need(len(scans) == 1 and scans[0]['with']['sarif_file'] == sarif and scans[0] in merge['steps'],
     'one SARIF is uploaded, the merge\'s')
for jname, job in jobs.items():
    steps = job['steps']
    fetch = [s for s in steps if 'git -C /tmp/ctx fetch' in s.get('run', '')]
    cache = [s for s in steps if s.get('uses', '').startswith('actions/cache@')]
    need(len(fetch) == 1 and len(cache) == 1 and
         cache[0]['with']['key'].endswith('${{ steps.%s.outputs.commit }}' % fetch[0]['id']),
         '%s: the cache key is the ctx commit' % jname)

# The commands, run: each part in the project, the "download", the merge.
os.chdir(project)
for f in glob.glob('ctxvet-*.json') + ['ctxvet.sarif']:
    if os.path.exists(f):
        os.remove(f)
shutil.rmtree('parts', ignore_errors=True)
bin_ = lambda cmd: cmd.replace('/opt/ctx/bin/ctxvet', ctxvet)
for k in shards:
    cmd = bin_(vet[0]).replace('${{ matrix.shard }}', str(k))
    r = subprocess.run(['bash', '-c', cmd], capture_output=True, text=True)
    need(r.returncode == 0 and os.path.exists(report.replace('${{ matrix.shard }}', str(k))),
         'part %d runs and writes its report' % k)
os.makedirs('parts')
for f in glob.glob('ctxvet-*.json'):
    shutil.move(f, 'parts')
r = subprocess.run(['bash', '-c', bin_(merges[0])], capture_output=True, text=True)
whole = subprocess.run([ctxvet, '-p', 'build', '--format=sarif', '-o', 'whole.sarif'], capture_output=True)
need(r.returncode == whole.returncode, 'the merge exits as the whole run (%d)' % r.returncode)
need(open(sarif).read() == open('whole.sarif').read(), 'the merged SARIF is the whole run\'s')
results = json.load(open(sarif))['runs'][0]['results']
need(len(results) > 0, 'it has the findings (%d)' % len(results))
