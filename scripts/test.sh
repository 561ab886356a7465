#!/usr/bin/env bash
# The test suite: install what is missing, run every unit test (Swift Testing only, so
# the closing line counts real tests), then the pages in a real browser (headless
# Chromium: the alignment viewer, nmt serve's live page, a report.html from disk), and
# data-parallel training on two processes under Open MPI, with the debug build the unit
# tests made.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --browser
scripts/install-deps.sh --mpi
swift test --disable-xctest "$@"
NMT=.build/debug/nmt scripts/test-distributed.sh
scripts/browser-test.sh
