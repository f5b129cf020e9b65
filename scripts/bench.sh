#!/usr/bin/env bash
# Runs the benchmarks (BenchmarkDotNet) and leaves their reports in BenchmarkDotNet.Artifacts/.
# Results worth keeping are copied by hand into docs/benchmarks.md with the machine they ran on.
# Extra arguments go to BenchmarkDotNet, e.g. ./scripts/bench.sh --filter '*StoreApply*'
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ $# -eq 0 ]; then set -- --filter '*'; fi
dotnet run -c Release --project bench/Runtime.Benchmarks -- "$@"
