<#
.SYNOPSIS
    Side-by-side run of KMeansPS against scikit-learn, pngquant and ImageMagick on the same images, in one run.

.DESCRIPTION
    For every image and K, runs each tool -Repeat times, interleaved with the order rotated each round so
    drift in machine speed hits every tool alike, and reports the median whole-process time, the ratio to
    KMeansPS's time, PSNR (one definition for all: perf/anchors/psnr.py) and output bytes.

    Tools: KMeansPS (Compress-ImageKMeans in a fresh pwsh, and in a warm session: runtime start-up, module load
    and JIT excluded, the per-file cost in a script or pipeline), scikit-learn KMeans (Lloyd, k-means++, n_init=1,
    max_iter=300, tol=1e-4; perf/anchors/sklearn_quantize.py with Debian's python3-sklearn and OpenBLAS),
    pngquant --speed 1 --nofs, ImageMagick -dither None -colors K. Every tool reads the same PNG (JPEGs are
    converted once, untimed, since pngquant reads only PNG). Missing anchors are installed with apt when run
    as root, else left out with a message. Results: a table, out/compare/compare.csv and out/compare/compare.png.

.EXAMPLE
    dotnet pwsh ./build.ps1 compare -K 16,64 -Repeat 3
#>
[CmdletBinding()]
param(
    # Folder of images; default ../shared/images beside the repository when present, else samples/.
    [string] $ImagePath,
    # K values; "16,64" also works when passed through build.ps1 or pwsh -File; "none" runs only -EngineFitImage.
    [string[]] $K = @('16', '64', '256'),
    [ValidateRange(1, 50)] [int] $Repeat = 3,
    [int] $SklearnTimeoutSeconds = 120,
    # Leave scikit-learn out where pixels x K exceeds this (it needs ~37 s for 4 Mpx at K = 64).
    [switch] $SkipSlow,
    [double] $SlowBudget = 1e8,
    [string] $OutputPath,
    # Also fit every pixel (no histogram) with the engine and with scikit-learn, same data, same run: the
    # engine's full-fit goal. Name the image (a file in -ImagePath) and K.
    [string] $EngineFitImage,
    [int] $EngineFitK = 64
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path $PSScriptRoot
if (-not $ImagePath) {
    $shared = Join-Path $root '../shared/images'
    $ImagePath = if (Test-Path $shared) { $shared } else { Join-Path $root 'samples' }
}
if (-not $OutputPath) { $OutputPath = Join-Path $root 'out/compare' }
New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
$work = Join-Path $OutputPath 'files'
New-Item -ItemType Directory -Force -Path $work | Out-Null
$module = Join-Path $root 'out/KMeansPS/KMeansPS.psd1'
$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$python = '/usr/bin/python3'
$anchors = Join-Path $PSScriptRoot 'anchors'

# Anchors: Debian packages. Installed when we may, otherwise the tool is left out with a message.
function Test-Python([string] $Import) {
    if (-not (Test-Path $python)) { return $false }
    & $python -c "import $Import" 2>$null
    $LASTEXITCODE -eq 0
}
$needed = @()
if (-not (Test-Python 'sklearn, PIL, numpy')) { $needed += 'python3-sklearn', 'libopenblas0-pthread', 'python3-pil' }
if (-not (Test-Python 'matplotlib')) { $needed += 'python3-matplotlib' }
if (-not (Get-Command pngquant -ErrorAction SilentlyContinue)) { $needed += 'pngquant' }
if (-not (Test-Path /usr/bin/convert)) { $needed += 'imagemagick' }
if ($needed) {
    if ($IsLinux -and (& id -u) -eq '0' -and (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        Write-Host "Installing anchors: $($needed -join ', ')"
        & apt-get install -y -qq @needed | Out-Null
    }
    else {
        Write-Warning "Missing (install as root with apt-get): $($needed -join ', '). Those tools are left out."
    }
}
$haveSklearn = Test-Python 'sklearn, PIL, numpy'
$havePlot = Test-Python 'matplotlib'
$havePngquant = [bool] (Get-Command pngquant -ErrorAction SilentlyContinue)
$haveMagick = Test-Path /usr/bin/convert   # /usr/local/bin/convert may be something else
if (-not $haveSklearn) { throw 'PSNR needs /usr/bin/python3 with PIL and numpy (Debian: python3-pil, python3-sklearn).' }
if (-not (Test-Path $module)) { throw "Build the module first: dotnet pwsh ./build.ps1 build ($module is missing)." }

# One whole process, timed from outside; returns seconds, or $null on failure or time-out.
function Invoke-Timed([string] $File, [string[]] $Arguments, [int] $TimeoutSeconds = 600) {
    $info = [Diagnostics.ProcessStartInfo]::new($File)
    foreach ($a in $Arguments) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill($true)
        return [pscustomobject]@{ Seconds = $null; Status = "timeout after $TimeoutSeconds s" }
    }
    $watch.Stop()
    $process.WaitForExit()
    if ($process.ExitCode -ne 0) {
        return [pscustomobject]@{ Seconds = $null; Status = "exit $($process.ExitCode): $($stderr.Result.Trim() -split "`n" | Select-Object -Last 1)" }
    }
    [pscustomobject]@{ Seconds = $watch.Elapsed.TotalSeconds; Status = 'ok' }
}

$Ks = @($K -split ',' | Where-Object { $_ -and $_ -ne 'none' } | ForEach-Object { [int] $_ })
$rows = [Collections.Generic.List[object]]::new()
$images = Get-ChildItem $ImagePath -File | Where-Object Extension -in '.png', '.jpg', '.jpeg', '.bmp', '.gif', '.tif', '.tiff', '.webp' | Sort-Object Name
foreach ($image in $(if ($Ks.Count) { $images } else { @() })) {
    $stem = [IO.Path]::GetFileNameWithoutExtension($image.Name)
    $source = Join-Path $work "$stem.png"
    if ($image.Extension -eq '.png') { Copy-Item -LiteralPath $image.FullName -Destination $source -Force }
    else { & $python -c "from PIL import Image; Image.open('$($image.FullName)').save('$source')" }
    $pixels = & $python -c "from PIL import Image; w, h = Image.open('$source').size; print(w * h)"

    foreach ($colours in $Ks) {
        $tools = [ordered]@{
            KMeansPS = @{ File = $pwsh; Args = @('-NoProfile', '-NonInteractive', '-Command', "Import-Module '$module'; `$null = Compress-ImageKMeans -LiteralPath '$source' -K $colours -Destination '$work/$stem-k$($colours)-KMeansPS.png' -Seed 1 -Force"); Out = "$work/$stem-k$($colours)-KMeansPS.png"; Timeout = 600 }
        }
        if ($haveSklearn -and -not ($SkipSlow -and [double] $pixels * $colours -gt $SlowBudget)) {
            $tools['scikit-learn'] = @{ File = $python; Args = @("$anchors/sklearn_quantize.py", $source, "$work/$stem-k$($colours)-sklearn.png", "$colours", '1'); Out = "$work/$stem-k$($colours)-sklearn.png"; Timeout = $SklearnTimeoutSeconds }
        }
        if ($havePngquant) {
            $tools['pngquant'] = @{ File = 'pngquant'; Args = @('--speed', '1', '--nofs', '--force', '--output', "$work/$stem-k$($colours)-pngquant.png", "$colours", $source); Out = "$work/$stem-k$($colours)-pngquant.png"; Timeout = 600 }
        }
        if ($haveMagick) {
            $tools['ImageMagick'] = @{ File = '/usr/bin/convert'; Args = @($source, '-dither', 'None', '-colors', "$colours", "PNG8:$work/$stem-k$($colours)-magick.png"); Out = "$work/$stem-k$($colours)-magick.png"; Timeout = 600 }
        }
        $names = @($tools.Keys)
        $times = @{}; $status = @{}
        foreach ($name in $names) { $times[$name] = [Collections.Generic.List[double]]::new(); $status[$name] = 'ok' }
        for ($round = 0; $round -lt $Repeat; $round++) {
            for ($i = 0; $i -lt $names.Count; $i++) {
                $name = $names[($i + $round) % $names.Count]
                if ($status[$name] -ne 'ok') { continue }   # a time-out is not retried
                $t = $tools[$name]
                $r = Invoke-Timed $t.File $t.Args $t.Timeout
                if ($null -eq $r.Seconds) { $status[$name] = $r.Status } else { $times[$name].Add($r.Seconds) }
            }
        }
        # The same cmdlet inside a warm session, as an interactive user or a script over many files sees it.
        $sessionScript = "Import-Module '$module'; `$f = '$work/$stem-k$($colours)-session.png'; `$null = Compress-ImageKMeans -LiteralPath '$source' -K $colours -Destination `$f -Seed 1 -Force; " +
            "`$t = foreach (`$i in 1..$Repeat) { (Measure-Command { `$null = Compress-ImageKMeans -LiteralPath '$source' -K $colours -Destination `$f -Seed 1 -Force }).TotalSeconds }; " +
            "(`$t | Sort-Object)[[int][math]::Floor(($Repeat - 1) / 2)]"
        $warm = [double] (& $pwsh -NoProfile -NonInteractive -Command $sessionScript)
        $names += 'KMeansPS (warm session)'
        $times['KMeansPS (warm session)'] = [Collections.Generic.List[double]]::new(); $times['KMeansPS (warm session)'].Add($warm)
        $status['KMeansPS (warm session)'] = 'ok'
        $tools['KMeansPS (warm session)'] = @{ Out = "$work/$stem-k$($colours)-session.png" }

        $median = @{}
        foreach ($name in $names) {
            $sorted = @($times[$name] | Sort-Object)
            $median[$name] = if ($sorted.Count) { $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)] } else { $null }
        }
        foreach ($name in $names) {
            $out = $tools[$name].Out
            $ok = $null -ne $median[$name] -and (Test-Path $out)
            $rows.Add([pscustomobject]@{
                Image   = $image.Name
                K       = $colours
                Tool    = $name
                Seconds = if ($ok) { [math]::Round($median[$name], 3) } else { $null }
                Ratio   = if ($ok -and $median['KMeansPS']) { [math]::Round($median[$name] / $median['KMeansPS'], 2) } else { $null }
                Psnr    = if ($ok) { & $python "$anchors/psnr.py" $source $out } else { $null }
                Bytes   = if ($ok) { (Get-Item $out).Length } else { $null }
                Runs    = $times[$name].Count
                Status  = $status[$name]
            })
        }
        $rows | Where-Object { $_.Image -eq $image.Name -and $_.K -eq $colours } | Format-Table Image, K, Tool, Seconds, Ratio, Psnr, Bytes, Status -AutoSize | Out-Host
    }
}

if ($EngineFitImage) {
    $image = Get-Item (Join-Path $ImagePath $EngineFitImage)
    $stem = [IO.Path]::GetFileNameWithoutExtension($image.Name)
    $source = Join-Path $work "$stem.png"
    if (-not (Test-Path $source)) { & $python -c "from PIL import Image; Image.open('$($image.FullName)').convert('RGB').save('$source')" }
    & dotnet build (Join-Path $root 'perf/KMeansPS.Benchmarks/KMeansPS.Benchmarks.csproj') -c Release --nologo -v quiet | Out-Null
    $bench = Join-Path $root "perf/KMeansPS.Benchmarks/bin/Release/net10.0/KMeansPS.Benchmarks$($IsWindows ? '.exe' : '')"
    $fits = @{ engine = [Collections.Generic.List[object]]::new(); sklearn = [Collections.Generic.List[object]]::new() }
    for ($round = 0; $round -lt $Repeat; $round++) {
        foreach ($tool in $(if ($round % 2) { 'sklearn', 'engine' } else { 'engine', 'sklearn' })) {
            $line = if ($tool -eq 'engine') { & $bench fit-raw $source $EngineFitK 1 } else { & $python "$anchors/sklearn_fit_raw.py" $source $EngineFitK 1 }
            $parts = "$line".Trim() -split ' '
            $fits[$tool].Add([pscustomobject]@{ Seconds = [double] $parts[0]; Inertia = [double] $parts[1]; Iterations = [int] $parts[2] })
        }
    }
    $e = $fits.engine | Sort-Object Seconds | Select-Object -Index ([int][math]::Floor(($Repeat - 1) / 2))
    $s = $fits.sklearn | Sort-Object Seconds | Select-Object -Index ([int][math]::Floor(($Repeat - 1) / 2))
    Write-Host ("`nFull fit on every pixel of {0} (RGB float32), K = {1}, seed 1, median of {2}:" -f $image.Name, $EngineFitK, $Repeat)
    @(
        [pscustomobject]@{ Tool = 'KMeansPS engine'; Seconds = $e.Seconds; Speedup = [math]::Round($s.Seconds / $e.Seconds, 1); Inertia = $e.Inertia; Iterations = $e.Iterations }
        [pscustomobject]@{ Tool = 'scikit-learn'; Seconds = $s.Seconds; Speedup = 1; Inertia = $s.Inertia; Iterations = $s.Iterations }
    ) | Format-Table -AutoSize | Out-Host
    Write-Host ('Inertia ratio engine / scikit-learn: {0:N4}' -f ($e.Inertia / $s.Inertia))
}

if ($rows.Count -eq 0) { return }
$csv = Join-Path $OutputPath 'compare.csv'
$rows | Export-Csv -Path $csv -NoTypeInformation
Write-Host "`nAll results (ratio = tool time / KMeansPS time; PSNR over RGB, or premultiplied RGBA for images with alpha):"
$rows | Format-Table Image, K, Tool, Seconds, Ratio, Psnr, Bytes, Status -AutoSize | Out-Host
if ($havePlot) {
    & $python "$anchors/plot_compare.py" $csv (Join-Path $OutputPath 'compare.png')
    Write-Host "Plot: $(Join-Path $OutputPath 'compare.png')"
}
Write-Host "CSV:  $csv"
