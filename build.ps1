# Runs the Bedrot data-lake build: ./build.ps1 --target <step> [--lake DIR] [--landing DIR] ...
$ErrorActionPreference = 'Stop'
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error "build.ps1: the .NET 10 SDK is required (dotnet was not found on PATH); install it from dot.net."
    exit 127
}
if (-not $env:BEDROT_CALLER_DIR) { $env:BEDROT_CALLER_DIR = (Get-Location).Path }
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'
# Server garbage collection, as build.sh: parallel staging gains from the second core only with it.
if (-not $env:DOTNET_gcServer) { $env:DOTNET_gcServer = '1' }
Push-Location $PSScriptRoot
try {
    dotnet tool restore | Out-Null
    dotnet build src/Bedrot.DataLake/Bedrot.DataLake.csproj -c Release -nologo -v quiet
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    dotnet cake build/build.cake @args
    exit $LASTEXITCODE
}
finally { Pop-Location }
