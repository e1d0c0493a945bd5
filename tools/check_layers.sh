#!/bin/sh
# The layering rule as a test: a layer (a folder under src/) never refers
# to a higher layer. Layers, bottom up:
LAYERS="platform backend core tasks timers pool async events io stream net http trace"
# Two kinds of reference are checked:
#  - #include "<layer>/..." of a higher layer's private header;
#  - a symbol a layer's object files use and a higher layer's define (from
#    nm on the compiled objects of BUILD_DIR, so macros and inline functions
#    count where they expand).
# The upward references the core still makes (the phase functions and
# loop set-up of higher layers) are listed in
# tools/layers.allow, one "from -> to: symbol" per line. The check fails on
# any upward reference not listed there, and on a listed one that is gone,
# so the list only ever shrinks.
# Usage: tools/check_layers.sh BUILD_DIR
set -e
build=${1:?usage: $0 BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
objs=$build/CMakeFiles/eventide_objects.dir/src
[ -d "$objs" ] || { echo "no objects under $objs: build first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rank() { # the position of layer $1 in LAYERS, or nothing
  i=0
  for l in $LAYERS; do
    [ "$l" = "$1" ] && { echo $i; return; }
    i=$((i + 1))
  done
}

for dir in "$root"/src/*/; do
  layer=$(basename "$dir")
  [ -n "$(rank "$layer")" ] || { echo "src/$layer is not in LAYERS" >&2; exit 1; }
done

# Symbols: who defines each (layer), who uses each (layer).
for o in $(find "$objs" -name '*.o'); do
  # An object whose source is gone (a file moved or removed since that
  # build) is not part of the library any more.
  src=${o#"$objs"/}; src=${src%.o}
  [ -f "$root/src/$src" ] || continue
  layer=${o#"$objs"/}; layer=${layer%%/*}
  nm --defined-only "$o" 2>/dev/null |
    awk -v L="$layer" '$2 ~ /^[TDBRVW]$/ {print $3, L}' >>"$tmp/defs"
  nm -u "$o" 2>/dev/null | awk -v L="$layer" '{print $2, L}' >>"$tmp/uses"
done
sort -u "$tmp/defs" >"$tmp/defs.s"
sort -u "$tmp/uses" >"$tmp/uses.s"
join "$tmp/uses.s" "$tmp/defs.s" | while read -r sym from to; do
  [ "$from" = "$to" ] && continue
  if [ "$(rank "$from")" -lt "$(rank "$to")" ]; then
    echo "$from -> $to: $sym"
  fi
done >"$tmp/found"

# Includes of a higher layer's private header.
for f in "$root"/src/*/*.[ch]; do
  from=$(basename "$(dirname "$f")")
  grep -o '#include "[a-z_]*/[a-z_]*\.h"' "$f" | sed 's/#include "//; s|/.*||' |
    sort -u | while read -r to; do
      [ -n "$(rank "$to")" ] || continue
      if [ "$(rank "$from")" -lt "$(rank "$to")" ]; then
        echo "$from -> $to: #include in ${f#"$root"/}"
      fi
    done
done >>"$tmp/found"

sort -u "$tmp/found" >"$tmp/found.s"
grep -v '^#' "$root/tools/layers.allow" | grep . | sort -u >"$tmp/allow.s"
status=0
new=$(comm -23 "$tmp/found.s" "$tmp/allow.s")
gone=$(comm -13 "$tmp/found.s" "$tmp/allow.s")
if [ -n "$new" ]; then
  echo "upward references (a lower layer using a higher one):"
  echo "$new" | sed 's/^/  /'
  status=1
fi
if [ -n "$gone" ]; then
  echo "listed in tools/layers.allow but gone (delete these lines):"
  echo "$gone" | sed 's/^/  /'
  status=1
fi
[ $status = 0 ] &&
  echo "layers: no upward reference beyond the $(wc -l <"$tmp/allow.s") listed"
exit $status
