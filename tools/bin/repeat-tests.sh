#!/usr/bin/env bash
# Runs the given Vitest files N times in a row and stops at the first failing run.
#   repeat-tests.sh 10 server/test/faults
set -uo pipefail
runs="${1:?number of runs}"
shift
passed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if node_modules/.bin/vitest run "$@" >".cache/repeat-run-$i.log" 2>&1; then
    passed=$((passed + 1))
    echo "run $i: passed in $(($(date +%s) - start)) s"
  else
    echo "run $i: FAILED after $(($(date +%s) - start)) s (log: .cache/repeat-run-$i.log)"
    echo "repeat: $passed passed, 1 failed"
    exit 1
  fi
done
echo "repeat: $passed passed, 0 failed"
