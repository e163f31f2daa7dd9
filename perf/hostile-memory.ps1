<#
.SYNOPSIS
    Peak memory and time of Compress-ImageKMeans on small hostile files that claim far more than they hold (issue #12,
    section 3): frame and page bombs, metadata-chunk bombs and 16000 x 16000 stubs.

.DESCRIPTION
    Writes the seeded cases (a few KB to a few MB each) with nothing but .NET, then runs Compress-ImageKMeans on each
    in a fresh child pwsh under /usr/bin/time, which reports the child's peak resident set. The first row is the
    baseline: a child pwsh that only imports the module. The PNGs with text-chunk bombs are valid pictures and are
    written (their text is never inflated); every other case must end in exactly one error with no output. Every
    peak must stay within the budget of 3 x the file's bytes + 100 MB above that baseline (the file is read once into
    memory and checked; no pixel memory is committed for what it only claims).
    The load average is printed next to the times: the machine is shared.

.EXAMPLE
    dotnet pwsh ./build.ps1 build; dotnet pwsh perf/hostile-memory.ps1
#>
[CmdletBinding()]
param(
    # The staged module to measure (default: this worktree's out/KMeansPS).
    [string] $ModulePath,
    # Where the generated files and outputs go (default: out/hostile-memory).
    [string] $WorkPath
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

. (Join-Path $PSScriptRoot 'ChildPeak.ps1')
$root = Split-Path $PSScriptRoot
$manifest = Resolve-StagedManifest $ModulePath
if (-not $WorkPath) { $WorkPath = Join-Path $root 'out/hostile-memory' }
$cases = Join-Path $WorkPath 'cases'
$outputs = Join-Path $WorkPath 'outputs'
$null = New-Item -ItemType Directory -Force $cases, $outputs
Get-ChildItem $outputs | Remove-Item -Force

# (The comma binds tighter than -band in PowerShell: every element in its own parentheses.)
function BigEndian([uint32] $value) { [byte[]] @((($value -shr 24) -band 255), (($value -shr 16) -band 255), (($value -shr 8) -band 255), ($value -band 255)) }
function LittleEndian16([int] $value) { [byte[]] @(($value -band 255), (($value -shr 8) -band 255)) }
function LittleEndian32([uint32] $value) { [byte[]] @(($value -band 255), (($value -shr 8) -band 255), (($value -shr 16) -band 255), (($value -shr 24) -band 255)) }

function Zlib([byte[]] $data) {
    $memory = [System.IO.MemoryStream]::new()
    $zlib = [System.IO.Compression.ZLibStream]::new($memory, [System.IO.Compression.CompressionLevel]::SmallestSize)
    $zlib.Write($data, 0, $data.Length)
    $zlib.Dispose()
    $memory.ToArray()
}

function PngChunk([string] $type, [byte[]] $data) {
    $typeBytes = [System.Text.Encoding]::ASCII.GetBytes($type)
    $crcInput = [byte[]] ($typeBytes + $data)
    [byte[]] ((BigEndian $data.Length) + $typeBytes + $data + (BigEndian (Crc32 $crcInput)))
}

# CRC-32 of PNG chunks (System.IO.Hashing is not part of PowerShell), table-driven.
$script:CrcTable = [uint32[]]::new(256)
for ($n = 0; $n -lt 256; $n++) {
    [uint32] $c = $n
    for ($k = 0; $k -lt 8; $k++) { $c = ($c -band 1) ? ([uint32] 3988292384 -bxor ($c -shr 1)) : ($c -shr 1) }
    $script:CrcTable[$n] = $c
}
function Crc32([byte[]] $bytes) {
    [uint32] $c = [uint32]::MaxValue
    foreach ($b in $bytes) { $c = $script:CrcTable[($c -bxor $b) -band 255] -bxor ($c -shr 8) }
    $c -bxor [uint32]::MaxValue
}

function Png([int] $width, [int] $height, [byte[]] $pixelRows, [byte[][]] $extraChunks) {
    $header = [byte[]] ((BigEndian $width) + (BigEndian $height) + [byte[]] @(8, 2, 0, 0, 0))
    $bytes = [System.Collections.Generic.List[byte]]::new()
    $bytes.AddRange([byte[]] @(137, 80, 78, 71, 13, 10, 26, 10))
    $bytes.AddRange([byte[]] (PngChunk 'IHDR' $header))
    foreach ($chunk in $extraChunks) { $bytes.AddRange($chunk) }
    $bytes.AddRange([byte[]] (PngChunk 'IDAT' (Zlib $pixelRows)))
    $bytes.AddRange([byte[]] (PngChunk 'IEND' ([byte[]] @())))
    $bytes.ToArray()
}

# A 64x64 RGB image (rows with filter byte 0), the body the chunk bombs carry.
$smallRows = [byte[]]::new(64 * (1 + 64 * 3))
$rng = [System.Random]::new(12)
$rng.NextBytes($smallRows)
for ($y = 0; $y -lt 64; $y++) { $smallRows[$y * (1 + 64 * 3)] = 0 }

function TextBomb([int] $megabytes) {
    # zTXt: keyword, NUL, method 0, then zlib data that inflates to $megabytes MB of spaces.
    $text = [byte[]]::new($megabytes * 1MB)
    [System.Array]::Fill($text, [byte] 32)
    PngChunk 'zTXt' ([byte[]] ([System.Text.Encoding]::ASCII.GetBytes('Comment') + [byte[]] @(0, 0) + (Zlib $text)))
}

$files = [ordered]@{}
$oneZtxt = TextBomb 200
$files['png-ztxt-200MB.png'] = Png 64 64 $smallRows @(, $oneZtxt)
$files['png-ztxt-5x200MB.png'] = Png 64 64 $smallRows @($oneZtxt, $oneZtxt, $oneZtxt, $oneZtxt, $oneZtxt)

# 16000 x 16000 stubs: whole headers, a few bytes of pixels.
$files['png-stub-16000.png'] = Png 16000 16000 ([byte[]] @(0, 1, 2, 3)) @()
$bmp = [byte[]] ([byte[]] @(66, 77) + (LittleEndian32 (54 + 16)) + (LittleEndian32 0) + (LittleEndian32 54) + (LittleEndian32 40) +
    (LittleEndian32 16000) + (LittleEndian32 16000) + (LittleEndian16 1) + (LittleEndian16 24) + (LittleEndian32 0) +
    (LittleEndian32 0) + (LittleEndian32 2835) + (LittleEndian32 2835) + (LittleEndian32 0) + (LittleEndian32 0) + [byte[]]::new(16))
$files['bmp-stub-16000.bmp'] = $bmp
$files['pgm-stub-16000.pgm'] = [byte[]] ([System.Text.Encoding]::ASCII.GetBytes("P5`n16000 16000`n255`n") + [byte[]]::new(64))
$tga = [byte[]] ([byte[]] @(0, 0, 2) + [byte[]]::new(9) + (LittleEndian16 16000) + (LittleEndian16 16000) + [byte[]] @(24, 0) + [byte[]]::new(64))
$files['tga-stub-16000.tga'] = $tga
# JPEG: SOI, a quantisation table, SOF0 of 16000 x 16000 grey, a Huffman table, SOS, a few bytes, EOI.
$jpeg = [System.Collections.Generic.List[byte]]::new()
$jpeg.AddRange([byte[]] @(0xFF, 0xD8, 0xFF, 0xDB, 0, 67, 0)); $jpeg.AddRange([byte[]] (@(1) * 64))
$jpeg.AddRange([byte[]] @(0xFF, 0xC0, 0, 11, 8, 0x3E, 0x80, 0x3E, 0x80, 1, 1, 0x11, 0))
$jpeg.AddRange([byte[]] ([byte[]] @(0xFF, 0xC4, 0, 20, 0x00, 1) + [byte[]]::new(15) + [byte[]] @(0)))
$jpeg.AddRange([byte[]] ([byte[]] @(0xFF, 0xC4, 0, 20, 0x10, 1) + [byte[]]::new(15) + [byte[]] @(0)))
$jpeg.AddRange([byte[]] @(0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0, 0, 0, 0, 0xFF, 0xD9))
$files['jpeg-stub-16000.jpg'] = $jpeg.ToArray()

# GIF: a 1000 x 1000 screen and 1,000 frames of 1 x 1 (the frame bomb of issue #12).
$gif = [System.Collections.Generic.List[byte]]::new()
$gif.AddRange([byte[]] [System.Text.Encoding]::ASCII.GetBytes('GIF89a'))
$gif.AddRange([byte[]] (LittleEndian16 1000)); $gif.AddRange([byte[]] (LittleEndian16 1000)); $gif.AddRange([byte[]] @(0x80, 0, 0, 0, 0, 0, 255, 255, 255))
for ($f = 0; $f -lt 1000; $f++) {
    $gif.AddRange([byte[]] @(0x21, 0xF9, 4, 0, 1, 0, 0, 0))
    $gif.AddRange([byte[]] ([byte[]] @(0x2C) + (LittleEndian16 ($f % 1000)) + (LittleEndian16 0) + (LittleEndian16 1) + (LittleEndian16 1) + [byte[]] @(0)))
    $gif.AddRange([byte[]] @(2, 2, 0x44, 0x01, 0))
}
$gif.Add(0x3B)
$files['gif-1000-frames.gif'] = $gif.ToArray()

# TIFF: 20 pages of 4000 x 4000 grey, each one PackBits strip of zeros (about 250 KB a page).
$page = [System.Collections.Generic.List[byte]]::new()
for ($i = 0; $i -lt 4000 * 4000 / 128; $i++) { $page.Add(0x81); $page.Add(0) }
$pageBytes = $page.ToArray()
$tiff = [System.Collections.Generic.List[byte]]::new()
$tiff.AddRange([byte[]] @(0x49, 0x49, 42, 0)); $tiff.AddRange([byte[]] (LittleEndian32 8))
$entries = 8
for ($p = 0; $p -lt 20; $p++) {
    $ifdStart = $tiff.Count
    $dataStart = $ifdStart + 2 + $entries * 12 + 4
    $next = $p -lt 19 ? ($dataStart + $pageBytes.Length) : 0
    $tiff.AddRange([byte[]] (LittleEndian16 $entries))
    foreach ($tag in @(@(256, 4, 4000), @(257, 4, 4000), @(258, 3, 8), @(259, 3, 32773), @(262, 3, 1), @(273, 4, $dataStart), @(278, 4, 4000), @(279, 4, $pageBytes.Length))) {
        $tiff.AddRange([byte[]] (LittleEndian16 $tag[0])); $tiff.AddRange([byte[]] (LittleEndian16 $tag[1])); $tiff.AddRange([byte[]] (LittleEndian32 1))
        $tiff.AddRange([byte[]] ($tag[1] -eq 3 ? ((LittleEndian16 $tag[2]) + [byte[]] @(0, 0)) : (LittleEndian32 $tag[2])))
    }
    $tiff.AddRange([byte[]] (LittleEndian32 $next))
    $tiff.AddRange($pageBytes)
}
$files['tiff-20-pages-4000.tiff'] = $tiff.ToArray()

foreach ($name in $files.Keys) { [System.IO.File]::WriteAllBytes((Join-Path $cases $name), $files[$name]) }

function Measure-Child([string] $script) { Measure-ChildPeak $script (Join-Path $WorkPath 'time.log') }

$baseline = Measure-Child "Import-Module '$manifest'"
$rows = @([pscustomobject]@{ Case = '(pwsh importing the module)'; FileKB = 0; PeakMB = $baseline.PeakMB; BudgetMB = $null; WithinBudget = $null; Seconds = $baseline.Seconds; Load = $baseline.Load; ErrorId = ''; Written = $false })
foreach ($name in $files.Keys) {
    $source = Join-Path $cases $name
    $script = "Import-Module '$manifest'; Compress-ImageKMeans -LiteralPath '$source' -Destination '$outputs/' -K 8 -Seed 1 -ErrorVariable e -ErrorAction SilentlyContinue | Out-Null; " +
        "'ids=' + ((`$e | ForEach-Object { `$_.FullyQualifiedErrorId.Split(',')[0] }) -join ';')"
    $run = Measure-Child $script
    $size = (Get-Item $source).Length
    $budget = $baseline.PeakMB + [math]::Round((3 * $size + 100MB) / 1MB)
    $rows += [pscustomobject]@{
        Case         = $name
        FileKB       = [math]::Round($size / 1KB)
        PeakMB       = $run.PeakMB
        BudgetMB     = $budget
        WithinBudget = $run.PeakMB -le $budget
        Seconds      = $run.Seconds
        Load         = $run.Load
        ErrorId      = ($run.Text -split "`n" | Where-Object { $_ -like 'ids=*' } | Select-Object -Last 1) -replace '^ids='
        Written      = @(Get-ChildItem $outputs -Force).Count -gt 0
    }
    Get-ChildItem $outputs -Force | Remove-Item -Force
}
$rows | Format-Table -AutoSize | Out-String -Width 250 | Write-Host
"uptime: $(& uptime)" | Write-Host
$rows
