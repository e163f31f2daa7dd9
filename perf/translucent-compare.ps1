<#
.SYNOPSIS
    PSNR of KMeansPS against scikit-learn on translucent images (issue #15, section 3) and regression images.

.DESCRIPTION
    Generates the seeded translucent set (perf/anchors/make_translucent.py) into -OutputPath, adds the images
    of -ImagePath (default ../shared/images), quantizes each at every K with Compress-ImageKMeans (staged module,
    seed 1) and with scikit-learn (perf/anchors/sklearn_quantize.py, seed 1; its outputs are kept and reused),
    and prints one markdown row per image and K: PSNR of both (perf/anchors/psnr.py) and ours minus theirs.
    Quality only: nothing is timed.

.EXAMPLE
    dotnet pwsh ./build.ps1 build; dotnet pwsh -NoProfile -File perf/translucent-compare.ps1 -K 16,64,256
#>
[CmdletBinding()]
param(
    [string] $ImagePath,
    # K values; "16,64" also works through pwsh -File.
    [string[]] $K = @('16', '64', '256'),
    [string] $OutputPath
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path $PSScriptRoot
if (-not $ImagePath) { $ImagePath = Join-Path $root '../shared/images' }
if (-not $OutputPath) { $OutputPath = Join-Path $root 'out/translucent' }
$python = '/usr/bin/python3'
$anchors = Join-Path $PSScriptRoot 'anchors'
$sources = Join-Path $OutputPath 'sources'
$work = Join-Path $OutputPath 'files'
New-Item -ItemType Directory -Force -Path $sources, $work | Out-Null

& $python (Join-Path $anchors 'make_translucent.py') $sources | Out-Host
foreach ($file in Get-ChildItem -LiteralPath $ImagePath -File | Where-Object Extension -in '.png', '.jpg', '.jpeg') {
    $png = Join-Path $sources ($file.BaseName + '.png')
    if (-not (Test-Path $png)) { & $python -c "from PIL import Image; Image.open('$($file.FullName)').save('$png')" }
}

function Get-Psnr([string] $Original, [string] $Output) {
    $text = & $python (Join-Path $anchors 'psnr.py') $Original $Output
    if ($text -eq 'inf') { [double]::PositiveInfinity } else { [double]$text }
}

Import-Module (Join-Path $root 'out/KMeansPS/KMeansPS.psd1') -Force
'| image | K | KMeansPS dB | scikit-learn dB | difference |'
'|---|---|---|---|---|'
foreach ($source in Get-ChildItem -LiteralPath $sources -Filter *.png | Sort-Object Name) {
    foreach ($colours in @($K -split ',' | ForEach-Object { [int]$_ })) {
        $ours = Join-Path $work "$($source.BaseName)-k$colours-kmeansps.png"
        $theirs = Join-Path $work "$($source.BaseName)-k$colours-sklearn.png"
        Compress-ImageKMeans -LiteralPath $source.FullName -K $colours -Seed 1 -Destination $ours -Force | Out-Null
        if (-not (Test-Path $theirs)) { & $python (Join-Path $anchors 'sklearn_quantize.py') $source.FullName $theirs $colours 1 | Out-Null }
        $a = Get-Psnr $source.FullName $ours
        $b = Get-Psnr $source.FullName $theirs
        $difference = [double]::IsInfinity($a) -and [double]::IsInfinity($b) ? 'both lossless' : ('{0:+0.00;-0.00;0.00}' -f ($a - $b))
        '| {0} | {1} | {2:F2} | {3:F2} | {4} |' -f $source.Name, $colours, $a, $b, $difference
    }
}
