<#
.SYNOPSIS
    How long a session takes to become warm: one Compress-ImageKMeans command repeated, with each call's wall time
    and the methods the JIT compiled during it, summed over spans of calls.

.DESCRIPTION
    .NET compiles a method again at tier 1 once it has run 30 times (with dynamic PGO twice: an instrumented
    version, then the final one), on a background thread that shares the cores with the calls. Methods that run
    once per call (PowerShell's binding and pipeline, the module's planning, checks and stages) reach that count
    only after tens of calls, so a session keeps compiling long after its first call. This script shows for how
    many calls, and what it costs them: per span of calls, the methods compiled and the JIT's time
    (System.Runtime.JitInfo, the whole process) and the median call. Run it in a fresh session (`dotnet pwsh -File`).

.EXAMPLE
    dotnet pwsh perf/warm-jit.ps1 -ImagePath out/small-images/china.png -K 16 -Calls 200
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ImagePath,
    [ValidateRange(2, 256)] [int] $K = 16,
    [ValidateRange(10, 2000)] [int] $Calls = 200,
    # The module to time (default: the staged out/KMeansPS).
    [string] $ModulePath
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path $PSScriptRoot
if (-not $ModulePath) { $ModulePath = Join-Path $root 'out/KMeansPS/KMeansPS.psd1' }
$image = (Resolve-Path -LiteralPath $ImagePath).Path
$destination = Join-Path ([IO.Path]::GetTempPath()) "warm-jit-$PID.png"
Import-Module $ModulePath

$rows = [Collections.Generic.List[object]]::new()
try {
    for ($i = 1; $i -le $Calls; $i++) {
        $methods = [Runtime.JitInfo]::GetCompiledMethodCount($false)
        $jit = [Runtime.JitInfo]::GetCompilationTime($false)
        $ms = (Measure-Command { $null = Compress-ImageKMeans -LiteralPath $image -K $K -Destination $destination -Seed 1 -Force }).TotalMilliseconds
        $rows.Add([pscustomobject]@{
            Call = $i; Ms = $ms
            Methods = [Runtime.JitInfo]::GetCompiledMethodCount($false) - $methods
            JitMs = ([Runtime.JitInfo]::GetCompilationTime($false) - $jit).TotalMilliseconds
        })
    }
}
finally { Remove-Item -LiteralPath $destination -Force -ErrorAction Ignore }

# Spans: call 1, 2-10, 11-30, 31-60, then 50 calls each.
$edges = [Collections.Generic.List[int]]@(1, 10, 30, 60)
for ($end = 110; $end -lt $Calls; $end += 50) { $edges.Add($end) }
$edges.Add($Calls)
Write-Host ("{0}, K = {1}, {2} calls in one session, {3} logical CPUs, load {4}:" -f (Split-Path -Leaf $image), $K, $Calls,
    [Environment]::ProcessorCount, ((Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ')[0])
Write-Host '| calls | median call ms | methods compiled | JIT ms |'
Write-Host '|---|---|---|---|'
$start = 1
foreach ($end in ($edges | Select-Object -Unique | Where-Object { $_ -le $Calls })) {
    if ($end -lt $start) { continue }
    $span = @($rows | Where-Object { $_.Call -ge $start -and $_.Call -le $end })
    $times = @($span.Ms | Sort-Object)
    Write-Host ('| {0} | {1:F1} | {2:N0} | {3:N0} |' -f ($start -eq $end ? "$start" : "$start-$end"), $times[[int][math]::Floor(($times.Count - 1) / 2)],
        ($span | Measure-Object Methods -Sum).Sum, ($span | Measure-Object JitMs -Sum).Sum)
    $start = $end + 1
}
