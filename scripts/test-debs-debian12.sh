#!/usr/bin/env bash
# Installs ctx's Debian packages into a fresh Debian 12 and uses them there,
# as a user would: `apt-get install ./ctx-*.deb` must give a working ctxvet,
# clang-tidy plugin and find_package(ctx), with nothing else installed by
# hand. Slow (debootstrap and apt download a few hundred MB), so not part of
# scripts/test.sh; test/package checks the packages' contents and
# dependencies on every run.
#
#   scripts/test-debs-debian12.sh [DEB_DIR]
#
# DEB_DIR holds ctx-*.deb; without it they are built first
# (cmake --workflow --preset deb -> build-package/deb). The Debian 12 root is
# made with debootstrap in build-debian12/root (removed afterwards unless
# KEEP_ROOT=1). Needs root, and Debian's archive (DEBIAN_MIRROR, default
# http://deb.debian.org/debian). Exit status: 0 all worked, 1 something did
# not (said what), 2 usage.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "test-debs: $*" >&2; }
[ $# -le 1 ] || { echo "usage: $0 [DEB_DIR]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { say "must run as root (debootstrap, chroot)"; exit 2; }
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$PWD/build-debian12
root=$work/root
mkdir -p "$work"

if [ $# -eq 1 ]; then
  debs=$(cd "$1" && pwd)
else
  say "building the packages: cmake --workflow --preset deb"
  scripts/setup.sh
  cmake --workflow --preset deb > "$work/package.log" 2>&1 ||
    { tail -n 30 "$work/package.log" >&2; say "packaging failed (log: $work/package.log)"; exit 1; }
  debs=$PWD/build-package/deb
fi
shopt -s nullglob
pkgs=("$debs"/ctx-*.deb)
[ ${#pkgs[@]} -gt 0 ] || { say "no ctx-*.deb in $debs"; exit 2; }
say "packages: ${pkgs[*]##*/}"

if ! command -v debootstrap > /dev/null; then
  say "installing debootstrap"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
fi

cleanup() {
  umount "$root/proc" 2> /dev/null || true
  [ "${KEEP_ROOT:-0}" = 1 ] || rm -rf "$root"
}
trap cleanup EXIT
cleanup
say "debootstrap bookworm (minbase) into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 ||
  { tail -n 20 "$work/debootstrap.log" >&2; say "debootstrap failed (log: $work/debootstrap.log)"; exit 1; }
mount -t proc proc "$root/proc"
mkdir -p "$root/tmp/debs" "$root/tmp/consumer"
cp "${pkgs[@]}" "$root/tmp/debs/"

# The consumer: find_package(ctx), a program that runs, and one deliberate
# context-todo mistake for ctxvet to find.
cat > "$root/tmp/consumer/CMakeLists.txt" << 'EOF'
cmake_minimum_required(VERSION 3.25)
project(consumer LANGUAGES CXX)
find_package(ctx 0.1 CONFIG REQUIRED)
add_executable(consumer main.cpp)
target_link_libraries(consumer PRIVATE ctx::runtime)
EOF
cat > "$root/tmp/consumer/main.cpp" << 'EOF'
#include <ctx/context.hpp>
#include <cstdio>

static bool expired(ctx::Context c) { return c.err() == ctx::errc::deadline_exceeded; }

int main() {
  auto [c, cancel] = ctx::with_timeout(ctx::background(), std::chrono::milliseconds(1));
  c.done().wait();
  cancel();
  std::puts(expired(c) && !expired(ctx::todo()) ? "consumer ok" : "consumer FAILED");
}
EOF
# For the plugin: self-contained (no standard headers yet), one lost cancel.
cat > "$root/tmp/lost_cancel.cpp" << 'EOF'
namespace std { template <class A, class B> struct pair { A first; B second; }; }
namespace ctx {
class Context {};
class CancelFunc { public: void operator()() const noexcept; };
Context background();
std::pair<Context, CancelFunc> with_cancel(Context parent);
}
void use(ctx::Context);
void leak() {
  auto [c, cancel] = ctx::with_cancel(ctx::background());
  use(c);
}
EOF

cat > "$root/tmp/run.sh" << 'EOF'
set -euxo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
cd /tmp/debs
# Exactly what a user runs: the packages, nothing else.
apt-get install -y -q ./ctx-*.deb
ctxvet --version
ctxvet --list-checks | grep -x context-lost-cancel
plugin=$(dpkg -L ctx-clang-tidy-plugin | grep 'libctx-tidy\.so$')
clang-tidy-19 --load "$plugin" --list-checks -checks='-*,context-*' | grep context-lost-cancel
# context-lost-cancel runs inside clang-tidy-19 (a plugin built by another
# compiler than clang-tidy's dies here with "symbol lookup error").
out=$(clang-tidy-19 --load "$plugin" -checks='-*,context-lost-cancel' /tmp/lost_cancel.cpp -- -std=c++20 2>&1 || true)
echo "$out"
echo "$out" | grep -q "warning: .*\[context-lost-cancel\]"

# A project that uses the runtime, with what any C++ project has.
apt-get install -y -q --no-install-recommends cmake make g++ pkg-config
cd /tmp/consumer
cmake -S . -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
cmake --build build
./build/consumer | grep -x "consumer ok"
g++ -std=c++20 main.cpp $(pkg-config --cflags --libs ctx) -o pc-consumer
./pc-consumer | grep -x "consumer ok"
status=0
ctxvet -p build > vet.txt || status=$?
cat vet.txt
test "$status" -eq 1
grep -q "main.cpp:10:.*warning: .*\[context-todo\]" vet.txt
echo "test-debs: all good"
EOF
say "installing the packages in Debian 12 and using them (log: $work/chroot.log)"
# A clean environment: nothing of this machine's (a compiler launcher, ...)
# may leak into the fresh system.
if env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
     chroot "$root" /bin/bash /tmp/run.sh > "$work/chroot.log" 2>&1; then
  grep -E "^ctxvet \(ctx|context-lost-cancel\]|^main.cpp|consumer ok" "$work/chroot.log" >&2 || true
  say "ok: apt-get install ./ctx-*.deb on a fresh Debian 12 gives ctxvet, the plugin and find_package(ctx)"
else
  tail -n 40 "$work/chroot.log" >&2
  say "FAILED (log: $work/chroot.log)"
  exit 1
fi
