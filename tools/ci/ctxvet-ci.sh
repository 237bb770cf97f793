#!/usr/bin/env bash
# The ctxvet step of a CI job (docs/ci.md runs it from GitHub Actions and
# GitLab CI; test/tools/ci-script.test runs it here).
#
#   ctxvet-ci.sh BUILD_DIR [--sarif FILE] [--codequality FILE] [--baseline FILE] [PATH...]
#
# Runs ctxvet once over the compile database in BUILD_DIR (PATHs: limit to
# those files/directories), prints the findings in the log as text, and
# writes the machine-readable report(s) the CI system ingests. Paths in the
# reports are relative to the current directory (the checkout), which is
# what code scanning and GitLab expect.
#
# Exit status: ctxvet's (0 clean, 1 findings, 2 setup errors), except that
# CTXVET_ALLOW_FINDINGS=1 turns 1 into 0 (report, do not fail the job).
# CTXVET: the ctxvet binary (default: ctxvet on PATH).
set -uo pipefail
ctxvet=${CTXVET:-ctxvet}
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [--sarif FILE] [--codequality FILE] [--baseline FILE] [PATH...]" >&2; exit 2; }
build=$1; shift
sarif="" codequality="" baseline=()
paths=()
while [ $# -gt 0 ]; do
  case $1 in
    --sarif) sarif=$2; shift 2 ;;
    --codequality) codequality=$2; shift 2 ;;
    --baseline) baseline=(--baseline "$2"); shift 2 ;;
    *) paths+=("$1"); shift ;;
  esac
done

# One run: the findings as text in the log, and each CI report as a file.
reports=()
[ -z "$sarif" ] || reports+=("--report=sarif=$sarif")
[ -z "$codequality" ] || reports+=("--report=codequality=$codequality")
"$ctxvet" -p "$build" --root "$PWD" "${reports[@]}" "${baseline[@]}" "${paths[@]}"
status=$?
[ $status -le 1 ] || echo "ctxvet-ci: ctxvet could not check everything (exit $status)" >&2

if [ $status -eq 1 ] && [ "${CTXVET_ALLOW_FINDINGS:-0}" = 1 ]; then
  exit 0
fi
exit $status
