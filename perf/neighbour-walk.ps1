<#
.SYNOPSIS
    Hamerly's leftovers searched among their centre's neighbours or among all K: the engine's time per iteration with
    the neighbour walk forced on and off, interleaved in one run, at the vector width in force or a narrower one.
.DESCRIPTION
    For each case (KIND:N:D:K, as perf/engine-compare.ps1 takes them) perf/anchors/engine_anchors.py writes seeded data
    and K starting centres (needs python3-numpy); then, -Repeat rounds with the order swapped each round,
    `KMeansPS.Benchmarks lloyd DATA INIT D K ITERATIONS Hamerly 0 walk|no-walk` runs -Iterations iterations from those
    centres. Prints the medians of wall and CPU milliseconds per iteration, their ratios (no-walk / walk: > 1, the walk
    is faster), whether both ended at the same inertia (they must: the walk gives the full search's bits) and the
    instruction set. -VectorBits 256 or 128 runs the children with DOTNET_EnableAVX512=0 (and DOTNET_EnableAVX2=0),
    the kernels an AVX2-only or SSE machine runs. HamerlySolver.WalksNeighbours' thresholds come from this script.
.EXAMPLE
    dotnet pwsh perf/neighbour-walk.ps1 -Repeat 3
.EXAMPLE
    dotnet pwsh perf/neighbour-walk.ps1 -VectorBits 256 -Case blobs:1000000:3:128, blobs:1000000:3:256
#>
[CmdletBinding()]
param(
    [string[]] $Case = @('blobs:1000000:3:64', 'blobs:1000000:3:128', 'blobs:1000000:3:256', 'blobs:500000:3:512',
        'blobs:300000:3:1024', 'blobs:1000000:2:256', 'blobs:1000000:4:256', 'blobs:500000:5:256', 'blobs:500000:8:256'),
    [ValidateRange(1, 1000)] [int] $Iterations = 30,
    [ValidateRange(1, 101)] [int] $Repeat = 3,
    [ValidateSet(512, 256, 128)] [int] $VectorBits = 512,
    [int] $Seed = 1
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
$python = '/usr/bin/python3'
& $python -c 'import numpy' 2>$null
if ($LASTEXITCODE -ne 0) { throw 'python3-numpy is needed (Debian: apt-get install python3-numpy).' }
$anchors = Join-Path $PSScriptRoot 'anchors/engine_anchors.py'
$work = Join-Path $root 'out/neighbour-walk'
New-Item -ItemType Directory -Force -Path $work | Out-Null
$bench = Join-Path $work 'bench/KMeansPS.Benchmarks'
& dotnet build (Join-Path $PSScriptRoot 'KMeansPS.Benchmarks') -c Release -o (Join-Path $work 'bench') --nologo -v quiet | Out-Null
if ($LASTEXITCODE -ne 0) { throw 'building perf/KMeansPS.Benchmarks failed' }
if ($VectorBits -le 256) { $env:DOTNET_EnableAVX512 = '0' }
if ($VectorBits -le 128) { $env:DOTNET_EnableAVX2 = '0' }
$PSNativeCommandUseErrorActionPreference = $true

function Get-Median([double[]] $values) { ($values | Sort-Object)[[int][math]::Floor(($values.Count - 1) / 2)] }

$isa = ''
$rows = foreach ($spec in $Case) {
    $kind, $n, $d, $k = $spec -split ':'
    $dir = Join-Path $work "$kind-$n-$d-$k-$Seed"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    if (-not (Test-Path (Join-Path $dir 'init.f32'))) { & $python $anchors make $kind $n $d $k $Seed $dir }
    $data = Join-Path $dir 'data.f32'; $init = Join-Path $dir 'init.f32'
    $wall = @{ walk = [Collections.Generic.List[double]]::new(); 'no-walk' = [Collections.Generic.List[double]]::new() }
    $cpu = @{ walk = [Collections.Generic.List[double]]::new(); 'no-walk' = [Collections.Generic.List[double]]::new() }
    $inertia = @{}
    for ($round = 0; $round -lt $Repeat; $round++) {
        $modes = if ($round % 2 -eq 0) { 'walk', 'no-walk' } else { 'no-walk', 'walk' }
        foreach ($mode in $modes) {
            # "ms-per-iteration inertia iterations instruction-set cpu-ms-per-iteration"
            $fields = (& $bench lloyd $data $init $d $k $Iterations Hamerly 0 $mode) -split ' '
            $wall[$mode].Add([double]::Parse($fields[0], [cultureinfo]::InvariantCulture))
            $cpu[$mode].Add([double]::Parse($fields[4], [cultureinfo]::InvariantCulture))
            $inertia[$mode] = $fields[1]
            $isa = $fields[3]
        }
    }
    $w = Get-Median $wall.walk; $nw = Get-Median $wall.'no-walk'
    $cw = Get-Median $cpu.walk; $cnw = Get-Median $cpu.'no-walk'
    [pscustomobject]@{
        Data = $kind; N = [int]$n; D = [int]$d; K = [int]$k
        'walk ms' = [math]::Round($w, 2); 'no-walk ms' = [math]::Round($nw, 2); 'no-walk/walk' = [math]::Round($nw / $w, 2)
        'walk CPU ms' = [math]::Round($cw, 2); 'no-walk CPU ms' = [math]::Round($cnw, 2); 'CPU no-walk/walk' = [math]::Round($cnw / $cw, 2)
        'same inertia' = $inertia.walk -eq $inertia.'no-walk'
    }
}
Write-Host ("Hamerly, milliseconds per iteration over {0} iterations from the same centres, medians of {1} interleaved rounds, {2}, {3} logical CPUs:" -f $Iterations, $Repeat, $isa, [Environment]::ProcessorCount)
$rows | Format-Table -AutoSize | Out-String -Width 250 | Out-Host
$rows | Export-Csv -LiteralPath (Join-Path $work "results-$VectorBits.csv") -NoTypeInformation
if ($rows | Where-Object { -not $_.'same inertia' }) { throw 'The walk changed a result: it must give the full search''s bits.' }
