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
dotnet build src/Bedrot.DataLake/Bedrot.DataLake.csproj -c Release -nologo -v quiet -clp:NoSummary >/dev/null \
  || dotnet build src/Bedrot.DataLake/Bedrot.DataLake.csproj -c Release -nologo -v quiet
exec dotnet cake build/build.cake "$@"
