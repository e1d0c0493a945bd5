#!/bin/sh
# The timeline in a real browser: record trace_sample, draw it with
# eventide-timeline, open the page in headless Chromium and read the
# page's own self-check from the DOM: every lane drawn, bars on screen,
# no script or console errors.
# Usage: browser_test.sh TRACE_SAMPLE TIMELINE SOURCE_DIR WORK_DIR
set -e
sample=$1 timeline=$2 src=$3 work=$4
if ! command -v chromium >/dev/null 2>&1; then
  # As root this installs it; otherwise it prints the apt-get line and fails.
  sh "$src/tools/deps.sh" chromium || {
    echo "browser test needs chromium: sudo apt-get install -y chromium" >&2
    exit 1
  }
fi
mkdir -p "$work"
rm -f "$work/sample.json" "$work/sample.html"
"$sample" "$work/sample.json"
"$timeline" "$work/sample.json" -o "$work/sample.html"
dom=$(timeout 50 chromium --headless --disable-gpu --no-sandbox \
  --user-data-dir="$work/chromium-profile" --dump-dom \
  "file://$work/sample.html" 2>/dev/null)
check=$(printf '%s\n' "$dom" | grep -o '<div id="selfcheck"[^>]*>[^<]*' || true)
echo "self-check: $check"
field() { printf '%s\n' "$check" | sed -n "s/.*data-$1=\"\([^\"]*\)\".*/\1/p"; }
lanes=$(field lanes) bars=$(field bars) errors=$(field errors)
[ -n "$lanes" ] || { echo "FAIL: the page did not run its self-check" >&2; exit 1; }
[ "$errors" = 0 ] || { echo "FAIL: $errors script/console errors" >&2; exit 1; }
# 9 loop lanes and at least one pool thread lane.
[ "$lanes" -ge 10 ] || { echo "FAIL: $lanes lanes" >&2; exit 1; }
[ "$bars" -ge 20 ] || { echo "FAIL: only $bars bars drawn" >&2; exit 1; }
printf '%s\n' "$dom" | grep -q 'heartbeat timer' ||
  { echo "FAIL: labels missing from the page" >&2; exit 1; }
echo "ok: $lanes lanes, $bars bars, no errors"
