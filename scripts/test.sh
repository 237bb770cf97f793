#!/usr/bin/env bash
# Runs every test: installs what is missing, then builds and tests each preset
# (LLVM 19 everything, LLVM 22 checks and tools, runtime under TSan and under
# ASan+UBSan). Pass preset names to run only those: scripts/test.sh default tsan
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(default llvm22 tsan asan)
failed=()
for p in "${presets[@]}"; do
  echo "=== preset $p ==="
  if cmake --preset "$p" >/dev/null && cmake --build --preset "$p" && ctest --preset "$p"; then
    :
  else
    failed+=("$p")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: FAILED presets: ${failed[*]}" >&2
  exit 1
fi
echo "test.sh: all presets passed: ${presets[*]}"
