#!/usr/bin/env bash
# The test suite: install what is missing, then run every test (Swift Testing only, so
# the closing line counts real tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift test --disable-xctest "$@"
