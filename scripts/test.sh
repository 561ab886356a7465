#!/usr/bin/env bash
# The test suite: install what is missing, run every unit test (Swift Testing only, so
# the closing line counts real tests), then the pages in a real browser (headless
# Chromium: the alignment viewer, nmt serve's live page, a report.html from disk).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --browser
swift test --disable-xctest "$@"
scripts/browser-test.sh
