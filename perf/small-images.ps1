<#
.SYNOPSIS
    Issue #15's speed goal on every image and K: Compress-ImageKMeans in a warm session against pngquant
    --speed 1 --nofs, interleaved, small images included. One command, one table of ratios.

.DESCRIPTION
    perf/speed-goal.ps1 for many cases at once. The images: every file in the shared image folder (china.jpg,
    debian-logo-emerald.png, gimp-slider-screenshot.png, twowings.jpg) and two seeded small ones written by
    `KMeansPS.Benchmarks small-images` (a 769x784 translucent GUI screenshot with soft shadows and a 640x427
    photo-like picture). A JPEG is converted to PNG once with PIL (untimed), since pngquant reads only PNG; both
    tools read the same PNG.

    One pwsh session imports the module, runs every command once untimed (JIT, caches), then -Repeat rounds; in
    each round every (image, K) case runs pngquant (its whole process) and the cmdlet (decode, histogram, k-means,
    mapping, encode, and the MSE/PSNR/SSIM its result carries), the cases in rotating order and the two tools'
    order alternating, so drift in the machine's speed hits both alike. Reports per case the medians, the ratio
    (ours / pngquant), bytes and PSNR (perf/anchors/psnr.py, one definition for both), whether the goal holds
    (at most a third of pngquant's time), and the load average before and after; the same in CPU time too (the
    cmdlet: this process, all threads; pngquant: its user + system time from GNU time, /usr/bin/time).

    A warm session is one whose JIT has settled. .NET recompiles a method at tier 1 once it has run 30 times (twice
    with dynamic PGO: instrumented, then final), so methods run once per call (PowerShell's binding and pipeline,
    the module's planning, checks and stages) keep the background compiler busy for ~150 calls, taking 10-20 ms of
    the 2 cores per call while it lasts (china K = 16 on the Zen 5 VM: calls 31-100 a median of 75-79 ms, calls
    151-200 62 ms, with 1,700-2,000 ms and 23 ms of JIT in those spans; System.Runtime.JitInfo). So after one
    warm-up call per case, untimed rounds (both tools, as timed) run until three in a row compile fewer than 20
    methods each (the recompilations come in bursts; at most -SettleRounds rounds), and the methods compiled during
    the timed rounds are printed; -SettleRounds 0 measures the unsettled session instead.

    On a shared machine pngquant, a fresh single-threaded process, loses far more time to other jobs than the warm cmdlet, in
    CPU time as well as wall time (on the 2-core VM of perf/README: china K = 16 took pngquant 0.81 s of CPU at load
    7-9 and 0.17 s of wall time at load 4), so both ratios move with the load: compare runs at the same load.

.EXAMPLE
    dotnet pwsh perf/small-images.ps1 -Repeat 7

.EXAMPLE
    dotnet pwsh perf/small-images.ps1 -ModulePath /tmp/before/KMeansPS/KMeansPS.psd1 -K 256 -Repeat 5
#>
[CmdletBinding()]
param(
    # Images to run; default: the shared image folder beside the repository plus the two generated ones.
    [string[]] $ImagePath,
    [ValidateRange(2, 256)] [int[]] $K = @(16, 64, 256),
    [ValidateRange(1, 101)] [int] $Repeat = 7,
    # The module to time (default: the staged out/KMeansPS).
    [string] $ModulePath,
    # Leave the generated small images out.
    [switch] $NoGenerated,
    # Where the table is written as CSV too (default out/small-images/small-images.csv).
    [string] $CsvPath,
    # Most untimed rounds before the timed ones, stopping after three rounds in a row in which the JIT compiled
    # fewer than 20 methods each; 0: one warm-up call per case, as before 2026-12-04 (see the description).
    [ValidateRange(0, 100)] [int] $SettleRounds = 25
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path $PSScriptRoot
$python = '/usr/bin/python3'
if (-not $ModulePath) { $ModulePath = Join-Path $root 'out/KMeansPS/KMeansPS.psd1' }
if (-not (Test-Path $ModulePath)) { throw "Build the module first: dotnet pwsh ./build.ps1 build ($ModulePath is missing)." }
if (-not (Get-Command pngquant -ErrorAction SilentlyContinue)) { throw 'pngquant is needed (Debian: apt-get install pngquant).' }
$work = Join-Path $root 'out/small-images'
New-Item -ItemType Directory -Force -Path $work | Out-Null
if (-not $CsvPath) { $CsvPath = Join-Path $work 'small-images.csv' }

$sources = [Collections.Generic.List[string]]::new()
if ($ImagePath) { foreach ($p in $ImagePath) { $sources.Add((Resolve-Path -LiteralPath $p).Path) } }
else {
    # A worktree sits one folder deeper than the main checkout.
    $shared = @('../shared/images', '../../shared/images') | ForEach-Object { Join-Path $root $_ } | Where-Object { Test-Path $_ } | Select-Object -First 1
    if ($shared) { Get-ChildItem $shared -File -Include *.png, *.jpg, *.jpeg -Recurse | Sort-Object Name | ForEach-Object { $sources.Add($_.FullName) } }
    else { Write-Warning 'No shared image folder found; only the generated images run.' }
}
if (-not $NoGenerated) {
    $generated = Join-Path $work 'generated'
    $bench = Join-Path $root 'perf/KMeansPS.Benchmarks/bin/Release/net10.0/KMeansPS.Benchmarks'
    if ($IsWindows) { $bench += '.exe' }
    if (-not (Test-Path $bench)) {
        & dotnet build (Join-Path $root 'perf/KMeansPS.Benchmarks') -c Release --nologo -v quiet
        if ($LASTEXITCODE) { throw 'Building perf/KMeansPS.Benchmarks failed.' }
    }
    & $bench small-images $generated 1 | Out-Null
    if ($LASTEXITCODE) { throw 'Writing the generated images failed.' }
    Get-ChildItem $generated -Filter *.png | Sort-Object Name | ForEach-Object { $sources.Add($_.FullName) }
}

# CPU time as well as wall time; both ratios move with the load (see the description).
$timeFile = Join-Path $work 'pngquant-time.txt'
$gnuTime = @('/usr/bin/time') | Where-Object { Test-Path $_ } | Select-Object -First 1
$timePrefix = $gnuTime ? "& '$gnuTime' -f '%U %S' -o '$timeFile'" : '&'

# Every case reads a PNG (a JPEG converted once).
$cases = [Collections.Generic.List[object]]::new()
foreach ($source in $sources) {
    $item = Get-Item -LiteralPath $source
    $stem = [IO.Path]::GetFileNameWithoutExtension($item.Name)
    $png = Join-Path $work "$stem.png"
    if ($item.Extension -eq '.png') { if ($item.FullName -ne $png) { Copy-Item -LiteralPath $item.FullName -Destination $png -Force } }
    else { & $python -c "from PIL import Image; Image.open('$($item.FullName)').convert('RGB').save('$png')" }
    $size = & $python -c "from PIL import Image; im = Image.open('$png'); print(f'{im.width}x{im.height}{"" RGBA"" if im.mode == ""RGBA"" else """"}')"
    foreach ($colors in $K) {   # not $k: PowerShell's names ignore case, so $k is $K
        $pq = "$work/$stem-k$colors-pngquant.png"
        $ours = "$work/$stem-k$colors-kmeansps.png"
        $cases.Add([pscustomobject]@{
            Image = "$($item.Name) $size"; K = $colors; Png = $png; PngquantOut = $pq; OursOut = $ours
            # pngquant's own CPU time (user + system) comes from GNU time when it is there.
            Pngquant = [scriptblock]::Create("$timePrefix pngquant --speed 1 --nofs --force --output '$pq' $colors '$png'; if (`$LASTEXITCODE) { throw 'pngquant failed' }")
            Ours = [scriptblock]::Create("`$null = Compress-ImageKMeans -LiteralPath '$png' -K $colors -Destination '$ours' -Seed 1 -Force")
            PngquantTimes = [Collections.Generic.List[double]]::new(); OursTimes = [Collections.Generic.List[double]]::new()
            PngquantCpu = [Collections.Generic.List[double]]::new(); OursCpu = [Collections.Generic.List[double]]::new()
        })
    }
}

function Get-Load { ((Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ')[0..2] -join ' / ' }
$self = [Diagnostics.Process]::GetCurrentProcess()
function Measure-Ours($Case) {
    $self.Refresh(); $cpu = $self.TotalProcessorTime
    $Case.OursTimes.Add((Measure-Command $Case.Ours).TotalSeconds)
    $self.Refresh(); $Case.OursCpu.Add(($self.TotalProcessorTime - $cpu).TotalSeconds)
}
function Measure-Pngquant($Case) {
    $Case.PngquantTimes.Add((Measure-Command $Case.Pngquant).TotalSeconds)
    if ($gnuTime) { $Case.PngquantCpu.Add((((Get-Content -LiteralPath $timeFile -Raw).Trim() -split '\s+') | ForEach-Object { [double]$_ } | Measure-Object -Sum).Sum) }
}
$loadBefore = Get-Load
Import-Module $ModulePath
foreach ($case in $cases) { $null = & $case.Pngquant; $null = & $case.Ours }   # warm-up: JIT, caches
function Invoke-Round([int] $Round) {
    for ($i = 0; $i -lt $cases.Count; $i++) {
        $case = $cases[($i + $Round) % $cases.Count]
        if ((($i + $Round) % 2) -eq 0) {
            Measure-Pngquant $case
            Measure-Ours $case
        }
        else {
            Measure-Ours $case
            Measure-Pngquant $case
        }
    }
}
# Untimed rounds, the same as the timed ones, until the tier-1 recompilations settle (see the description): the
# harness's own commands (Measure-Command, native calls, Get-Content) are compiled too, not only the cmdlet's path.
$settleRun = 0
$settleLast = -1
$quietRounds = 0
while ($settleRun -lt $SettleRounds -and $quietRounds -lt 3) {
    $before = [Runtime.JitInfo]::GetCompiledMethodCount($false)
    Invoke-Round $settleRun
    $settleRun++
    $settleLast = [Runtime.JitInfo]::GetCompiledMethodCount($false) - $before
    $quietRounds = $settleLast -lt 20 ? $quietRounds + 1 : 0
}
foreach ($case in $cases) { $case.PngquantTimes.Clear(); $case.OursTimes.Clear(); $case.PngquantCpu.Clear(); $case.OursCpu.Clear() }
$jitBefore = [Runtime.JitInfo]::GetCompiledMethodCount($false)
$jitTimeBefore = [Runtime.JitInfo]::GetCompilationTime($false)
for ($round = 0; $round -lt $Repeat; $round++) { Invoke-Round $round }
$loadAfter = Get-Load
$jitTimed = [Runtime.JitInfo]::GetCompiledMethodCount($false) - $jitBefore
$jitTimedMs = ([Runtime.JitInfo]::GetCompilationTime($false) - $jitTimeBefore).TotalMilliseconds

function Get-Median([Collections.Generic.List[double]] $Times) { ($Times | Sort-Object)[[int][math]::Floor(($Times.Count - 1) / 2)] }
$rows = foreach ($case in $cases) {
    $ours = Get-Median $case.OursTimes
    $pq = Get-Median $case.PngquantTimes
    $oursCpu = Get-Median $case.OursCpu
    $pqCpu = $case.PngquantCpu.Count ? (Get-Median $case.PngquantCpu) : [double]::NaN
    [pscustomobject]@{
        Image           = $case.Image
        K               = $case.K
        'Ours s'        = [math]::Round($ours, 3)
        'pngquant s'    = [math]::Round($pq, 3)
        Ratio           = [math]::Round($ours / $pq, 3)
        'Ours CPU s'    = [math]::Round($oursCpu, 3)
        'pngquant CPU s' = [math]::Round($pqCpu, 3)
        'CPU ratio'     = [math]::Round($oursCpu / $pqCpu, 3)
        'Ours bytes'    = (Get-Item $case.OursOut).Length
        'pngquant bytes' = (Get-Item $case.PngquantOut).Length
        'Ours PSNR'     = [double](& $python (Join-Path $PSScriptRoot 'anchors/psnr.py') $case.Png $case.OursOut)
        'pngquant PSNR' = [double](& $python (Join-Path $PSScriptRoot 'anchors/psnr.py') $case.Png $case.PngquantOut)
    }
}
$rows | Export-Csv -LiteralPath $CsvPath -NoTypeInformation
Write-Host ("Median of {0} interleaved rounds in one warm session, {1} logical CPUs, load average (1/5/15 min) {2} before, {3} after; module {4}:" -f `
        $Repeat, [Environment]::ProcessorCount, $loadBefore, $loadAfter, $ModulePath)
Write-Host ("Warm-up: one call per case, then {0} untimed round(s) (the last compiled {1} methods); during the timed rounds the JIT compiled {2} methods in {3:N0} ms." -f `
        $settleRun, $settleLast, $jitTimed, $jitTimedMs)
# Markdown rows, ready for perf/README.md.
# CPU: ours is this process (all threads, PowerShell's own work in the call included), pngquant its own user + system.
Write-Host '| image | K | ours s | pngquant s | ratio | ours CPU s | pngquant CPU s | CPU ratio | ours bytes | pngquant bytes | ours PSNR | pngquant PSNR |'
Write-Host '|---|---|---|---|---|---|---|---|---|---|---|---|'
foreach ($row in $rows) {
    Write-Host ('| {0} | {1} | {2:F3} | {3:F3} | {4:F3} | {5:F3} | {6:F3} | {7:F3} | {8:N0} | {9:N0} | {10:F2} | {11:F2} |' -f $row.Image, $row.K,
        $row.'Ours s', $row.'pngquant s', $row.Ratio, $row.'Ours CPU s', $row.'pngquant CPU s', $row.'CPU ratio',
        $row.'Ours bytes', $row.'pngquant bytes', $row.'Ours PSNR', $row.'pngquant PSNR')
}
$missedCpu = @($rows | Where-Object 'CPU ratio' -gt (1 / 3))
Write-Host ("In CPU time: met on {0} of {1} cases{2}" -f ($rows.Count - $missedCpu.Count), $rows.Count,
    ($missedCpu ? '; not on ' + (($missedCpu | ForEach-Object { "$($_.Image.Split(' ')[0]) K=$($_.K) ($($_.'CPU ratio'))" }) -join ', ') : ''))
$missed = @($rows | Where-Object Ratio -gt (1 / 3))
Write-Host ("Goal (<= 1/3 of pngquant's time): met on {0} of {1} cases{2}" -f ($rows.Count - $missed.Count), $rows.Count,
    ($missed ? '; not on ' + (($missed | ForEach-Object { "$($_.Image.Split(' ')[0]) K=$($_.K) ($($_.Ratio))" }) -join ', ') : ''))
