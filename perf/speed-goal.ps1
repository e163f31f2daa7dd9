<#
.SYNOPSIS
    The whole-command speed goal of issue #4: Compress-ImageKMeans in a warm session against
    pngquant --speed 1 --nofs, interleaved in one run on the same image and K.

.DESCRIPTION
    One pwsh session imports the built module (out/KMeansPS), warms each command up once, then runs the
    commands -Repeat times in rotating order: pngquant as a child process (its whole process: start-up,
    decode, quantize, encode) and Compress-ImageKMeans (decode, histogram, k-means, mapping, encode, the
    metrics of its result object). Both read the same PNG (a JPEG is converted once with PIL, untimed,
    as perf/compare.ps1 does, since pngquant reads only PNG); the cmdlet is also timed on the original file.
    Reports medians, the ratio to pngquant, bytes and PSNR (perf/anchors/psnr.py for every output), and
    whether the goal holds: at most one third of pngquant's time with a file no larger than pngquant's.

.EXAMPLE
    dotnet pwsh perf/speed-goal.ps1 -Repeat 11
#>
[CmdletBinding()]
param(
    [string] $ImagePath,
    [ValidateRange(2, 256)] [int] $K = 64,
    [ValidateRange(1, 101)] [int] $Repeat = 11
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path $PSScriptRoot
if (-not $ImagePath) { $ImagePath = Join-Path $root '../shared/images/twowings.jpg' }
$image = Get-Item -LiteralPath $ImagePath
$module = Join-Path $root 'out/KMeansPS/KMeansPS.psd1'
$python = '/usr/bin/python3'
if (-not (Test-Path $module)) { throw "Build the module first: dotnet pwsh ./build.ps1 build ($module is missing)." }
if (-not (Get-Command pngquant -ErrorAction SilentlyContinue)) { throw 'pngquant is needed (Debian: apt-get install pngquant).' }
$work = Join-Path $root 'out/speed-goal'
New-Item -ItemType Directory -Force -Path $work | Out-Null

$stem = [IO.Path]::GetFileNameWithoutExtension($image.Name)
$png = Join-Path $work "$stem.png"
if ($image.Extension -eq '.png') { Copy-Item -LiteralPath $image.FullName -Destination $png -Force }
else { & $python -c "from PIL import Image; Image.open('$($image.FullName)').convert('RGB').save('$png')" }

Import-Module $module
$runs = [ordered]@{
    'pngquant --speed 1 --nofs (PNG)' = @{ Out = "$work/$stem-k$K-pngquant.png"; Body = { & pngquant --speed 1 --nofs --force --output "$work/$stem-k$K-pngquant.png" $K $png; if ($LASTEXITCODE) { throw "pngquant failed: $LASTEXITCODE" } } }
    'Compress-ImageKMeans (PNG)'      = @{ Out = "$work/$stem-k$K-kmeansps.png"; Body = { $null = Compress-ImageKMeans -LiteralPath $png -K $K -Destination "$work/$stem-k$K-kmeansps.png" -Seed 1 -Force } }
}
if ($image.Extension -ne '.png') {
    $runs["Compress-ImageKMeans ($($image.Extension.TrimStart('.').ToUpperInvariant()))"] = @{
        Out = "$work/$stem-k$K-kmeansps-original.png"
        Body = { $null = Compress-ImageKMeans -LiteralPath $image.FullName -K $K -Destination "$work/$stem-k$K-kmeansps-original.png" -Seed 1 -Force }
    }
}
$names = @($runs.Keys)
$times = @{}
foreach ($name in $names) {
    $null = & $runs[$name].Body   # warm-up: JIT, caches
    $times[$name] = [Collections.Generic.List[double]]::new()
}
for ($round = 0; $round -lt $Repeat; $round++) {
    for ($i = 0; $i -lt $names.Count; $i++) {
        $name = $names[($i + $round) % $names.Count]
        $times[$name].Add((Measure-Command $runs[$name].Body).TotalSeconds)
    }
}

$pngquantName = $names[0]
$median = @{}
foreach ($name in $names) { $median[$name] = ($times[$name] | Sort-Object)[[int][math]::Floor(($Repeat - 1) / 2)] }
$rows = foreach ($name in $names) {
    $out = $runs[$name].Out
    [pscustomobject]@{
        Command          = $name
        Seconds          = [math]::Round($median[$name], 3)
        Min              = [math]::Round(($times[$name] | Measure-Object -Minimum).Minimum, 3)
        'Of pngquant'    = [math]::Round($median[$name] / $median[$pngquantName], 3)
        Bytes            = (Get-Item $out).Length
        'PSNR (dB)'      = & $python (Join-Path $PSScriptRoot 'anchors/psnr.py') $png $out
    }
}
Write-Host ("{0}, K = {1}, median of {2} interleaved runs in one warm session ({3} logical CPUs):" -f $image.Name, $K, $Repeat, [Environment]::ProcessorCount)
$rows | Format-Table -AutoSize | Out-Host
$pq = $rows[0]
foreach ($row in $rows | Select-Object -Skip 1) {
    $met = $row.'Of pngquant' -le (1 / 3) -and $row.Bytes -le $pq.Bytes
    Write-Host ("{0}: {1:N3} of pngquant's time (goal <= 0.333), {2:N0} bytes vs {3:N0}: goal {4}" -f $row.Command, $row.'Of pngquant', $row.Bytes, $pq.Bytes, ($met ? 'met' : 'NOT met'))
}
