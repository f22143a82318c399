#!/usr/bin/env bash
# Runs the Bedrot data-lake build: ./build.sh [--target <step>] [--lake DIR] [--landing DIR] ...
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK is required (dotnet was not found on PATH); install it from your package manager or dot.net." >&2
  exit 127
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export BEDROT_CALLER_DIR="${BEDROT_CALLER_DIR:-$PWD}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The runtime's default (workstation) garbage collection: since staging and unify stopped making
# objects per value, server collection no longer makes items staged in parallel faster (200 bank
# exports: 8.2-8.9 s against 8.6-9.2 s) and lets unify's peak memory grow by a third. Set
# DOTNET_gcServer=1 to compare.
# No dynamic PGO: a daily run lasts seconds, and most of it ran in the instrumented code that PGO
# profiles before it recompiles (staging a 1,000,000-row bank export: 2.8-2.9 s without, 3.4-3.7 s
# with). A long backfill gains from it (a 5,000,000-row export: 11.2-11.4 s with, 11.9-13.5 s
# without): set DOTNET_TieredPGO=1 for one.
export DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}"
cd "$root"

dotnet tool restore >/dev/null
# The library is compiled ahead of time for this machine (ReadyToRun) into bin/pipeline, where the
# task graph loads it from: a daily run spends much of its time in code it runs once, which would
# otherwise be compiled as it first runs (a rerun that does nothing over 10,000 files: 0.87-0.91 s
# against 0.95-1.00 s). The loops over every row of a file are marked AggressiveOptimization, which
# leaves them to the JIT: compiled ahead of time they could not inline across assemblies. Where
# ReadyToRun cannot be done, the same folder gets the plain build.
publish() {
  dotnet publish src/Bedrot.DataLake/Bedrot.DataLake.csproj -c Release --use-current-runtime --self-contained false \
    -o src/Bedrot.DataLake/bin/pipeline -nologo "$@"
}
# Built only when a source of the library, or a folder of them (a file added or removed), is newer
# than the last build: MSBuild's own check that nothing changed takes over a second, most of a
# rerun that has nothing to do.
built=src/Bedrot.DataLake/bin/pipeline/Bedrot.DataLake.dll
if [ ! -f "$built" ] || [ -n "$(find src/Bedrot.DataLake Directory.Build.props Directory.Packages.props global.json \
    \( -name bin -o -name obj \) -prune -o -newer "$built" -print 2>/dev/null | head -n 1)" ]; then
  publish -p:PublishReadyToRun=true -v quiet -clp:NoSummary >/dev/null 2>&1 \
    || publish -p:PublishReadyToRun=false -v quiet -clp:NoSummary >/dev/null \
    || publish -p:PublishReadyToRun=false -v quiet
  touch "$built"
fi

# The task graph is compiled once and kept (Cake's script cache: a rerun saves about 2 s), in a folder
# named by the checksum of the library it calls, so a rebuilt library gets a freshly compiled graph.
library="$(cksum < src/Bedrot.DataLake/bin/pipeline/Bedrot.DataLake.dll | cut -d' ' -f1)"
mkdir -p build/tools/cache
find build/tools/cache -mindepth 1 -maxdepth 1 ! -name "$library" -exec rm -rf {} +
export CAKE_SETTINGS_ENABLESCRIPTCACHE="${CAKE_SETTINGS_ENABLESCRIPTCACHE:-true}"
export CAKE_PATHS_CACHE="$root/build/tools/cache/$library"
exec dotnet cake build/build.cake "$@"
