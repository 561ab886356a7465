#!/usr/bin/env bash
# A bounded load test of nmt serve on 127.0.0.1: wrk (Debian's) posts one sentence per
# request at 1, 8 and 32 concurrent connections for a fixed time each, with dynamic
# batching on (batches of up to 32 sentences, 5 ms wait) and off (--batch-size 1), and
# prints requests/s, sentences/s and the latency percentiles; then one long run at 32
# connections samples the server's resident memory, which must stay flat.
#
#   scripts/load-test.sh CHECKPOINT [SECONDS per run, default 20] [SECONDS of the long run, default 120]
#
# Traffic goes to the loopback address only, and every run stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
checkpoint=${1:?usage: $0 CHECKPOINT [SECONDS] [LONG SECONDS]}
seconds=${2:-20}
long=${3:-120}
command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product nmt >/dev/null 2>&1
out=$(mktemp -d)

# start_server NAME OPTIONS...: nmt serve on a free port; sets $pid and $port.
start_server() {
    local name=$1; shift
    .build/release/nmt serve --checkpoint "$checkpoint" --port 0 "$@" >"$out/$name.log" 2>&1 &
    pid=$!
    port=""
    for _ in $(seq 200); do
        port=$(grep -o '127.0.0.1:[0-9]*' "$out/$name.log" | head -1 | cut -d: -f2 || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$out/$name.log"; exit 1; }
    curl -s -X POST "http://127.0.0.1:$port/translate" -d '{"text": "Hallo."}' >/dev/null  # warm up
}

rss() { awk '/VmRSS/ { print $2 / 1024 }' "/proc/$1/status"; }

echo "| batching | connections | requests/s | sentences/s | p50 ms | p90 ms | p99 ms | batches per 100 requests |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for mode in on off; do
    options=(); [ "$mode" = off ] && options=(--batch-size 1)
    start_server "$mode" "${options[@]}"
    for connections in 1 8 32; do
        before=$(curl -s "http://127.0.0.1:$port/health")
        wrk -t "$(( connections < 2 ? connections : 2 ))" -c "$connections" -d "${seconds}s" --timeout 30s --latency -s scripts/load-test/post.lua \
            "http://127.0.0.1:$port" >"$out/wrk-$mode-$connections.txt"
        after=$(curl -s "http://127.0.0.1:$port/health")
        python3 - "$out/wrk-$mode-$connections.txt" "$mode" "$connections" "$before" "$after" <<'PY'
import json, re, sys
text, mode, connections = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
before, after = json.loads(sys.argv[4]), json.loads(sys.argv[5])
def ms(label):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)" % label, text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
requests = after["requests"] - before["requests"]
batches = after["batches"] - before["batches"]
print(f"| {mode} | {connections} | {rate:.1f} | {rate:.1f} | {ms(50):.0f} | {ms(90):.0f} | {ms(99):.0f} | {100 * batches / max(requests, 1):.0f} |")
PY
    done
    kill -TERM "$pid"; wait "$pid" || true
done

echo
echo "memory over ${long} s at 32 connections (resident MB, sampled every 10 s):"
start_server memory
wrk -t 2 -c 32 -d "${long}s" --timeout 30s -s scripts/load-test/post.lua "http://127.0.0.1:$port" >"$out/wrk-long.txt" &
load=$!
samples=()
while kill -0 "$load" 2>/dev/null; do samples+=("$(rss "$pid")"); sleep 10; done
echo "${samples[*]}"
grep "Requests/sec" "$out/wrk-long.txt"
kill -TERM "$pid"; wait "$pid" || true
rm -rf "$out"
