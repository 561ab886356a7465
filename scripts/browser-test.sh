#!/usr/bin/env bash
# The alignment viewer in a real browser. Headless Chromium opens the sample page
# (Tests/FiguresTests/ViewerSample.swift) from disk; a script drives it as a person would
# (scripts/browser-test/interactions.js) and the test checks what it drew, that the page
# asked for nothing over the network, and takes screenshots. Then the live page is checked
# against a stand-in server (scripts/browser-test/mock-server.py), which checks what the
# page sends, and against a real `nmt serve` of a tiny model trained here; last, that
# model's report.html from `nmt evaluate`, opened from disk. --live checks only a running
# `nmt serve` given by its address.
#
#   scripts/browser-test.sh [--out DIR] [--live URL]
#
#   --out DIR    where the pages, DOM dumps, net logs and screenshots go (.build/browser-test)
#   --live URL   check the live page of the `nmt serve` at URL (http://127.0.0.1:8080)
#                instead of the stand-in; its own page is loaded from URL/?text=...
#
# Needs Chromium (installed by scripts/install-deps.sh --browser, as root or with sudo)
# and python3 for the stand-in server and for reading Chromium's net log.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.build/browser-test
live_url=""
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$2; shift 2 ;;
        --live) live_url=${2%/}; shift 2 ;;
        *) echo "usage: $0 [--out DIR] [--live URL]" >&2; exit 2 ;;
    esac
done
scripts/install-deps.sh --browser
command -v python3 >/dev/null || { echo "python3 is needed (net-log check, stand-in server)" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out" && out=$(cd "$out" && pwd)
here=$(pwd)/scripts/browser-test
failures=0
passes=0
pass() { echo "PASS $*"; passes=$((passes + 1)); }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
expect() { # expect NAME COMMAND...: passes if the command succeeds
    local name=$1; shift
    if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name"; fi
}

# Chromium with a fresh profile, every host name unresolvable (nothing could leave the
# machine even if a request slipped out), a net log of every request, the console on
# standard error, and virtual time so that scripts and fetches finish before the dump.
# browser NAME URL FLAGS... writes NAME.out (the DOM or nothing), NAME.console, NAME.netlog.
browser() {
    local name=$1 url=$2; shift 2
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$out/profile-$name" --no-first-run --no-default-browser-check \
        --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
        --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
        --log-net-log="$out/$name.netlog" --net-log-capture-mode=Everything \
        --enable-logging=stderr --v=0 --virtual-time-budget=5000 --window-size=1280,1000 \
        "$@" "$url" >"$out/$name.out" 2>"$out/$name.console" || true
}

# The requests NAME's page made, other than those to ALLOWED (a URL prefix): none expected.
no_page_requests() {
    local name=$1 allowed=$2 requests
    requests=$(python3 "$here/page-requests.py" "$out/$name.netlog" | grep -v "^$allowed" || true)
    if [ -z "$requests" ]; then pass "$name: the page made no request"; else fail "$name: the page requested $requests"; fi
}

# Console lines that show a blocked load (a content-security-policy violation) or a script error.
no_console_trouble() {
    local name=$1 trouble
    trouble=$(grep -E "CONSOLE.*(Content Security Policy|Uncaught|Error)" "$out/$name.console" || true)
    if [ -z "$trouble" ]; then pass "$name: no blocked load and no script error"; else fail "$name: $trouble"; fi
}

# Controls: the two checks above must see a page that does request something, or they prove nothing.
controls() {
    printf '%s' '<!DOCTYPE html><img src="http://control.invalid/pixel.png"><script>fetch("https://control.invalid/data.json").catch(() => {});</script>' >"$out/control.html"
    sed 's|<!DOCTYPE html>|&<meta http-equiv="Content-Security-Policy" content="default-src '"'none'"'; script-src '"'unsafe-inline'"'">|' \
        "$out/control.html" >"$out/control-csp.html"
    browser control "file://$out/control.html" --dump-dom
    browser control-csp "file://$out/control-csp.html" --dump-dom
    local seen
    seen=$(python3 "$here/page-requests.py" "$out/control.netlog" | grep -c "control.invalid" || true)
    if [ "$seen" -eq 2 ]; then pass "control: the net-log check sees a page's two requests"; else fail "control: the net-log check saw $seen of 2 requests"; fi
    expect "control: the console check sees a blocked load" grep -q "CONSOLE.*Content Security Policy" "$out/control-csp.console"
}

standalone() {
    local page="$out/viewer.html" dom="$out/viewer.out"
    browser viewer "file://$page" --dump-dom
    expect "viewer: the script ran to the end" grep -q 'data-viewer="ready"' "$dom"
    expect "viewer: no error shown" grep -q '<p id="viewer-error" role="alert" hidden="">' "$dom"
    for token in das Haus ist klein the house is small; do
        expect "viewer: the grid shows '$token'" grep -q ">$token</text>" "$dom"
    done
    local cells; cells=$(grep -o 'class="cell"' "$dom" | wc -l)
    if [ "$cells" -eq 36 ]; then pass "viewer: 36 cells (6 × 6)"; else fail "viewer: $cells cells, not 36"; fi
    no_page_requests viewer "file://$page"
    no_console_trouble viewer

    # The same page with the interactions appended, in a copy: the page's own policy lets
    # inline scripts run, as its viewer's does.
    python3 - "$page" "$here/interactions.js" "$out/viewer-driven.html" <<'EOF'
import sys
page, script, copy = sys.argv[1:4]
text = open(page, encoding="utf-8").read()
assert text.count("</body>") == 1
open(copy, "w", encoding="utf-8").write(text.replace("</body>", "<script>\n" + open(script).read() + "</script>\n</body>"))
EOF
    browser viewer-driven "file://$out/viewer-driven.html" --dump-dom
    python3 - "$out/viewer-driven.out" >"$out/interactions.txt" <<'EOF'
import html, re, sys
found = re.search(r'<pre id="browser-test-results" hidden="">(.*?)</pre>', open(sys.argv[1], encoding="utf-8").read(), re.S)
for line in html.unescape(found.group(1)).splitlines() if found else []:
    print(line.replace(" ", " viewer, driven: ", 1))
EOF
    cat "$out/interactions.txt"
    local passed failed
    passed=$(grep -c '^PASS' "$out/interactions.txt" || true)
    failed=$(grep -c '^FAIL' "$out/interactions.txt" || true)
    failures=$((failures + failed))
    passes=$((passes + passed))
    if [ "$passed" -lt 30 ]; then fail "viewer, driven: only $passed interaction checks passed (30 expected)"; fi
    no_page_requests viewer-driven "file://$out/viewer-driven.html"
    no_console_trouble viewer-driven
    browser viewer-shot "file://$out/viewer-driven.html" --screenshot="$out/viewer.png"
}

# The live page of the server at $1: a sentence given in the address is translated at once.
# With the stand-in, also what the page sent, and the error of a refused text.
live() {
    local url=$1 mock=$2 dom="$out/live.out"
    browser live "$url/?text=Ich%20muss%20zum%20Arzt." --dump-dom
    expect "live: the script ran to the end" grep -q 'data-viewer="ready"' "$dom"
    expect "live: no error" grep -qE '<p id="live-status" role="status"( class="")?></p>' "$dom"
    local cells; cells=$(grep -o 'class="cell"' "$dom" | wc -l)
    if [ "$mock" = yes ]; then
        expect "live: the translation joined the list" grep -q '<span class="target">I have to go to the doctor.</span>' "$dom"
        expect "live: the grid shows the source" grep -q '>Arzt.</text>' "$dom"
        if [ "$cells" -eq 45 ]; then pass "live: 45 cells (9 × 5)"; else fail "live: $cells cells, not 45"; fi
        expect "live: the page posted the text and the beam" grep -qx '{"text":"Ich muss zum Arzt.","beam":5}' "$out/requests.log"
        expect "live: the heads can be picked" grep -q '<option>layer 1, head 2</option>' "$dom"
        expect "live: the alternatives are shown" grep -q 'I must go to the doctor.<span class="score">score -2.31</span>' "$dom"
        browser live-refused "$url/?text=Fehler%20bitte" --dump-dom
        expect "live: a refused text shows the server's error" \
            grep -q '<p id="live-status" role="status" class="error">mock: this text is refused</p>' "$out/live-refused.out"
    else
        # A real server: the page must show what POST /translate answers for the same text.
        local expected
        expected=$(curl -s -X POST "$url/translate" -d '{"text": "Ich muss zum Arzt.", "beam": 5}' \
            | python3 -c 'import html, json, sys; print(html.escape(json.load(sys.stdin)["translations"][0]["text"], quote=False))')
        expect "live: the page shows the server's translation ($expected)" grep -qF "<span class=\"target\">$expected</span>" "$dom"
        expect "live: the grid shows the source words" grep -q '>Arzt</text>' "$dom"
        if [ "$cells" -gt 0 ]; then pass "live: $cells cells"; else fail "live: no cell drawn"; fi
    fi
    no_page_requests live "$url/"
    no_console_trouble live
    browser live-shot "$url/?text=Ich%20muss%20zum%20Arzt." --screenshot="$out/viewer-live.png"
}

echo "writing the sample pages (FiguresTests)"
VIEWER_SAMPLE_DIR="$out" swift test --disable-xctest \
    --filter 'FiguresTests.AlignmentViewerTests/writeSamplePagesForTheBrowserTest' >"$out/swift-test.log" 2>&1 \
    || { cat "$out/swift-test.log"; exit 1; }
[ -s "$out/viewer.html" ] && [ -s "$out/viewer-live.html" ] || { echo "the sample pages were not written" >&2; exit 1; }

# A tiny model of our own, trained for a minute, for the real server and a real report.
real_model() {
    echo "training a tiny model for the real server and report"
    .build/debug/nmt train --epochs 1 --embedding-size 8 --encoder-hidden-size 8 --decoder-hidden-size 8 \
        --attention-size 8 --test '' --threads 1 --out "$out/model" --overwrite >"$out/train.log" 2>&1 \
        || { cat "$out/train.log"; exit 1; }
}

# nmt serve on a free port, checked by the live checks, then stopped with SIGTERM.
real_server() {
    .build/debug/nmt serve --checkpoint "$out/model" --port 0 >"$out/serve.log" 2>&1 &
    local pid=$! port=""
    for _ in $(seq 100); do
        port=$(grep -o '127.0.0.1:[0-9]*' "$out/serve.log" | head -1 | cut -d: -f2 || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    if [ -z "$port" ]; then fail "serve: did not start"; cat "$out/serve.log"; kill "$pid" 2>/dev/null; return; fi
    live "http://127.0.0.1:$port" no
    kill -TERM "$pid"
    if wait "$pid"; then pass "serve: stopped cleanly on SIGTERM"; else fail "serve: exit status $? on SIGTERM"; fi
}

# report.html of nmt evaluate, opened from disk: it renders and asks for nothing.
real_report() {
    .build/debug/nmt evaluate --checkpoint "$out/model" >"$out/evaluate.log" 2>&1 || { cat "$out/evaluate.log"; exit 1; }
    local page="$out/model/report.html" dom="$out/report.out"
    browser report "file://$page" --dump-dom
    expect "report: the script ran to the end" grep -q 'data-viewer="ready"' "$dom"
    expect "report: the scores table is there" grep -q 'class="report-table"' "$dom"
    expect "report: the BLEU-by-length figure is inline" grep -q 'BLEU by source sentence length' "$dom"
    local cells; cells=$(grep -o 'class="cell"' "$dom" | wc -l)
    if [ "$cells" -gt 0 ]; then pass "report: $cells cells of the first sentence"; else fail "report: no cell drawn"; fi
    no_page_requests report "file://$page"
    no_console_trouble report
    browser report-shot "file://$page" --screenshot="$out/report.png"
}

controls
standalone
if [ -n "$live_url" ]; then
    live "$live_url" no
else
    python3 "$here/mock-server.py" "$out/viewer-live.html" "$out/port" "$out/requests.log" &
    mock_pid=$!
    trap 'kill "$mock_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 50); do [ -s "$out/port" ] && break; sleep 0.1; done
    live "http://127.0.0.1:$(cat "$out/port")" yes
    kill "$mock_pid" 2>/dev/null || true
    real_model
    real_server
    real_report
fi

echo "screenshots: $out/viewer.png $out/viewer-live.png $out/report.png"
echo "browser: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
