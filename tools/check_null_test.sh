#!/bin/sh
# check_null_test.sh — every public function must be in the bad-argument
# test (tests/unit/test_null_args*.c and null_args.h; the rule is
# docs/errors.md), so new API cannot skip the rule.
#
#   sh tools/check_null_test.sh CC INCLUDE_DIR TEST_FILE...
#
# The public functions are what the compiler sees in eventide.h: every
# declaration or inline definition named evt_<x>( (evt__ names are
# private), plus the function-like macros #define evt_<x>( of the headers.
# A function counts as covered when its name appears in a test file (a
# call, or the comment that lists the functions taking no pointer).
set -eu
cc=$1 inc=$2
shift 2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '#include <eventide.h>\n' >"$tmp/all.c"
# -P: no line markers; one declaration may span lines, so join them.
"$cc" -E -P -D_GNU_SOURCE -I"$inc" "$tmp/all.c" | tr '\n' ' ' |
  tr ';{}' '\n\n\n' >"$tmp/decls"
# A declaration of a function: "<type> evt_x (" not preceded by "(*" (a
# function pointer) and not inside a call (a body's statements follow
# "{", so they start a line after the split above, with no type first);
# names ending in _t are types ("typedef evt_value_t (*cb)(...)").
grep -oE '(^|[^(*[:alnum:]_])[[:space:]]*[[:alnum:]_]+[[:space:]*]+evt_[[:alnum:]_]+[[:space:]]*\(' \
  "$tmp/decls" | grep -oE 'evt_[[:alnum:]_]+[[:space:]]*\($' |
  sed 's/[[:space:]]*($//' | grep -v -e '^evt__' -e '_t$' >"$tmp/names"
grep -hoE '^#define evt_[[:alnum:]_]+\(' "$inc"/eventide/*.h |
  sed 's/^#define //; s/($//' >>"$tmp/names"
sort -u "$tmp/names" -o "$tmp/names"

total=$(wc -l <"$tmp/names")
if [ "$total" -lt 100 ]; then
  echo "check_null_test: found only $total public functions; the scan is broken" >&2
  exit 1
fi
missing=0
while read -r name; do
  if ! cat "$@" | grep -qw "$name"; then
    echo "check_null_test: $name is missing from the bad-argument tests" >&2
    missing=$((missing + 1))
  fi
done <"$tmp/names"
if [ "$missing" -ne 0 ]; then
  echo "check_null_test: $missing of $total public functions not covered" >&2
  exit 1
fi
echo "check_null_test: all $total public functions are covered"
