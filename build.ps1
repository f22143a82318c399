# Runs the Bedrot data-lake build: ./build.ps1 --target <step> [--lake DIR] [--landing DIR] ...
# The same steps as build.sh; see the comments there for why each setting is chosen.
$ErrorActionPreference = 'Stop'
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error "build.ps1: the .NET 10 SDK is required (dotnet was not found on PATH); install it from dot.net."
    exit 127
}
if (-not $env:BEDROT_CALLER_DIR) { $env:BEDROT_CALLER_DIR = (Get-Location).Path }
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
# Workstation garbage collection (the runtime's default) and no dynamic PGO, as build.sh.
if (-not $env:DOTNET_TieredPGO) { $env:DOTNET_TieredPGO = '0' }
Push-Location $PSScriptRoot
try {
    dotnet tool restore | Out-Null
    # The library, compiled ahead of time for this machine (ReadyToRun) where that can be done,
    # into the folder the task graph loads it from.
    $publish = @('publish', 'src/Bedrot.DataLake/Bedrot.DataLake.csproj', '-c', 'Release', '--use-current-runtime',
        '--self-contained', 'false', '-o', 'src/Bedrot.DataLake/bin/pipeline', '-nologo', '-v', 'quiet')
    dotnet @publish -p:PublishReadyToRun=true | Out-Null
    if ($LASTEXITCODE -ne 0) {
        dotnet @publish -p:PublishReadyToRun=false
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
    # The task graph is compiled once per build of the library and kept (Cake's script cache).
    $library = (Get-FileHash -Algorithm SHA256 'src/Bedrot.DataLake/bin/pipeline/Bedrot.DataLake.dll').Hash.Substring(0, 16)
    $cache = Join-Path $PSScriptRoot 'build/tools/cache'
    New-Item -ItemType Directory -Force -Path $cache | Out-Null
    Get-ChildItem $cache -Directory | Where-Object { $_.Name -ne $library } | Remove-Item -Recurse -Force
    if (-not $env:CAKE_SETTINGS_ENABLESCRIPTCACHE) { $env:CAKE_SETTINGS_ENABLESCRIPTCACHE = 'true' }
    $env:CAKE_PATHS_CACHE = Join-Path $cache $library
    dotnet cake build/build.cake @args
    exit $LASTEXITCODE
}
finally { Pop-Location }
