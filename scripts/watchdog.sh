#!/usr/bin/env bash
# Runs a command with a time limit, so that a hang fails in minutes and says where it
# hangs, instead of running until CI's limit and saying nothing:
#
#   scripts/watchdog.sh SECONDS COMMAND [ARGUMENTS...]
#
# The command runs in a session of its own (swift test starts the test process as a
# child of its own, which a plain timeout would leave running). If it is still running
# after SECONDS, every process of that session has the backtrace of each of its threads
# printed (with gdb, when it is installed), is killed (the whole session), and the script exits with 124.
# Otherwise it exits with the command's status.
set -uo pipefail
limit=$1
shift
setsid "$@" &
leader=$!
trap 'pkill -TERM -s "$leader"' INT TERM
for ((waited = 0; waited < limit; waited++)); do
    if ! kill -0 "$leader" 2>/dev/null; then
        wait "$leader"
        exit $?
    fi
    sleep 1
done
echo "watchdog: '$*' still running after $limit s; the threads of each of its processes:" >&2
for pid in $(pgrep -s "$leader"); do
    command=$(tr '\0' ' ' 2>/dev/null </proc/"$pid"/cmdline | cut -c1-200) || continue
    echo "== process $pid: $command" >&2
    if command -v gdb >/dev/null; then
        gdb -p "$pid" -batch -ex "thread apply all bt 20" 2>/dev/null | grep -E '^(Thread|#)' >&2
    fi
done
pkill -KILL -s "$leader"
exit 124
