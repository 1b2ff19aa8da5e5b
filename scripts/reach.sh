#!/usr/bin/env bash
# Measures which lines and branches of src/ConvRef are reached (coverlet, cobertura) by
#   1. the default sweep alone (`convcompare run` with no options, run in-process by the opt-in test
#      DefaultSweepReachTests), and
#   2. the whole test suite (`dotnet test`),
# then prints the figures per folder and per file, and every line of the 2-D convolution's files that
# the default sweep does not reach. Usage: scripts/reach.sh [results-folder] (default TestResults/reach).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-TestResults/reach}"
rm -rf "$out"
mkdir -p "$out"
dotnet build tests/ConvCompare.Tests
CONVCOMPARE_REACH=1 dotnet test tests/ConvCompare.Tests --no-build --settings scripts/coverage.runsettings \
    --collect "XPlat Code Coverage" --results-directory "$out/sweep" --filter "FullyQualifiedName~DefaultSweepReachTests"
dotnet test tests/ConvCompare.Tests --no-build --settings scripts/coverage.runsettings \
    --collect "XPlat Code Coverage" --results-directory "$out/suite"
python3 scripts/reach_summary.py "$out"/sweep/*/coverage.cobertura.xml "$out"/suite/*/coverage.cobertura.xml
