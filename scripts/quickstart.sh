#!/usr/bin/env bash
# The main job: install what is missing, build in release mode, train the default model
# on the bundled corpus (it reports BLEU and shows translations at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product nmt
.build/release/nmt train --overwrite   # starts over if checkpoints/tiny holds an earlier run
# A report beside the checkpoint: BLEU and chrF with signatures, BLEU by length, figures.
.build/release/nmt evaluate --checkpoint checkpoints/tiny
