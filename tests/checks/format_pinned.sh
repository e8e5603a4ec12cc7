#!/usr/bin/env bash
# scripts/format uses clang-format 14 only: given another version (here a
# stand-in that says it is 15), or none, it refuses with a clear message
# and exit 2, and rewrites nothing.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vledger-format.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0
printf '#!/bin/sh\necho "Debian clang-format version 15.0.7"\n' >"$work/clang-format-15"
chmod +x "$work/clang-format-15"

out=$(CLANG_FORMAT="$work/clang-format-15" "$repo/scripts/format" 2>&1)
rc=$?
if ((rc == 2)) && [[ $out == *"is version 15.0.7"*"refusing to use another"* ]]; then
  echo "ok: clang-format 15 refused"
else
  echo "FAILED: clang-format 15: exit $rc: $out" >&2
  failed=1
fi
out=$(CLANG_FORMAT="$work/no-such-clang-format" "$repo/scripts/format" --check 2>&1)
rc=$?
if ((rc == 2)) && [[ $out == *"not found"*"clang-format-14"* ]]; then
  echo "ok: a missing clang-format named with its package"
else
  echo "FAILED: missing clang-format: exit $rc: $out" >&2
  failed=1
fi
((failed == 0))
