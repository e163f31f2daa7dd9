# Shared by the perf scripts that measure a child pwsh's peak memory (memory-bounds.ps1, hostile-memory.ps1):
# dot-source it. /usr/bin/time reports the child's peak resident set, the whole process.

# The staged module's manifest (default: this worktree's out/KMeansPS), or a clear error when it is not built.
function Resolve-StagedManifest([string] $ModulePath) {
    if (-not $ModulePath) { $ModulePath = Join-Path (Split-Path $PSScriptRoot) 'out/KMeansPS' }
    $manifest = Join-Path $ModulePath 'KMeansPS.psd1'
    if (-not (Test-Path $manifest)) { throw "Build the module first: dotnet pwsh ./build.ps1 build ($manifest is missing)." }
    if (-not (Test-Path /usr/bin/time)) { throw '/usr/bin/time is needed (Debian: apt-get install time).' }
    $manifest
}

# Runs $Script in a fresh pwsh under /usr/bin/time: peak MB, seconds, the load average before, the exit code and
# what the child printed.
function Measure-ChildPeak([string] $Script, [string] $TimeLog) {
    $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $load = (Get-Content /proc/loadavg -Raw).Split(' ')[0..2] -join ' '
    $text = & /usr/bin/time -f '%M %e' -o $TimeLog $pwsh -NoProfile -NonInteractive -Command $Script 2>&1 | Out-String
    $exit = $LASTEXITCODE
    $peakKb, $seconds = (Get-Content $TimeLog | Select-Object -Last 1).Split(' ')
    [pscustomobject]@{ PeakKB = [double] $peakKb; PeakMB = [math]::Round([double] $peakKb / 1024); Seconds = [double] $seconds; Load = $load; ExitCode = $exit; Text = $text.Trim() }
}
