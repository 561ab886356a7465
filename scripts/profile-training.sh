#!/usr/bin/env bash
# Where a training step's time goes: samples `nmt bench` training a freshly initialised
# model with perf (Debian's linux-perf, installed by `scripts/install-deps.sh --perf`) and
# prints the share of the step in each part of the engine, the table of
# docs/training-profile.md.
#
#   scripts/profile-training.sh [CONFIG] [BATCHES] [THREADS]
#
#   CONFIG    the model and training settings (default configs/multi30k.json)
#   BATCHES   training batches of ../shared/multi30k/train to time (default 40)
#   THREADS   for matrix products and the engine's loops (default 2)
#   PERF_DATA=FILE   read the samples of an earlier run instead of recording anew
#
# Each sample is put in one part by its call stack: the first frame, from the top, of
# OpenBLAS (matrix products) or of the kernel (page faults of fresh memory, or a thread
# waiting), else the innermost of the engine's own functions that names a part. Samples
# of loading the corpus and of decoding (the benchmark decodes one sentence) are counted
# apart and left out of the shares. The raw perf data stay in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-configs/multi30k.json} batches=${2:-40} threads=${3:-2}
scripts/install-deps.sh --perf
data=${PERF_DATA:-}
if [ -z "$data" ]; then
    swift build -c release >/dev/null
    out=$(mktemp -d) data=$out/perf.data
    perf record -F 999 -g -o "$data" -- env -u OPENBLAS_CORETYPE .build/release/nmt bench --model-only \
        --config "$config" --corpus ../shared/multi30k/train --batches "$batches" --sentences 1 \
        --threads "$threads" >"$out/bench.txt" 2>"$out/perf.log"
    grep -E "training|peak" "$out/bench.txt"
    echo "perf data: $data" >&2
fi
perf script -i "$data" 2>/dev/null | awk '
function part(sym, dso) {
    if (dso ~ /openblas/) return "matrix products (OpenBLAS: kernels, packing, scaling C)"
    if (dso ~ /kernel/) {
        if (sym ~ /fault|clear_page|alloc_pages|_mm_|memcg|lru|folio|zap|unmap|munmap|brk|mmap/) return "allocation: fresh pages from the kernel"
        if (sym ~ /sched|futex|yield|switch|idle|wake/) return "threads waiting or waking"
        return ""
    }
    if (sym ~ /sched_yield|futex|pthread_cond|sem_wait|_dispatch_(semaphore|wait|sema4)/) return "threads waiting or waking"
    if (sym ~ /^(malloc|free|cfree|calloc|realloc|_int_malloc|_int_free|__libc_|malloc_consolidate|unlink_chunk|__memset)/) return "allocation: malloc, free, zero fill"
    if (dso ~ /libswiftCore/ && sym ~ /retain|release|[Aa]lloc|isUniquelyReferenced|beginAccess|endAccess/) return "graph building and the backward walk"
    # The benchmark functions name the corpus and the translator among the types of their
    # parameters: their frames decide nothing.
    if (sym !~ /ModelBenchmark/) {
        if (sym ~ /WordTokenizer|ParallelCorpus|Vocabulary|TrainingData|BytePair|BatcherV5epoch|LineReader|makeModel|_dl_|dl_main/) return "SETUP"
        if (sym ~ /GreedySearch|BeamSearch|Translator|greedy|beam/) return "DECODING"
    }
    if (dso ~ /\/nmt[^\/]*\)/) {
        if (sym ~ /PackedWeight/) return "matrix products (packed weights: the kernel, packing)"
        if (sym ~ /Adam|gradientNorm|addReplicaGradients|sumOfSquares/) return "Adam, gradient clipping, the sum of the replica gradients"
        if (sym ~ /linearCrossEntropy|crossEntropy|rowLogSumExp|rowExponentialSum|exponentiateRow|oftmax/) return "softmax and cross-entropy"
        if (sym ~ /8backward|TensorC[a-z0-9_]*fC|TensorCfD|TensorCMa/) return "graph building and the backward walk"
        return "elementwise and data movement (LSTM cell, attention, sums, copies)"
    }
    return ""
}
function finish() {
    if (n == 0) return
    # Frames above the training step (the benchmark, main) name no part; a stack without
    # the step (an OpenBLAS or GCD worker thread, or a stack cut short) is still one of
    # the step unless it is loading the corpus or decoding.
    top = n
    for (i = 1; i <= n; i++) if (syms[i] ~ /trainingStep|ModelReplicasV9gradients/) { top = i; break }
    chosen = ""
    if (top == n) for (i = 1; i <= n; i++) {
        p = part(syms[i], dsos[i])
        if (p == "SETUP" || p == "DECODING") { chosen = p; break }
    }
    for (i = 1; i <= top && chosen == ""; i++) {          # from the leaf up
        p = part(syms[i], dsos[i])
        if (p != "SETUP" && p != "DECODING") chosen = p
    }
    if (chosen == "") chosen = (dsos[1] ~ /libswiftCore/) ? "graph building and the backward walk" : "other"
    total[chosen]++
    n = 0
}
/^[^ \t]/ { finish(); next }
/^[ \t]+[0-9a-f]+ / { n++; syms[n] = $2; dsos[n] = $NF; next }
END {
    finish()
    for (p in total) if (p != "SETUP" && p != "DECODING") step += total[p]
    printf "| part of a training step | share of samples |\n| --- | ---: |\n"
    for (p in total) if (p != "SETUP" && p != "DECODING") printf "| %s | %.1f%% |\n", p, 100 * total[p] / step | "sort -t\"|\" -k3 -rn"
    close("sort -t\"|\" -k3 -rn")
    printf "\n%d samples in the steps; %d in setup and %d in decoding left out\n", step, total["SETUP"], total["DECODING"]
}'
