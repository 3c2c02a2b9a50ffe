#!/bin/sh
# run-or-skip.sh PYTHON TEST.py - runs a Python test, or reports the whole
# test as skipped (TAP) when there is no python3 to run it with.
if [ "$1" = no ] || ! command -v "$1" >/dev/null 2>&1; then
    echo "1..0 # SKIP python3 not found (apt-get install python3)"
    exit 0
fi
exec "$@"
