#!/usr/bin/env bash
# Renders `convcompare explain --html` in headless Chromium and saves a screenshot, the picture the
# README shows. Needs Debian's chromium (apt-get install -y chromium); not part of the test suite,
# which checks the page's structure without a browser.
# Usage: scripts/screenshot-explain.sh [output.png] [window WxH]   (default docs/explain.png, 1200x1600)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/explain.png}"
size="${2:-1200,1600}"
command -v chromium >/dev/null || { echo "chromium not found: apt-get install -y chromium" >&2; exit 3; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet run --project src/ConvCompare -- explain --html "$work/explain.html" >/dev/null
mkdir -p "$(dirname "$out")"
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$PWD/$out" --window-size="$size" "file://$work/explain.html" 2>"$work/chromium.log" \
  || { cat "$work/chromium.log" >&2; exit 1; }
echo "wrote $out ($(stat -c %s "$out") bytes)"
