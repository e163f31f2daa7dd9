<#
.SYNOPSIS
    Issue #15 section 1: the engine's time per Lloyd iteration on general data against scikit-learn (OpenBLAS), FAISS
    and OpenCV, from the same starting centres, interleaved in one run.

.DESCRIPTION
    For each case (KIND:N:D:K, KIND blobs or sift) perf/anchors/engine_anchors.py writes seeded data and K starting
    centres (K points of the data) as float32 files; then, -Repeat rounds with the order rotated each round, every
    tool runs -Iterations Lloyd iterations from those centres with tolerance 0 in its own process: the engine
    (`KMeansPS.Benchmarks lloyd`, plain Lloyd and Auto, which may take Hamerly's bounds), scikit-learn (KMeans,
    algorithm lloyd), FAISS (Clustering with IndexFlatL2, no subsampling) and OpenCV (cv2.kmeans from the labels of
    the same centres). Each reports the fit's time per iteration, excluding start-up and data loading. Prints the
    medians, the ratio of each anchor to the engine (> 1: the engine is faster), and which BLAS scikit-learn used:
    Debian's python3-sklearn runs on the reference BLAS unless libopenblas0-pthread is installed, which is several
    times slower and not a fair anchor, so this script refuses to run without OpenBLAS. Run as root it installs the
    anchors with apt (python3-sklearn, libopenblas0-pthread, python3-faiss, python3-opencv, python3-threadpoolctl).

.EXAMPLE
    dotnet pwsh perf/engine-compare.ps1 -Case blobs:1000000:2:256, blobs:1000000:32:64, sift:200000:128:256 -Repeat 3
#>
[CmdletBinding()]
param(
    [string[]] $Case = @('blobs:1000000:2:256', 'blobs:1000000:8:64', 'blobs:1000000:16:64', 'blobs:1000000:32:64',
        'blobs:1000000:32:16', 'blobs:1000000:64:64', 'sift:200000:128:256'),
    [ValidateRange(1, 1000)] [int] $Iterations = 20,
    [ValidateRange(1, 101)] [int] $Repeat = 3,
    [int] $Seed = 1
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path $PSScriptRoot
$python = '/usr/bin/python3'
$anchors = Join-Path $PSScriptRoot 'anchors/engine_anchors.py'
$work = Join-Path $root 'out/engine-compare'
New-Item -ItemType Directory -Force -Path $work | Out-Null

function Test-Python([string] $modules) { & $python -c "import $modules" 2>$null; $LASTEXITCODE -eq 0 }
$packages = @()
if (-not (Test-Python 'sklearn, threadpoolctl')) { $packages += 'python3-sklearn', 'python3-threadpoolctl' }
if (-not (Test-Path /usr/lib/x86_64-linux-gnu/openblas-pthread) -and -not (Test-Path /usr/lib/aarch64-linux-gnu/openblas-pthread)) { $packages += 'libopenblas0-pthread' }
if (-not (Test-Python 'faiss')) { $packages += 'python3-faiss' }
if (-not (Test-Python 'cv2')) { $packages += 'python3-opencv' }
if ($packages) {
    if ((& id -u) -ne '0') { throw "Install the anchors first (as root: apt-get install $($packages -join ' '))." }
    & apt-get update -qq
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get install -y -qq @packages | Out-Null
}
$PSNativeCommandUseErrorActionPreference = $true   # from here on a failing tool stops the run
# OpenBLAS at its best: no forced core type or cache size left over from elsewhere.
Remove-Item Env:OPENBLAS_CORETYPE, Env:OPENBLAS_L2_SIZE -ErrorAction Ignore
$blas = & $python $anchors blas
if (-not ($blas -match 'openblas')) { throw "scikit-learn does not use OpenBLAS here ($($blas -join '; ')): install libopenblas0-pthread." }

$bench = Join-Path $work 'bench/KMeansPS.Benchmarks'
& dotnet build (Join-Path $PSScriptRoot 'KMeansPS.Benchmarks') -c Release -o (Join-Path $work 'bench') --nologo -v quiet | Out-Null

$tools = [ordered]@{
    'engine Lloyd' = { param($c) & $bench lloyd $c.Data $c.Init $c.D $c.K $Iterations Lloyd }
    'engine Auto'  = { param($c) & $bench lloyd $c.Data $c.Init $c.D $c.K $Iterations Auto }
    'scikit-learn' = { param($c) & $python $anchors sklearn $c.Data $c.Init $c.D $c.K $Iterations }
    'FAISS'        = { param($c) & $python $anchors faiss $c.Data $c.Init $c.D $c.K $Iterations }
    'OpenCV'       = { param($c) & $python $anchors opencv $c.Data $c.Init $c.D $c.K $Iterations }
}
$names = @($tools.Keys)
$rows = foreach ($spec in $Case) {
    $kind, $n, $d, $k = $spec -split ':'
    $dir = Join-Path $work "$kind-$n-$d-$k-$Seed"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    if (-not (Test-Path (Join-Path $dir 'init.f32'))) { & $python $anchors make $kind $n $d $k $Seed $dir }
    $c = @{ Data = Join-Path $dir 'data.f32'; Init = Join-Path $dir 'init.f32'; D = $d; K = $k }
    $ms = @{}; $inertia = @{}
    foreach ($name in $names) { $ms[$name] = [Collections.Generic.List[double]]::new() }
    for ($round = 0; $round -lt $Repeat; $round++) {
        for ($i = 0; $i -lt $names.Count; $i++) {
            $name = $names[($i + $round) % $names.Count]
            $fields = (& $tools[$name] $c) -split ' '
            $ms[$name].Add([double]$fields[0])
            $inertia[$name] = [double]$fields[1]
        }
    }
    $median = @{}
    foreach ($name in $names) { $median[$name] = ($ms[$name] | Sort-Object)[[int][math]::Floor(($Repeat - 1) / 2)] }
    $engine = $median['engine Auto']
    [pscustomobject]@{
        Data           = $kind; N = [int]$n; D = [int]$d; K = [int]$k
        'Lloyd ms'     = [math]::Round($median['engine Lloyd'], 1)
        'Auto ms'      = [math]::Round($engine, 1)
        'sklearn ms'   = [math]::Round($median['scikit-learn'], 1)
        'FAISS ms'     = [math]::Round($median['FAISS'], 1)
        'OpenCV ms'    = [math]::Round($median['OpenCV'], 1)
        'sklearn/Auto' = [math]::Round($median['scikit-learn'] / $engine, 2)
        'FAISS/Auto'   = [math]::Round($median['FAISS'] / $engine, 2)
        'OpenCV/Auto'  = [math]::Round($median['OpenCV'] / $engine, 2)
        # Same start, same number of iterations: the inertias agree to float rounding (FAISS: its last objective).
        'inertia engine/sklearn' = [math]::Round($inertia['engine Lloyd'] / $inertia['scikit-learn'], 6)
    }
}
Write-Host "scikit-learn's BLAS: $($blas -join '; ')"
Write-Host ("Milliseconds per Lloyd iteration, {0} iterations from the same centres, medians of {1} interleaved rounds, {2} logical CPUs:" -f $Iterations, $Repeat, [Environment]::ProcessorCount)
$rows | Format-Table -AutoSize | Out-String -Width 250 | Out-Host
$rows | Export-Csv -LiteralPath (Join-Path $work 'results.csv') -NoTypeInformation
