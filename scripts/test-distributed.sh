#!/usr/bin/env bash
# The distributed tests: data-parallel training under Open MPI (docs/distributed.md).
#
# 1. Equivalence: with dropout off and one thread per process, 2 processes at batch 16
#    follow the losses of 1 process at batch 32, and end with the same weights, to a
#    relative 1e-4 (only the order of floating-point sums differs).
# 2. Resume: a 2-process run stopped by SIGTERM or SIGUSR1 to mpirun and resumed with
#    --resume ends exactly (bitwise) where an uninterrupted 2-process run ends.
# 3. Failure: a rank that fails, or is killed, stops the job with its message, never a hang;
#    a corpus missing or different on one rank is named by that rank, before any folder
#    is made.
#
# Installs Open MPI with install-deps.sh --mpi; prints PASS or FAIL for each, then
# "distributed: N passed, N failed", and exits non-zero if any failed. scripts/test.sh
# runs it on its debug build (NMT=.build/debug/nmt).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --mpi || exit 1
# NMT: the binary to test (the test suite passes its debug build); else a release build.
if [ -n "${NMT:-}" ]; then nmt=$NMT; else swift build -c release --product nmt || exit 1; nmt=.build/release/nmt; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The first 640 training and 100 validation pairs of the bundled corpus: small enough
# for a debug build, large enough for several steps and validations.
for side in de en; do
    head -n 640 data/train.$side >"$work/train.$side"
    head -n 100 data/valid.$side >"$work/valid.$side"
done
mpirun=(mpirun --oversubscribe -np 2)
[ "$(id -u)" -eq 0 ] && mpirun=(mpirun --allow-run-as-root --oversubscribe -np 2)
# A small model on the bundled corpus; the schedule never changes the learning rate, so
# that a validation BLEU that differs by a hair cannot make the runs part ways.
small=(--train "$work/train" --valid "$work/valid" --test '' --dropout 0 --label-smoothing 0 --threads 1 --seed 7 --validate-every 5
       --embedding-size 16 --encoder-hidden-size 16 --decoder-hidden-size 16 --attention-size 16
       --patience 1000 --decay-patience 1000 --average-last 0)
passes=0 failures=0
result() {  # NAME STATUS
    if [ "$2" -eq 0 ]; then echo "PASS: $1"; passes=$((passes + 1)); else echo "FAIL: $1"; failures=$((failures + 1)); fi
}

echo "== equivalence: 1 process at batch 32, 2 processes at batch 16"
$nmt train "${small[@]}" --epochs 1 --batch-size 32 --out "$work/one" 2>"$work/one.err"
one=$?
timeout 600 "${mpirun[@]}" $nmt train "${small[@]}" --epochs 1 --batch-size 16 --out "$work/two" 2>"$work/two.err"
two=$?
if [ $one -eq 0 ] && [ $two -eq 0 ]; then
    scripts/compare-runs.py "$work/one" "$work/two" 1e-4
    result "2 processes at batch 16 = 1 process at batch 32 (relative 1e-4)" $?
else
    tail -n 5 "$work/one.err" "$work/two.err"
    result "the equivalence runs ran (exit statuses $one and $two)" 1
fi

echo "== resume: 2-process runs stopped by SIGTERM and by SIGUSR1 and resumed, against an uninterrupted one"
timeout 600 "${mpirun[@]}" $nmt train "${small[@]}" --epochs 2 --batch-size 16 --out "$work/whole" 2>"$work/whole.err"
whole=$?
for sig in TERM USR1; do
    "${mpirun[@]}" $nmt train "${small[@]}" --epochs 2 --batch-size 16 --out "$work/$sig" 2>"$work/$sig.err" &
    job=$!
    for _ in $(seq 600); do [ -s "$work/$sig/log.jsonl" ] && break; sleep 0.1; done
    kill -$sig $job
    wait $job
    # mpirun's own status after a SIGTERM is not the processes': the note says they saved.
    grep -q "continue with --resume" "$work/$sig.err"
    stopped=$?
    timeout 600 "${mpirun[@]}" $nmt train --resume --train "$work/train" --valid "$work/valid" --test '' \
        --out "$work/$sig" 2>>"$work/$sig.err"
    resumed=$?
    if [ $whole -eq 0 ] && [ $stopped -eq 0 ] && [ $resumed -eq 0 ]; then
        grep "resuming" "$work/$sig.err"
        scripts/compare-runs.py "$work/$sig" "$work/whole" 0
        result "stopped by SIG$sig and resumed = uninterrupted, bitwise" $?
    else
        tail -n 5 "$work/whole.err" "$work/$sig.err"
        result "the SIG$sig resume runs ran (whole run $whole, stop note found $stopped, resumed $resumed; 0 is success)" 1
    fi
done

echo "== a process killed mid-training (kill -9 on rank 1) ends the job, no hang"
"${mpirun[@]}" $nmt train "${small[@]}" --epochs 1000 --out "$work/killed" 2>"$work/killed.err" &
job=$!
for _ in $(seq 600); do [ -s "$work/killed/log.jsonl" ] && break; sleep 0.1; done
rank1=$(for p in $(pgrep -f "train .*--out $work/killed"); do
    tr '\0' '\n' </proc/$p/environ 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1" && echo $p; done | head -1)
kill -9 $rank1
waited=0
while kill -0 $job 2>/dev/null && [ $waited -lt 600 ]; do sleep 0.1; waited=$((waited + 1)); done
kill -0 $job 2>/dev/null && kill -9 $job
wait $job
ended=$?
grep -m1 "rank 1" "$work/killed.err"
[ -n "$rank1" ] && [ $waited -lt 600 ] && [ $ended -ne 0 ] && grep -q "rank 1" "$work/killed.err"
result "killing rank 1 ended the job within $((waited / 10)) s, exit status $ended, mpirun naming rank 1" $?

echo "== failure: rank 0 refuses a folder that holds a training; the job ends, no hang"
timeout 120 "${mpirun[@]}" $nmt train "${small[@]}" --epochs 1 --out "$work/one" 2>"$work/fail.err"
failed=$?
cat "$work/fail.err" | grep "^error: rank" | head -3
[ $failed -ne 0 ] && [ $failed -ne 124 ] && grep -q "^error: rank 0: .*already holds a training" "$work/fail.err"
result "a failing rank ends the job with its message (exit status $failed)" $?

echo "== a corpus missing or different on one rank stops the job before any folder is made"
head -n 100 "$work/train.de" >"$work/short.de"
head -n 100 "$work/train.en" >"$work/short.en"
for case in short missing; do
    timeout 120 "${mpirun[@]:0:${#mpirun[@]}-2}" -np 1 $nmt train "${small[@]}" --epochs 1 --out "$work/$case-run" \
        : -np 1 $nmt train "${small[@]}" --epochs 1 --out "$work/$case-run" --train "$work/$case" \
        2>"$work/$case.err"
    failed=$?
    grep "^error: rank" "$work/$case.err" | head -1
    expected="rank 0: $work/train.de: rank 1 read another corpus here (100 pairs against rank 0's 640)"
    [ $case = missing ] && expected="rank 1: $work/missing.de: no such file"
    [ $failed -ne 0 ] && [ $failed -ne 124 ] && [ ! -e "$work/$case-run" ] \
        && grep -q "^error: $expected" "$work/$case.err"
    result "a $case corpus on rank 1 is named and leaves no folder (exit status $failed)" $?
done

echo "distributed: $passes passed, $failures failed"
[ $failures -eq 0 ]
