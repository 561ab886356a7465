#!/usr/bin/env bash
# The attention family compared on Multi30k: trains the RNN once per attention kind with
# one recipe (configs/multi30k-bpe.json, the kind the only difference, the epochs capped
# alike), then a second seed of the kinds named in SEEDED, and puts them side by side
# with `nmt evaluate --compare` (test2016, beam 5, the better of best and averaged
# weights on the validation set).
#
#   scripts/compare-attention.sh [RUNS]
#
#   RUNS     folder for the checkpoints and the report (default /work/runs/attention);
#            a training stopped half-way (Ctrl-C, or the machine lost) resumes from it
#   EPOCHS   epochs of every training (default 12, the recipe's own)
#   JOBS     trainings at once, one thread each (default 2, for 2 cores)
#   KINDS    the kinds (default all eight)
#   SEEDED   kinds trained again with --seed 2 (default "additive")
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-/work/runs/attention}
epochs=${EPOCHS:-12} jobs=${JOBS:-2}
kinds=${KINDS:-"additive dot general scaled-dot multi-head location local none"}
seeded=${SEEDED:-additive}
M=../shared/multi30k
mkdir -p "$runs"
scripts/install-deps.sh
swift build -c release --product nmt >/dev/null
# The trainings run a copy, so that a rebuild meanwhile does not pull the program from under them.
nmt=$runs/nmt
cp .build/release/nmt "$nmt"

# One training, resumed if its folder holds an unfinished one; a finished one is kept.
train() {
    local kind=$1 seed=$2 folder=$3
    [ -e "$folder/finished" ] && return 0
    local how=(--overwrite)
    [ -e "$folder/last.optim.safetensors" ] && how=(--resume)
    "$nmt" train --config configs/multi30k-bpe.json --attention "$kind" --seed "$seed" \
        --epochs "$epochs" --threads 1 --train $M/train --valid $M/val --test '' \
        --out "$folder" "${how[@]}" >"$folder.log" 2>&1 && touch "$folder/finished"
}
export -f train
export nmt epochs M

folders=()
for kind in $kinds; do folders+=("$runs/$kind"); done
for kind in $seeded; do folders+=("$runs/$kind-seed2"); done
{
    for kind in $kinds; do echo "$kind 1 $runs/$kind"; done
    for kind in $seeded; do echo "$kind 2 $runs/$kind-seed2"; done
} | xargs -P "$jobs" -L 1 bash -c 'train "$@" || echo "training $3 failed: see $3.log" >&2' _

compare=()
for f in "${folders[@]:1}"; do compare+=(--compare "$f"); done
.build/release/nmt evaluate --checkpoint "${folders[0]}" "${compare[@]}" --valid $M/val \
    --test $M/test_2016_flickr --beam 5 --threads 2 --out "$runs/report"
