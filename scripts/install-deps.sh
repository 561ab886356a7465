#!/usr/bin/env bash
# Installs what the build needs beyond the Swift toolchain: OpenBLAS and pkg-config.
# With --browser, also Chromium and a font for it, which scripts/browser-test.sh drives
# headless to check the alignment viewer, and curl to ask the server; the quick start
# does not need them.
# With --mpi, also Open MPI (its library and mpirun), which scripts/test-distributed.sh
# and `mpirun -np N nmt train` need; nmt loads the library only when mpirun started it.
# With --perf, also Linux's perf, which scripts/profile-training.sh samples a training with.
set -euo pipefail
missing=()
dpkg -s libopenblas-dev >/dev/null 2>&1 || missing+=(libopenblas-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
case "${1:-}" in
    "") ;;
    --browser)
        command -v chromium >/dev/null 2>&1 || missing+=(chromium)
        dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
        command -v curl >/dev/null 2>&1 || missing+=(curl)
        ;;
    --mpi)
        dpkg -s libopenmpi-dev >/dev/null 2>&1 || missing+=(libopenmpi-dev)
        command -v mpirun >/dev/null 2>&1 || missing+=(openmpi-bin)
        ;;
    --perf)
        command -v perf >/dev/null 2>&1 || missing+=(linux-perf)
        ;;
    *) echo "usage: $0 [--browser | --mpi | --perf]" >&2; exit 2 ;;
esac
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
