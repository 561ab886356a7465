#!/usr/bin/env bash
# The test suite: install what is missing, run every unit test (Swift Testing only, so
# the closing line counts real tests), then the pages in a real browser (headless
# Chromium: the alignment viewer, nmt serve's live page, a report.html from disk), and
# data-parallel training on two processes under Open MPI, with the debug build the unit
# tests made. Each part runs under a watchdog (scripts/watchdog.sh): one that hangs fails
# after a limit far above its usual time (20 s of tests, 1 min of each script, a few
# minutes of build), with the backtraces of its threads.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --browser
scripts/install-deps.sh --mpi
scripts/watchdog.sh 1500 swift test --disable-xctest "$@"
NMT=.build/debug/nmt scripts/watchdog.sh 900 scripts/test-distributed.sh
scripts/watchdog.sh 900 scripts/browser-test.sh
