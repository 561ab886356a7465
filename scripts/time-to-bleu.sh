#!/usr/bin/env bash
# How long a training takes to reach a test BLEU: the wall time from its first step to the
# first validation whose weights translate the test set at or above a threshold.
#
#   scripts/time-to-bleu.sh train OUT [nmt train options]
#   scripts/time-to-bleu.sh score OUT TEST [THRESHOLD]
#
# `train` runs `nmt train --out OUT …` and keeps the weights of every validation in
# OUT-steps/ (the trainer itself keeps only the last `training.averageLast`), copying each
# step-N.safetensors as it appears. `score` then translates TEST.de (beam 5, lowercased
# BLEU against TEST.en, as the README's figures) with each kept validation in order of
# steps, printing step, epoch, wall seconds since the first step (log.jsonl's
# wall_seconds, which include the validations), validation BLEU and test BLEU, and stops
# at the first that reaches THRESHOLD (default 35).
#
# Example (the Transformer's goal of issue 13):
#   scripts/time-to-bleu.sh train /work/runs/tf --config configs/multi30k-transformer.json \
#       --validate-every 300 --threads 2 --train $M/train --valid $M/val --test $M/test_2016_flickr
#   scripts/time-to-bleu.sh score /work/runs/tf $M/test_2016_flickr 35
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { sed -n '5,6p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
mode=$1 out=$2
shift 2
nmt=.build/release/nmt
steps=$out-steps

case "$mode" in
train)
    swift build -c release --product nmt >/dev/null
    mkdir -p "$steps"
    keep() { for f in "$out"/step-*.safetensors; do [ -e "$f" ] && cp -n "$f" "$steps/"; done; }
    "$nmt" train --out "$out" "$@" &
    trainer=$!
    trap 'kill -TERM $trainer 2>/dev/null; wait $trainer; keep; exit 130' INT TERM
    while kill -0 $trainer 2>/dev/null; do keep; sleep 10; done
    keep
    wait $trainer
    ;;
score)
    [ $# -ge 1 ] || usage
    test=$1 threshold=${2:-35}
    [ -f "$out/config.json" ] && [ -f "$out/log.jsonl" ] || { echo "$out: not a checkpoint folder with a log.jsonl" >&2; exit 1; }
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    # A checkpoint folder whose best weights are one validation's.
    for f in "$out"/*; do
        case "$(basename "$f")" in *.safetensors|*.lock|trainer.json) ;; *) ln -s "$(realpath "$f")" "$work/" ;; esac
    done
    echo "| step | epoch | wall seconds | validation BLEU (greedy) | test BLEU (beam 5, lowercased) |"
    echo "| ---: | ---: | ---: | ---: | ---: |"
    for step in $(ls "$steps" | sed -n 's/^step-\([0-9]*\)\.safetensors$/\1/p' | sort -n); do
        weights=$steps/step-$step.safetensors
        ln -sf "$(realpath "$weights")" "$work/best.safetensors"
        read -r epoch wall valid <<<"$(grep "\"step\":$step," "$out/log.jsonl" \
            | sed 's/.*"epoch":\([0-9]*\).*"valid_bleu":\([0-9.]*\).*"wall_seconds":\([0-9.]*\).*/\1 \3 \2/')"
        bleu=$("$nmt" translate --checkpoint "$work" --weights best --beam 5 --batch-size 64 --threads 2 <"$test.de" \
            | "$nmt" bleu "$test.en" --lowercase --json | grep '"score"' | sed 's/.*"score": *\([0-9.]*\).*/\1/')
        printf '| %s | %s | %.0f | %.1f | %.1f |\n' "$step" "$epoch" "$wall" "$valid" "$bleu"
        awk -v b="$bleu" -v t="$threshold" 'BEGIN { exit !(b >= t) }' && exit 0
    done
    echo "no kept validation reached $threshold" >&2
    exit 1
    ;;
*) usage ;;
esac
