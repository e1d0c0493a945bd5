#!/bin/sh
# The API reference's checker (tools/apiref) against fixture.h: it must
# flag exactly the one undocumented function, count the ones declared
# through a macro and inline, and the pages must have their anchors.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tool="$here/../../tools/apiref/apiref.js"
node=${NODE:-node}
fail() { echo "FAIL: $*"; exit 1; }

if out=$("$node" "$tool" --check "$here/fixture.h"); then
  fail "the check passed on a header with an undocumented function"
fi
printf '%s\n' "$out"
flagged=$(printf '%s\n' "$out" | sed -n 's/.*: \(evt_[a-z0-9_]*\) has no comment.*/\1/p')
[ "$flagged" = evt_fix_undocumented ] || fail "flagged: '$flagged'"
# documented, undocumented, the pair, trailing, the two of the macro, inline
printf '%s\n' "$out" | grep -qx '8 public functions checked, 1 undocumented' ||
  fail "wrong count"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$node" "$tool" --out "$tmp" "$here/fixture.h" >/dev/null
grep -q 'id="evt_fix_door_shut"' "$tmp/fixture.html" || fail "no anchor"
grep -q 'href="fixture.html#evt_fix_door_open"' "$tmp/index.html" ||
  fail "not in the index"
if grep -q 'evt__fix_internal' "$tmp/index.html"; then
  fail "an internal name is listed"
fi
echo "ok"
