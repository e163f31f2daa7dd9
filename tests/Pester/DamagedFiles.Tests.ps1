# Issue #12 sections 1 and 4 end to end: a damaged file is one error naming it (never a padded output), the good
# files beside it are still done; and a JPEG gives the same output bytes on every instruction set.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force

    function Get-Tool([string] $Name, [string] $Package = 'libjpeg-turbo-progs') {
        $tool = Get-Command $Name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $tool) { throw "$Name is not installed; these tests use it as a reference. Install it with: apt-get install -y $Package" }
        $tool.Source
    }

    # A 4:2:0 JPEG of the repository's sample photo, made with cjpeg.
    function New-Jpeg420([string] $Path) {
        $ppm = Join-Path $TestDrive 'sample.ppm'
        & (Get-Tool djpeg) -pnm -outfile $ppm (Get-SampleImagePath)
        & (Get-Tool cjpeg) -quality 85 -sample 2x2 -outfile $Path $ppm
        Get-Item -LiteralPath $Path
    }

    # Seeded pixels, row-major RGB.
    function Get-SeededRgb([int] $Width, [int] $Height, [int] $Seed) {
        $random = [Random]::new($Seed)
        $rgb = [byte[]]::new($Width * $Height * 3)
        $random.NextBytes($rgb)
        , $rgb
    }

    function New-Bmp([int] $Width, [int] $Height, [byte[]] $Rgb, [int] $ClaimWidth = $Width, [int] $ClaimHeight = $Height) {
        $stride = (3 * $Width + 3) -band -4
        $pixels = [byte[]]::new($stride * $Height)
        for ($y = 0; $y -lt $Height; $y++) {
            for ($x = 0; $x -lt $Width; $x++) {
                $s = 3 * ($y * $Width + $x); $d = ($Height - 1 - $y) * $stride + 3 * $x
                $pixels[$d] = $Rgb[$s + 2]; $pixels[$d + 1] = $Rgb[$s + 1]; $pixels[$d + 2] = $Rgb[$s]
            }
        }
        $out = [IO.MemoryStream]::new()
        $w = [IO.BinaryWriter]::new($out)
        $w.Write([byte[]](0x42, 0x4D)); $w.Write([uint32](54 + $pixels.Length)); $w.Write([uint32]0); $w.Write([uint32]54)
        $w.Write([uint32]40); $w.Write([int32]$ClaimWidth); $w.Write([int32]$ClaimHeight); $w.Write([uint16]1); $w.Write([uint16]24)
        $w.Write([uint32]0); $w.Write([uint32]$pixels.Length); $w.Write([int32]2835); $w.Write([int32]2835); $w.Write([uint32]0); $w.Write([uint32]0)
        $w.Write($pixels); $w.Flush()
        , $out.ToArray()
    }

    function New-Pnm([string] $Kind, [int] $Width, [int] $Height, [int] $MaxValue, [byte[]] $Samples) {
        , ([Text.Encoding]::ASCII.GetBytes("$Kind`n$Width $Height`n$MaxValue`n") + $Samples)
    }

    function New-Tga([int] $Width, [int] $Height, [byte[]] $Rgb) {
        $header = [byte[]]::new(18)
        $header[2] = 2; $header[12] = $Width -band 255; $header[13] = $Width -shr 8; $header[14] = $Height -band 255; $header[15] = $Height -shr 8
        $header[16] = 24; $header[17] = 0x20
        $bgr = [byte[]]::new($Rgb.Length)
        for ($i = 0; $i -lt $Rgb.Length; $i += 3) { $bgr[$i] = $Rgb[$i + 2]; $bgr[$i + 1] = $Rgb[$i + 1]; $bgr[$i + 2] = $Rgb[$i] }
        , ($header + $bgr)
    }

    # A PNG whose chunks are whole and valid but whose image data holds only the first $Rows rows.
    function New-ShortPng([string] $Path, [int] $Width, [int] $Height, [int] $Rows) {
        $raw = [byte[]]::new($Rows * (1 + 4 * $Width))
        [Random]::new(5).NextBytes($raw)
        for ($y = 0; $y -lt $Rows; $y++) { $raw[$y * (1 + 4 * $Width)] = 0 }
        $compressed = [IO.MemoryStream]::new()
        $z = [IO.Compression.ZLibStream]::new($compressed, [IO.Compression.CompressionLevel]::Optimal, $true)
        $z.Write($raw, 0, $raw.Length); $z.Dispose()
        $w = [BitConverter]::GetBytes([uint32] $Width); [Array]::Reverse($w)
        $h = [BitConverter]::GetBytes([uint32] $Height); [Array]::Reverse($h)
        Write-PngChunks $Path @(@('IHDR', ($w + $h + [byte[]](8, 6, 0, 0, 0))), @('IDAT', $compressed.ToArray()), @('IEND', [byte[]]::new(0)))
    }

    # A PNG file of the given chunks (type, data), each with its length and CRC.
    function Write-PngChunks([string] $Path, [object[]] $Chunks) {
        $file = [IO.File]::Create($Path)
        try {
            $file.Write([byte[]](137, 80, 78, 71, 13, 10, 26, 10), 0, 8)
            foreach ($chunk in $Chunks) {
                $type = [Text.Encoding]::ASCII.GetBytes($chunk[0])
                $len = [BitConverter]::GetBytes([uint32] $chunk[1].Length); [Array]::Reverse($len)
                $crc = [BitConverter]::GetBytes([uint32] (Get-Crc32 ($type + $chunk[1]))); [Array]::Reverse($crc)
                $bytes = [byte[]]($len + $type + $chunk[1] + $crc)
                $file.Write($bytes, 0, $bytes.Length)
            }
        }
        finally { $file.Dispose() }
    }

    # An 8-bit palette PNG of $Entries colours whose pixels use indices below $Entries, but for pixel $BeyondAt
    # (row-major; none when negative), which uses index $Entries: beyond the palette.
    function New-PalettePng([string] $Path, [int] $Width, [int] $Height, [int] $Entries, [int] $BeyondAt) {
        $raw = [byte[]]::new($Height * (1 + $Width))
        for ($y = 0; $y -lt $Height; $y++) {
            for ($x = 0; $x -lt $Width; $x++) {
                $raw[$y * (1 + $Width) + 1 + $x] = if ($y * $Width + $x -eq $BeyondAt) { $Entries } else { ($x + $y) % $Entries }
            }
        }
        $compressed = [IO.MemoryStream]::new()
        $z = [IO.Compression.ZLibStream]::new($compressed, [IO.Compression.CompressionLevel]::Optimal, $true)
        $z.Write($raw, 0, $raw.Length); $z.Dispose()
        $palette = [byte[]]::new(3 * $Entries)
        [Random]::new(9).NextBytes($palette)
        $w = [BitConverter]::GetBytes([uint32] $Width); [Array]::Reverse($w)
        $h = [BitConverter]::GetBytes([uint32] $Height); [Array]::Reverse($h)
        Write-PngChunks $Path @(@('IHDR', ($w + $h + [byte[]](8, 3, 0, 0, 0))), @('PLTE', $palette), @('IDAT', $compressed.ToArray()), @('IEND', [byte[]]::new(0)))
    }

    # A 2-colour GIF, 8 x 4, whose LZW code size (2) lets pixel $BeyondAt (row-major; none when negative) use index
    # 3, beyond its colour table. Literal codes of 3 bits, a clear code before every two, so the code size never grows.
    function New-Gif([string] $Path, [int] $BeyondAt) {
        $pixels = for ($i = 0; $i -lt 32; $i++) { if ($i -eq $BeyondAt) { 3 } else { $i % 2 } }
        $codes = [Collections.Generic.List[int]]::new()
        for ($i = 0; $i -lt 32; $i += 2) { $codes.Add(4); $codes.Add($pixels[$i]); $codes.Add($pixels[$i + 1]) }
        $codes.Add(5)
        $data = [Collections.Generic.List[byte]]::new(); $bits = 0; $count = 0
        foreach ($code in $codes) {
            $bits = $bits -bor ($code -shl $count); $count += 3
            while ($count -ge 8) { $data.Add([byte]($bits -band 255)); $bits = $bits -shr 8; $count -= 8 }
        }
        if ($count -gt 0) { $data.Add([byte]$bits) }
        $gif = [byte[]][Text.Encoding]::ASCII.GetBytes('GIF89a') + [byte[]](8, 0, 4, 0, 0x80, 0, 0, 255, 0, 0, 0, 0, 255) +
            [byte[]](0x2C, 0, 0, 0, 0, 8, 0, 4, 0, 0, 2, $data.Count) + $data.ToArray() + [byte[]](0, 0x3B)
        [IO.File]::WriteAllBytes($Path, $gif)
    }

    function Get-Cut([byte[]] $Bytes, [double] $Fraction) { , $Bytes[0..([int]($Bytes.Length * $Fraction) - 1)] }
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'A folder of damaged and good files' {
    BeforeAll {
        $script:dir = Join-Path $TestDrive 'mixed'
        New-Item -ItemType Directory -Path $script:dir | Out-Null
        $rgb = Get-SeededRgb 40 30 12
        $png = [IO.File]::ReadAllBytes((New-TestPng -Path (Join-Path $TestDrive 'png.src') -Width 40 -Height 30).FullName)
        $jpeg = [IO.File]::ReadAllBytes((New-Jpeg420 (Join-Path $TestDrive 'jpeg.src')).FullName)
        $bmp = New-Bmp 40 30 $rgb
        $ppm = New-Pnm 'P6' 40 30 255 $rgb
        $pgm = New-Pnm 'P5' 40 30 255 $rgb[0..1199]
        $tga = New-Tga 40 30 $rgb
        $good = [ordered]@{ 'good-png.png' = $png; 'good-jpg.jpg' = $jpeg; 'good-bmp.bmp' = $bmp; 'good-ppm.ppm' = $ppm; 'good-pgm.pgm' = $pgm; 'good-tga.tga' = $tga }
        # Each bad file, with the id its error must carry.
        $script:bad = [ordered]@{}
        $seed = [Random]::new(20261212)
        foreach ($name in $good.Keys) {
            $bytes = $good[$name]
            $ext = [IO.Path]::GetExtension($name)
            foreach ($fraction in 0.1, 0.5, 0.9, (0.2 + 0.6 * $seed.NextDouble())) {
                $cut = "cut-{0:00}-{1}" -f [int](100 * $fraction), $name.Replace('good-', '').Replace($ext, '')
                [IO.File]::WriteAllBytes((Join-Path $script:dir ($cut + $ext)), (Get-Cut $bytes $fraction))
                $script:bad[$cut + $ext] = 'InvalidImage'
            }
        }
        [IO.File]::WriteAllBytes((Join-Path $script:dir 'jpeg-no-eoi.jpg'), $jpeg[0..($jpeg.Length - 3)])
        $script:bad['jpeg-no-eoi.jpg'] = 'InvalidImage'
        New-ShortPng (Join-Path $script:dir 'idat-41-of-60-rows.png') 50 60 41
        $script:bad['idat-41-of-60-rows.png'] = 'InvalidImage'
        [IO.File]::WriteAllBytes((Join-Path $script:dir 'bmp-claims-16000.bmp'), (New-Bmp 4 4 $rgb[0..47] -ClaimWidth 16000 -ClaimHeight 16000))
        $script:bad['bmp-claims-16000.bmp'] = 'InvalidImage'
        [IO.File]::WriteAllBytes((Join-Path $script:dir 'pgm-maxval-0.pgm'), (New-Pnm 'P5' 40 30 0 ([byte[]]::new(1200))))
        $script:bad['pgm-maxval-0.pgm'] = 'InvalidImage'
        New-PalettePng (Join-Path $script:dir 'palette-index-beyond.png') 40 30 12 (17 * 40 + 23)
        $script:bad['palette-index-beyond.png'] = 'InvalidImage'
        New-PalettePng (Join-Path $TestDrive 'palette.src') 40 30 12 -1
        $good['good-palette.png'] = [IO.File]::ReadAllBytes((Join-Path $TestDrive 'palette.src'))
        New-Gif (Join-Path $script:dir 'gif-index-beyond.gif') 13
        $script:bad['gif-index-beyond.gif'] = 'InvalidImage'
        New-Gif (Join-Path $TestDrive 'gif.src') -1
        $good['good-gif.gif'] = [IO.File]::ReadAllBytes((Join-Path $TestDrive 'gif.src'))
        foreach ($name in $good.Keys) { [IO.File]::WriteAllBytes((Join-Path $script:dir $name), $good[$name]) }
        $script:goodNames = @($good.Keys)
        $script:cmd = 'KMeansPS.Commands.CompressImageKMeansCommand'
    }

    It 'Compress-ImageKMeans: one error per damaged file, naming it; no output for it; every good file done' {
        $out = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'compress-out')
        $results = Get-ChildItem $script:dir | Sort-Object Name |
            Compress-ImageKMeans -K 8 -Seed 1 -Destination $out -ErrorVariable errs -ErrorAction SilentlyContinue
        $messages = ($errs | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }) -join "`n"
        @($results).Count | Should -Be $script:goodNames.Count -Because $messages
        @($results | ForEach-Object { [IO.Path]::GetFileName($_.Path) } | Sort-Object) | Should -Be @($script:goodNames | Sort-Object)
        $errs.Count | Should -Be $script:bad.Count
        foreach ($e in $errs) {
            $name = [IO.Path]::GetFileName($e.TargetObject)
            $script:bad.Contains($name) | Should -BeTrue -Because "$name is a bad file"
            $e.FullyQualifiedErrorId | Should -Be "$($script:bad[$name]),$script:cmd" -Because $name
            $e.CategoryInfo.Category | Should -Be 'InvalidData' -Because $name
            $e.Exception.Message | Should -Match ([regex]::Escape($name))
        }
        @($errs | ForEach-Object { [IO.Path]::GetFileName($_.TargetObject) } | Sort-Object -Unique).Count | Should -Be $script:bad.Count
        (Get-ChildItem $out -Force | ForEach-Object Name | Sort-Object) | Should -Be @($results | ForEach-Object { [IO.Path]::GetFileName($_.Destination) } | Sort-Object)
    }

    It 'says what is wrong: rows held of rows declared, a missing end-of-image marker, a palette index beyond the palette' {
        $x = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'x')
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'idat-41-of-60-rows.png') -K 4 -Destination $x -ErrorVariable e1 -ErrorAction SilentlyContinue
        $e1[0].Exception.Message | Should -Match '41 of 60 rows'
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'jpeg-no-eoi.jpg') -K 4 -Destination $x -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].Exception.Message | Should -Match 'end-of-image'
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'palette-index-beyond.png') -K 4 -Destination $x -ErrorVariable e3 -ErrorAction SilentlyContinue
        $e3[0].Exception.Message | Should -Match 'pixel at \(23, 17\) uses colour index 12, beyond its palette \(PLTE\) of 12 colours'
        $null = Compress-ImageKMeans -LiteralPath (Join-Path $script:dir 'gif-index-beyond.gif') -K 4 -Destination $x -ErrorVariable e4 -ErrorAction SilentlyContinue
        $e4[0].Exception.Message | Should -Match "frame 1's pixel at \(5, 1\) uses colour index 3, beyond its colour table of 2 colours"
        Get-ChildItem $x -Force | Should -BeNullOrEmpty
    }

    It 'Measure-ImageKMeans: one error per damaged file, naming it; rows for every good file' {
        $rows = Get-ChildItem $script:dir | Sort-Object Name | Measure-ImageKMeans -K 4, 8 -Seed 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($rows).Count | Should -Be (2 * $script:goodNames.Count)
        @($rows | ForEach-Object { [IO.Path]::GetFileName($_.Path) } | Sort-Object -Unique) | Should -Be @($script:goodNames | Sort-Object)
        $errs.Count | Should -Be $script:bad.Count
        foreach ($e in $errs) {
            $name = [IO.Path]::GetFileName($e.TargetObject)
            $e.FullyQualifiedErrorId | Should -Be "$($script:bad[$name]),KMeansPS.Commands.MeasureImageKMeansCommand" -Because $name
            $e.CategoryInfo.Category | Should -Be 'InvalidData'
            $e.Exception.Message | Should -Match ([regex]::Escape($name))
        }
    }
}

# Data no block uses (djpeg: "Corrupt JPEG data: N extraneous bytes before marker") is read past, as libjpeg reads
# past it, and said, since a byte changed in the data or a frame header giving too few rows leaves it too.
Describe 'A JPEG whose compressed data holds bytes no block uses' {
    BeforeAll {
        $jpeg = [IO.File]::ReadAllBytes((New-Jpeg420 (Join-Path $TestDrive 'whole.jpg')).FullName)
        $script:whole = Join-Path $TestDrive 'whole.jpg'
        $script:extra = Join-Path $TestDrive 'extra.jpg'
        [IO.File]::WriteAllBytes($script:extra, [byte[]]($jpeg[0..($jpeg.Length - 3)] + [byte[]](0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC) + [byte[]](0xFF, 0xD9)))
        $script:out = Join-Path $TestDrive 'leftover-out'
    }

    It 'is compressed with a warning naming the file and the bytes, as djpeg warns; a whole file gets none' {
        $r = Compress-ImageKMeans -LiteralPath $script:extra, $script:whole -K 8 -Seed 3 -OutputPath $script:out -WarningVariable w -WarningAction SilentlyContinue
        $r.Count | Should -Be 2
        $r[0].Warning | Should -Match '^The JPEG''s compressed data holds 12 bytes that no block uses \(the first after \d+ of \d+ rows\), which libjpeg reports as corrupt JPEG data'
        $r[1].Warning | Should -BeNullOrEmpty
        $w.Count | Should -Be 1
        "$w" | Should -BeExactly "$($script:extra): $($r[0].Warning)"
        Test-Path -LiteralPath $r[0].Destination | Should -BeTrue
        # The same pixels as the whole file: the bytes before the end change nothing djpeg decodes.
        $r[0].Psnr | Should -Be $r[1].Psnr
    }

    It 'is measured with the same warning' {
        $rows = Measure-ImageKMeans -LiteralPath $script:extra -K 4, 8 -WarningVariable w -WarningAction SilentlyContinue
        $rows.Count | Should -Be 2
        $w.Count | Should -Be 1
        "$w" | Should -Match "^$([regex]::Escape($script:extra)): The JPEG's compressed data holds 12 bytes that no block uses"
    }
}

Describe 'JPEG input is deterministic across instruction sets' {
    It 'gives identical output bytes from a 4:2:0 JPEG with AVX-512, AVX2, 128-bit and scalar code' {
        $src = (New-Jpeg420 (Join-Path $TestDrive 'photo420.jpg')).FullName
        $module = (Resolve-Path (Get-KMeansPSModulePath)).Path
        $legs = [ordered]@{
            'default' = @{}
            'avx2'    = @{ DOTNET_EnableAVX512 = '0' }
            '128'     = @{ DOTNET_EnableAVX512 = '0'; DOTNET_EnableAVX2 = '0' }
            'scalar'  = @{ DOTNET_EnableHWIntrinsic = '0' }
        }
        $hashes = [ordered]@{}
        foreach ($leg in $legs.Keys) {
            $dst = Join-Path $TestDrive "out-$leg.png"
            $script = "Import-Module '$module'; `$r = Compress-ImageKMeans -LiteralPath '$src' -K 16 -Seed 7 -Destination '$dst' -ErrorAction Stop; `$r.Psnr.ToString('R', [cultureinfo]::InvariantCulture)"
            $saved = @{}
            foreach ($key in $legs[$leg].Keys) { $saved[$key] = [Environment]::GetEnvironmentVariable($key); [Environment]::SetEnvironmentVariable($key, $legs[$leg][$key]) }
            try { $psnr = & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $script }
            finally { foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) } }
            $LASTEXITCODE | Should -Be 0 -Because "the $leg leg ran"
            $hashes[$leg] = "$((Get-FileHash -LiteralPath $dst -Algorithm SHA256).Hash) $psnr"
        }
        $because = ($hashes.GetEnumerator() | ForEach-Object { "$($_.Key): $($_.Value)" }) -join '; '
        @($hashes.Values | Sort-Object -Unique).Count | Should -Be 1 -Because $because
    }
}

# Lossy WebP cut inside its data with its RIFF and chunk sizes set to match: ImageSharp 2.1 reads zeros past the end
# and made a picture of it; libwebp refuses it. Judged here against libwebp's own decoder on files from its encoder.
Describe 'Lossy WebP cut inside its data, against libwebp' {
    BeforeAll {
        $script:dir = Join-Path $TestDrive 'webp'
        New-Item -ItemType Directory -Path $script:dir | Out-Null
        $ppm = Join-Path $TestDrive 'sample-webp.ppm'
        & (Get-Tool djpeg) -pnm -scale 1/4 -outfile $ppm (Get-SampleImagePath)
        $script:cases = [Collections.Generic.List[object]]::new()
        $random = [Random]::new(20261206)
        foreach ($options in @('-m', '0', '-q', '30'), @('-m', '6', '-q', '90', '-segments', '4'), @('-m', '4', '-q', '75', '-sns', '100')) {
            $name = 'm{0}-q{1}' -f $options[1], $options[3]
            $whole = Join-Path $TestDrive "$name.webp"
            & (Get-Tool cwebp webp) -quiet @options $ppm -o $whole
            $bytes = [IO.File]::ReadAllBytes($whole)
            [Text.Encoding]::ASCII.GetString($bytes, 12, 4) | Should -Be 'VP8 ' -Because 'cwebp writes a simple lossy file'
            $size = [BitConverter]::ToInt32($bytes, 16)
            Copy-Item $whole (Join-Path $script:dir "whole-$name.webp")
            $cuts = @(1..10 | ForEach-Object { $random.Next(11, $size - 8) }) + @(($size - 8)..($size - 1) | Where-Object { $_ % 2 -eq 0 })
            foreach ($keep in $cuts | Sort-Object -Unique) {
                $cut = [byte[]]::new(20 + $keep + ($keep -band 1))
                [Array]::Copy($bytes, $cut, 20 + $keep)
                [BitConverter]::GetBytes([int]($cut.Length - 8)).CopyTo($cut, 4)
                [BitConverter]::GetBytes([int]$keep).CopyTo($cut, 16)
                $path = Join-Path $script:dir "cut-$name-$keep.webp"
                [IO.File]::WriteAllBytes($path, $cut)
                & (Get-Tool dwebp webp) -quiet $path -o (Join-Path $TestDrive 'dwebp.ppm') -ppm 2>$null
                $script:cases.Add([pscustomobject]@{ Name = [IO.Path]::GetFileName($path); LibwebpReads = $LASTEXITCODE -eq 0 })
            }
        }
    }

    It 'is an InvalidImage error naming the file wherever libwebp refuses it; no output; the whole files are done' {
        $refused = @($script:cases | Where-Object { -not $_.LibwebpReads } | ForEach-Object Name)
        $refused.Count | Should -BeGreaterOrEqual 30 -Because 'most cuts leave out data the decoder needs'
        $out = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'webp-out')
        $results = Get-ChildItem $script:dir | Sort-Object Name | Compress-ImageKMeans -K 8 -Seed 1 -Destination $out -ErrorVariable errs -ErrorAction SilentlyContinue
        $written = @($results | ForEach-Object { [IO.Path]::GetFileName($_.Path) })
        foreach ($name in 'whole-m0-q30.webp', 'whole-m6-q90.webp', 'whole-m4-q75.webp') { $written | Should -Contain $name }
        $failed = @{}
        foreach ($e in $errs) { $failed[[IO.Path]::GetFileName($e.TargetObject)] = $e }
        foreach ($name in $refused) {
            $written | Should -Not -Contain $name -Because 'libwebp refuses it'
            $failed[$name].FullyQualifiedErrorId | Should -Be 'InvalidImage,KMeansPS.Commands.CompressImageKMeansCommand' -Because $name
            $failed[$name].Exception.Message | Should -Match ([regex]::Escape($name))
        }
        (Get-ChildItem $out -Force).Count | Should -Be $written.Count
    }
}
