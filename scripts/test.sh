#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need, builds, tests,
# and ends with one summary line "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Runtime.sln -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Runtime.sln -c Release --no-build -nologo -v quiet --logger "console;verbosity=minimal" 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed! - Failed: a, Passed: b, Skipped: c, Total: d" line per project.
awk '
  /(Passed|Failed)! +- +Failed:/ {
    gsub(/,/, " ");
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1);
      if ($i == "Passed:") p += $(i + 1);
      if ($i == "Skipped:") s += $(i + 1);
    }
    projects++
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s; if (projects == 0) exit 1 }
' "$log" || { echo "test.sh: no test results found" >&2; exit 1; }

exit $status
