#!/usr/bin/env bash
# Runs every test project and prints one closing summary line: "tests: N passed, N failed, N skipped". The counts are
# summed from the TRX result files the run writes, so they are right whatever --verbosity or logger is passed through.
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d "${TMPDIR:-/tmp}/wavelet-test-results-XXXXXX")
trap 'rm -rf "$results"' EXIT
dotnet test Wavelet.Operator.sln -c Release --nologo --logger trx --results-directory "$results" "$@"
status=$?
# One .trx per test project (default names: the logger numbers a name that is taken); its <Counters> element holds the
# totals, where a skipped test is counted in total but not in executed.
find "$results" -name '*.trx' -print0 | xargs -0 -r cat | awk '
  /<Counters / {
    for (i = 1; i <= NF; i++) {
      split($i, kv, "=")
      gsub(/[^0-9]/, "", kv[2])
      if (kv[1] == "passed") p += kv[2]
      else if (kv[1] == "failed" || kv[1] == "error" || kv[1] == "timeout" || kv[1] == "aborted") f += kv[2]
      else if (kv[1] == "total") s += kv[2]
      else if (kv[1] == "executed") s -= kv[2]
    }
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }'
exit "$status"
