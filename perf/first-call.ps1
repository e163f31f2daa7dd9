<#
.SYNOPSIS
    A fresh session's first Compress-ImageKMeans call against the warm ones (issue #15): the cost of JIT and
    start-up work, as a ratio, for one or more builds of the module, interleaved.

.DESCRIPTION
    Each round starts one fresh `$PSHOME/pwsh -NoProfile` per module (the modules in rotating order), which imports
    the module (timed apart), then times call 1 and calls 2..-Calls of the same command on the same image. The
    figure is call 1 / median(calls 2..N) per process, in wall time and in the process's CPU time (less moved by
    other jobs on a shared machine), with the methods the JIT compiled during call 1 and its compilation time
    (System.Runtime.JitInfo); the table gives the median over rounds of each, per module.
    Module import is not part of call 1. Give two modules (before, after) to compare them in one run.
    Each call's stage times (decode, histogram, fit, map, encode, metrics: the -Debug line) are kept for call 1 and
    the last call, which shows where a first call's extra time goes.

    -IdleMilliseconds waits that long after the import before call 1: a session where the command is typed, or a script
    that imports the module well before it first uses it. The import's warm-up then has the cores to itself (its file
    part runs only until a cmdlet of the module starts).

    -PrecompiledPowerShell runs the children on a copy of this PowerShell whose own assemblies
    (System.Management.Automation and the rest) are precompiled with crossgen2 of this runtime, as PowerShell's
    release packages ship them. The .NET tool package of pwsh (what the local tool manifest installs) ships them as IL
    only, so there a first call also JIT-compiles several hundred of PowerShell's methods that a release install
    does not; the copy measures the module as such an install would run it. Built once under out/first-call.

.EXAMPLE
    dotnet pwsh perf/first-call.ps1 -ModulePath /tmp/before/KMeansPS.psd1, out/KMeansPS/KMeansPS.psd1 -Rounds 7

.EXAMPLE
    dotnet pwsh perf/first-call.ps1 -PrecompiledPowerShell -Rounds 7
#>
[CmdletBinding()]
param(
    [string[]] $ModulePath,
    [string] $ImagePath,
    [ValidateRange(2, 256)] [int] $K = 64,
    [ValidateRange(3, 50)] [int] $Calls = 6,
    [ValidateRange(1, 50)] [int] $Rounds = 5,
    [switch] $PrecompiledPowerShell,
    [ValidateRange(0, 60000)] [int] $IdleMilliseconds = 0
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path $PSScriptRoot
if (-not $ModulePath) { $ModulePath = @(Join-Path $root 'out/KMeansPS/KMeansPS.psd1') }
# pwsh -File passes "a,b" as one string.
$ModulePath = @($ModulePath | ForEach-Object { $_ -split "," } | ForEach-Object { (Resolve-Path -LiteralPath $_).Path })
if (-not $ImagePath) {
    $ImagePath = @('../shared/images/twowings.jpg', '../../shared/images/twowings.jpg') | ForEach-Object { Join-Path $root $_ } |
        Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $ImagePath) { throw 'Give -ImagePath (the shared twowings.jpg was not found).' }
}
$image = (Resolve-Path -LiteralPath $ImagePath).Path
$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$work = Join-Path $root 'out/first-call'
New-Item -ItemType Directory -Force -Path $work | Out-Null

# A copy of this PowerShell with its own assemblies precompiled (ReadyToRun), as a release package has them.
function New-PrecompiledPowerShell([string] $Destination) {
    if (Test-Path -LiteralPath (Join-Path $Destination 'pwsh.dll')) { return }
    $rid = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $version = [Environment]::Version.ToString(3)
    $packages = $env:NUGET_PACKAGES ? $env:NUGET_PACKAGES : (Join-Path $HOME '.nuget/packages')
    # Restored by build.ps1 build (build/ReadyToRun precompiles the module with the same crossgen2).
    $crossgen = Join-Path $packages "microsoft.netcore.app.crossgen2.$rid/$version/tools/crossgen2"
    if (-not (Test-Path -LiteralPath $crossgen)) { throw "crossgen2 $version for $rid not found at $crossgen; run build.ps1 build first." }
    $framework = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $staging = "$Destination.partial"
    Remove-Item -LiteralPath $staging -Recurse -Force -ErrorAction Ignore
    Copy-Item -LiteralPath $PSHOME -Destination $staging -Recurse
    $os, $arch = $rid -split '-', 2
    # PowerShell's own assemblies and the third-party ones it loads at start-up and for a cmdlet call.
    $names = @('pwsh.dll', 'System.Management.Automation.dll', 'Newtonsoft.Json.dll', 'Microsoft.ApplicationInsights.dll') +
        @(Get-ChildItem -LiteralPath $PSHOME -Filter 'Microsoft.PowerShell.*.dll' | ForEach-Object Name)
    foreach ($name in $names) {
        # A response file: pwsh would expand the reference wildcards into input files on Unix.
        $rsp = Join-Path $work 'crossgen.rsp'
        Set-Content -LiteralPath $rsp -Value @((Join-Path $PSHOME $name), '-o', (Join-Path $staging $name), '-r', (Join-Path $framework '*.dll'),
            '-r', (Join-Path $PSHOME '*.dll'), "--targetos:$os", "--targetarch:$arch", '-O')
        & $crossgen "@$rsp" | Out-Null
        if ($LASTEXITCODE) { throw "crossgen2 failed on $name." }
    }
    Move-Item -LiteralPath $staging -Destination $Destination
}
if ($PrecompiledPowerShell) {
    $precompiled = Join-Path $work 'pwsh-precompiled'
    New-PrecompiledPowerShell $precompiled
    $pwsh = Join-Path $precompiled ($IsWindows ? 'pwsh.exe' : 'pwsh')
}

# What each fresh process runs: import, then the calls, one line of JSON.
$child = @'
param($Module, $Image, $K, $Calls, $Destination, $Idle)
$import = (Measure-Command { Import-Module $Module }).TotalMilliseconds
if ($Idle -gt 0) { Start-Sleep -Milliseconds $Idle }
$DebugPreference = 'Continue'
$process = [Diagnostics.Process]::GetCurrentProcess()
$calls = foreach ($i in 1..$Calls) {
    $process.Refresh()
    $cpu = $process.TotalProcessorTime
    $methods = [Runtime.JitInfo]::GetCompiledMethodCount($false)
    $jit = [Runtime.JitInfo]::GetCompilationTime($false)
    $debug = $null
    $wall = (Measure-Command { $debug = Compress-ImageKMeans -LiteralPath $Image -K $K -Destination $Destination -Seed 1 -Force 5>&1 |
        Where-Object { $_ -is [Management.Automation.DebugRecord] } }).TotalMilliseconds
    $process.Refresh()
    $stages = @($debug | ForEach-Object Message | Where-Object { $_ -like '*stage times*' }) -replace '.*stage times: ', '' -replace '\.$', ''
    @{ Wall = $wall; Cpu = ($process.TotalProcessorTime - $cpu).TotalMilliseconds; Stages = $stages -join ''
       Methods = [Runtime.JitInfo]::GetCompiledMethodCount($false) - $methods; Jit = ([Runtime.JitInfo]::GetCompilationTime($false) - $jit).TotalMilliseconds }
}
@{ Import = $import; Calls = @($calls) } | ConvertTo-Json -Compress
'@
$childPath = Join-Path $work 'child.ps1'
Set-Content -LiteralPath $childPath -Value $child

function Get-Median([double[]] $Values) { ($Values | Sort-Object)[[int][math]::Floor(($Values.Count - 1) / 2)] }
$load = { ((Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ')[0..2] -join ' / ' }
$loadBefore = & $load
$results = @{}
foreach ($m in $ModulePath) { $results[$m] = [Collections.Generic.List[object]]::new() }
for ($round = 0; $round -lt $Rounds; $round++) {
    for ($i = 0; $i -lt $ModulePath.Count; $i++) {
        $m = $ModulePath[($i + $round) % $ModulePath.Count]
        $destination = Join-Path $work "out-$i.png"
        $json = & $pwsh -NoProfile -NonInteractive -File $childPath -Module $m -Image $image -K $K -Calls $Calls -Destination $destination -Idle $IdleMilliseconds
        if ($LASTEXITCODE) { throw "The child pwsh failed for $m." }
        $r = $json | ConvertFrom-Json
        $rest = @($r.Calls | Select-Object -Skip 1)
        $first = $r.Calls[0]
        $wall = Get-Median ([double[]]$rest.Wall)
        $cpu = Get-Median ([double[]]$rest.Cpu)
        $results[$m].Add([pscustomobject]@{
            Import = $r.Import; First = $first.Wall; Warm = $wall; Ratio = $first.Wall / $wall
            FirstCpu = $first.Cpu; WarmCpu = $cpu; CpuRatio = $first.Cpu / $cpu; Methods = $first.Methods; Jit = $first.Jit
            WarmMethods = Get-Median ([double[]]$rest.Methods); FirstStages = $first.Stages; LastStages = $r.Calls[-1].Stages
        })
    }
}
$loadAfter = & $load

Write-Host ("{0}, K = {1}: {2} rounds, a fresh pwsh per module per round, calls 2..{3} are 'warm'; load average {4} before, {5} after; PowerShell: {6}; idle after import: {7} ms" -f `
        (Split-Path $image -Leaf), $K, $Rounds, $Calls, $loadBefore, $loadAfter, ($PrecompiledPowerShell ? 'own assemblies precompiled' : $PSHOME), $IdleMilliseconds)
Write-Host '| module | import ms | first call ms | warm call ms | first / warm | per round | CPU first / warm | per round | methods jitted in call 1 (warm) | JIT ms in call 1 |'
Write-Host '|---|---|---|---|---|---|---|---|---|---|'
foreach ($m in $ModulePath) {
    $rs = $results[$m]
    Write-Host ('| {0} | {1:F0} | {2:F0} | {3:F0} | **{4:F2}** | {5} | **{6:F2}** | {7} | {8:F0} ({9:F0}) | {10:F0} |' -f $m, (Get-Median $rs.Import), (Get-Median $rs.First),
        (Get-Median $rs.Warm), (Get-Median $rs.Ratio), (($rs | ForEach-Object { $_.Ratio.ToString('F2') }) -join ', '),
        (Get-Median $rs.CpuRatio), (($rs | ForEach-Object { $_.CpuRatio.ToString('F2') }) -join ', '), (Get-Median $rs.Methods),
        (Get-Median $rs.WarmMethods), (Get-Median $rs.Jit))
}
Write-Host ''
Write-Host 'Stage times of call 1 and of the last call, the round with the median first / warm ratio:'
foreach ($m in $ModulePath) {
    $rs = @($results[$m] | Sort-Object Ratio)
    $mid = $rs[[int][math]::Floor(($rs.Count - 1) / 2)]
    Write-Host ("{0}`n  call 1: {1}`n  last:   {2}" -f $m, $mid.FirstStages, $mid.LastStages)
}
