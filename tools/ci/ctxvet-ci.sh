#!/usr/bin/env bash
# The ctxvet step of a CI job (docs/ci.md runs it from GitHub Actions and
# GitLab CI; test/tools/ci-script.test runs it here).
#
#   ctxvet-ci.sh BUILD_DIR [--sarif FILE] [--codequality FILE] [--baseline FILE] [--] [PATH...]
#
# (`--sarif=FILE` and the like work too.) Runs ctxvet once over the compile
# database in BUILD_DIR (PATHs: limit to those files/directories), prints the
# findings in the log as text, and writes the machine-readable report(s) the
# CI system ingests. Paths in the reports are relative to the current
# directory (the checkout), which is what code scanning and GitLab expect.
#
# Exit status: ctxvet's (0 clean, 1 findings, 2 setup errors), except that
# CTXVET_ALLOW_FINDINGS=1 turns 1 into 0 (report, do not fail the job); 2 for
# a usage error of this script.
# CTXVET: the ctxvet binary (default: ctxvet on PATH).
set -uo pipefail
ctxvet=${CTXVET:-ctxvet}
usage="usage: $0 BUILD_DIR [--sarif FILE] [--codequality FILE] [--baseline FILE] [--] [PATH...]"
die() { echo "ctxvet-ci: $1" >&2; echo "$usage" >&2; exit 2; }
[ $# -ge 1 ] || die "no build directory given"
case $1 in -*) die "the first argument is the build directory, not '$1'" ;; esac
build=$1; shift
sarif="" codequality="" baseline=()
paths=()
# The value of option $1, from `--opt=VALUE` or `--opt VALUE`; sets `shifts`.
value() {
  case $1 in
    *=*) val=${1#*=}; shifts=1 ;;
    *) [ $# -ge 2 ] || die "$1 needs a file"; val=$2; shifts=2 ;;
  esac
  [ -n "$val" ] || die "${1%%=*} needs a file"
  case $val in -*) die "${1%%=*} needs a file, not '$val'" ;; esac
}
while [ $# -gt 0 ]; do
  case $1 in
    --sarif|--sarif=*) value "$@"; sarif=$val; shift "$shifts" ;;
    --codequality|--codequality=*) value "$@"; codequality=$val; shift "$shifts" ;;
    --baseline|--baseline=*) value "$@"; baseline=(--baseline "$val"); shift "$shifts" ;;
    --) shift; paths+=("$@"); break ;;
    -*) die "unknown option '$1'" ;;
    *) paths+=("$1"); shift ;;
  esac
done

# One run: the findings as text in the log, and each CI report as a file.
reports=()
[ -z "$sarif" ] || reports+=("--report=sarif=$sarif")
[ -z "$codequality" ] || reports+=("--report=codequality=$codequality")
"$ctxvet" -p "$build" --root "$PWD" "${reports[@]}" "${baseline[@]}" -- "${paths[@]}"
status=$?
[ $status -le 1 ] || echo "ctxvet-ci: ctxvet could not check everything (exit $status)" >&2

if [ $status -eq 1 ] && [ "${CTXVET_ALLOW_FINDINGS:-0}" = 1 ]; then
  exit 0
fi
exit $status
