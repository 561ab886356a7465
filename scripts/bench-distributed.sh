#!/usr/bin/env bash
# Data-parallel speed at the Multi30k size (docs/distributed.md): training target tokens
# per second of the whole job, and the all-reduce's time per step, for
#   1 process × 2 threads, 2 processes × 1 thread on this machine, and 2 processes on two
#   "hosts" simulated by network namespaces joined by a veth pair (unlimited, then
#   limited to 1 Gbit/s with tc), so that the network's cost is seen.
# Each run trains for SECONDS (default 60) and is stopped with SIGUSR1, which mpirun passes
# on without killing, so that every run saves and reports. Needs root (for
# the namespaces), Open MPI (install-deps.sh --mpi), a release build, ../shared/multi30k.
# The namespaces nmt-a and nmt-b, their addresses 10.231.0.1 and .2 and the link are
# made here and removed at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
nmt=$PWD/.build/release/nmt
data=$PWD/../shared/multi30k
[ -f "$data/train.de" ] || { echo "skipped: $data is absent"; exit 0; }
work=$(mktemp -d)
cleanup() { ip netns del nmt-a 2>/dev/null; ip netns del nmt-b 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
args=(train --config "$PWD/configs/multi30k.json" --train "$data/train" --valid "$data/val" --test '' --epochs 1)
# (SIGTERM would do for one process, but Open MPI kills its processes 1 s after passing
# SIGTERM on, before a step of this size ends.)
mpi=(mpirun --allow-run-as-root --oversubscribe)

runs=0
measure() {  # NAME THREADS COMMAND... (the command that runs nmt, without its arguments)
    local name=$1 threads=$2 run=$work/run$((runs += 1))
    shift 2
    "$@" "${args[@]}" --threads "$threads" --out "$run" 2>"$run.err" &
    local pid=$!
    sleep "$seconds"
    kill -USR1 $pid
    wait $pid
    local tokens reduce
    tokens=$(grep -o '[0-9]* tokens/s' "$run.err" | tail -1)
    reduce=$(grep -o 'all-reduce of the gradients: [0-9.]* ms' "$run.err" | tail -1 | grep -o '[0-9.]* ms')
    grep -q "continue with --resume" "$run.err" || { echo "$name did not stop cleanly:"; tail -n 3 "$run.err"; }
    echo "$name: ${tokens:-no step finished}${reduce:+, all-reduce $reduce per step}  (load: $(cut -d' ' -f1-3 /proc/loadavg))"
}

measure "1 process x 2 threads" 2 "$nmt"
grep -o '[0-9]* parameters' "$work/run1.err" | head -1
measure "2 processes x 1 thread" 1 "${mpi[@]}" -np 2 "$nmt"

# Two hosts: mpirun runs in nmt-a and reaches nmt-b through an "ssh" that enters it.
ip netns add nmt-a && ip netns add nmt-b
ip link add veth-nmt-a type veth peer name veth-nmt-b
ip link set veth-nmt-a netns nmt-a && ip link set veth-nmt-b netns nmt-b
ip -n nmt-a addr add 10.231.0.1/24 dev veth-nmt-a && ip -n nmt-b addr add 10.231.0.2/24 dev veth-nmt-b
for ns in nmt-a nmt-b; do ip -n $ns link set lo up; ip -n $ns link set veth-$ns up; done
cat >"$work/netns-rsh" <<'RSH'
#!/bin/bash
host=$1; shift
case $host in 10.231.0.1) ns=nmt-a ;; 10.231.0.2) ns=nmt-b ;; *) echo "unknown host $host" >&2; exit 1 ;; esac
exec ip netns exec "$ns" sh -c "$*"
RSH
chmod +x "$work/netns-rsh"
hosts=(ip netns exec nmt-a "${mpi[@]}" --mca plm_rsh_agent "$work/netns-rsh" --host 10.231.0.1,10.231.0.2 -np 2
       --mca btl tcp,self --mca btl_tcp_if_include 10.231.0.0/24 --mca oob_tcp_if_include 10.231.0.0/24 "$nmt")
measure "2 hosts (netns, veth) x 1 thread" 1 "${hosts[@]}"
for ns in nmt-a nmt-b; do tc -n $ns qdisc add dev veth-$ns root tbf rate 1gbit burst 256kb latency 100ms; done
measure "2 hosts (netns, veth at 1 Gbit/s) x 1 thread" 1 "${hosts[@]}"
