#!/bin/sh
# The shared library exports the public API and nothing else: every
# dynamic symbol it defines is an evt_ name (evt_ then a letter or digit)
# or one of the evt__ names a public header reaches from an inline function
# or a macro. Fails, listing them, when an internal symbol leaks out (a
# missing cmake/exports.map, a new evt__ name used from a header without
# being listed there) or when a public header uses an evt__ name that the
# library does not export (programs linked to the .so would not link).
# Usage: tools/check_exports.sh path/to/libeventide.so
set -e
lib=${1:?usage: $0 libeventide.so}
root=$(cd "$(dirname "$0")/.." && pwd)
exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort -u)
header_internals=$(grep -rhoE '\bevt__[a-z0-9_]+' "$root/include" | sort -u)
status=0
for sym in $exported; do
  case $sym in
    evt_[a-z0-9]*) continue ;;
  esac
  if ! printf '%s\n' "$header_internals" | grep -qx "$sym"; then
    echo "internal symbol exported: $sym"
    status=1
  fi
done
for sym in $header_internals; do
  # Only functions and objects need exporting; type, macro and field names
  # are not symbols. A name the library defines is one of those.
  if nm --defined-only "$lib" 2>/dev/null | awk '{print $3}' | grep -qx "$sym" &&
     ! printf '%s\n' "$exported" | grep -qx "$sym"; then
    echo "used by a public header but not exported: $sym"
    status=1
  fi
done
count=$(printf '%s\n' "$exported" | grep -c .)
[ $status = 0 ] && echo "exports: $count symbols, all public"
exit $status
