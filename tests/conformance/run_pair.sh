#!/bin/sh
# run_pair.sh C_BINARY JS_TWIN EXPECTED
#
# Runs one conformance pair. Fails (exit 1) when the C program exits with a
# non-zero status or its stdout differs from EXPECTED; when node is on PATH,
# also fails when node's stdout for JS_TWIN differs from EXPECTED. Prints a
# diff and says which comparison failed.
set -u

if [ $# -ne 3 ]; then
  echo "usage: $0 C_BINARY JS_TWIN EXPECTED" >&2
  exit 2
fi
bin=$1
js=$2
expected=$3

if [ ! -f "$expected" ]; then
  echo "FAIL: missing expected output $expected" >&2
  echo "      (generate it with: node $js > $expected)" >&2
  exit 1
fi

tmp=${TMPDIR:-/tmp}/run_pair.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# Bound each run (below ctest's TIMEOUT) so a hang is reported as such.
limit=""
if command -v timeout >/dev/null 2>&1; then
  limit="timeout 8"
fi

explain() {
  case $1 in
    124) echo "      (killed after 8 s: the loop hung)" ;;
    13[4-9]) echo "      (killed by signal $(($1 - 128)))" ;;
  esac
}

status=0

$limit "$bin" >"$tmp/c.out" 2>"$tmp/c.err"
rc=$?
if [ $rc -ne 0 ]; then
  echo "FAIL: C program exited with status $rc: $bin"
  explain $rc
  echo "--- its stdout:"
  cat "$tmp/c.out"
  echo "--- its stderr:"
  cat "$tmp/c.err"
  status=1
fi
if ! diff -u "$expected" "$tmp/c.out" >"$tmp/c.diff"; then
  echo "FAIL: C output differs from $(basename "$expected") (- expected, + C):"
  cat "$tmp/c.diff"
  status=1
fi

if command -v node >/dev/null 2>&1; then
  $limit node "$js" >"$tmp/js.out" 2>"$tmp/js.err"
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL: node exited with status $rc: $js"
    explain $rc
    cat "$tmp/js.err"
    status=1
  fi
  if ! diff -u "$expected" "$tmp/js.out" >"$tmp/js.diff"; then
    echo "FAIL: node output differs from $(basename "$expected")" \
         "(- expected, + node):"
    cat "$tmp/js.diff"
    status=1
  fi
else
  echo "note: node not found; compared with $(basename "$expected") only"
fi

if [ $status -eq 0 ]; then
  echo "ok: $(basename "$expected" .expected)"
fi
exit $status
