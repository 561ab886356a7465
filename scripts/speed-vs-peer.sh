#!/usr/bin/env bash
# Speed and memory of `nmt bench` beside the PyTorch peer (../shared/peers), measured one
# after the other in one run, 2 threads each, and printed as the README's tables.
#
#   scripts/speed-vs-peer.sh PEER_PYTHON PEER_WEIGHTS CHECKPOINT [WEIGHTS]
#
#   PEER_PYTHON   the python of the peer's virtual environment (../shared/peers/README.md)
#   PEER_WEIGHTS  weights saved by the peer's --save: decoding speed needs a trained model
#   CHECKPOINT    our trained Multi30k checkpoint folder, decoded with WEIGHTS (best, last
#                 or averaged; default best)
#   PEER_WEIGHTS and CHECKPOINT both `-`: the RNN decoding rows are left out
#
# Training throughput is timed on 40 batches of freshly initialised models at two sizes:
# configs/multi30k.json and configs/small.json (the peer's --emb 64 --enc-hid 128
# --dec-hid 128 --attn 64 --batch 32). Decoding is test2016's 1,000 sentences.
# Every peer line carries the share of the CPU other processes used: rerun when it is
# not near 0%. Raw outputs are kept in a temporary folder, named at the end.
#
# With PEER_TRANSFORMER (weights saved by torch_transformer.py's --save) and TRANSFORMER
# (our trained Transformer checkpoint folder) set, the Transformer rows follow: training on
# 40 batches at the peer's defaults (configs/multi30k-transformer-words.json: words, batches
# of 64 sentences, d 256, 8 heads, 3+3 layers, feed-forward 1,024, untied output), greedy
# decoding at batch 64 and beam 5 of test2016, peak memory; with JOEY_LOG (the train.log of
# Joey NMT's transformer.yaml, ../shared/peers/README.md) also Joey's settled tokens/s, the
# median of its last ten (or fewer) `Tokens per Sec` lines.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { sed -n '5,11p' "$0" >&2; exit 2; }
python=$1 peer_weights=$2 checkpoint=$3 weights=${4:-best}
rnn_decoding=true
[ "$peer_weights" = - ] && [ "$checkpoint" = - ] && rnn_decoding=false
M=../shared/multi30k
peer=../shared/peers/torch_seq2seq.py
out=$(mktemp -d)

swift build -c release >/dev/null
# Debian's OpenBLAS picks its kernels from OPENBLAS_CORETYPE; unset, nmt sets it for this CPU.
nmt() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .build/release/nmt "$@"; }
small=(--emb 64 --enc-hid 128 --dec-hid 128 --attn 64 --batch 32)

echo "raw outputs: $out" >&2
"$python" "$peer" --max-batches 40 --threads 2 "${small[@]}" >"$out/peer-small.txt" 2>&1
nmt bench --model-only --config configs/small.json --corpus $M/train --batches 40 --sentences 1 >"$out/ours-small.txt"
"$python" "$peer" --max-batches 40 --threads 2 >"$out/peer-multi30k.txt" 2>&1
nmt bench --model-only --config configs/multi30k.json --corpus $M/train --batches 40 --sentences 1 >"$out/ours-multi30k.txt"
if $rnn_decoding; then
    "$python" "$peer" --epochs 0 --threads 2 --load "$peer_weights" --beam 5 --decode-batch1 >"$out/peer-decoding.txt" 2>&1
    nmt bench --model-only --config configs/multi30k.json --corpus $M/train --batches 1 --threads 2 \
        --checkpoint "$checkpoint" --weights "$weights" --decode-corpus $M/test_2016_flickr --sentences 1000 \
        >"$out/ours-decoding.txt"
fi
transformer=${TRANSFORMER:-} peer_transformer=${PEER_TRANSFORMER:-}
with_transformer=false
[ -n "$transformer" ] && [ -n "$peer_transformer" ] && with_transformer=true
if $with_transformer; then
    tf_peer=../shared/peers/torch_transformer.py
    "$python" "$tf_peer" --max-batches 40 --threads 2 >"$out/peer-transformer.txt" 2>&1
    nmt bench --model-only --config configs/multi30k-transformer-words.json --corpus $M/train --batches 40 \
        --sentences 1 >"$out/ours-transformer.txt"
    "$python" "$tf_peer" --epochs 0 --threads 2 --load "$peer_transformer" --beam 5 \
        >"$out/peer-transformer-decoding.txt" 2>&1
    nmt bench --model-only --config configs/multi30k-transformer-words.json --corpus $M/train --batches 1 \
        --threads 2 --checkpoint "$transformer" --weights "$weights" --decode-corpus $M/test_2016_flickr \
        --sentences 1000 >"$out/ours-transformer-decoding.txt"
fi

# The number after the first line that starts with the label, in our output; fields of the peer's lines.
ours() { grep -F -- "$2" "$out/$1" | head -1 | sed 's/.*: //; s/ .*//'; }
peer_train() { grep '^TRAIN' "$out/$1" | sed 's/.*= \([0-9.]*\) tgt tok\/s; peak_rss=\([0-9]*\)MB/\1 \2/'; }
peer_decode() { grep "^DECODE $2" "$out/$1" | sed 's/.* = \([0-9.]*\) sent\/s.*/\1/'; }
# The peer prints output tokens/s with `</s>` counted; its mean length is that over sentences/s, less one.
peer_length() {
    grep '^DECODE greedy batch=64' "$out/$1" \
        | sed 's/.*= \([0-9.]*\) sent\/s, \([0-9]*\) out tok\/s.*/\1 \2/' | awk '{ printf "%.2f", $2 / $1 - 1 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
# Table rows "name|our label|peer label" of decoding speed, from our file $1 and the peer's $2.
decoding_rows() {
    local ours_file=$1 peer_file=$2 row name label peer_label speed peer_speed
    shift 2
    for row in "$@"; do
        IFS='|' read -r name label peer_label <<<"$row"
        speed=$(ours "$ours_file" "$label") peer_speed=$(peer_decode "$peer_file" "$peer_label")
        echo "| $name | $speed | $peer_speed | $(ratio "$speed" "$peer_speed") |"
    done
}
# "ours X, peer Y": greedy mean output lengths at batch 64.
mean_lengths() {
    echo "ours $(ours "$1" "greedy decoding (batch 64), mean output length"), peer $(peer_length "$2")"
}

echo "| size | ours, target tokens/s | peer | ratio | peak memory, ours / peer (MB) |"
echo "| --- | ---: | ---: | ---: | ---: |"
for size in multi30k small; do
    read -r peer_speed peer_memory <<<"$(peer_train peer-$size.txt)"
    speed=$(ours ours-$size.txt "training, target tokens/s") memory=$(ours ours-$size.txt "peak resident memory")
    echo "| $size | $speed | $peer_speed | $(ratio "$speed" "$peer_speed") | $memory / $peer_memory |"
done
if $rnn_decoding; then
    echo
    echo "| decoding test2016, sentences/s | ours | peer | ratio |"
    echo "| --- | ---: | ---: | ---: |"
    decoding_rows ours-decoding.txt peer-decoding.txt \
        "greedy, batch 64|greedy decoding (batch 64)|greedy batch=64" \
        "greedy, batch 1|greedy decoding (batch 1)|greedy batch=1 " \
        "beam 5 (ours batch 64, the peer one at a time)|beam-5 decoding (batch 64)|beam=5"
    echo
    echo "greedy mean output length (tokens, </s> not counted): $(mean_lengths ours-decoding.txt peer-decoding.txt)"
fi
if $with_transformer; then
    echo
    echo "| Transformer | ours | PyTorch peer | ratio |"
    echo "| --- | ---: | ---: | ---: |"
    read -r peer_speed peer_memory <<<"$(peer_train peer-transformer.txt)"
    training=$(ours ours-transformer.txt "training, target tokens/s") memory=$(ours ours-transformer.txt "peak resident memory")
    echo "| training, target tokens/s | $training | $peer_speed | $(ratio "$training" "$peer_speed") |"
    echo "| peak memory while training, MB | $memory | $peer_memory | $(ratio "$memory" "$peer_memory") |"
    decoding_rows ours-transformer-decoding.txt peer-transformer-decoding.txt \
        "greedy, batch 64, sentences/s|greedy decoding (batch 64)|greedy batch=64" \
        "beam 5 (ours batch 64, the peer one at a time), sentences/s|beam-5 decoding (batch 64)|beam=5"
    if [ -n "${JOEY_LOG:-}" ]; then
        # The median of up to ten last lines (the mean of the middle two when their number is even).
        joey=$(grep -o 'Tokens per Sec: *[0-9.]*' "$JOEY_LOG" | tail -10 | sed 's/.*: *//' | sort -n \
            | awk '{ v[NR] = $1 } END { if (NR) printf "%.0f", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }')
        [ -n "$joey" ] || { echo "$JOEY_LOG: no 'Tokens per Sec' line" >&2; exit 1; }
        echo "| training against Joey NMT 2.3 (its log), target tokens/s | $training | $joey | $(ratio "$training" "$joey") |"
    fi
    echo
    echo "Transformer greedy mean output length (tokens, </s> not counted):" \
         "$(mean_lengths ours-transformer-decoding.txt peer-transformer-decoding.txt)"
fi
grep -h "other-proc" "$out"/peer-*.txt | sed 's/.*other-proc CPU=\([0-9]*%\).*/peer line with other processes at \1/' | sort | uniq -c
