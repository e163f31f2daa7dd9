# Compress-ImageKMeans carries colour management, density, text and EXIF (issue #13, point 4), on files the tests make.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:Id = 'KMeansPS.Commands.CompressImageKMeansCommand'

    function script:Get-BigEndian([byte[]] $bytes, [int] $at, [int] $count = 4) {
        [uint64] $v = 0
        for ($i = 0; $i -lt $count; $i++) { $v = $v * 256 + $bytes[$at + $i] }
        $v
    }

    # Every chunk of a PNG, in order: Type and Data.
    function script:Get-PngChunks([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $p = 8
        while ($p -lt $bytes.Length) {
            $length = [int] (Get-BigEndian $bytes $p)
            $data = [byte[]]::new($length)
            [Array]::Copy($bytes, $p + 8, $data, 0, $length)
            [pscustomobject]@{ Type = [Text.Encoding]::ASCII.GetString($bytes, $p + 4, 4); Data = $data }
            $p += 12 + $length
        }
    }

    function script:Expand-Zlib([byte[]] $data, [int] $offset = 0) {
        $in = [IO.MemoryStream]::new($data, $offset, $data.Length - $offset)
        $z = [IO.Compression.ZLibStream]::new($in, [IO.Compression.CompressionMode]::Decompress)
        $out = [IO.MemoryStream]::new()
        $z.CopyTo($out); $z.Dispose()
        , $out.ToArray()
    }

    # The iCCP chunk's name and inflated profile.
    function script:Read-Iccp([byte[]] $data) {
        $zero = [Array]::IndexOf($data, [byte] 0)
        [pscustomobject]@{ Name = [Text.Encoding]::Latin1.GetString($data, 0, $zero); Profile = (Expand-Zlib $data ($zero + 2)) }
    }

    # A small ICC profile: header with 'acsp', one 'desc' tag (v2 text description) and seeded padding.
    function script:New-IccProfile([string] $Description, [int] $Padding = 2000) {
        $text = [Text.Encoding]::ASCII.GetBytes($Description + "`0")
        $desc = [byte[]]::new(12 + $text.Length)
        [Text.Encoding]::ASCII.GetBytes('desc').CopyTo($desc, 0)
        $desc[11] = $text.Length
        $text.CopyTo($desc, 12)
        $size = 144 + $desc.Length + $Padding
        $profile = [byte[]]::new($size)
        $profile[0] = ($size -shr 24) -band 0xFF; $profile[1] = ($size -shr 16) -band 0xFF; $profile[2] = ($size -shr 8) -band 0xFF; $profile[3] = $size -band 0xFF
        [Text.Encoding]::ASCII.GetBytes('RGB XYZ ').CopyTo($profile, 16)
        [Text.Encoding]::ASCII.GetBytes('acsp').CopyTo($profile, 36)
        $profile[131] = 1
        [Text.Encoding]::ASCII.GetBytes('desc').CopyTo($profile, 132)
        $profile[139] = 144
        $profile[143] = $desc.Length
        $desc.CopyTo($profile, 144)
        $pad = [byte[]]::new($Padding); [Random]::new(3).NextBytes($pad); $pad.CopyTo($profile, 144 + $desc.Length)
        , $profile
    }

    # Big-endian EXIF (TIFF) with IFD0 holding Orientation only; its value's low byte is at offset 19.
    function script:New-Exif([int] $Orientation) {
        , [byte[]](0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, $Orientation, 0, 0, 0, 0, 0, 0)
    }

    function script:New-Segment([int] $Marker, [byte[]] $Payload) {
        $n = $Payload.Length + 2
        , [byte[]]((0xFF, $Marker, ($n -shr 8), ($n -band 0xFF)) + $Payload)
    }

    # A 40 x 24 JPEG (cjpeg, from libjpeg-turbo-progs, as the other JPEG tests): left half red, right half blue; APP1 Exif (Orientation 6) and APP2 ICC_PROFILE after SOI.
    function script:New-RotatedJpeg([string] $Path, [byte[]] $Profile) {
        $pixels = [byte[]]::new(3 * 40 * 24)
        for ($y = 0; $y -lt 24; $y++) {
            for ($x = 0; $x -lt 40; $x++) {
                $i = 3 * ($y * 40 + $x)
                if ($x -lt 20) { $pixels[$i] = 220; $pixels[$i + 2] = 20 } else { $pixels[$i] = 20; $pixels[$i + 2] = 220 }
                $pixels[$i + 1] = 40
            }
        }
        $ppm = "$Path.ppm"
        [IO.File]::WriteAllBytes($ppm, [byte[]]([Text.Encoding]::ASCII.GetBytes("P6`n40 24`n255`n") + $pixels))
        & cjpeg -quality 95 -outfile "$Path.plain" $ppm
        if ($LASTEXITCODE -ne 0) { throw "cjpeg failed on $ppm" }
        $plain = [IO.File]::ReadAllBytes("$Path.plain")
        $exif = New-Segment 0xE1 ([byte[]]([Text.Encoding]::ASCII.GetBytes("Exif`0`0") + (New-Exif 6)))
        $icc = New-Segment 0xE2 ([byte[]]([Text.Encoding]::ASCII.GetBytes("ICC_PROFILE`0") + [byte[]](1, 1) + $Profile))
        $rest = [byte[]]::new($plain.Length - 2); [Array]::Copy($plain, 2, $rest, 0, $rest.Length)
        [IO.File]::WriteAllBytes($Path, [byte[]]([byte[]](0xFF, 0xD8) + $exif + $icc + $rest))
        Remove-Item -LiteralPath $ppm, "$Path.plain"
        Get-Item -LiteralPath $Path
    }

    # The pixels of our palette PNG (filter None or Up on each row, any bit depth): Width, Height and one [int] RGB per pixel.
    function script:Read-PalettePng([string] $Path) {
        $chunks = @(Get-PngChunks $Path)
        $ihdr = ($chunks | Where-Object Type -eq 'IHDR').Data
        $width = [int] (Get-BigEndian $ihdr 0); $height = [int] (Get-BigEndian $ihdr 4); $depth = $ihdr[8]
        $plte = ($chunks | Where-Object Type -eq 'PLTE').Data
        $raw = Expand-Zlib ([byte[]] ($chunks | Where-Object Type -eq 'IDAT' | ForEach-Object { $_.Data }))
        $rowBytes = [int][math]::Ceiling($width * $depth / 8)
        $pixels = [int[]]::new($width * $height)
        for ($y = 0; $y -lt $height; $y++) {
            $row = $y * ($rowBytes + 1) + 1
            $raw[$row - 1] | Should -BeIn 0, 2
            if ($raw[$row - 1] -eq 2 -and $y -gt 0) { # Up: add the byte above (already unfiltered)
                for ($i = 0; $i -lt $rowBytes; $i++) { $raw[$row + $i] = [byte] (($raw[$row + $i] + $raw[$row + $i - $rowBytes - 1]) -band 0xFF) }
            }
            for ($x = 0; $x -lt $width; $x++) {
                $bit = $x * $depth
                $index = ($raw[$row + ($bit -shr 3)] -shr (8 - $depth - ($bit -band 7))) -band ((1 -shl $depth) - 1)
                $pixels[$y * $width + $x] = ([int] $plte[3 * $index] -shl 16) -bor ([int] $plte[3 * $index + 1] -shl 8) -bor [int] $plte[3 * $index + 2]
            }
        }
        [pscustomobject]@{ Width = $width; Height = $height; Pixels = $pixels }
    }

    $script:Adobe = New-IccProfile 'Adobe RGB (1998)'
    $script:Phys = [byte[]](0, 0, 0x2E, 0x23, 0, 0, 0x2E, 0x23, 1) # 11811 pixels per metre: 300 dpi
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Compress-ImageKMeans metadata' {
    BeforeEach {
        $script:dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $script:dir | Out-Null
        $iccp = [byte[]]([Text.Encoding]::Latin1.GetBytes("Adobe RGB (1998)`0`0") + (& {
            $ms = [IO.MemoryStream]::new(); $z = [IO.Compression.ZLibStream]::new($ms, [IO.Compression.CompressionLevel]::Optimal)
            $z.Write($script:Adobe, 0, $script:Adobe.Length); $z.Dispose(); , $ms.ToArray() }))
        $script:png = New-TestPng -Path (Join-Path $script:dir 'adobe.png') -ExtraChunks @(
            @{ Type = 'iCCP'; Data = $iccp }, @{ Type = 'pHYs'; Data = $script:Phys }, @{ Type = 'tEXt'; Data = [Text.Encoding]::Latin1.GetBytes("Title`0Harbour") })
    }

    It 'carries an Adobe RGB profile and 300 dpi from a PNG, in the places the PNG specification gives' {
        $result = Compress-ImageKMeans -LiteralPath $script:png.FullName -K 8 -Seed 1
        $chunks = @(Get-PngChunks $result.Destination)
        $chunks.Type -join ' ' | Should -Be 'IHDR tEXt iCCP pHYs PLTE tEXt IDAT IEND'
        $icc = Read-Iccp $chunks[2].Data
        $icc.Name | Should -Be 'Adobe RGB (1998)'
        [Convert]::ToHexString($icc.Profile) | Should -Be ([Convert]::ToHexString($script:Adobe))
        [Convert]::ToHexString($chunks[3].Data) | Should -Be ([Convert]::ToHexString($script:Phys))
        [Text.Encoding]::Latin1.GetString($chunks[1].Data) | Should -BeLike 'KMeansPS*'
        [Text.Encoding]::Latin1.GetString($chunks[5].Data) | Should -Be "Title`0Harbour"
        $result.Warning | Should -BeNullOrEmpty
    }

    It '-Strip keeps the profile, drops density and text, and is part of the rerun settings' {
        $plain = Compress-ImageKMeans -LiteralPath $script:png.FullName -K 8 -Seed 1
        $destination = $plain.Destination

        # The same output name with -Strip: the existing output was made with other settings.
        $again = Compress-ImageKMeans -LiteralPath $script:png.FullName -K 8 -Seed 1 -Strip -ErrorVariable err -ErrorAction SilentlyContinue
        $again | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike "OutputExists,$script:Id"

        $stripped = Compress-ImageKMeans -LiteralPath $script:png.FullName -K 8 -Seed 1 -Strip -Force
        $stripped.Status | Should -Be 'Written'
        $chunks = @(Get-PngChunks $destination)
        $chunks.Type -join ' ' | Should -Be 'IHDR tEXt iCCP PLTE IDAT IEND'
        [Convert]::ToHexString((Read-Iccp $chunks[2].Data).Profile) | Should -Be ([Convert]::ToHexString($script:Adobe))
        [Text.Encoding]::Latin1.GetString($chunks[1].Data) | Should -BeLike "KMeansPS`0*"

        (Compress-ImageKMeans -LiteralPath $script:png.FullName -K 8 -Seed 1 -Strip).Status | Should -Be 'SkippedUpToDate'
        $notStripped = Compress-ImageKMeans -LiteralPath $script:png.FullName -K 8 -Seed 1 -Verbose -ErrorVariable err2 -ErrorAction SilentlyContinue 4>&1
        $notStripped | Where-Object { $_ -is [KMeansPS.Output.ImageCompressionResult] } | Should -BeNullOrEmpty
        # The marker read back holds -Strip in its settings.
        ($notStripped | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Match 'made with other settings \([^;]*,strip; now '
        $err2[0].FullyQualifiedErrorId | Should -BeLike "OutputExists,$script:Id"
    }

    It 'turns an EXIF Orientation 6 JPEG upright, says Orientation 1 in the EXIF it carries, and keeps its ICC profile' {
        $jpeg = New-RotatedJpeg (Join-Path $script:dir 'rotated.jpg') $script:Adobe
        $result = Compress-ImageKMeans -LiteralPath $jpeg.FullName -K 4 -Seed 1
        ($result.Width, $result.Height) -join 'x' | Should -Be '24x40'
        $chunks = @(Get-PngChunks $result.Destination)
        $chunks.Type -join ' ' | Should -Be 'IHDR tEXt iCCP PLTE eXIf IDAT IEND'
        $icc = Read-Iccp $chunks[2].Data
        $icc.Name | Should -Be 'Adobe RGB (1998)'
        [Convert]::ToHexString($icc.Profile) | Should -Be ([Convert]::ToHexString($script:Adobe))
        $exif = $chunks[4].Data
        $exif.Length | Should -Be 26
        $exif[19] | Should -Be 1
        [Convert]::ToHexString($exif) | Should -Be ([Convert]::ToHexString((New-Exif 1)))

        # Stored left half red: turned 90 degrees clockwise, red is on top and blue below, as a viewer shows the source.
        $image = Read-PalettePng $result.Destination
        ($image.Width, $image.Height) -join 'x' | Should -Be '24x40'
        $top = $image.Pixels[5 * 24 + 12]; $bottom = $image.Pixels[34 * 24 + 12]
        ($top -shr 16) -band 0xFF | Should -BeGreaterThan 150
        $top -band 0xFF | Should -BeLessThan 100
        ($bottom -shr 16) -band 0xFF | Should -BeLessThan 100
        $bottom -band 0xFF | Should -BeGreaterThan 150
    }

    It 'a GIF output drops the profile and the result warns that the colours will be read as sRGB' {
        $result = Compress-ImageKMeans -LiteralPath $script:png.FullName -K 8 -Seed 1 -Format Gif -WarningAction SilentlyContinue -WarningVariable warned
        $result.Warning | Should -Match "Adobe RGB \(1998\)"
        "$warned" | Should -Match 'dropped'
        $result.Warning | Should -Match 'sRGB'
        $bytes = [IO.File]::ReadAllBytes($result.Destination)
        [Text.Encoding]::Latin1.GetString($bytes).Contains('Adobe RGB') | Should -BeFalse
    }
}
