#!/usr/bin/env bash
# Makes ctx usable in a CI job on Debian 12 (docs/ci.md's GitHub and GitLab
# jobs run it; test/tools/ci-install.test tests it):
#
#   ctx-ci-install.sh SRC PREFIX
#
# SRC is a checkout of the ctx commit to use, PREFIX the install directory
# the CI system caches. Every time, it installs the packages ctxvet and the
# project's build need at run time (clang-N, which brings libclang-cpp,
# libLLVM and the compiler's headers; cmake; ninja): a cache restores
# PREFIX, never the system packages. Then, unless PREFIX already holds this
# commit (PREFIX/share/ctx/commit, written after a build) and its ctxvet
# runs, it installs the build dependencies (SRC/scripts/setup.sh), builds
# SRC and installs it into PREFIX. Last, PREFIX/bin/ctxvet must run.
#
# Exit status: 0 ready, 1 something failed (said why), 2 usage.
# CTX_LLVM_VERSION: the LLVM major (default 19).
# CTX_CI_DRY_RUN=1: print the apt-get and build commands instead of running
# them (for the test).
set -euo pipefail
usage="usage: $0 SRC PREFIX"
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
src=$1 prefix=$2
llvm=${CTX_LLVM_VERSION:-19}
dry=${CTX_CI_DRY_RUN:-0}
say() { echo "ctx-ci-install: $*" >&2; }
run() { if [ "$dry" = 1 ]; then echo "+ $*"; else "$@"; fi; }

commit=$(git -C "$src" rev-parse HEAD 2>/dev/null) ||
  { say "$src is not a git checkout of ctx"; exit 1; }

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
for p in "clang-$llvm" cmake ninja-build; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  run $sudo apt-get update -q
  run $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

stamp="$prefix/share/ctx/commit"
if [ -x "$prefix/bin/ctxvet" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$commit" ] &&
   "$prefix/bin/ctxvet" --version > /dev/null 2>&1; then
  say "$prefix has ctx $commit (from the cache): not building"
else
  if [ -e "$prefix/bin/ctxvet" ]; then
    say "$prefix holds another ctx ($(cat "$stamp" 2>/dev/null || echo 'no commit recorded')) or one that does not run: rebuilding"
  fi
  say "building ctx $commit into $prefix"
  build="$src/build-ci"
  run "$src/scripts/setup.sh"
  run cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      "-DCMAKE_CXX_COMPILER=clang++-$llvm" "-DCMAKE_C_COMPILER=clang-$llvm" "-DCTX_LLVM_VERSION=$llvm" \
      -DCTX_BUILD_TESTS=OFF -DCTX_BUILD_BENCHMARKS=OFF
  run cmake --build "$build"
  run cmake --install "$build" --prefix "$prefix"
  if [ "$dry" = 1 ]; then
    echo "+ record $commit in $stamp"
    exit 0
  fi
  echo "$commit" > "$stamp"
fi

if ! out=$("$prefix/bin/ctxvet" --version 2>&1); then
  say "$prefix/bin/ctxvet does not run:"
  echo "$out" >&2
  ldd "$prefix/bin/ctxvet" 2>/dev/null | grep 'not found' >&2 || true
  exit 1
fi
say "ready: $(echo "$out" | head -n 1)"
