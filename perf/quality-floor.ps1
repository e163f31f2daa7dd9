<#
.SYNOPSIS
    Issue #13's quality-floor comparison: Compress-ImageKMeans -MinPsnr against a fixed-K run and against
    pngquant --quality, interleaved in one warm session on the same images.

.DESCRIPTION
    pngquant --quality MIN-MAX uses the fewest colours that reach MAX on its own quality scale (0-100, from its
    internal MSE), up to 256. Its scale is not PSNR, so the comparison is made at equal PSNR: pngquant runs first
    (--speed 1 --nofs --quality 0-MAX, untimed) and its output's PSNR (perf/anchors/psnr.py, the one PSNR definition
    of every comparison here) becomes the floor for Compress-ImageKMeans -K 256 -MinPsnr. Then, timed and
    interleaved with rotating order: pngquant with that --quality, the cmdlet with that floor, the cmdlet with
    a fixed -K 256 (the ceiling the floor search starts from), and with a fixed -K of the count the floor search
    chose (what a user who knew the right K would run). Reports medians, the ratio to pngquant, colours,
    bytes and PSNR of every output. JPEGs are converted once to PNG with PIL (untimed), as perf/compare.ps1 does,
    since pngquant reads only PNG.

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 build && dotnet pwsh perf/quality-floor.ps1 -Repeat 5
#>
[CmdletBinding()]
param(
    [string[]] $ImagePath,
    [ValidateRange(1, 100)] [int[]] $Quality = @(70, 90),
    [ValidateRange(1, 101)] [int] $Repeat = 5
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path $PSScriptRoot
if (-not $ImagePath) { $ImagePath = Get-ChildItem (Join-Path $root '../shared/images') -File | Where-Object Extension -in '.png', '.jpg' | ForEach-Object FullName }
$module = Join-Path $root 'out/KMeansPS/KMeansPS.psd1'
$python = '/usr/bin/python3'
$psnrScript = Join-Path $PSScriptRoot 'anchors/psnr.py'
if (-not (Test-Path $module)) { throw "Build the module first: dotnet pwsh ./build.ps1 build ($module is missing)." }
if (-not (Get-Command pngquant -ErrorAction SilentlyContinue)) { throw 'pngquant is needed (Debian: apt-get install pngquant).' }
$work = Join-Path $root 'out/quality-floor'
New-Item -ItemType Directory -Force -Path $work | Out-Null
Import-Module $module

function Get-Psnr([string] $original, [string] $output) { [double](& $python $psnrScript $original $output) }
function Get-ColorCount([string] $path) {
    [int](& $python -c "from PIL import Image; im = Image.open('$path'); print(len(im.convert('RGBA').getcolors(1 << 24)))")
}
function Median([double[]] $values) { ($values | Sort-Object)[[int][math]::Floor(($values.Count - 1) / 2)] }

$rows = [Collections.Generic.List[object]]::new()
foreach ($path in $ImagePath) {
    $image = Get-Item -LiteralPath $path
    $stem = [IO.Path]::GetFileNameWithoutExtension($image.Name)
    $png = Join-Path $work "$stem.png"
    if ($image.Extension -eq '.png') { Copy-Item -LiteralPath $image.FullName -Destination $png -Force }
    else { & $python -c "from PIL import Image; Image.open('$($image.FullName)').convert('RGB').save('$png')" }

    foreach ($q in $Quality) {
        $pqOut = "$work/$stem-q$q-pngquant.png"
        & pngquant --speed 1 --nofs --force --quality "0-$q" --output $pqOut 256 $png
        if ($LASTEXITCODE) { throw "pngquant --quality 0-$q failed on $png ($LASTEXITCODE)" }
        # The floor is pngquant's PSNR rounded down to 0.01 dB, so reaching it means matching pngquant.
        $floor = [math]::Floor((Get-Psnr $png $pqOut) * 100) / 100
        $probe = Compress-ImageKMeans -LiteralPath $png -K 256 -MinPsnr $floor -Seed 1 -Force -Destination "$work/$stem-q$q-floor.png"
        $chosen = $probe.ChosenK

        $runs = [ordered]@{
            "pngquant --quality 0-$q" = @{ Out = $pqOut; Body = { & pngquant --speed 1 --nofs --force --quality "0-$q" --output $pqOut 256 $png } }
            "-K 256 -MinPsnr $floor"  = @{ Out = "$work/$stem-q$q-floor.png"; Body = { $null = Compress-ImageKMeans -LiteralPath $png -K 256 -MinPsnr $floor -Seed 1 -Force -Destination "$work/$stem-q$q-floor.png" } }
            '-K 256 (fixed)'          = @{ Out = "$work/$stem-k256.png"; Body = { $null = Compress-ImageKMeans -LiteralPath $png -K 256 -Seed 1 -Force -Destination "$work/$stem-k256.png" } }
            "-K $chosen (fixed)"      = @{ Out = "$work/$stem-k$chosen.png"; Body = { $null = Compress-ImageKMeans -LiteralPath $png -K $chosen -Seed 1 -Force -Destination "$work/$stem-k$chosen.png" } }
        }
        $names = @($runs.Keys)
        $times = @{}
        foreach ($name in $names) {
            $null = & $runs[$name].Body   # warm-up
            $times[$name] = [Collections.Generic.List[double]]::new()
        }
        for ($round = 0; $round -lt $Repeat; $round++) {
            for ($i = 0; $i -lt $names.Count; $i++) {
                $name = $names[($i + $round) % $names.Count]
                $times[$name].Add((Measure-Command $runs[$name].Body).TotalSeconds)
            }
        }
        $pq = Median $times[$names[0]]
        foreach ($name in $names) {
            $out = $runs[$name].Out
            $seconds = Median $times[$name]
            $rows.Add([pscustomobject]@{
                Image         = $image.Name
                Run           = $name
                Seconds       = [math]::Round($seconds, 3)
                'Of pngquant' = [math]::Round($seconds / $pq, 2)
                Colours       = Get-ColorCount $out
                Bytes         = (Get-Item $out).Length
                'PSNR (dB)'   = [math]::Round((Get-Psnr $png $out), 2)
            })
        }
    }
}
Write-Host ("Medians of {0} interleaved runs in one warm session ({1} logical CPUs), seed 1:" -f $Repeat, [Environment]::ProcessorCount)
$rows | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
$rows | Export-Csv -LiteralPath (Join-Path $work 'results.csv') -NoTypeInformation
Write-Host "Also in $(Join-Path $work 'results.csv')." 
