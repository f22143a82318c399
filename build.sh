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
# Server garbage collection: staging allocates heavily, and items staged in parallel (--parallelism)
# only gain from the second core when each core collects its own heap.
export DOTNET_gcServer="${DOTNET_gcServer:-1}"
cd "$root"

dotnet tool restore >/dev/null
dotnet build src/Bedrot.DataLake/Bedrot.DataLake.csproj -c Release -nologo -v quiet -clp:NoSummary >/dev/null \
  || dotnet build src/Bedrot.DataLake/Bedrot.DataLake.csproj -c Release -nologo -v quiet
exec dotnet cake build/build.cake "$@"
