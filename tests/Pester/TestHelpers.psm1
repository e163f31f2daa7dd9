# Shared by every *.Tests.ps1: where the staged module is, and fixtures the tests make themselves.

function Get-KMeansPSModulePath {
    if ($env:KMEANSPS_MODULE_PATH) { return $env:KMEANSPS_MODULE_PATH }
    # Run by hand after `./build.ps1 build`: the staged module, never the source.
    Join-Path $PSScriptRoot '../../out/KMeansPS/KMeansPS.psd1'
}

function Get-ChildPwshPath {
    # pwsh run as a dotnet tool is the dotnet host; the real pwsh sits in $PSHOME.
    Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
}

$script:CrcTable = $null
function Get-Crc32([byte[]] $bytes) {
    if (-not $script:CrcTable) {
        $script:CrcTable = [uint32[]]::new(256)
        for ($n = 0; $n -lt 256; $n++) {
            [uint32] $c = $n
            for ($k = 0; $k -lt 8; $k++) { $c = if ($c -band 1) { 0xEDB88320u -bxor ($c -shr 1) } else { $c -shr 1 } }
            $script:CrcTable[$n] = $c
        }
    }
    [uint32] $crc = 0xFFFFFFFFu
    foreach ($b in $bytes) { $crc = $script:CrcTable[($crc -bxor $b) -band 0xFF] -bxor ($crc -shr 8) }
    $crc -bxor 0xFFFFFFFFu
}

function Write-PngChunk([System.IO.Stream] $stream, [string] $type, [byte[]] $data) {
    $length = [BitConverter]::GetBytes([uint32] $data.Length); [Array]::Reverse($length)
    $typeBytes = [Text.Encoding]::ASCII.GetBytes($type)
    $crc = [BitConverter]::GetBytes([uint32] (Get-Crc32 ($typeBytes + $data))); [Array]::Reverse($crc)
    $stream.Write($length, 0, 4); $stream.Write($typeBytes, 0, 4); $stream.Write($data, 0, $data.Length); $stream.Write($crc, 0, 4)
}

<#
.SYNOPSIS
    Writes a truecolour RGBA PNG of a procedural picture (gradients, a disc, optional transparency), with our
    own tiny encoder so tests need no image library in the test process.
#>
function New-TestPng {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [int] $Width = 64,
        [int] $Height = 48,
        [switch] $Transparent,
        [int] $Colors = 0,  # > 0: only this many distinct colours (vertical stripes)
        # Ancillary chunks written right after IHDR, in order: each @{ Type = 'pHYs'; Data = [byte[]] ... }.
        [hashtable[]] $ExtraChunks = @()
    )
    $raw = [System.IO.MemoryStream]::new()
    for ($y = 0; $y -lt $Height; $y++) {
        $raw.WriteByte(0)
        for ($x = 0; $x -lt $Width; $x++) {
            if ($Colors -gt 0) {
                $i = [int][math]::Floor($x * $Colors / $Width)
                $r = (53 * $i) % 256; $g = (97 * $i + 40) % 256; $b = (151 * $i + 80) % 256; $a = 255
            }
            else {
                $r = [int](255 * $x / [math]::Max(1, $Width - 1))
                $g = [int](255 * $y / [math]::Max(1, $Height - 1))
                $dx = $x - $Width / 2; $dy = $y - $Height / 2
                $b = if ($dx * $dx + $dy * $dy -lt ($Height / 3) * ($Height / 3)) { 220 } else { 30 }
                $a = 255
                if ($Transparent) { $a = if ($x -lt $Width / 4) { 0 } elseif ($x -lt $Width / 2) { 128 } else { 255 } }
            }
            $raw.WriteByte($r); $raw.WriteByte($g); $raw.WriteByte($b); $raw.WriteByte($a)
        }
    }
    Write-PngFile $Path $Width $Height 6 $raw Optimal $ExtraChunks
}

<#
.SYNOPSIS
    Writes an opaque RGB PNG of seeded random noise: nearly one distinct colour per pixel.
#>
function New-NoisePng {
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = 600, [int] $Height = 600, [int] $Seed = 1)
    $random = [Random]::new($Seed)
    $row = [byte[]]::new(3 * $Width)
    $raw = [System.IO.MemoryStream]::new()
    for ($y = 0; $y -lt $Height; $y++) { $raw.WriteByte(0); $random.NextBytes($row); $raw.Write($row, 0, $row.Length) }
    Write-PngFile $Path $Width $Height 2 $raw Fastest
}

<#
.SYNOPSIS
    Writes a 16-bit RGB PNG of eight seeded 8-bit colours, each pixel's channels moved by up to 100 of 65535 (less
    than half an 8-bit step): at most eight colours rounded to 8 bits, hundreds at 16. Returns the file and the number
    of distinct 16-bit colours in it.
#>
function New-SixteenBitPng {
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = 64, [int] $Height = 40, [int] $Seed = 1)
    $random = [Random]::new($Seed)
    $raw = [System.IO.MemoryStream]::new()
    $colours = [System.Collections.Generic.HashSet[string]]::new()
    $bases = foreach ($i in 0..7) { , @($random.Next(1, 255), $random.Next(1, 255), $random.Next(1, 255)) }
    for ($y = 0; $y -lt $Height; $y++) {
        $raw.WriteByte(0)
        for ($x = 0; $x -lt $Width; $x++) {
            $base = $bases[[int][math]::Floor($x * 8 / $Width)]
            $rgb = foreach ($c in 0..2) { [math]::Clamp(257 * $base[$c] + $random.Next(-100, 101), 0, 65535) }
            foreach ($v in $rgb) { $raw.WriteByte($v -shr 8); $raw.WriteByte($v -band 255) }
            $null = $colours.Add($rgb -join ',')
        }
    }
    [pscustomobject]@{ File = Write-PngFile $Path $Width $Height 2 $raw Optimal -BitDepth 16; Colours = $colours.Count }
}

# An 8-bit (or -BitDepth 16) PNG of colour type 2 (RGB) or 6 (RGBA) from its filtered rows (each row's filter byte
# first). $Extra: chunks (@{ Type; Data }) to write between IHDR and IDAT.
function Write-PngFile([string] $Path, [int] $Width, [int] $Height, [byte] $ColorType, [System.IO.MemoryStream] $Rows,
    [System.IO.Compression.CompressionLevel] $Level, [hashtable[]] $Extra = @(), [byte] $BitDepth = 8) {
    $compressed = [System.IO.MemoryStream]::new()
    $z = [System.IO.Compression.ZLibStream]::new($compressed, $Level, $true)
    $Rows.Position = 0; $Rows.CopyTo($z); $z.Dispose()
    $file = [System.IO.File]::Create($Path)
    try {
        $file.Write([byte[]](137, 80, 78, 71, 13, 10, 26, 10), 0, 8)
        $w = [BitConverter]::GetBytes([uint32] $Width); [Array]::Reverse($w)
        $h = [BitConverter]::GetBytes([uint32] $Height); [Array]::Reverse($h)
        Write-PngChunk $file 'IHDR' ($w + $h + [byte[]]($BitDepth, $ColorType, 0, 0, 0))
        foreach ($chunk in $Extra) { Write-PngChunk $file $chunk.Type ([byte[]] $chunk.Data) }
        Write-PngChunk $file 'IDAT' $compressed.ToArray()
        Write-PngChunk $file 'IEND' ([byte[]]::new(0))
    }
    finally {
        $file.Dispose()
    }
    Get-Item -LiteralPath $Path
}

<#
.SYNOPSIS
    A folder of inputs for example and end-to-end tests: photo.png, logo.png (with alpha), few.png (4 colours),
    and sample.jpg (the repository's sample image).
#>
function New-TestImageSet {
    param([Parameter(Mandatory)] [string] $Path)
    $null = New-TestPng -Path (Join-Path $Path 'photo.png')
    $null = New-TestPng -Path (Join-Path $Path 'logo.png') -Transparent
    $null = New-TestPng -Path (Join-Path $Path 'few.png') -Colors 4
    Copy-Item (Get-SampleImagePath) (Join-Path $Path 'sample.jpg')
}

<#
.SYNOPSIS
    Runs a script in a child pwsh that imports the module first, and returns its output; throws, after killing the
    child, when it has not finished within the timeout (for behaviour that would hang rather than fail, such as
    opening a pipe that has no writer).
#>
function Invoke-ChildScriptWithTimeout {
    param([Parameter(Mandatory)] [string] $Script, [int] $TimeoutSeconds = 60)
    $info = [Diagnostics.ProcessStartInfo]::new((Get-ChildPwshPath))
    # Warnings and progress would mix with the output the caller parses.
    $prelude = "`$WarningPreference = 'SilentlyContinue'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$(Get-KMeansPSModulePath)'"
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', "$prelude; $Script") { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $child = [Diagnostics.Process]::Start($info)
    $output = $child.StandardOutput.ReadToEndAsync()
    $errorOutput = $child.StandardError.ReadToEndAsync()
    if (-not $child.WaitForExit($TimeoutSeconds * 1000)) {
        $child.Kill($true)
        throw "The child pwsh did not finish within $TimeoutSeconds s."
    }
    $child.WaitForExit()
    if ($child.ExitCode -ne 0) { throw "The child pwsh exited with $($child.ExitCode): $($errorOutput.Result)" }
    $output.Result
}

function Get-SampleImagePath {
    Join-Path $PSScriptRoot '../../samples/china.jpg'
}

# The text of a PNG's KMeansPS marker (a tEXt chunk of that keyword before the image data), or $null: the marker a
# rerun reads to know its own outputs.
function Get-PngMarkerText([string] $Path) {
    $bytes = [IO.File]::ReadAllBytes($Path)
    for ($at = 8; $at + 8 -le $bytes.Length; ) {
        $length = [int]([uint32]$bytes[$at] -shl 24 -bor [uint32]$bytes[$at + 1] -shl 16 -bor [uint32]$bytes[$at + 2] -shl 8 -bor $bytes[$at + 3])
        $type = [Text.Encoding]::ASCII.GetString($bytes, $at + 4, 4)
        if ($type -eq 'tEXt') {
            $text = [Text.Encoding]::Latin1.GetString($bytes, $at + 8, $length)
            if ($text.StartsWith("KMeansPS`0")) { return $text.Substring(9) }
        }
        if ($type -eq 'IDAT') { break }
        $at += 12 + $length
    }
    $null
}

Export-ModuleMember -Function Get-KMeansPSModulePath, Get-ChildPwshPath, Invoke-ChildScriptWithTimeout, Get-Crc32, Write-PngChunk, New-TestPng, New-NoisePng, New-SixteenBitPng, New-TestImageSet, Get-SampleImagePath, Get-PngMarkerText
