#!/bin/sh
# The shared library exports the public API and nothing else: every
# dynamic symbol it defines is an evt_ name (evt_ then a letter or digit).
# Fails, listing them, when an internal symbol leaks out (a missing or
# widened cmake/exports.map), and when a public header names an evt__
# function or object the library defines: an inline function or macro
# that reaches an internal would not link against the shared library.
# Usage: tools/check_exports.sh path/to/libeventide.so
set -e
lib=${1:?usage: $0 libeventide.so}
root=$(cd "$(dirname "$0")/.." && pwd)
exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort -u)
defined=$(nm --defined-only "$lib" 2>/dev/null | awk '{print $3}' | sort -u)
status=0
for sym in $exported; do
  case $sym in
    evt_[a-z0-9]*) ;;
    *) echo "internal symbol exported: $sym"; status=1 ;;
  esac
done
for sym in $(grep -rhoE '\bevt__[a-z0-9_]+' "$root/include" | sort -u); do
  # Type, macro and field names are not symbols; a name the library
  # defines is a function or an object.
  if printf '%s\n' "$defined" | grep -qx "$sym"; then
    echo "a public header reaches an internal symbol: $sym"
    status=1
  fi
done
count=$(printf '%s\n' "$exported" | grep -c .)
[ $status = 0 ] && echo "exports: $count symbols, all public"
exit $status
