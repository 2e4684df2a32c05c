#!/usr/bin/env bash
# Render the board report (`opr-planner export html`) in a real browser, headless
# Chromium, and fail if the page logs anything to the browser console or refers to
# an external resource; save a screenshot of it.
#
# Usage:
#   scripts/check_report_in_browser.sh [SCENARIO [PLAN [SCREENSHOT]]]
#
#   SCENARIO    default scenarios/midden-nederland.yaml
#   PLAN        default: solved here first (seed 0, one worker: the same plan every time)
#   SCREENSHOT  default docs/report-screenshot.png (the top: verdict line, timeline, groups);
#               a second one, <SCREENSHOT without .png>-network.png, shows the network
#               section (its labels must be whole and must not overlap)
#
# Environment:
#   CHROMIUM    browser to use (default /usr/bin/chromium; Debian: apt-get install -y chromium)
#   PYTHON      Python with opr_planner installed (default python3)
#   WINDOW      window size of the screenshot (default 1280,2000)
#   KEEP        folder to keep the rendered report.html, console log and DOM in (default: a temporary one)
#
# How it checks: Chromium runs the page twice with --enable-logging=stderr --v=0, which
# writes every console message (console.log/error, uncaught exceptions) to stderr as
# `INFO:CONSOLE` lines: once with --dump-dom (the DOM must contain the report's
# sections) and once with --screenshot. The report has no scripts, so any console
# line is an error. External resources are found in the HTML itself (src/href/url()
# pointing at http(s) or //).
#
# Exit: 0 clean, 1 console messages or external resources, 2 setup problem.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scenario=${1:-$here/scenarios/midden-nederland.yaml}
plan=${2:-}
shot=${3:-$here/docs/report-screenshot.png}
chromium=${CHROMIUM:-/usr/bin/chromium}
python=${PYTHON:-python3}
window=${WINDOW:-1280,2000}

if [ ! -x "$chromium" ]; then
    echo "error: no Chromium at $chromium (apt-get install -y chromium, or set CHROMIUM)" >&2
    exit 2
fi

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

cli() { "$python" -c 'from opr_planner.cli import main; main(prog_name="opr-planner")' "$@"; }

if [ -z "$plan" ]; then
    plan=$work/plan.yaml
    cli solve "$scenario" -o "$plan" --seed 0 --workers 1 --quiet || { echo "error: solving $scenario failed" >&2; exit 2; }
fi
report=$work/report.html
cli export html "$scenario" "$plan" -o "$report" || { echo "error: export html failed" >&2; exit 2; }

status=0

# 1. No external resources: every src/href/url() must stay inside the file.
if grep -Eino '(src|href)[[:space:]]*=[[:space:]]*["'"'"']?[[:space:]]*(https?:|//)|url\([[:space:]]*["'"'"']?(https?:|//)' "$report"; then
    echo "FAIL: the report refers to external resources (lines above)" >&2
    status=1
fi

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --enable-logging=stderr --v=0)

# 2. Load the page, dump the DOM, collect console messages.
timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" \
    --dump-dom "file://$report" >"$work/dom.html" 2>"$work/console-dom.log" || true
# 3. Screenshot (console messages are collected again).
mkdir -p "$(dirname "$shot")"
timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" \
    --window-size="$window" --screenshot="$shot" "file://$report" >/dev/null 2>"$work/console-shot.log" || true

# 4. The network section alone: the same page with every other section hidden (a headless
#    screenshot does not scroll to #network).
net_shot=${shot%.png}-network.png
sed 's|</head>|<style>main > :not(#network) { display: none; }</style></head>|' "$report" >"$work/network.html"
timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" \
    --window-size="${NET_WINDOW:-1280,1000}" --screenshot="$net_shot" "file://$work/network.html" >/dev/null 2>"$work/console-net.log" || true

if grep -h "CONSOLE" "$work/console-dom.log" "$work/console-shot.log" "$work/console-net.log"; then
    echo "FAIL: the browser console shows messages (above)" >&2
    status=1
fi
for section in verdict timeline groups metrics network; do
    if ! grep -q "id=\"$section\"" "$work/dom.html"; then
        echo "FAIL: the rendered page has no #$section section (did the page load?)" >&2
        status=1
    fi
done
for png in "$shot" "$net_shot"; do
    if [ ! -s "$png" ]; then
        echo "FAIL: no screenshot was written to $png" >&2
        status=1
    fi
done

if [ "$status" -eq 0 ]; then
    echo "OK: $report renders without console messages or external resources; screenshots: $shot, $net_shot"
fi
exit "$status"
