"""Checks docs/ci.md's GitHub workflow and GitLab job for what makes a CI
cache work: on a hit and a miss alike, every step runs (the ctx sources are
fetched, ctx-ci-install.sh installs the run-time packages and builds only
if needed), and the cache key names the ctx commit (GitHub) or ref (GitLab),
not a constant or a file the project does not have.

Usage: ci_docs.py CI_MD
Prints one line per check passed; exits 1 on the first failure.
"""
import re
import sys

import yaml

text = open(sys.argv[1]).read()


def block(marker):
    m = re.search(r'<!-- %s -->\n```yaml\n(.*?)```' % marker, text, re.S)
    if not m:
        sys.exit('no <!-- %s --> yaml block' % marker)
    return yaml.safe_load(m.group(1))


def need(cond, what):
    if not cond:
        sys.exit('FAIL: ' + what)
    print('ok: ' + what)


def silent(cmd):
    return '|| true' in cmd or '2>/dev/null' in cmd


wf = block('github-workflow')
steps = wf['jobs']['ctxvet']['steps']
fetch = [i for i, s in enumerate(steps) if 'git -C /tmp/ctx fetch' in s.get('run', '')]
install = [i for i, s in enumerate(steps) if 'tools/ci/ctx-ci-install.sh' in s.get('run', '')]
cache = [i for i, s in enumerate(steps) if s.get('uses', '').startswith('actions/cache@')]
need(len(fetch) == 1 and len(install) == 1 and len(cache) == 1,
     'github: one fetch, one cache and one install step')
f, c, i = fetch[0], cache[0], install[0]
need(f < c < i, 'github: fetch, then cache, then install')
need(all('if' not in s for s in steps if 'uses' not in s or s is steps[c]),
     'github: no run step is conditional (each runs on a cache hit too)')
need(all(not silent(s.get('run', '')) for s in steps), 'github: no step hides its failure')
first_use = min(j for j, s in enumerate(steps) if '/tmp/ctx' in s.get('run', ''))
need(first_use == f, 'github: nothing uses /tmp/ctx before it is fetched')
sid = steps[f].get('id')
key = steps[c]['with']['key']
need(sid and 'commit=' in steps[f]['run'] and '$GITHUB_OUTPUT' in steps[f]['run'],
     'github: the fetch step outputs the commit')
need('${{ steps.%s.outputs.commit }}' % sid in key and 'hashFiles' not in key,
     'github: the cache key is the ctx commit')
need(steps[c]['with']['path'] in steps[i]['run'], 'github: the cached path is the install prefix')

job = block('gitlab-job')['ctxvet']
script = job['script']
need(any('tools/ci/ctx-ci-install.sh' in l for l in script), 'gitlab: the script runs ctx-ci-install.sh')
need(not any(silent(l) or l.lstrip().startswith('if ') for l in script),
     'gitlab: no step is conditional or hides its failure')
need('$CTX_REF' in job['cache']['key'], 'gitlab: the cache key names the ctx ref')
need(any(job['cache']['paths'][0].rstrip('/') in l for l in script if 'ctx-ci-install.sh' in l),
     'gitlab: the cached path is the install prefix')
